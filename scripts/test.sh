#!/usr/bin/env bash
# Sets up and passes every test: installs what is missing, builds the
# AddressSanitizer+UndefinedBehaviorSanitizer configuration (a debug build with both
# sanitizers: every test runs under them) and runs the whole suite: unit tests, PostgreSQL
# tests and integration tests with real clients. CTest's `pg` fixture starts an embedded
# PostgreSQL under the build folder before the tests that need it and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

preset=asan-ubsan
jobs=$(nproc)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" --timeout 900
