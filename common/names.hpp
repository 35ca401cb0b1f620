#pragma once

// One canonical form for names that cross a trust boundary (login names, addresses): what
// the database is asked about must be the string the checks saw. Names never hold control
// characters (C0, DEL, C1: a NUL would cut the string in libpq and in C, CR LF would break
// protocol lines and logs), and case is folded for ASCII letters only, exactly as SQL's
// fold_name() does (migration 14), so C++ and PostgreSQL agree on which names are the same.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace govmail {

// The longest login name accepted (RFC 5321 allows 254 octets for a path).
inline constexpr std::size_t kMaxLoginNameBytes = 255;

// Whether UTF-8 TEXT holds a C0 control (U+0000-U+001F), DEL, or a C1 control
// (U+0080-U+009F). TEXT must be valid UTF-8.
bool has_control_characters(std::string_view text);

// TEXT with ASCII letters lowered and every other byte kept (SQL: fold_name).
std::string fold_case(std::string_view text);

// The login name GIVEN in its canonical form (folded), or nullopt when it is empty, longer
// than kMaxLoginNameBytes, not UTF-8 or holds a control character: such a name is refused,
// never looked up or counted.
std::optional<std::string> canonical_login_name(std::string_view given);

}  // namespace govmail
