// govmail-imapd: the IMAP daemon. Reads the configuration, connects to the mailstore, relays
// mailbox change notifications to the sessions and serves the imap (STARTTLS) and imaps
// (implicit TLS) listeners, and ManageSieve (RFC 5804) when imap.managesieve is set, until
// SIGTERM, when every session gets a BYE. Talks to untrusted
// clients; run it unprivileged (ports above 1024 in development, or bound by a supervisor).

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <iostream>
#include <memory>

#include "auth/database_authenticator.hpp"
#include "common/logging.hpp"
#include "common/unix_time.hpp"
#include "imapd/lib/server.hpp"
#include "managesieve/lib/service.hpp"
#include "runtime/daemon.hpp"
#include "runtime/listener.hpp"
#include "runtime/tls.hpp"
#include "storage/pg/database_config.hpp"

int main(int argc, char** argv) {
    using namespace govmail;
    namespace asio = boost::asio;
    try {
        const auto config = load_config(config_path_from_args(argc, argv, "govmail-imapd"));
        init_logging(config.log_level);
        IoContexts contexts(1, io_threads(config));
        auto& ioc = contexts.main();
        storage::Pool pool(ioc.get_executor(), storage::daemon_pool_options(config));
        // With a GPKI CA bundle the listeners ask for a client certificate (AUTHENTICATE
        // EXTERNAL).
        auto tls = make_server_tls_context(TlsFiles{
            config.tls_certificate(), config.tls_private_key(), config.auth.gpki.ca_bundle});
        auth::DatabaseAuthenticator authenticator(pool, config.auth);
        imap::ImapService service(config, pool, tls, &authenticator, unix_now);
        asio::co_spawn(ioc, service.relay_changes(), asio::detached);
        asio::co_spawn(ioc, service.relay_account_events(), asio::detached);
        ConnectionLimiter limiter(
            config.imap.max_connections_per_address, config.imap.max_connections
        );
        Listeners listeners(
            ioc, limiter, "imapd", "* BYE Too many connections, try again later\r\n"
        );
        listeners.add(config.imap.imap, [&service](SessionStream s) {
            return imap::serve_imap(
                std::make_unique<SessionStream>(std::move(s)), imap::ListenerKind::Imap, service
            );
        });
        listeners.add(
            config.imap.imaps,
            [&service](SessionStream s) {
                return imap::serve_imap(
                    std::make_unique<SessionStream>(std::move(s)), imap::ListenerKind::Imaps,
                    service
                );
            },
            &tls
        );
        // ManageSieve shares the sessions registry: shutdown and disabled accounts end them too.
        managesieve::ManageSieveService sieve{
            config, pool, tls, &authenticator, service.sessions()};
        Listeners sieve_listeners(
            ioc, limiter, "imapd", "BYE \"Too many connections, try again later\"\r\n"
        );
        sieve_listeners.add(config.imap.managesieve, [&sieve](SessionStream s) {
            return managesieve::serve_managesieve(
                std::make_unique<SessionStream>(std::move(s)), sieve
            );
        });
        run_until_signalled(
            contexts,
            [&] {
                service.shutdown();
                listeners.close();
                sieve_listeners.close();
            },
            [&] { return limiter.total() == 0; }
        );
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "govmail-imapd: " << e.what() << "\n";
        return 1;
    }
}
