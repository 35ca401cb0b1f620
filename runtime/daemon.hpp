#pragma once

// What every daemon's main does around its protocol: read `--config FILE`, set up logging,
// run the io_contexts until SIGTERM/SIGINT, then give sessions a grace period.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "common/config.hpp"
#include "runtime/io_contexts.hpp"

namespace govmail {

// The config file named by `--config FILE`, else found as common/config_file.hpp says (throws
// naming the file when it is missing); exits with a usage message on other arguments.
std::filesystem::path config_path_from_args(int argc, char** argv, const std::string& program);

// Threads for protocol work: the configured number, or one per core.
std::size_t io_threads(const Config& config);

// Raises the soft limit of open descriptors to the hard limit (the soft limit is often 1024,
// too few for thousands of connections) and keeps large allocations out of the heap (memory
// of a password hash goes back to the system). Then runs CONTEXTS until a termination signal
// arrives; then calls ON_STOP (close acceptors, tell sessions), waits until DRAINED says every
// session has ended or GRACE has passed, and stops them.
void run_until_signalled(
    IoContexts& contexts,
    const std::function<void()>& on_stop,
    const std::function<bool()>& drained,
    std::chrono::seconds grace = std::chrono::seconds(10)
);

}  // namespace govmail
