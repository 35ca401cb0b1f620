#!/usr/bin/env bash
# clang-tidy stage: runs the checks of .clang-tidy (bug-prone patterns, performance, braces)
# over every C++ file of the debug build's compile_commands.json, fuzz targets aside. Any
# finding fails the stage (WarningsAsErrors). Needs only a configured debug build, not a built
# one: configures it when compile_commands.json is missing.
#
#   scripts/clang-tidy.sh [FILE...]      (default: every file of the build)
#
# Environment: GOVMAIL_TIDY_BUILD (build folder, default build/debug), GOVMAIL_TIDY_JOBS
# (parallel clang-tidy processes, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${GOVMAIL_TIDY_BUILD:-build/debug}
jobs=${GOVMAIL_TIDY_JOBS:-$(nproc)}
if [ ! -f "$build/compile_commands.json" ]; then
    cmake --preset debug -B "$build" >/dev/null
fi

if [ "$#" -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(
        python3 -c 'import json, sys
for entry in json.load(open(sys.argv[1])):
    print(entry["file"])' "$build/compile_commands.json" | grep -v '/tests/fuzz/' | sort -u
    )
fi

# The build runs g++: its warning flags that clang lacks are not findings, and clang's
# -Wconversion also turns on -Wsign-conversion, which the clang build turns off as well.
start=$(date +%s)
status=0
run-clang-tidy -quiet -j "$jobs" -p "$build" \
    -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-sign-conversion \
    "${files[@]}" || status=$?
echo "clang-tidy: ${#files[@]} files in $(($(date +%s) - start)) s with $jobs jobs"
exit "$status"
