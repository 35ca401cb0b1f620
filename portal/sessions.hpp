#pragma once

// Sign-in sessions as the browser sees them: the session cookie (a random 256-bit id,
// Secure, HttpOnly, SameSite=Lax so the OnePass return
// keeps it, host-only) and the pre-sign-in CSRF cookie of the
// public forms. The session itself lives in PostgreSQL (storage/portal_session_store.hpp).

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string_view>

#include "portal/http.hpp"
#include "portal/portal.hpp"

namespace govmail::portal {

inline constexpr std::string_view kSessionCookie = "__Host-govmail_session";
inline constexpr std::string_view kFormCookie = "__Host-govmail_form";  // pre-sign-in CSRF
inline constexpr std::string_view kLangCookie = "govmail_lang";

// The live session REQUEST's cookie names, or nothing (none, ended, or its account is no
// longer active). Storage failures count as no session (the user signs in again).
boost::asio::awaitable<std::optional<storage::PortalSession>> find_session(
    Portal& portal, const Request& request
);

// Starts a session for ACCOUNT: a redirect to NEXT (checked with safe_next, next_path.hpp)
// that sets the cookie, or a temporary-error page.
boost::asio::awaitable<Response> start_session(
    Portal& portal, const storage::Account& account, Lang lang, std::string_view next
);

// Ends REQUEST's session and removes the cookie; a redirect to the sign-in page.
boost::asio::awaitable<Response> end_session(Portal& portal, const Request& request);

}  // namespace govmail::portal
