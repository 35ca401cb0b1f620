#include "launcher/daemon_control.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace govmail::launcher {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

DaemonPaths daemon_paths(const fs::path& var_dir, const std::string& name) {
    return DaemonPaths{var_dir / "run" / (name + ".pid"), var_dir / "log" / (name + ".log")};
}

int running_pid(const fs::path& var_dir, const DaemonSpec& spec) {
    std::ifstream in(daemon_paths(var_dir, spec.name).pid_file);
    int pid = 0;
    if (!(in >> pid) || pid <= 0 || ::kill(pid, 0) != 0) {
        return 0;
    }
    // A stale pid file may name a process that reused the pid: check it is ours.
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    std::string argv0;
    std::getline(cmdline, argv0, '\0');
    // Some programs rewrite their command line (rspamd, redis-server): then the executable
    // tells, whatever symbolic link started it (Debian's redis-server is one).
    std::error_code error;
    const bool same_executable =
        fs::equivalent(spec.executable, "/proc/" + std::to_string(pid) + "/exe", error);
    return argv0 == spec.executable.string() || (!error && same_executable) ? pid : 0;
}

bool port_accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool connected =
        ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

namespace {

// Forks and execs SPEC detached from our session; returns the child's pid.
pid_t spawn_detached(const DaemonSpec& spec, const fs::path& log_file, int stdout_fd) {
    std::vector<std::string> argv{spec.executable.string()};
    argv.insert(argv.end(), spec.args.begin(), spec.args.end());
    std::vector<char*> args;
    for (auto& a : argv) {
        args.push_back(a.data());
    }
    args.push_back(nullptr);
    const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "open " + log_file.string());
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(log_fd);
        throw std::system_error(errno, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // A supervisor blocks the signals it waits for; the daemon must receive them.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        static_cast<void>(::signal(SIGPIPE, SIG_DFL));  // cannot fail for SIGPIPE
        ::setsid();
        const int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, STDIN_FILENO);
        ::dup2(stdout_fd >= 0 ? stdout_fd : log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(log_fd);
    return pid;
}

}  // namespace

int spawn_daemon(const fs::path& var_dir, const DaemonSpec& spec, int stdout_fd) {
    if (!fs::exists(spec.executable)) {
        throw std::runtime_error(spec.executable.string() + " is not built");
    }
    const auto paths = daemon_paths(var_dir, spec.name);
    fs::create_directories(paths.pid_file.parent_path());
    fs::create_directories(paths.log_file.parent_path());
    const pid_t pid = spawn_detached(spec, paths.log_file, stdout_fd);
    std::ofstream(paths.pid_file) << pid << "\n";
    return pid;
}

int start_daemon(const fs::path& var_dir, const DaemonSpec& spec, int timeout_s) {
    if (const int running = running_pid(var_dir, spec); running != 0) {
        return running;
    }
    const pid_t pid = spawn_daemon(var_dir, spec);
    const auto paths = daemon_paths(var_dir, spec.name);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            fs::remove(paths.pid_file);
            throw std::runtime_error(
                spec.name + " exited at start, see " + paths.log_file.string()
            );
        }
        bool ready = true;
        for (const auto port : spec.ports) {
            ready = ready && port_accepts(port);
        }
        if (ready) {
            return pid;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error(
                spec.name + " did not open its ports in time, see " + paths.log_file.string()
            );
        }
        std::this_thread::sleep_for(50ms);
    }
}

void stop_process(int pid, int timeout_s) {
    ::kill(pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (::kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
        ::waitpid(pid, nullptr, WNOHANG);
        std::this_thread::sleep_for(50ms);
    }
    if (::kill(pid, 0) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
}

void stop_daemon(const fs::path& var_dir, const DaemonSpec& spec, int timeout_s) {
    if (const int pid = running_pid(var_dir, spec); pid != 0) {
        stop_process(pid, timeout_s);
    }
    fs::remove(daemon_paths(var_dir, spec.name).pid_file);
}

}  // namespace govmail::launcher
