#pragma once

// What every portal page works with: the configuration, the TLS context, the authenticator
// shared with the mail daemons, the stores, and the route table.

#include <boost/asio/ssl/context.hpp>

#include "auth/database_authenticator.hpp"
#include "common/config.hpp"
#include "portal/router.hpp"
#include "storage/credential_store.hpp"
#include "storage/pool.hpp"
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
          credentials(pool_in) {}

    const Config& config;
    boost::asio::ssl::context& tls;
    storage::Pool& pool;
    auth::DatabaseAuthenticator& authenticator;
    storage::PortalSessionStore sessions;
    storage::CredentialStore credentials;
    Router router;
};

}  // namespace govmail::portal
