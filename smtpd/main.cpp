// govmail-smtpd: the SMTP daemon. Reads the configuration, connects to the mailstore, serves
// the MX, submission and submissions listeners and runs the outbound queue until SIGTERM.
// Talks to untrusted clients and remote servers; run it unprivileged (ports above 1024 in
// development, or bound by a supervisor).

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "auth/database_authenticator.hpp"
#include "common/logging.hpp"
#include "common/unix_time.hpp"
#include "runtime/account_sessions.hpp"
#include "runtime/daemon.hpp"
#include "runtime/listener.hpp"
#include "runtime/tls.hpp"
#include "smtpd/lib/junk_learner.hpp"
#include "smtpd/lib/recipients.hpp"
#include "smtpd/lib/server.hpp"
#include "smtpd/queue/queue_runner.hpp"
#include "storage/pg/database_config.hpp"

namespace {

// The mailstore connections of the sessions that run on one io_context.
struct Shard {
    Shard(
        boost::asio::io_context& ioc,
        govmail::storage::PoolOptions options,
        const govmail::FilterConfig& filter
    )
        : pool(ioc.get_executor(), std::move(options)), store(pool), audit(pool), addresses(pool) {
        if (filter.enabled) {
            scanner.emplace(ioc.get_executor(), filter);
        }
    }

    govmail::storage::Pool pool;
    govmail::storage::Mailstore store;
    govmail::storage::AuditStore audit;
    govmail::storage::AddressStore addresses;
    std::optional<govmail::filter::RspamdClient> scanner;  // with [filter] enabled
};

}  // namespace

int main(int argc, char** argv) {
    using namespace govmail;
    namespace asio = boost::asio;
    try {
        const auto config = load_config(config_path_from_args(argc, argv, "govmail-smtpd"));
        init_logging(config.log_level);
        // A context per io thread, each with its own share of the database connections: a
        // session and the connections it uses stay on one thread.
        IoContexts contexts(io_threads(config), 1);
        auto& ioc = contexts.main();
        const auto pool_options = storage::daemon_pool_options(config, contexts.size());
        std::vector<std::unique_ptr<Shard>> shards;
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            shards.push_back(std::make_unique<Shard>(contexts[i], pool_options, config.filter));
        }
        auto& pool = shards.front()->pool;
        auto roles_checked = asio::co_spawn(
            ioc, smtpd::check_role_accounts(config, shards.front()->store), asio::use_future
        );
        while (roles_checked.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ioc.run_one();
        }
        roles_checked.get();  // throws when [server] postmaster or abuse names no account
        // With a GPKI CA bundle the listeners ask for a client certificate (AUTH EXTERNAL).
        auto tls = make_server_tls_context(TlsFiles{
            config.tls_certificate(), config.tls_private_key(), config.auth.gpki.ca_bundle});
        SessionRegistry sessions;
        auth::DatabaseAuthenticator authenticator(pool, config.auth);
        std::vector<smtpd::SmtpContext> shard_contexts;
        for (auto& shard : shards) {
            shard_contexts.push_back(smtpd::SmtpContext{
                config, shard->store, tls, &authenticator, unix_now, sessions});
            shard_contexts.back().addresses = &shard->addresses;
            if (shard->scanner) {
                shard_contexts.back().scanner = &*shard->scanner;
                shard_contexts.back().audit = &shard->audit;
            }
        }
        smtpd::QueueRunner queue_runner(ioc, config, pool, shards.front()->store);
        queue_runner.start();
        asio::co_spawn(ioc, end_sessions_of_disabled_accounts(pool, sessions), asio::detached);
        asio::co_spawn(
            ioc, smtpd::run_junk_learner(config.filter, pool, shards.front()->store), asio::detached
        );
        ConnectionLimiter limiter(
            config.smtp.max_connections_per_address, config.smtp.max_connections
        );
        Listeners listeners(
            contexts, limiter, "smtpd", "421 4.7.0 Too many connections, try again later\r\n"
        );
        const auto serve = [&](smtpd::ListenerKind kind) {
            return [&, kind](SessionStream s) {
                auto& ctx = shard_contexts.at(contexts.index_of(s.get_executor()));
                return smtpd::serve_smtp(std::make_unique<SessionStream>(std::move(s)), kind, ctx);
            };
        };
        listeners.add(config.smtp.mx, serve(smtpd::ListenerKind::Mx));
        listeners.add(config.smtp.submission, serve(smtpd::ListenerKind::Submission));
        listeners.add(config.smtp.submissions, serve(smtpd::ListenerKind::Submissions), &tls);
        run_until_signalled(
            contexts,
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
