#pragma once

// What every portal page works with: the configuration, the TLS context, the authenticator
// shared with the mail daemons, the stores, and the route table.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <optional>

#include "auth/database_authenticator.hpp"
#include "auth/oauth/code_exchange.hpp"
#include "auth/saml/onepass_signin.hpp"
#include "common/config.hpp"
#include "portal/pending_signins.hpp"
#include "portal/router.hpp"
#include "portal/signup_passes.hpp"
#include "storage/credential_store.hpp"
#include "storage/pg/pool.hpp"
#include "storage/portal_session_store.hpp"

namespace govmail::portal {

struct Portal {
    Portal(
        const Config& config_in,
        boost::asio::ssl::context& tls_in,
        storage::Pool& pool_in,
        auth::DatabaseAuthenticator& authenticator_in
    )
        : config(config_in),
          tls(tls_in),
          pool(pool_in),
          authenticator(authenticator_in),
          sessions(pool_in),
          credentials(pool_in),
          oauth_codes(config_in.auth.oauth, config_in.auth.token, pool_in),
          pending_signins(PendingSignInLimits{
              config_in.portal.pending_signin, config_in.portal.pending_signin_attempts,
              config_in.portal.max_pending_signins}) {}

    const Config& config;
    boost::asio::ssl::context& tls;
    storage::Pool& pool;
    auth::DatabaseAuthenticator& authenticator;
    storage::PortalSessionStore sessions;
    storage::CredentialStore credentials;
    std::optional<auth::saml::OnePassSignIn> onepass;  // set when [onepass] is configured
    auth::oauth::AuthorizationCodes oauth_codes;
    SignupPasses signup_passes;
    PendingSignIns pending_signins;    // password sign-ins waiting for their SMS code
    std::filesystem::path assets_dir;  // the style sheet and fonts (pages/assets.cpp); empty: none
    Router router;
};

}  // namespace govmail::portal
