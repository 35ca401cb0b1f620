#include "launcher/supervisor.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <system_error>

#include "common/logging.hpp"

namespace govmail::launcher {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::chrono::seconds RestartBackoff::after_exit(Clock::duration ran) {
    if (ran >= kHealthyRun) {
        next_ = kFirst;
    }
    const auto pause = next_;
    next_ = std::min(next_ * 2, kMax);
    return pause;
}

namespace {

constexpr auto kTick = std::chrono::seconds(1);  // how often parts not our children are checked
constexpr auto kServiceCheck = std::chrono::seconds(5);  // how often services are checked

// One supervised part: its process while it runs, else when it is to be started again.
struct Part {
    DaemonSpec spec;
    int pid = 0;
    Clock::time_point started;
    Clock::time_point restart_at;
    RestartBackoff backoff;
};

// The report `govmail start` relays: one line each, written whole.
void report(int fd, const std::string& line) {
    const std::string text = line + "\n";
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;  // nobody reads the report any more; supervising goes on
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string running_line(const DaemonSpec& spec, int pid) {
    std::string line = spec.name + " running, pid " + std::to_string(pid) + ", ports";
    for (const auto port : spec.ports) {
        line += " " + std::to_string(port);
    }
    return line;
}

// "exited with status 3", "was killed by signal 9".
std::string exit_text(int status) {
    if (WIFSIGNALED(status)) {
        return "was killed by signal " + std::to_string(WTERMSIG(status));
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// Every child that has ended since the last call, with its wait status.
std::map<int, int> reap_children() {
    std::map<int, int> ended;
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        ended[pid] = status;
    }
    return ended;
}

// Notes PART's end (its wait status if it was our child) and when it is to be restarted.
void note_exit(Part& part, std::optional<int> status) {
    const auto now = Clock::now();
    const auto pause = part.backoff.after_exit(now - part.started);
    spdlog::warn(
        "{} (pid {}) {}; restarting it in {} s", part.spec.name, part.pid,
        status ? exit_text(*status) : "is no longer running", pause.count()
    );
    part.pid = 0;
    part.restart_at = now + pause;
}

void restart(const fs::path& var_dir, Part& part) {
    part.started = Clock::now();
    try {
        part.pid = running_pid(var_dir, part.spec);
        if (part.pid == 0) {
            part.pid = spawn_daemon(var_dir, part.spec);
        }
        spdlog::info("{} restarted, pid {}", part.spec.name, part.pid);
    } catch (const std::exception& e) {
        spdlog::error("{} could not be restarted: {}", part.spec.name, e.what());
        part.restart_at = Clock::now() + part.backoff.after_exit(Clock::duration::zero());
    }
}

// One round: notes the parts that ended, restarts those whose pause is over.
void check_parts(const fs::path& var_dir, std::vector<Part>& parts) {
    const auto ended = reap_children();
    for (auto& part : parts) {
        if (part.pid == 0) {
            if (Clock::now() >= part.restart_at) {
                restart(var_dir, part);
            }
            continue;
        }
        if (const auto it = ended.find(part.pid); it != ended.end()) {
            note_exit(part, it->second);
        } else if (running_pid(var_dir, part.spec) != part.pid) {
            note_exit(part, std::nullopt);  // one we found running, not our child
        }
    }
}

// A service, and when it is next checked.
struct WatchedService {
    const ServicePart* service;
    Clock::time_point check_at;
    RestartBackoff backoff;
};

void check_services(std::vector<WatchedService>& watched) {
    const auto now = Clock::now();
    for (auto& w : watched) {
        if (now < w.check_at) {
            continue;
        }
        w.check_at = now + kServiceCheck;
        if (w.service->running()) {
            continue;
        }
        spdlog::warn("{} is not running; starting it", w.service->name);
        try {
            w.service->start();
            spdlog::info("{} started again", w.service->name);
        } catch (const std::exception& e) {
            const auto pause = w.backoff.after_exit(Clock::duration::zero());
            spdlog::error(
                "{} did not start: {}; next try in {} s", w.service->name, e.what(), pause.count()
            );
            w.check_at = Clock::now() + pause;
        }
    }
}

// The parts in reverse order of starting; each by the pid it has, even when its pid file is
// gone.
void stop_parts(const fs::path& var_dir, const std::vector<Part>& parts, int timeout_s) {
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it->pid != 0) {
            stop_process(it->pid, timeout_s);
        }
        std::error_code ignored;
        fs::remove(daemon_paths(var_dir, it->spec.name).pid_file, ignored);
        spdlog::info("{} stopped", it->spec.name);
    }
}

}  // namespace

int supervise(
    const fs::path& var_dir,
    const std::vector<DaemonSpec>& specs,
    const std::vector<ServicePart>& services,
    const SupervisorTimeouts& timeouts
) {
    // The report goes to the original standard output; spdlog writes to standard output too,
    // which is from now on the log (standard error).
    const int report_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    init_logging("info");
    // Waited for with sigtimedwait, so blocked; children unblock them (spawn_daemon).
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGCHLD, SIGTERM, SIGINT}) {
        sigaddset(&signals, signal);
    }
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    // `govmail start` may be gone before it read the report; cannot fail for SIGPIPE.
    static_cast<void>(::signal(SIGPIPE, SIG_IGN));

    std::vector<Part> parts;
    try {
        for (const auto& spec : specs) {
            auto& part = parts.emplace_back(Part{spec, 0, Clock::now(), {}, {}});
            part.pid = start_daemon(var_dir, spec, timeouts.start_s);
            report(report_fd, running_line(spec, part.pid));
            spdlog::info("{}", running_line(spec, part.pid));
        }
    } catch (const std::exception& e) {
        spdlog::error("start failed: {}", e.what());
        report(report_fd, std::string("error: ") + e.what());
        ::close(report_fd);
        stop_parts(var_dir, parts, timeouts.stop_s);
        return 1;
    }
    report(report_fd, "ready");
    ::close(report_fd);

    std::vector<WatchedService> watched;
    for (const auto& service : services) {
        watched.push_back(WatchedService{&service, Clock::now() + kServiceCheck, {}});
    }
    for (;;) {
        const auto tick = timespec{kTick.count(), 0};
        const int signal = ::sigtimedwait(&signals, nullptr, &tick);
        if (signal == SIGTERM || signal == SIGINT) {
            spdlog::info("signal {} received, stopping the parts", signal);
            break;
        }
        check_services(watched);
        check_parts(var_dir, parts);
    }
    stop_parts(var_dir, parts, timeouts.stop_s);
    return 0;
}

int start_supervisor(const fs::path& var_dir, const DaemonSpec& supervisor) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe");
    }
    const int pid = spawn_daemon(var_dir, supervisor, fds[1]);
    ::close(fds[1]);
    std::string received;
    char chunk[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno != EINTR) {
            break;
        }
        received.append(chunk, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    }
    ::close(fds[0]);
    bool ready = false;
    std::string_view rest = received;
    while (!rest.empty()) {
        const auto end = std::min(rest.find('\n'), rest.size());
        const auto line = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        if (line == "ready") {
            ready = true;
        } else if (line.starts_with("error: ")) {
            std::cerr << line.substr(7) << "\n";
        } else {
            std::cout << line << "\n";
        }
    }
    if (!ready) {
        ::waitpid(pid, nullptr, 0);
        std::cerr << "see " << daemon_paths(var_dir, supervisor.name).log_file.string() << "\n";
        return 1;
    }
    std::cout << supervisor.name << " running, pid " << pid << "\n";
    return 0;
}

}  // namespace govmail::launcher
