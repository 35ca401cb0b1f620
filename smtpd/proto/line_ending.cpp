#include "smtpd/proto/line_ending.hpp"

namespace govmail::smtp {

std::size_t find_line_end(std::string_view text, std::size_t pos) {
    const auto lf = text.find('\n', pos);
    const auto cr = text.substr(0, lf).find('\r', pos);
    return cr < lf ? cr : lf;
}

std::string normalize_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (;;) {
        const auto stop = find_line_end(text);
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
