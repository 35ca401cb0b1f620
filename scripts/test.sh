#!/usr/bin/env bash
# Sets up and passes every test: installs what is missing, builds the release and the
# AddressSanitizer+UndefinedBehaviorSanitizer configurations, and runs the whole test suite
# on each. CTest's `pg` fixture starts an embedded PostgreSQL per configuration (under the
# build folder) before the tests that need it and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
status=0
for preset in release asan-ubsan; do
    echo "== build: $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
done
for preset in release asan-ubsan; do
    echo "== test: $preset"
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" --timeout 600; then
        status=1
    fi
done
exit $status
