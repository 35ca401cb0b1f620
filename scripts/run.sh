#!/usr/bin/env bash
# Sets up and runs the suite for development: installs what is missing, builds the release
# configuration and starts the embedded PostgreSQL and the daemons in the background on the
# development ports (SMTP 2525, submission 2587/2465, IMAP 1143/1993, portal 8443), with every
# sign-in method on:
#   - certificate login (SASL EXTERNAL, the portal's certificate sign-in) trusts the
#     development GPKI CA under var/gpki; the CRL refresher `govmail start` runs issues its
#     CRL at once and again long before it expires; `mailadm gpki dev-issue` issues a
#     person's certificate from it;
#   - the portal's OnePass sign-in goes to the test identity provider of the integration
#     tests (tests/support/saml_idp.py) on 127.0.0.1:8444. DEVELOPMENT ONLY: it signs in
#     whoever the browser asks it to.
# The configuration used is var/dev.conf: conf/govmail.conf with the development settings of
# scripts/dev-settings.sh appended. Stop everything with
#   scripts/run.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/build/release/bin
conf=$root/var/dev.conf
idp_dir=$root/var/dev-idp  # where dev-settings.sh expects the provider's keys
idp_port=8444
portal=https://127.0.0.1:8443

stop_idp() {
    if [ -f "$idp_dir/pid" ]; then
        kill "$(cat "$idp_dir/pid")" 2>/dev/null || true
        rm -f "$idp_dir/pid"
    fi
}

if [ "${1:-}" = stop ]; then
    stop_idp
    "$bin/govmail" stop --config "$conf"
    exit 0
fi

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

mkdir -p "$idp_dir"
if [ ! -f "$idp_dir/idp.pem" ]; then
    python3 tests/support/saml_idp.py keys "$idp_dir"
fi
{
    cat conf/govmail.conf
    scripts/dev-settings.sh "$root" "$idp_port" "$portal"
} >"$conf"

"$bin/govmail" start --config "$conf"

stop_idp
python3 tests/support/saml_idp.py serve "$idp_dir" --port "$idp_port" \
    --acs "$portal/saml/acs" --sp "$portal/saml/metadata" \
    --idp "http://127.0.0.1:$idp_port/dev-idp" >"$idp_dir/log" 2>&1 &
echo $! >"$idp_dir/pid"
echo "test OnePass identity provider (development only) on 127.0.0.1:$idp_port, pid $!"
echo "configuration: $conf (mailadm --config $conf ...)"
