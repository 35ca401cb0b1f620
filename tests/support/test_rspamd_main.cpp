// govmail-test-rspamd: the CTest fixture that runs ONE rspamd (and its redis-server) for every
// test that scans mail, as govmail start runs the embedded one (launcher/filter_services.hpp),
// so the start-up (seconds on a small machine) is paid once per run.
//   start ROOT   write the configuration under ROOT, start both, write ROOT/url (the scanner)
//                and ROOT/redis_address (its Redis, where tests put DKIM keys)
//                and ROOT/controller_url (its controller, for learning and statistics)
//   stop ROOT    stop both
//   clamd-start ROOT   the `clamav` fixture of the antivirus tests: a clamd on the port
//                rspamd's antivirus module asks (ROOT/clamd_port), whose only signature is
//                ROOT/clamav/test-virus.bin's MD5, built with sigtool
//   clamd-stop ROOT    stop it
// The fixture's rspamd knows rspamd's GTUBE variants for each action ([filter]
// test_patterns), asks the DNS server of the `dns` fixture, which answers at once, judges
// SPF, DKIM, DMARC and greylisting for the tests' loopback clients, and lets a greylisted
// retry through after 3 s (tests/support/test_rspamd_dns.hpp).
// Accounts of the domain ratelimited.test may submit two recipients an hour (rspamd's
// ratelimit, [filter] ratelimit_restricted_*); nobody else's limits are lowered. Its antivirus
// module asks the clamd of the `clamav` fixture about attachments; without that clamd (tests
// that do not require it), rspamd finds it unreachable and lets the mail pass.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "launcher/clamd_service.hpp"
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

// The clamav fixture's configuration: its port, which start() picks, in ROOT/clamd_port.
Config clamd_config(const std::filesystem::path& root) {
    Config config;
    config.var_dir = root;
    std::ifstream(root / "clamd_port") >> config.filter.clamd_port;
    return config;
}

Config fixture_config(const std::filesystem::path& root) {
    Config config;
    config.var_dir = root;
    config.filter.enabled = true;
    config.filter.test_patterns = true;
    config.dns.nameservers = {test::fixture_nameserver()};
    config.filter.check_loopback = true;
    config.filter.greylist_delay = std::chrono::seconds(3);
    // The ratelimit test's accounts alone get a tiny limit (tests/integration/test_abuse.py).
    config.filter.ratelimit_restricted_domains = {"ratelimited.test"};
    config.filter.ratelimit_restricted_user_per_hour = 2;
    // rspamd asks the clamav fixture's clamd (clamd-start), which the launcher's daemons for
    // the rspamd fixture never include: clamd_address names it as an external one.
    config.filter.antivirus = true;
    config.filter.clamd_address =
        "127.0.0.1:" + std::to_string(clamd_config(root).filter.clamd_port);
    return config;
}

// The test attachment the fixture's clamd knows as a virus (any bytes do: its signature is
// their MD5).
constexpr std::string_view kTestVirus =
    "govmail antivirus test file: not a virus, but signed as one\n";

// COMMAND's standard output; throws when it fails.
std::string output_of(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::string out;
    char buffer[256];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        out += buffer;
    }
    if (!pipe || ::pclose(pipe.release()) != 0 || out.empty()) {
        throw std::runtime_error(command + " failed");
    }
    return out;
}

int clamd_start(const std::filesystem::path& root) {
    const auto config = clamd_config(root);
    launcher::stop_daemon(root, launcher::clamd_daemon(config), kStopTimeoutS);
    const auto dir = root / "clamav";
    std::filesystem::create_directories(dir / "db");
    const auto sample = dir / "test-virus.bin";
    std::ofstream(sample, std::ios::binary | std::ios::trunc) << kTestVirus;
    std::ofstream(dir / "db" / "govmail-test.hdb", std::ios::trunc)
        << output_of("sigtool --md5 '" + sample.string() + "'");
    launcher::write_clamd_config(config, dir / "db");
    launcher::start_daemon(root, launcher::clamd_daemon(config), kStartTimeoutS);
    std::cout << "clamd at 127.0.0.1:" << config.filter.clamd_port << "\n";
    return 0;
}

int clamd_stop(const std::filesystem::path& root) {
    launcher::stop_daemon(root, launcher::clamd_daemon(clamd_config(root)), kStopTimeoutS);
    return 0;
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
    const auto clamd_port = free_port();
    config.filter.clamd_address = "127.0.0.1:" + std::to_string(clamd_port);
    std::ofstream(root / "clamd_port") << clamd_port << "\n";
    launcher::write_filter_config(config);
    test::write_test_rules(root / "rspamd");
    for (const auto& spec : launcher::filter_daemons(config)) {
        launcher::start_daemon(root, spec, kStartTimeoutS);
    }
    std::ofstream(root / "url") << config.filter.url() << "\n";
    std::ofstream(root / "redis_address") << config.filter.dkim_redis_address() << "\n";
    std::ofstream(root / "controller_url") << config.filter.controller() << "\n";
    std::cout << "rspamd at " << config.filter.url() << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const std::map<std::string, int (*)(const std::filesystem::path&)> commands{
        {"start", start}, {"stop", stop}, {"clamd-start", clamd_start}, {"clamd-stop", clamd_stop}};
    if (args.size() != 2 || !commands.contains(args[0])) {
        std::cerr << "usage: govmail-test-rspamd start|stop|clamd-start|clamd-stop ROOT\n";
        return 2;
    }
    try {
        std::filesystem::create_directories(args[1]);
        const auto root = std::filesystem::absolute(args[1]);
        return commands.at(args[0])(root);
    } catch (const std::exception& e) {
        std::cerr << "govmail-test-rspamd " << args[0] << ": " << e.what() << "\n";
        return 1;
    }
}
