#include "runtime/daemon.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <thread>

#include "common/config_file.hpp"

namespace govmail {

std::filesystem::path config_path_from_args(int argc, char** argv, const std::string& program) {
    if (argc == 1) {
        return find_config_file(std::nullopt);
    }
    if (argc == 3 && std::string(argv[1]) == "--config") {
        return find_config_file(std::filesystem::path(argv[2]));
    }
    std::cerr << "usage: " << program << " [--config FILE]\n";
    std::exit(2);
}

namespace {

// Returns the soft limit in force afterwards.
rlim_t raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur != limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            getrlimit(RLIMIT_NOFILE, &limit);
        }
    }
    return limit.rlim_cur;
}

// Allocations from 1 MiB up are mapped and unmapped each time. glibc's default threshold
// adapts upwards after the first large free, so the password hash's working memory (Argon2id:
// several MiB at every login) would then come from the heap, and a burst of logins would leave
// that much resident per hashing thread for good (about 17 KiB per IMAP session measured when
// 1,000 sessions logged in).
// Fixing the threshold also fixes the trim threshold at its 128 KiB default: every message
// of a few hundred KiB freed would hand its pages back, and the next one fault them in again
// (a quarter of smtpd's CPU time at 100 KiB messages). Up to 1 MiB of free heap stays.
void keep_large_allocations_mapped() {
    constexpr int kMmapThreshold = 1 << 20;
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, kMmapThreshold);
}

}  // namespace

std::size_t io_threads(const Config& config) {
    return config.threads != 0 ? config.threads
                               : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

void run_until_signalled(
    IoContexts& contexts,
    const std::function<void()>& on_stop,
    const std::function<bool()>& drained,
    std::chrono::seconds grace
) {
    spdlog::info("open descriptor limit {}", raise_open_file_limit());
    keep_large_allocations_mapped();
    auto& ioc = contexts.main();
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    boost::asio::steady_timer poll(ioc);
    std::chrono::steady_clock::time_point deadline;
    std::function<void(const boost::system::error_code&)> check = [&](const auto&) {
        if (drained() || std::chrono::steady_clock::now() >= deadline) {
            contexts.stop();
            return;
        }
        poll.expires_after(std::chrono::milliseconds(100));
        poll.async_wait(check);
    };
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        spdlog::info("signal {} received, shutting down", signal);
        on_stop();
        deadline = std::chrono::steady_clock::now() + grace;
        check(ec);
    });
    contexts.run();
}

}  // namespace govmail
