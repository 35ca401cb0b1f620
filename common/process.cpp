#include "common/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace govmail {

std::optional<SystemUser> find_system_user(const std::string& name) {
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        return std::nullopt;
    }
    return SystemUser{entry.pw_uid, entry.pw_gid};
}

int run_program(
    const std::vector<std::string>& argv,
    const std::optional<SystemUser>& as_user,
    const std::filesystem::path& log_file
) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);

    int log_fd = -1;
    if (!log_file.empty()) {
        log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (log_fd < 0) {
            throw std::system_error(errno, std::generic_category(), "open " + log_file.string());
        }
        if (as_user && ::fchown(log_fd, as_user->uid, as_user->gid) != 0) {
            ::close(log_fd);
            throw std::system_error(errno, std::generic_category(), "chown " + log_file.string());
        }
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::system_error(errno, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        if (log_fd >= 0) {
            ::dup2(log_fd, STDOUT_FILENO);
            ::dup2(log_fd, STDERR_FILENO);
        }
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            ::dup2(devnull, STDIN_FILENO);
        }
        if (as_user && (::setgroups(0, nullptr) != 0 || ::setgid(as_user->gid) != 0 ||
                        ::setuid(as_user->uid) != 0)) {
            ::_exit(126);
        }
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    if (log_fd >= 0) {
        ::close(log_fd);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "waitpid");
        }
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

void chown_tree(const std::filesystem::path& path, const SystemUser& user) {
    auto change = [&](const std::filesystem::path& p) {
        if (::lchown(p.c_str(), user.uid, user.gid) != 0) {
            throw std::system_error(errno, std::generic_category(), "chown " + p.string());
        }
    };
    change(path);
    if (std::filesystem::is_directory(path)) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
            change(entry.path());
        }
    }
}

}  // namespace govmail
