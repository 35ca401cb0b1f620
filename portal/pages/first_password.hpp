#pragma once

// The first password of an account without one (signed up by OnePass or a GPKI certificate,
// so signed in that way): the password page offers it in place of the change. No current
// password is asked; an SMS code sent to the directory's own mobile number (not one set in
// the portal, which a stolen session could have set) confirms it, typed together with the
// new password twice, so the password never waits anywhere. Then ID + password + SMS code
// signs the person in like everyone else. Every step is audited.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "portal/http.hpp"
#include "portal/portal.hpp"
#include "portal/router.hpp"

namespace govmail::portal {

// The first-password page of VISIT's account (which has no password) with TOP above it.
Response first_password_page(const Visit& visit, std::string_view top, unsigned status);

// POST /password/first/code (the code to the directory's number) and /password/first (the
// code and the new password).
void add_first_password_pages(Portal& portal);

}  // namespace govmail::portal
