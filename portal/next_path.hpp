#pragma once

// Where a sign-in lands: the page a signed-out visitor asked for (an OAuth authorisation
// request, say) travels through the sign-in as a "next" value and is redirected to afterwards.
// The value comes from the visitor, so only a local path of this portal is accepted: anything
// else (another host, a scheme, "//host", a backslash that browsers read as a slash, control
// characters, an overlong value) is an open redirect and lands on the home page instead.

#include <cstddef>
#include <string>
#include <string_view>

namespace govmail::portal {

inline constexpr std::size_t kMaxNextLength = 2048;

// CANDIDATE when it is a safe local path, else "/".
std::string safe_next(std::string_view candidate);

// PATH ("/signin", "/signin/onepass") with "?next=" and NEXT added, or PATH alone when NEXT
// is the home page or unsafe.
std::string with_next(std::string_view path, std::string_view next);

}  // namespace govmail::portal
