// govmail-smtpd: the SMTP daemon. Reads the configuration, connects to the mailstore, serves
// the MX, submission and submissions listeners and runs the outbound queue until SIGTERM.
// Talks to untrusted clients and remote servers; run it unprivileged (ports above 1024 in
// development, or bound by a supervisor).

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <chrono>
#include <iostream>

#include "auth/account_sessions.hpp"
#include "auth/database_authenticator.hpp"
#include "common/daemon.hpp"
#include "common/listener.hpp"
#include "common/logging.hpp"
#include "common/tls.hpp"
#include "smtpd/lib/server.hpp"
#include "smtpd/queue/queue_runner.hpp"
#include "storage/database_config.hpp"

int main(int argc, char** argv) {
    using namespace govmail;
    namespace asio = boost::asio;
    try {
        const auto config = load_config(config_path_from_args(argc, argv, "govmail-smtpd"));
        init_logging(config.log_level);
        asio::io_context ioc;
        storage::Pool pool(ioc.get_executor(), storage::daemon_pool_options(config));
        storage::Mailstore store(pool);
        // With a GPKI CA bundle the listeners ask for a client certificate (AUTH EXTERNAL).
        auto tls = make_server_tls_context(TlsFiles{
            config.tls_certificate(), config.tls_private_key(), config.auth.gpki.ca_bundle});
        SessionRegistry sessions;
        auth::DatabaseAuthenticator authenticator(pool, config.auth);
        smtpd::SmtpContext ctx{
            config,
            store,
            tls,
            &authenticator,
            [] {
                return std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch()
                )
                    .count();
            },
            sessions};
        smtpd::QueueRunner queue_runner(ioc, config, pool, store);
        queue_runner.start();
        asio::co_spawn(
            ioc, auth::end_sessions_of_disabled_accounts(pool, sessions), asio::detached
        );
        ConnectionLimiter limiter(
            config.smtp.max_connections_per_address, config.smtp.max_connections
        );
        Listeners listeners(
            ioc, limiter, "smtpd", "421 4.7.0 Too many connections, try again later\r\n"
        );
        listeners.add(config.smtp.mx, [&ctx](SessionStream s) {
            return smtpd::serve_smtp(std::move(s), smtpd::ListenerKind::Mx, ctx);
        });
        listeners.add(config.smtp.submission, [&ctx](SessionStream s) {
            return smtpd::serve_smtp(std::move(s), smtpd::ListenerKind::Submission, ctx);
        });
        listeners.add(config.smtp.submissions, [&ctx](SessionStream s) {
            return smtpd::serve_smtp(std::move(s), smtpd::ListenerKind::Submissions, ctx);
        });
        run_until_signalled(
            ioc, config,
            [&] {
                sessions.shutdown();
                listeners.close();
                queue_runner.stop();
            },
            [&] { return limiter.total() == 0 && queue_runner.idle(); }
        );
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "govmail-smtpd: " << e.what() << "\n";
        return 1;
    }
}
