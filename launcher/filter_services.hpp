#pragma once

// The embedded scanner `govmail start` runs when [filter] is enabled and no rspamd_url names
// an external one: Debian's rspamd, its normal worker and controller on loopback only, and
// the redis-server it keeps its state in (greylisting, rate limits, Bayes), on loopback too.
// govmail writes their configuration under var_dir (rspamd/ and redis/) at every start: the
// packaged rspamd.conf with govmail's local.d files on top, so nothing outside var_dir
// changes. The supervisor runs both like the daemons and restarts them when they exit.

#include <filesystem>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "launcher/daemon_control.hpp"

namespace govmail::launcher {

// Whether `govmail start` runs the scanner.
bool uses_embedded_filter(const Config& config);

// Writes the configuration of both under var_dir (nothing unless uses_embedded_filter()).
void write_filter_config(const Config& config);

// In start order (clamd when [filter] antivirus is on, redis-server, then rspamd); none unless
// uses_embedded_filter(). Throws when a program is not installed.
std::vector<DaemonSpec> filter_daemons(const Config& config);

// NAME's executable in $PATH; throws naming scripts/install-deps.sh when there is none.
std::filesystem::path find_program(const std::string& name);

}  // namespace govmail::launcher
