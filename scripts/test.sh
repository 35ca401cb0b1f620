#!/usr/bin/env bash
# Sets up and passes every test: installs what is missing, builds the
# AddressSanitizer+UndefinedBehaviorSanitizer configuration (a debug build with both
# sanitizers: every test runs under them) and runs the whole suite: unit tests, PostgreSQL
# tests and integration tests with real clients. CTest's `pg` fixture starts an embedded
# PostgreSQL under the build folder before the tests that need it and stops it afterwards.
# Meanwhile every libFuzzer target runs for a short time (scripts/fuzz.sh). Then the
# ThreadSanitizer stage (scripts/tsan.sh) builds and runs the tests of threaded code, and
# clang-tidy (scripts/clang-tidy.sh) checks every C++ file against .clang-tidy.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# playwright-core for the browser tests (tests/e2e), as locked in its package-lock.json.
npm ci --prefix tests/e2e --no-audit --no-fund

preset=asan-ubsan
jobs=$(nproc)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
# The libFuzzer targets (clang, only the parser libraries): built now, then each run for
# GOVMAIL_FUZZ_SECONDS (default 20) at low priority while ctest runs.
scripts/fuzz.sh --build-only
fuzz_log=$(mktemp "${TMPDIR:-/tmp}/govmail-fuzz-log.XXXXXX")
ctest_log=$(mktemp "${TMPDIR:-/tmp}/govmail-ctest-log.XXXXXX")
trap 'rm -f "$fuzz_log" "$ctest_log"' EXIT
nice -n 10 scripts/fuzz.sh --no-build "${GOVMAIL_FUZZ_SECONDS:-20}" >"$fuzz_log" 2>&1 &
fuzz_pid=$!

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest_status=0
ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" --timeout 900 | tee "$ctest_log" ||
    ctest_status=$?
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
cat "$fuzz_log"
tsan_status=0
scripts/tsan.sh || tsan_status=$?
tidy_status=0
scripts/clang-tidy.sh || tidy_status=$?
# ctest's closing line again, so the run still ends with it.
grep -E '^[0-9]+% tests passed' "$ctest_log" || true
if [ "$ctest_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ] || [ "$tsan_status" -ne 0 ] ||
    [ "$tidy_status" -ne 0 ]; then
    exit 1
fi
