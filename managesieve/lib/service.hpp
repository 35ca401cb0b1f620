#pragma once

// The ManageSieve service (RFC 5804) of govmail, run inside govmail-imapd on its own port
// (imap.managesieve): clients with Sieve support (Roundcube, the Thunderbird add-on,
// sieve-connect) edit the account's away reply as a Sieve vacation script (RFC 5230).
// Talks to untrusted clients over the network and runs unprivileged. STARTTLS is offered
// and AUTHENTICATE (every mechanism of auth/sasl_server) only works after it; every read has a
// deadline (managesieve.login_timeout before login, managesieve.idle_timeout after); lines and
// literals are bounded before anything is kept; a client that keeps sending bad commands is
// dropped (managesieve.max_bad_commands).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "auth/authenticator.hpp"
#include "common/config.hpp"
#include "runtime/byte_stream.hpp"
#include "runtime/session_registry.hpp"
#include "storage/pg/pool.hpp"
#include "storage/sieve_store.hpp"

namespace govmail::managesieve {

// Everything the sessions share. SESSIONS is the daemon's registry, which ends them at
// shutdown and when their account is disabled.
struct ManageSieveService {
    const Config& config;
    storage::Pool& pool;
    boost::asio::ssl::context& tls;
    auth::Authenticator* authenticator = nullptr;
    SessionRegistry& sessions;
};

// Serves one connection until LOGOUT, error, timeout or shutdown.
boost::asio::awaitable<void> serve_managesieve(
    std::unique_ptr<ByteStream> stream, ManageSieveService& service
);

}  // namespace govmail::managesieve
