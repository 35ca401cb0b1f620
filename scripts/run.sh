#!/usr/bin/env bash
# Sets up and runs the suite: installs what is missing, builds the release configuration and
# starts the embedded PostgreSQL and the daemons in the background on the development ports
# (SMTP 2525, submission 2587/2465, IMAP 1143/1993). Stop it with
#   build/release/bin/govmail stop
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
build/release/bin/govmail start
