#!/usr/bin/env bash
# Long fuzzing runs: every libFuzzer target (tests/fuzz) for SECONDS each, default 1800 (30
# minutes), on a copy of its seed corpus; prints each target's executions, executions per second
# and coverage (libFuzzer's cov: edges and ft: features at the end of the run). Fails, keeping
# the input under build/fuzz/fuzz-artifacts/, on any crash, leak or timeout.
#
#   bench/fuzz/run.sh [SECONDS [TARGET...]]
#
# Environment: JOBS (targets run at once, default 1; at most the number of cores makes sense),
# GOVMAIL_FUZZ_BUILD (build folder, default build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-1800}
shift || true
jobs=${JOBS:-1}

scripts/fuzz.sh --build-only
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for source in tests/fuzz/*_fuzz.cpp; do
        targets+=("$(basename "$source" .cpp)")
    done
fi
echo "fuzzing ${#targets[@]} targets for ${seconds} s each, ${jobs} at a time ($(nproc) cores)"

logs=$(mktemp -d "${TMPDIR:-/tmp}/govmail-fuzz-bench.XXXXXX")
trap 'rm -rf "$logs"' EXIT
status=0
# Each target in its own scripts/fuzz.sh run, JOBS of them at once; tables printed in order.
printf '%s\n' "${targets[@]}" |
    xargs -P "$jobs" -I{} sh -c 'scripts/fuzz.sh --no-build "$1" "$2" >"$3/$2.log" 2>&1' sh \
        "$seconds" {} "$logs" || status=$?
printf '%-24s %8s %14s %10s %8s %8s\n' target seconds executions "execs/s" cov ft
for target in "${targets[@]}"; do
    grep "^$target " "$logs/$target.log" || echo "$target: no result" >&2
    if grep -q '^fuzz: FAILED' "$logs/$target.log"; then
        cat "$logs/$target.log" >&2
    fi
done
exit "$status"
