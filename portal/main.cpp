// govmail-portal: the self-service portal, an HTTPS daemon where users sign in (ID + password
// + SMS code, or a GPKI client certificate) and manage their own account. Reads the
// configuration, serves the [portal] listeners until SIGTERM. Talks to untrusted browsers;
// run it unprivileged.

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "auth/database_authenticator.hpp"
#include "common/logging.hpp"
#include "portal/pages/pages.hpp"
#include "portal/server.hpp"
#include "portal/time_zone.hpp"
#include "runtime/daemon.hpp"
#include "runtime/listener.hpp"
#include "runtime/tls.hpp"
#include "storage/pg/database_config.hpp"

int main(int argc, char** argv) {
    using namespace govmail;
    namespace asio = boost::asio;
    try {
        const auto config = load_config(config_path_from_args(argc, argv, "govmail-portal"));
        init_logging(config.log_level);
        portal::use_time_zone(config.timezone);
        if (!config.portal.enabled()) {
            std::cerr << "govmail-portal: no [portal] listen address is configured\n";
            return 1;
        }
        IoContexts contexts(1, io_threads(config));
        auto& ioc = contexts.main();
        storage::Pool pool(ioc.get_executor(), storage::daemon_pool_options(config));
        // With a GPKI CA bundle the handshake asks for an optional client certificate.
        auto tls = make_server_tls_context(TlsFiles{
            config.tls_certificate(), config.tls_private_key(), config.auth.gpki.ca_bundle});
        auth::DatabaseAuthenticator authenticator(pool, config.auth);
        portal::Portal site(config, tls, pool, authenticator);
        site.assets_dir =
            config.portal.assets_dir.empty()
                ? std::filesystem::canonical("/proc/self/exe").parent_path() / "portal-assets"
                : config.portal.assets_dir;
        portal::add_asset_pages(site);
        portal::add_signin_pages(site);
        portal::add_app_password_pages(site);
        portal::add_away_pages(site);
        portal::add_backup_pages(site);
        portal::add_address_book_pages(site);
        portal::add_password_pages(site);
        portal::add_mobile_pages(site);
        portal::add_onepass_pages(site);
        portal::add_oauth_pages(site);
        portal::add_signup_pages(site);
        ConnectionLimiter limiter(
            config.portal.max_connections_per_address, config.portal.max_connections
        );
        // Over the limits a connection is closed without a reply: a plaintext one would be
        // garbage on a TLS port, and a handshake first would cost what the limits save.
        Listeners listeners(ioc, limiter, "portal", "");
        for (const auto& listener : config.portal.listeners) {
            listeners.add(
                listener,
                [&site](SessionStream s) { return portal::serve_portal(std::move(s), site); }, &tls
            );
        }
        run_until_signalled(
            contexts, [&] { listeners.close(); }, [&] { return limiter.total() == 0; }
        );
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "govmail-portal: " << e.what() << "\n";
        return 1;
    }
}
