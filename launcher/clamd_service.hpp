#pragma once

// The embedded virus scanner `govmail start` runs when [filter] antivirus is on and no
// clamd_address names an external one: Debian's clamd, on 127.0.0.1:clamd_port only, with
// the signatures in DATABASE_DIR (freshclam's /var/lib/clamav in production; the tests' own,
// built with sigtool). rspamd's antivirus module is its only client
// (launcher/rspamd_abuse_config.hpp). Its configuration is written under var_dir/clamav.

#include <filesystem>

#include "common/config.hpp"
#include "launcher/daemon_control.hpp"

namespace govmail::launcher {

// Where freshclam keeps the signatures on Debian.
inline constexpr const char* kClamavDatabaseDir = "/var/lib/clamav";

// Whether `govmail start` runs clamd.
bool uses_embedded_clamd(const Config& config);

void write_clamd_config(const Config& config, const std::filesystem::path& database_dir);

// Throws when clamd is not installed.
DaemonSpec clamd_daemon(const Config& config);

}  // namespace govmail::launcher
