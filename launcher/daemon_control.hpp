#pragma once

// Starting and stopping the suite's daemons as background processes, each with a pid file
// under var/run and its log under var/log.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace govmail::launcher {

struct DaemonSpec {
    std::string name;                  // "smtpd"
    std::filesystem::path executable;  // the daemon binary
    std::vector<std::string> args;
    std::vector<std::uint16_t> ports;  // loopback ports it serves once ready
};

struct DaemonPaths {
    std::filesystem::path pid_file;
    std::filesystem::path log_file;
};

DaemonPaths daemon_paths(const std::filesystem::path& var_dir, const std::string& name);

// The pid in the daemon's pid file if that process is alive, else 0.
int running_pid(const std::filesystem::path& var_dir, const DaemonSpec& spec);

// Starts the daemon detached (new session, no blocked signals, stdin from /dev/null, output
// to its log, or standard output to STDOUT_FD when given) and writes its pid file; does not
// wait. Returns its pid, a child of the caller. Throws when it cannot be started.
int spawn_daemon(const std::filesystem::path& var_dir, const DaemonSpec& spec, int stdout_fd = -1);

// Starts the daemon with spawn_daemon unless it runs already, then waits up to TIMEOUT for
// its ports to accept connections. Throws std::runtime_error naming the log when it exits or
// does not become ready. Returns its pid.
int start_daemon(const std::filesystem::path& var_dir, const DaemonSpec& spec, int timeout_s);

// Sends PID SIGTERM, waits up to TIMEOUT_S seconds for it to end, then sends SIGKILL.
void stop_process(int pid, int timeout_s);

// Stops the daemon whose pid file names a running process (stop_process). Removes the pid
// file.
void stop_daemon(const std::filesystem::path& var_dir, const DaemonSpec& spec, int timeout_s);

// True when something accepts TCP connections on 127.0.0.1:PORT.
bool port_accepts(std::uint16_t port);

}  // namespace govmail::launcher
