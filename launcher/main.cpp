// govmail: starts and stops the whole suite on one machine. `start` makes the development
// TLS certificate and GPKI test CA under var/ when absent, brings up the embedded PostgreSQL
// (unless database.dsn is configured), brings the schema up to date and leaves a supervisor
// running (`govmail supervise`) that starts the daemons, the export worker and (with [gpki]
// set) the CRL refresher and restarts any of them that exits; `stop` stops the supervisor,
// the parts and the embedded database; `status` reports what runs and whether each listener
// answers (launcher/status_report.hpp). The configuration file is found as
// common/config_file.hpp says.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "common/config.hpp"
#include "common/config_file.hpp"
#include "common/dev_certificates.hpp"
#include "launcher/daemon_control.hpp"
#include "launcher/filter_services.hpp"
#include "launcher/status_report.hpp"
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
    // The embedded scanner first: smtpd scans every message with it.
    auto out = launcher::filter_daemons(config);
    std::vector<launcher::DaemonSpec> suite{
        {"smtpd", bin / "govmail-smtpd", args,
         ports({config.smtp.mx, config.smtp.submission, config.smtp.submissions})},
        {"imapd", bin / "govmail-imapd", args, ports({config.imap.imap, config.imap.imaps})},
        // The export worker: builds requested mailbox archives and removes expired ones.
        {"exporter",
         bin / "mailadm",
         {"--config", args[1], "export", "run", "--interval", std::to_string(kExportRoundS)},
         {}},
    };
    out.insert(out.end(), suite.begin(), suite.end());
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
    launcher::write_filter_config(config);
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

int status(const Config& config, const fs::path& config_file, bool json) {
    auto parts = daemons(config, config_file);
    parts.insert(parts.begin(), supervisor(config_file));
    const auto report = launcher::collect_status(config, config_file, parts);
    if (json) {
        launcher::print_status_json(report, std::cout);
    } else {
        launcher::print_status_text(report, std::cout);
    }
    return report.all_up() ? 0 : 3;
}

void usage() {
    std::cerr << "usage: govmail start|stop|status [--config FILE] [--json]\n"
                 "  FILE: --config, else $GOVMAIL_CONFIG, else /etc/govmail/govmail.conf, else\n"
                 "  conf/govmail.conf of the checkout govmail was built in.\n"
                 "  --json: status as JSON. (govmail supervise is the supervisor that start\n"
                 "  leaves running.)\n";
}

// The command line after the command: `--config FILE` and (for status) `--json`.
struct Options {
    std::optional<fs::path> config_file;
    bool json = false;
};

std::optional<Options> parse_options(const std::vector<std::string>& args) {
    Options options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size() && !options.config_file) {
            options.config_file = args[++i];
        } else if (args[i] == "--json" && args[0] == "status") {
            options.json = true;
        } else {
            return std::nullopt;
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const auto options = args.empty() ? std::nullopt : parse_options(args);
    if (!options) {
        usage();
        return 2;
    }
    try {
        const auto config_file = find_config_file(options->config_file);
        const auto config = load_config(config_file);
        if (args[0] == "start") {
            return start(config, config_file);
        }
        if (args[0] == "stop") {
            return stop(config, config_file);
        }
        if (args[0] == "status") {
            return status(config, config_file, options->json);
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
