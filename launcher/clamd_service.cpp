// The embedded clamd (launcher/clamd_service.hpp).

#include "launcher/clamd_service.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "launcher/filter_services.hpp"

namespace govmail::launcher {
namespace {
namespace fs = std::filesystem;

// The unprivileged user Debian's package runs clamd as.
constexpr const char* kClamdUser = "clamav";

fs::path config_file(const Config& config) { return config.var_dir / "clamav" / "clamd.conf"; }

}  // namespace

bool uses_embedded_clamd(const Config& config) {
    return uses_embedded_filter(config) && config.filter.antivirus &&
           config.filter.clamd_address.empty();
}

void write_clamd_config(const Config& config, const fs::path& database_dir) {
    const auto file = config_file(config);
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::trunc);
    out << "# Written by govmail start at every start; edit conf/govmail.conf [filter] instead.\n"
        << "Foreground yes\n"
        << "TCPAddr 127.0.0.1\n"
        << "TCPSocket " << config.filter.clamd_port << "\n"
        << "DatabaseDirectory " << fs::absolute(database_dir).string() << "\n"
        << "LogTime yes\n";
    if (::geteuid() == 0 && ::getpwnam(kClamdUser) != nullptr) {
        out << "User " << kClamdUser << "\n";
    }
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

DaemonSpec clamd_daemon(const Config& config) {
    return DaemonSpec{
        "clamd",
        find_program("clamd"),
        {"--config-file=" + fs::absolute(config_file(config)).string()},
        {config.filter.clamd_port}};
}

}  // namespace govmail::launcher
