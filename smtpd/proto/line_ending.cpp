#include "smtpd/proto/line_ending.hpp"

namespace govmail::smtp {

std::string normalize_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (;;) {
        const auto stop = text.find_first_of("\r\n");
        out.append(text.substr(0, stop));
        if (stop == std::string_view::npos) {
            return out;
        }
        out.append("\r\n");
        const bool crlf = text[stop] == '\r' && stop + 1 < text.size() && text[stop + 1] == '\n';
        text.remove_prefix(stop + (crlf ? 2 : 1));
    }
}

}  // namespace govmail::smtp
