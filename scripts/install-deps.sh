#!/usr/bin/env bash
# Installs the Debian 12 packages govmail builds and tests with; installs nothing when all
# are present. Run as root (or with sudo).
set -euo pipefail

packages=(
    # build
    g++ cmake ninja-build pkg-config clang-format
    # the clang-tidy stage (scripts/clang-tidy.sh, run-clang-tidy included)
    clang-tidy
    libboost1.81-dev libssl-dev libpq-dev libmimetic-dev libspdlog-dev libfmt-dev
    libgtest-dev libcli11-dev nlohmann-json3-dev libargon2-dev libsodium-dev libzip-dev
    # SAML (the portal's OnePass sign-in): XML signatures; xmlsec1 signs the test responses
    libxml2-dev libxmlsec1-dev zlib1g-dev xmlsec1
    # the fuzz targets (scripts/fuzz.sh): clang and its libFuzzer/sanitizer runtimes
    clang libclang-rt-14-dev
    # LDAP CRL distribution points: the client library, and slapd for the integration tests
    libldap-dev slapd ldap-utils
    # the embedded database
    postgresql-15
    # the mail scanner govmail start runs (spam, SPF, DKIM, DMARC) and the store it keeps
    # its state in
    rspamd redis-server
    # the tests' authoritative DNS server (tests/support/test_dns.py)
    dnsmasq-base
    # the virus scanner rspamd asks when [filter] antivirus is on; sigtool (clamav) builds the
    # tests' own signature database
    clamav-daemon clamav
    # real clients the integration tests drive
    python3 curl swaks openssl isync mutt tmux unzip time
    # the independent DKIM and ARC verifier of tests/integration/test_dkim.py (with PyNaCl
    # for Ed25519), and the DKIM signer of the sender authentication tests
    python3-dkim python3-nacl
    # the SMTP client that insists on RFC 4954 challenges (tests/integration/test_smtp_sasl.py)
    msmtp
    # the ManageSieve client (tests/integration/test_managesieve.py)
    sieve-connect
    # the TLS audit (tests/integration/test_tls.py)
    sslscan
    # fail2ban-regex runs conf/fail2ban's filter over real logs (tests/integration/test_daemon_logs.py)
    fail2ban
    # the portal's browser tests (tests/e2e): Chromium, its NSS tools for the client
    # certificate, Korean fonts for the screenshots, node for playwright-core
    chromium libnss3-tools fonts-nanum nodejs
)
# npm comes with some builds of nodejs, which then conflict with Debian's npm package.
if ! command -v npm >/dev/null; then
    packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
