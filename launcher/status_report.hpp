#pragma once

// `govmail status`: what runs (the embedded PostgreSQL, the supervisor and each part, with its
// pid), which configuration file and versions are in use, and whether each listener answers
// (launcher/service_probe.hpp). Printed as lines for people or as JSON for tools.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "launcher/daemon_control.hpp"
#include "launcher/service_probe.hpp"

namespace govmail::launcher {

struct ListenerStatus {
    ServiceListener listener;
    Health health;
};

struct PartStatus {
    std::string name;
    int pid = 0;  // 0: stopped
    std::vector<ListenerStatus> listeners;
};

struct StatusReport {
    std::filesystem::path config_file;
    std::string govmail_version;
    std::string database_version;                   // empty: the database did not answer
    std::optional<bool> embedded_database_running;  // none: an external database (dsn)
    std::vector<PartStatus> parts;

    // Everything runs and every listener answers.
    bool all_up() const;
};

// Looks at the parts (the supervisor first) and probes the listeners of those that run.
StatusReport collect_status(
    const Config& config,
    const std::filesystem::path& config_file,
    const std::vector<DaemonSpec>& parts
);

// One line per part ("smtpd running, pid 42" or "smtpd stopped"), each listener indented
// below its part ("  smtp 127.0.0.1:25 ok: 220 mail.example ESMTP"), after the configuration
// file and the versions.
void print_status_text(const StatusReport& report, std::ostream& out);
void print_status_json(const StatusReport& report, std::ostream& out);

}  // namespace govmail::launcher
