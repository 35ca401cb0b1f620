#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz; the fuzz preset: clang, ASan+UBSan, only the parser
# libraries they use) and runs each for SECONDS on a copy of its seed corpus
# tests/fuzz/corpus/<target>/, so the repository is never written. Fails on any crash, leak,
# timeout (one input over 10 s) or out-of-memory (over 2 GiB); the input that did it is kept
# under the build folder, fuzz-artifacts/. Prints the executions and coverage of each target.
#
#   scripts/fuzz.sh [--build-only | --no-build] SECONDS [TARGET...]
#
# Environment: GOVMAIL_FUZZ_BUILD (build folder, default build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

build_step=1
run_step=1
case "${1:-}" in
--build-only) run_step=0; shift ;;
--no-build) build_step=0; shift ;;
esac
seconds=${1:-20}
shift || true
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [--build-only | --no-build] SECONDS [TARGET...]" >&2
    exit 2
fi
build=${GOVMAIL_FUZZ_BUILD:-build/fuzz}

if [ "$build_step" = 1 ]; then
    cmake --preset fuzz -B "$build" >/dev/null
    cmake --build "$build" --target fuzz -j "$(nproc)"
fi
if [ "$run_step" = 0 ]; then
    exit 0
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for source in tests/fuzz/*_fuzz.cpp; do
        name=$(basename "$source" .cpp)
        targets+=("$name")
    done
fi

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/govmail-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Sanitizer reports end the run (libFuzzer then saves the input); leaks are reported too.
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

failed=()
printf '%-24s %8s %14s %10s %8s %8s\n' target seconds executions "execs/s" cov ft
for target in "${targets[@]}"; do
    binary="$build/bin/$target"
    if [ ! -x "$binary" ]; then
        echo "$target: no binary at $binary" >&2
        failed+=("$target")
        continue
    fi
    corpus="$work/$target"
    mkdir -p "$corpus"
    if [ -d "tests/fuzz/corpus/$target" ]; then
        cp -R "tests/fuzz/corpus/$target/." "$corpus/"
    fi
    log="$work/$target.log"
    status=0
    "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    printf '%-24s %8s %14s %10s %8s %8s\n' "$target" "$seconds" "${executions:-?}" \
        "${rate:-?}" "${cov:-?}" "${ft:-?}"
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        echo "---- $target failed (exit $status); last lines of its log:" >&2
        tail -n 60 "$log" >&2
        echo "---- inputs kept in $artifacts/ (replay: $binary FILE)" >&2
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash, leak or timeout"
