#include "common/config_file.hpp"

#include <cstdlib>
#include <stdexcept>

namespace govmail {
namespace {

namespace fs = std::filesystem;

constexpr int kCheckoutLevels = 3;  // build/<preset>/bin is three folders below the checkout

fs::path existing(const fs::path& file, const std::string& named_by) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        throw std::runtime_error(
            "configuration file " + file.string() + " (" + named_by + ") not found"
        );
    }
    return fs::absolute(file).lexically_normal();
}

}  // namespace

std::vector<fs::path> default_config_files(const fs::path& executable) {
    std::vector<fs::path> out{kInstalledConfigFile};
    fs::path folder = executable.parent_path();
    for (int level = 0; level <= kCheckoutLevels && !folder.empty(); ++level) {
        out.push_back(folder / "conf" / "govmail.conf");
        if (folder == folder.root_path()) {
            break;
        }
        folder = folder.parent_path();
    }
    return out;
}

fs::path find_config_file(
    const std::optional<fs::path>& given, const char* environment, const fs::path& executable
) {
    if (given) {
        return existing(*given, "--config");
    }
    if (environment != nullptr && *environment != '\0') {
        return existing(environment, kConfigEnvironmentVariable);
    }
    std::string looked_at;
    for (const auto& candidate : default_config_files(executable)) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.lexically_normal();
        }
        looked_at += (looked_at.empty() ? "" : ", ") + candidate.lexically_normal().string();
    }
    throw std::runtime_error(
        "no configuration file: none given with --config or " +
        std::string(kConfigEnvironmentVariable) + ", none at " + looked_at
    );
}

fs::path find_config_file(const std::optional<fs::path>& given) {
    std::error_code ec;
    const auto executable = fs::read_symlink("/proc/self/exe", ec);
    return find_config_file(given, std::getenv(kConfigEnvironmentVariable), executable);
}

}  // namespace govmail
