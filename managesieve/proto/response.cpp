#include "managesieve/proto/response.hpp"

namespace govmail::managesieve {

std::string sieve_string(std::string_view text) {
    const bool literal = text.size() > 1024 ||
                         text.find_first_of("\r\n\"\\") != std::string_view::npos ||
                         text.find('\0') != std::string_view::npos;
    if (literal) {
        return "{" + std::to_string(text.size()) + "}\r\n" + std::string(text);
    }
    return "\"" + std::string(text) + "\"";
}

std::string response(std::string_view kind, std::string_view code, std::string_view text) {
    std::string out(kind);
    if (!code.empty()) {
        out += " (" + std::string(code) + ")";
    }
    if (!text.empty()) {
        out += " " + sieve_string(text);
    }
    return out + "\r\n";
}

}  // namespace govmail::managesieve
