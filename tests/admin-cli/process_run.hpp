#pragma once

// Running a program the way an administrator would, for the mailadm tests: a subprocess
// with stdin from a string and stdout/stderr captured (through files in a work directory).

#include <filesystem>
#include <string>
#include <vector>

namespace govmail::test {

struct ProcessRun {
    int exit_code = -1;  // 128 + signal when killed
    std::string out;
    std::string err;
};

std::string slurp(const std::filesystem::path& file);

// Runs ARGS (ARGS[0] a path, or a name looked up in PATH) with INPUT on stdin.
ProcessRun run_process(
    const std::vector<std::string>& args,
    const std::string& input,
    const std::filesystem::path& work_dir
);

}  // namespace govmail::test
