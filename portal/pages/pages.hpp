#pragma once

// The page families of the portal, each adding its routes to the portal's router.

#include "portal/portal.hpp"

namespace govmail::portal {

// /signin (ID + password, then the SMS code), /signin/code, /signin/certificate (GPKI client
// certificate of the TLS handshake), /signout, and the home page /.
void add_signin_pages(Portal& portal);
// A portal login attempt by METHOD with what REQUEST's connection knows.
auth::LoginAttempt login_attempt(const Request& request, auth::Method method);

// /assets/...: the KRDS style sheet and the Pretendard GOV font in portal.assets_dir, if any.
void add_asset_pages(Portal& portal);

// /app-passwords: create (the secret shown once), list with last use, revoke.
void add_app_password_pages(Portal& portal);

// /away: the away message (subject, body, dates, scope), on and off.
void add_away_pages(Portal& portal);

// /backup: mailbox backups (choose mailboxes, progress, download, delete).
void add_backup_pages(Portal& portal);

// /address-book and /address-book.csv: the address book as CSV.
void add_address_book_pages(Portal& portal);

// /password: change the password (the current one, the new one twice), or set the first one
// of an account without one (pages/first_password.hpp).
void add_password_pages(Portal& portal);

// /mobile: change the mobile number, confirmed with an SMS code sent to the new number.
void add_mobile_pages(Portal& portal);

// Digital OnePass, when [onepass] is configured: /signin/onepass (the AuthnRequest redirect;
// the sign-in page shows its button), the assertion consumer at the path of onepass.acs_url,
// and /saml/metadata. Throws std::runtime_error when the configuration cannot be used.
void add_onepass_pages(Portal& portal);
inline constexpr std::string_view kOnePassPath = "/signin/onepass";

// /oauth/authorize (the consent page of a signed-in user) and /oauth/token (code + PKCE
// verifier -> access token).
void add_oauth_pages(Portal& portal);

// /signup: a person OnePass vouched for, or a GPKI certificate's owner, who has no account
// asks for one.
void add_signup_pages(Portal& portal);
inline constexpr std::string_view kSignupPath = "/signup";
// The redirect to the signup page that gives the browser PASS.
Response to_signup(Portal& portal, SignupPass pass);

}  // namespace govmail::portal
