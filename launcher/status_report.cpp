#include "launcher/status_report.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>

#include "storage/pg/connection.hpp"
#include "storage/pg/database_config.hpp"
#include "storage/pg/embedded_postgres.hpp"

#ifndef GOVMAIL_VERSION
#error "GOVMAIL_VERSION must be defined by the build"
#endif

namespace govmail::launcher {
namespace {

constexpr std::chrono::milliseconds kProbeTimeout{2000};
constexpr std::chrono::milliseconds kDatabaseTimeout{3000};

// The database server's version, or "" when it does not answer in time.
std::string database_version(const Config& config) {
    boost::asio::io_context ioc;
    boost::asio::thread_pool blocking(1);
    auto future = boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<std::string> {
            auto conn = co_await storage::Connection::open(
                ioc.get_executor(), storage::database_dsn(config), blocking, kDatabaseTimeout
            );
            if (!conn) {
                co_return "";
            }
            auto shown = co_await (*conn)->execute_script("SHOW server_version");
            co_return shown && !shown->empty() ? std::string(shown->text(0, 0)) : "";
        },
        boost::asio::use_future
    );
    ioc.run();
    return future.get();
}

std::string state_line(const PartStatus& part) {
    return part.name + " " +
           (part.pid != 0 ? "running, pid " + std::to_string(part.pid) : std::string("stopped"));
}

}  // namespace

bool StatusReport::all_up() const {
    if (embedded_database_running.has_value() && !*embedded_database_running) {
        return false;
    }
    return std::all_of(parts.begin(), parts.end(), [](const PartStatus& part) {
        return part.pid != 0 &&
               std::all_of(part.listeners.begin(), part.listeners.end(), [](const auto& l) {
                   return l.health.ok;
               });
    });
}

StatusReport collect_status(
    const Config& config,
    const std::filesystem::path& config_file,
    const std::vector<DaemonSpec>& parts
) {
    StatusReport report{config_file, GOVMAIL_VERSION, database_version(config), {}, {}};
    if (storage::uses_embedded_database(config)) {
        report.embedded_database_running =
            storage::EmbeddedPostgres(storage::embedded_options(config)).running();
    }
    const auto listeners = configured_listeners(config);
    for (const auto& spec : parts) {
        PartStatus part{spec.name, running_pid(config.var_dir, spec), {}};
        for (const auto& listener : listeners) {
            if (listener.part == spec.name) {
                part.listeners.push_back(
                    {listener,
                     part.pid != 0 ? probe(listener, kProbeTimeout) : Health{false, "not running"}}
                );
            }
        }
        report.parts.push_back(std::move(part));
    }
    return report;
}

void print_status_text(const StatusReport& report, std::ostream& out) {
    out << "configuration " << report.config_file.string() << "\n";
    out << "version govmail " << report.govmail_version << ", PostgreSQL "
        << (report.database_version.empty() ? "not answering" : report.database_version) << "\n";
    if (report.embedded_database_running.has_value()) {
        out << "postgres " << (*report.embedded_database_running ? "running" : "stopped") << "\n";
    }
    for (const auto& part : report.parts) {
        out << state_line(part) << "\n";
        for (const auto& [listener, health] : part.listeners) {
            out << "  " << listener.service << " " << listener.address << ":" << listener.port
                << " " << (health.ok ? "ok" : "FAILED") << ": " << health.detail << "\n";
        }
    }
}

void print_status_json(const StatusReport& report, std::ostream& out) {
    auto parts = nlohmann::json::array();
    if (report.embedded_database_running.has_value()) {
        parts.push_back({{"name", "postgres"}, {"running", *report.embedded_database_running}});
    }
    for (const auto& part : report.parts) {
        auto listeners = nlohmann::json::array();
        for (const auto& [listener, health] : part.listeners) {
            listeners.push_back(
                {{"service", listener.service},
                 {"address", listener.address},
                 {"port", listener.port},
                 {"healthy", health.ok},
                 {"detail", health.detail}}
            );
        }
        nlohmann::json entry{
            {"name", part.name}, {"running", part.pid != 0}, {"listeners", listeners}};
        if (part.pid != 0) {
            entry["pid"] = part.pid;
        }
        parts.push_back(std::move(entry));
    }
    const nlohmann::json document{
        {"configuration", report.config_file.string()},
        {"versions",
         {{"govmail", report.govmail_version},
          {"postgresql", report.database_version.empty()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(report.database_version)}}},
        {"healthy", report.all_up()},
        {"parts", parts}};
    out << document.dump(2) << "\n";
}

}  // namespace govmail::launcher
