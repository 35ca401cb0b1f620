#include "smtpd/queue/ehlo_extensions.hpp"

#include <string_view>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtp {

EhloExtensions parse_ehlo_extensions(const Reply& reply) {
    EhloExtensions out;
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        const std::string_view line = reply.lines[i];
        const auto space = line.find(' ');
        const std::string_view keyword = line.substr(0, space);
        const std::string_view params =
            space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
        const auto is = [keyword](std::string_view name) { return ascii::iequals(keyword, name); };
        if (is("STARTTLS")) {
            out.starttls = true;
        } else if (is("PIPELINING")) {
            out.pipelining = true;
        } else if (is("DSN")) {
            out.dsn = true;
        } else if (is("8BITMIME")) {
            out.eight_bit_mime = true;
        } else if (is("SMTPUTF8")) {
            out.smtputf8 = true;
        } else if (is("SIZE")) {
            std::uint64_t limit = 0;
            out.size = params.empty() || ascii::parse_decimal(params, 20, limit) ? limit : 0;
        }
    }
    return out;
}

}  // namespace govmail::smtp
