#pragma once

// The page families of the portal, each adding its routes to the portal's router.

#include "portal/portal.hpp"

namespace govmail::portal {

// /signin (ID + password, then the SMS code), /signin/code, /signin/certificate (GPKI client
// certificate of the TLS handshake), /signout, and the home page /.
void add_signin_pages(Portal& portal);

// /app-passwords: create (the secret shown once), list with last use, revoke.
void add_app_password_pages(Portal& portal);

// /away: the away message (subject, body, dates, scope), on and off.
void add_away_pages(Portal& portal);

// The path of the Digital OnePass sign-in, which auth/saml's routes serve; the sign-in page
// shows its button when [onepass] is configured.
inline constexpr std::string_view kOnePassPath = "/signin/onepass";

}  // namespace govmail::portal
