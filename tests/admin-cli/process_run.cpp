#include "tests/admin-cli/process_run.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

extern char** environ;

namespace govmail::test {

std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

ProcessRun run_process(
    const std::vector<std::string>& args,
    const std::string& input,
    const std::filesystem::path& work_dir
) {
    std::ofstream(work_dir / "stdin", std::ios::binary) << input;
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, (work_dir / "stdin").c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &files, 1, (work_dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600
    );
    posix_spawn_file_actions_addopen(
        &files, 2, (work_dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600
    );
    std::vector<char*> argv;
    for (const auto& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    ProcessRun run;
    if (posix_spawnp(&pid, argv[0], &files, nullptr, argv.data(), environ) == 0) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    posix_spawn_file_actions_destroy(&files);
    run.out = slurp(work_dir / "stdout");
    run.err = slurp(work_dir / "stderr");
    return run;
}

}  // namespace govmail::test
