#pragma once

// Running a helper program (the distribution's initdb and pg_ctl) and waiting for it, as
// another system user when we run as root: PostgreSQL refuses to run as root.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace govmail {

struct SystemUser {
    unsigned uid = 0;
    unsigned gid = 0;
};

// The user called NAME, or nullopt when there is none.
std::optional<SystemUser> find_system_user(const std::string& name);

// Runs ARGV[0] (searched in PATH) with ARGV, as AS_USER when given, with its output appended
// to LOG_FILE (or inherited when empty). Returns the exit status (128 + signal when killed).
// Throws std::system_error when the program cannot be started.
int run_program(
    const std::vector<std::string>& argv,
    const std::optional<SystemUser>& as_user,
    const std::filesystem::path& log_file
);

// Changes the owner of PATH and everything below it.
void chown_tree(const std::filesystem::path& path, const SystemUser& user);

}  // namespace govmail
