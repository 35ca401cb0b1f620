// govmail-test-rspamd: the CTest fixture that runs ONE rspamd (and its redis-server) for every
// test that scans mail, as govmail start runs the embedded one (launcher/filter_services.hpp),
// so the start-up (seconds on a small machine) is paid once per run.
//   start ROOT   write the configuration under ROOT, start both, write ROOT/url (the scanner)
//                and ROOT/redis_address (its Redis, where tests put DKIM keys)
//   stop ROOT    stop both
// The fixture's rspamd knows rspamd's GTUBE variants for each action ([filter]
// test_patterns), asks the DNS server of the `dns` fixture, which answers at once, judges
// SPF, DKIM, DMARC and greylisting for the tests' loopback clients, and lets a greylisted
// retry through after 3 s (tests/support/test_rspamd_dns.hpp).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "launcher/daemon_control.hpp"
#include "launcher/filter_services.hpp"
#include "tests/support/test_rspamd_dns.hpp"

namespace {
using namespace govmail;

constexpr int kStartTimeoutS = 120;
constexpr int kStopTimeoutS = 15;

// A loopback port nothing listens on now.
std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

Config fixture_config(const std::filesystem::path& root) {
    Config config;
    config.var_dir = root;
    config.filter.enabled = true;
    config.filter.test_patterns = true;
    config.dns.nameservers = {test::fixture_nameserver()};
    config.filter.check_loopback = true;
    config.filter.greylist_delay = std::chrono::seconds(3);
    return config;
}

int stop(const std::filesystem::path& root) {
    const auto specs = launcher::filter_daemons(fixture_config(root));
    for (auto spec = specs.rbegin(); spec != specs.rend(); ++spec) {
        launcher::stop_daemon(root, *spec, kStopTimeoutS);
    }
    return 0;
}

int start(const std::filesystem::path& root) {
    // One a crashed run left behind listens on other ports: it goes first.
    stop(root);
    auto config = fixture_config(root);
    config.filter.rspamd_port = free_port();
    config.filter.controller_port = free_port();
    config.filter.redis_port = free_port();
    launcher::write_filter_config(config);
    test::write_test_rules(root / "rspamd");
    for (const auto& spec : launcher::filter_daemons(config)) {
        launcher::start_daemon(root, spec, kStartTimeoutS);
    }
    std::ofstream(root / "url") << config.filter.url() << "\n";
    std::ofstream(root / "redis_address") << config.filter.dkim_redis_address() << "\n";
    std::cout << "rspamd at " << config.filter.url() << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() != 2 || (args[0] != "start" && args[0] != "stop")) {
        std::cerr << "usage: govmail-test-rspamd start|stop ROOT\n";
        return 2;
    }
    try {
        std::filesystem::create_directories(args[1]);
        const auto root = std::filesystem::absolute(args[1]);
        return args[0] == "start" ? start(root) : stop(root);
    } catch (const std::exception& e) {
        std::cerr << "govmail-test-rspamd " << args[0] << ": " << e.what() << "\n";
        return 1;
    }
}
