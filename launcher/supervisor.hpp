#pragma once

// The resident supervisor `govmail start` leaves behind: it starts every long-running part of
// the suite (the daemons, the export worker and the CRL refresher) as its own child and
// restarts any that exits without being told to, with a growing pause between restarts, each
// one logged to var/log/supervisor.log. The embedded PostgreSQL is checked and started again
// the same way. SIGTERM (what `govmail stop` sends) stops the parts and then the supervisor
// itself. It runs as `govmail supervise`; its pid file is var/run/supervisor.pid.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "launcher/daemon_control.hpp"

namespace govmail::launcher {

// The pause before the next restart of a part that keeps exiting: 1 s, doubled after each
// quick exit up to 60 s; a part that ran for a minute before it exited counts as healthy.
class RestartBackoff {
public:
    static constexpr std::chrono::seconds kFirst{1};
    static constexpr std::chrono::seconds kMax{60};
    static constexpr std::chrono::seconds kHealthyRun{60};

    // The pause after an exit that ended a run of RAN.
    std::chrono::seconds after_exit(std::chrono::steady_clock::duration ran);

private:
    std::chrono::seconds next_ = kFirst;
};

// A part that is not the supervisor's child, checked every few seconds and started again when
// it is down: the embedded PostgreSQL, which pg_ctl runs.
struct ServicePart {
    std::string name;
    std::function<bool()> running;
    std::function<void()> start;  // throws when it cannot
};

struct SupervisorTimeouts {
    int start_s = 30;  // for a part's ports to open when the suite starts
    int stop_s = 15;   // for a part to end after SIGTERM, before SIGKILL
};

// The supervisor's own process entry: starts PARTS, writes one line per part ("smtpd running,
// pid 42, ports 25 587") and then "ready" to standard output, or "error: ..." and returns 1
// after stopping what it started. Once ready, standard output goes to the log, and it
// supervises PARTS and SERVICES until SIGTERM or SIGINT; returns 0 when it has stopped the
// parts (services are left running: `govmail stop` stops the database after the parts).
int supervise(
    const std::filesystem::path& var_dir,
    const std::vector<DaemonSpec>& parts,
    const std::vector<ServicePart>& services,
    const SupervisorTimeouts& timeouts
);

// What `govmail start` runs: starts SUPERVISOR (the `govmail supervise` command) detached and
// relays its report to standard output. Returns 0 once every part is ready, 1 when the
// supervisor reported an error (on standard error) or ended without a report.
int start_supervisor(const std::filesystem::path& var_dir, const DaemonSpec& supervisor);

}  // namespace govmail::launcher
