#pragma once

// The server's side of RFC 5804: strings (quoted, or a literal when they hold line breaks,
// quotes or are long) and the OK/NO/BYE responses, with an optional response code.

#include <string>
#include <string_view>

namespace govmail::managesieve {

std::string sieve_string(std::string_view text);

// "OK", "NO" or "BYE", then (CODE) when given, then TEXT when given, then CRLF.
std::string response(std::string_view kind, std::string_view code, std::string_view text);

inline std::string ok(std::string_view text = {}) { return response("OK", {}, text); }
inline std::string no(std::string_view text, std::string_view code = {}) {
    return response("NO", code, text);
}
inline std::string bye(std::string_view text) { return response("BYE", {}, text); }

}  // namespace govmail::managesieve
