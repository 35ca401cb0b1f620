#!/usr/bin/env bash
# ThreadSanitizer stage: builds the tsan preset (a debug build with -fsanitize=thread that
# registers only the tests marked THREADS) and runs those tests: the storage pool and its
# blocking threads, the password hasher's pool, the session registry, IMAP sessions served by a
# second thread, and integration suites against the daemons running their io_context on two
# threads. Builds only the `threaded_tests` target (those tests, the daemons, mailadm and
# govmail-test-db), not the whole tree.
#
# Fails on any race report, also one from a daemon whose test passed: every process writes its
# reports under the build folder (tsan-reports/), printed at the end. No suppressions are
# needed; add them (third-party false positives only, each explained) with TSAN_OPTIONS
# suppressions=FILE.
#
#   scripts/tsan.sh [--no-build]
#
# Environment: GOVMAIL_TSAN_BUILD (build folder, default build/tsan).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${GOVMAIL_TSAN_BUILD:-build/tsan}
jobs=$(nproc)
if [ "${1:-}" != "--no-build" ]; then
    cmake --preset tsan -B "$build" >/dev/null
    cmake --build "$build" --target threaded_tests -j "$jobs"
fi

reports=$(realpath -m "$build")/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="log_path=$reports/tsan second_deadlock_stack=1"

status=0
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 900 || status=$?
shopt -s nullglob
found=("$reports"/tsan.*)
for report in "${found[@]}"; do
    echo "---- $report"
    cat "$report"
done
if [ ${#found[@]} -gt 0 ]; then
    echo "tsan: ThreadSanitizer reports from ${#found[@]} process(es), above" >&2
    status=1
fi
exit "$status"
