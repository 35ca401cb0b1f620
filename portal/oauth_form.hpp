#pragma once

// The OAuth 2.0 authorisation request as the portal's endpoint receives it (RFC 6749 section
// 4.1.1, RFC 7636): from the query (GET) or the consent form (POST). A pure function over
// untrusted decoded fields; the checks of the values are auth::oauth's.

#include "auth/oauth/authorization_request.hpp"
#include "portal/form.hpp"

namespace govmail::portal {

auth::oauth::AuthorizationRequest authorization_request(const Fields& fields);

}  // namespace govmail::portal
