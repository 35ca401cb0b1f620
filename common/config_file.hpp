#pragma once

// Where the configuration file is, the same for every program of the suite (govmail, mailadm
// and the daemons) whatever the current folder: the file named by `--config`, else the one
// GOVMAIL_CONFIG names, else the installed one (kInstalledConfigFile), else conf/govmail.conf
// of the checkout the program was built in (found from the binary's own folder). A file named
// by `--config` or GOVMAIL_CONFIG must exist.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace govmail {

inline constexpr const char* kConfigEnvironmentVariable = "GOVMAIL_CONFIG";
inline constexpr const char* kInstalledConfigFile = "/etc/govmail/govmail.conf";

// The places looked at after `--config` and GOVMAIL_CONFIG, in order: the installed file, then
// conf/govmail.conf in the folder of the binary at EXECUTABLE and each of its three parents
// (build/<preset>/bin -> the checkout).
std::vector<std::filesystem::path> default_config_files(const std::filesystem::path& executable);

// The configuration file to read, as an absolute path: GIVEN (`--config`), else ENVIRONMENT
// (GOVMAIL_CONFIG's value), else the first of default_config_files(EXECUTABLE) that exists.
// Throws std::runtime_error naming the file when a named one does not exist, and the places
// looked at when none does.
std::filesystem::path find_config_file(
    const std::optional<std::filesystem::path>& given,
    const char* environment,
    const std::filesystem::path& executable
);

// find_config_file for this process: its GOVMAIL_CONFIG and its own binary.
std::filesystem::path find_config_file(const std::optional<std::filesystem::path>& given);

}  // namespace govmail
