// The embedded rspamd and redis-server (launcher/filter_services.hpp).

#include "launcher/filter_services.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "launcher/clamd_service.hpp"
#include "launcher/rspamd_abuse_config.hpp"
#include "launcher/rspamd_dkim_config.hpp"
#include "launcher/rspamd_sender_auth_config.hpp"

namespace govmail::launcher {
namespace {
namespace fs = std::filesystem;

// The unprivileged user Debian's package runs rspamd as: rspamd refuses to run as root.
constexpr const char* kRspamdUser = "_rspamd";

void write_file(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::trunc);
    out << text;
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "\"" : ", \"") + item + "\"";
    }
    return "[" + out + "]";
}

void write_redis_config(const Config& config, const fs::path& dir) {
    fs::create_directories(dir / "data");
    write_file(
        dir / "redis.conf",
        "# Written by govmail start at every start; edit conf/govmail.conf [filter] instead.\n"
        "bind 127.0.0.1\n"
        "protected-mode yes\n"
        "port " +
            std::to_string(config.filter.redis_port) +
            "\n"
            "daemonize no\n"
            "logfile \"\"\n"
            "dir " +
            fs::absolute(dir / "data").string() +
            "\n"
            "save 300 10\n"
    );
}

void write_rspamd_config(const Config& config, const fs::path& dir) {
    const auto& filter = config.filter;
    const auto header = std::string(
        "# Written by govmail start at every start; edit conf/govmail.conf [filter] instead.\n"
    );
    write_file(
        dir / "local.d" / "worker-normal.inc",
        header + "bind_socket = \"127.0.0.1:" + std::to_string(filter.rspamd_port) + "\";\n"
    );
    write_file(
        dir / "local.d" / "worker-controller.inc",
        header + "bind_socket = \"127.0.0.1:" + std::to_string(filter.controller_port) +
            "\";\ncount = 1;\n"
    );
    // govmail speaks to the normal worker itself: no milter proxy, no fuzzy storage.
    write_file(dir / "local.d" / "worker-proxy.inc", header + "enabled = false;\n");
    write_file(dir / "override.d" / "worker-fuzzy.inc", header + "count = 0;\n");
    write_file(
        dir / "local.d" / "redis.conf",
        header + "servers = \"127.0.0.1:" + std::to_string(filter.redis_port) + "\";\n"
    );
    write_file(dir / "local.d" / "logging.inc", header + "type = \"console\";\n");
    std::string options = header;
    if (!config.dns.nameservers.empty()) {
        options += "dns { nameserver = " + quoted_list(config.dns.nameservers) + "; }\n";
    }
    if (filter.test_patterns) {
        options += "enable_test_patterns = true;\n";
    }
    write_file(dir / "local.d" / "options.inc", options);
    for (const auto& [name, text] : dkim_config_files()) {
        write_file(dir / "local.d" / name, text);
    }
    for (const auto& [name, text] : sender_auth_config(filter)) {
        write_file(dir / "local.d" / name, header + text);
    }
    write_file(dir / "local.d" / "ratelimit.conf", header + ratelimit_conf(filter));
    write_file(dir / "local.d" / "antivirus.conf", header + antivirus_conf(filter));
    fs::create_directories(dir / "db");
    fs::create_directories(dir / "run");
}

std::optional<passwd> rspamd_user() {
    if (::geteuid() != 0) {
        return std::nullopt;
    }
    const passwd* user = ::getpwnam(kRspamdUser);
    if (user == nullptr) {
        throw std::runtime_error(std::string("no user ") + kRspamdUser + " to run rspamd as");
    }
    return *user;
}

// rspamd's arguments: the packaged configuration, govmail's files over it, state under DIR.
std::vector<std::string> rspamd_args(const fs::path& dir) {
    const auto absolute = fs::absolute(dir);
    std::vector<std::string> args{
        "-f",
        "--var",
        "LOCAL_CONFDIR=" + absolute.string(),
        "--var",
        "DBDIR=" + (absolute / "db").string(),
        "--var",
        "RUNDIR=" + (absolute / "run").string(),
        "--var",
        "LOGDIR=" + (absolute / "run").string()};
    if (rspamd_user()) {
        args.insert(args.end(), {"-u", kRspamdUser, "-g", kRspamdUser});
    }
    return args;
}

}  // namespace

fs::path find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/sbin:/usr/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const auto candidate = fs::path(dir) / name;
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    throw std::runtime_error(name + " is not installed (scripts/install-deps.sh installs it)");
}

bool uses_embedded_filter(const Config& config) {
    return config.filter.enabled && config.filter.rspamd_url.empty();
}

void write_filter_config(const Config& config) {
    if (!uses_embedded_filter(config)) {
        return;
    }
    write_redis_config(config, config.var_dir / "redis");
    const auto rspamd_dir = config.var_dir / "rspamd";
    write_rspamd_config(config, rspamd_dir);
    if (uses_embedded_clamd(config)) {
        write_clamd_config(config, kClamavDatabaseDir);
    }
    if (const auto user = rspamd_user()) {
        for (const auto& writable : {rspamd_dir / "db", rspamd_dir / "run"}) {
            if (::chown(writable.c_str(), user->pw_uid, user->pw_gid) != 0) {
                throw std::runtime_error("cannot give " + writable.string() + " to " + kRspamdUser);
            }
        }
    }
}

std::vector<DaemonSpec> filter_daemons(const Config& config) {
    if (!uses_embedded_filter(config)) {
        return {};
    }
    std::vector<DaemonSpec> daemons;
    if (uses_embedded_clamd(config)) {
        daemons.push_back(clamd_daemon(config));
    }
    daemons.insert(
        daemons.end(),
        {
            DaemonSpec{
                "redis",
                find_program("redis-server"),
                {fs::absolute(config.var_dir / "redis" / "redis.conf").string()},
                {config.filter.redis_port}},
            DaemonSpec{
                "rspamd",
                find_program("rspamd"),
                rspamd_args(config.var_dir / "rspamd"),
                {config.filter.rspamd_port, config.filter.controller_port}},
        }
    );
    return daemons;
}

}  // namespace govmail::launcher
