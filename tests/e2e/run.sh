#!/usr/bin/env bash
# Runs the portal's end-to-end tests (*.test.mjs) in Debian's Chromium with node's test
# runner, against a suite started from GOVMAIL_BIN_DIR on the test PostgreSQL cluster at
# GOVMAIL_TEST_PG_ROOT (as the integration tests). Screenshots of every page go to
# GOVMAIL_E2E_ARTIFACTS (default: e2e-artifacts beside GOVMAIL_BIN_DIR), with the downloaded
# backup and address book; the files of an earlier run are removed first.
# Needs `npm ci` in this folder (scripts/test.sh runs it).
set -euo pipefail
cd "$(dirname "$0")"

: "${GOVMAIL_BIN_DIR:?set GOVMAIL_BIN_DIR to the folder of the govmail binaries}"
: "${GOVMAIL_TEST_PG_ROOT:?set GOVMAIL_TEST_PG_ROOT to a running test cluster}"
if [ ! -d node_modules/playwright-core ]; then
    echo "tests/e2e: playwright-core is missing; run 'npm ci' in tests/e2e" >&2
    exit 1
fi
export GOVMAIL_E2E_ARTIFACTS=${GOVMAIL_E2E_ARTIFACTS:-$GOVMAIL_BIN_DIR/../e2e-artifacts}
mkdir -p "$GOVMAIL_E2E_ARTIFACTS"
find "$GOVMAIL_E2E_ARTIFACTS" -maxdepth 1 -type f \( -name '*.png' -o -name '*.zip' -o -name '*.csv' \) -delete
export PYTHONDONTWRITEBYTECODE=1
status=0
node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs || status=$?
echo "screenshots: $GOVMAIL_E2E_ARTIFACTS"
exit "$status"
