// govmail: starts and stops the whole suite on one machine. `start` makes the development
// TLS certificate and GPKI test CA under var/ when absent, brings up the embedded PostgreSQL
// (unless database.dsn is configured), brings the schema up to date and leaves a supervisor
// running (`govmail supervise`) that starts the daemons, the export worker and (with [gpki]
// set) the CRL refresher and restarts any of them that exits; `stop` stops the supervisor,
// the parts and the embedded database; `status` reports.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <iostream>

#include "common/config.hpp"
#include "common/dev_certificates.hpp"
#include "launcher/daemon_control.hpp"
#include "launcher/supervisor.hpp"
#include "storage/migrate.hpp"
#include "storage/pg/connection.hpp"
#include "storage/pg/database_config.hpp"

namespace {
namespace fs = std::filesystem;
using namespace govmail;

constexpr int kStartTimeoutS = 30;
constexpr int kStopTimeoutS = 15;
constexpr int kExportRoundS = 30;  // how soon a requested export starts being built

fs::path own_directory() { return fs::read_symlink("/proc/self/exe").parent_path(); }

launcher::DaemonSpec supervisor(const fs::path& config_file) {
    return {
        "supervisor",
        own_directory() / "govmail",
        {"supervise", "--config", fs::absolute(config_file).string()},
        {}};
}

std::vector<launcher::DaemonSpec> daemons(const Config& config, const fs::path& config_file) {
    const auto bin = own_directory();
    const std::vector<std::string> args{"--config", fs::absolute(config_file).string()};
    auto ports = [](const std::vector<ListenerConfig>& listeners) {
        std::vector<std::uint16_t> out;
        for (const auto& l : listeners) {
            if (l.enabled && (l.address == "127.0.0.1" || l.address == "0.0.0.0")) {
                out.push_back(l.port);
            }
        }
        return out;
    };
    std::vector<launcher::DaemonSpec> out{
        {"smtpd", bin / "govmail-smtpd", args,
         ports({config.smtp.mx, config.smtp.submission, config.smtp.submissions})},
        {"imapd", bin / "govmail-imapd", args, ports({config.imap.imap, config.imap.imaps})},
        // The export worker: builds requested mailbox archives and removes expired ones.
        {"exporter",
         bin / "mailadm",
         {"--config", args[1], "export", "run", "--interval", std::to_string(kExportRoundS)},
         {}},
    };
    if (!config.auth.gpki.ca_bundle.empty()) {
        // The CRL refresher: keeps the CRL directory fresh on the [gpki] crl_refresh_* schedule
        // (and the development CRL, with the development CA), audits CRLs near expiry.
        out.push_back(
            {"crl-refresher",
             bin / "mailadm",
             {"--config", args[1], "gpki", "crl", "refresh", "--watch"},
             {}}
        );
    }
    if (config.portal.enabled()) {
        out.push_back({"portal", bin / "govmail-portal", args, ports(config.portal.listeners)});
    }
    return out;
}

// The embedded PostgreSQL, when the suite runs one: pg_ctl runs it, the supervisor starts it
// again when it stops.
std::vector<launcher::ServicePart> services(const Config& config) {
    if (!storage::uses_embedded_database(config)) {
        return {};
    }
    const auto options = storage::embedded_options(config);
    return {launcher::ServicePart{
        "postgres", [options] { return storage::EmbeddedPostgres(options).running(); },
        [options] { storage::EmbeddedPostgres(options).start(); }}};
}

void migrate_database(const Config& config) {
    boost::asio::io_context ioc;
    boost::asio::thread_pool blocking(1);
    auto future = boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<Result<storage::MigrationReport>> {
            auto conn = co_await storage::Connection::open(
                ioc.get_executor(), storage::database_dsn(config), blocking,
                config.database.query_timeout
            );
            if (!conn) {
                co_return conn.error();
            }
            co_return co_await storage::migrate(**conn, {});
        },
        boost::asio::use_future
    );
    ioc.run();
    const auto report = future.get();
    if (!report) {
        throw std::runtime_error("schema migration failed: " + report.error().message());
    }
    std::cout << "database schema at version " << report->current_version << " (" << report->applied
              << " migration(s) applied)\n";
}

int start(const Config& config, const fs::path& config_file) {
    if (config.tls.certificate.empty()) {
        ensure_dev_certificates(config.var_dir, config.hostname);
    }
    if (storage::uses_embedded_database(config)) {
        storage::EmbeddedPostgres(storage::embedded_options(config)).start();
        std::cout << "embedded PostgreSQL running (" << (config.var_dir / "db").string() << ")\n";
    }
    migrate_database(config);
    if (const int pid = launcher::running_pid(config.var_dir, supervisor(config_file)); pid != 0) {
        std::cout << "supervisor running already, pid " << pid << "\n";
        return 0;
    }
    return launcher::start_supervisor(config.var_dir, supervisor(config_file));
}

int stop(const Config& config, const fs::path& config_file) {
    const auto parts = daemons(config, config_file);
    // The supervisor first, so it restarts nothing; it stops the parts it runs. Parts it does
    // not run (it was killed) are stopped here.
    launcher::stop_daemon(
        config.var_dir, supervisor(config_file), kStopTimeoutS * static_cast<int>(parts.size() + 1)
    );
    std::cout << "supervisor stopped\n";
    for (const auto& spec : parts) {
        launcher::stop_daemon(config.var_dir, spec, kStopTimeoutS);
        std::cout << spec.name << " stopped\n";
    }
    if (storage::uses_embedded_database(config)) {
        storage::EmbeddedPostgres(storage::embedded_options(config)).stop();
        std::cout << "embedded PostgreSQL stopped\n";
    }
    return 0;
}

int status(const Config& config, const fs::path& config_file) {
    int down = 0;
    if (storage::uses_embedded_database(config)) {
        const bool up = storage::EmbeddedPostgres(storage::embedded_options(config)).running();
        std::cout << "postgres " << (up ? "running" : "stopped") << "\n";
        down += up ? 0 : 1;
    }
    auto parts = daemons(config, config_file);
    parts.insert(parts.begin(), supervisor(config_file));
    for (const auto& spec : parts) {
        const int pid = launcher::running_pid(config.var_dir, spec);
        std::cout << spec.name << " "
                  << (pid != 0 ? "running, pid " + std::to_string(pid) : "stopped") << "\n";
        down += pid != 0 ? 0 : 1;
    }
    return down == 0 ? 0 : 3;
}

void usage() {
    std::cerr << "usage: govmail start|stop|status [--config FILE]\n"
                 "  FILE defaults to conf/govmail.conf; every key has a safe default.\n"
                 "  (govmail supervise is the supervisor that start leaves running.)\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    fs::path config_file = "conf/govmail.conf";
    if (args.size() == 3 && args[1] == "--config") {
        config_file = args[2];
    } else if (args.size() != 1) {
        usage();
        return 2;
    }
    try {
        const auto config = load_config(config_file);
        if (args[0] == "start") {
            return start(config, config_file);
        }
        if (args[0] == "stop") {
            return stop(config, config_file);
        }
        if (args[0] == "status") {
            return status(config, config_file);
        }
        if (args[0] == "supervise") {
            return launcher::supervise(
                config.var_dir, daemons(config, config_file), services(config),
                launcher::SupervisorTimeouts{kStartTimeoutS, kStopTimeoutS}
            );
        }
        usage();
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "govmail " << args[0] << ": " << e.what() << "\n";
        return 1;
    }
}
