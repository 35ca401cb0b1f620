#!/usr/bin/env bash
# IMAP: govmail-imapd (PostgreSQL mailstore) against Dovecot (Maildir), same messages, same
# load generator (bench/imap/imapload.py), one run, points alternating between the servers.
#
#   mix:  commands/s of a mixed session workload (SELECT INBOX, FETCH 1:* FLAGS, UID FETCH
#         header fields, UID FETCH BODY[], UID STORE +FLAGS \Seen, SEARCH SUBJECT) at SESSIONS
#         sessions, DURATION seconds per point, everything over STARTTLS;
#   idle: resident memory per authenticated, SELECTed, IDLEing session at IDLE_SESSIONS;
#   day:  (WORKLOAD=day) a mail client's real day: every session logs in, LISTs, STATUSes,
#         SELECTs, FETCHes, STOREs a keyword, marks \Deleted + EXPUNGEs, APPENDs and logs out,
#         over and over, at SESSIONS sessions over ACCOUNTS accounts holding PER_ACCOUNT
#         messages each (refilled before each point), with the DEFAULT Argon2id cost on both
#         sides: Dovecot verifies the very hashes govmail stored ({ARGON2ID} scheme, libsodium)
#         with its auth cache on, as govmail has its credential cache.
#
# Run as root from anywhere:  bench/imap/run.sh
# Environment (all optional):
#   WORKLOAD=mix               mix (with the idle points) or day
#   SESSIONS="1 50 200"        mix points (day: "50 200")
#   ACCOUNTS=100 PER_ACCOUNT=30  day: accounts and messages in each INBOX before each point
#   DURATION=20                seconds per mix point
#   REPEAT=1                   rounds of the mix points (each round alternates govmail, Dovecot)
#   SERVERS="govmail dovecot"  the servers measured at each point ("govmail" alone to compare
#                              govmail settings run by run)
#   FLAG_COMMIT=durable        govmail's [imap] flag_commit (durable or asynchronous)
#   IDLE_SESSIONS="1000 10000" idle points (each one needs about 2 fds per session in the load
#                              generator and, for Dovecot, one imap process per session)
#   MESSAGES=1000              messages in the INBOX (4-20 KiB, fixed seed)
#   GOVMAIL_BIN=DIR            govmail, govmail-smtpd, mailadm (default: build/release/bin,
#                              built with the release preset when missing)
#   GOVMAIL_IMAPD=FILE         a govmail-imapd from elsewhere (e.g. a release build when
#                              GOVMAIL_BIN is a debug build); default GOVMAIL_BIN/govmail-imapd
#   KEEP=1                     keep the temp dir (logs, configs)
# Only loopback is used; both instances, the temp dir and the bench Unix user are removed at
# the end, also on Ctrl-C.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$REPO/bench/imap"
WORKLOAD="${WORKLOAD:-mix}"
[[ $WORKLOAD == mix || $WORKLOAD == day ]] || { echo "WORKLOAD is mix or day" >&2; exit 2; }
if [[ $WORKLOAD == day ]]; then
    SESSIONS="${SESSIONS-50 200}"
    IDLE_SESSIONS=""
else
    SESSIONS="${SESSIONS-1 50 200}"
    IDLE_SESSIONS="${IDLE_SESSIONS-1000 10000}"
fi
ACCOUNTS="${ACCOUNTS:-100}"
PER_ACCOUNT="${PER_ACCOUNT:-30}"
DURATION="${DURATION:-20}"
REPEAT="${REPEAT:-1}"
SERVERS="${SERVERS:-govmail dovecot}"
FLAG_COMMIT="${FLAG_COMMIT:-durable}"
MESSAGES="${MESSAGES:-1000}"
DC_USER=imapbench
GM_USER="bench@localhost"

log() { printf '[imapbench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}
[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, Dovecot and its Unix user need it)"

# --- packages ------------------------------------------------------------------------------
if ! command -v dovecot >/dev/null || [[ ! -x /usr/lib/dovecot/imap ]]; then
    log "installing dovecot-imapd"
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
        --no-install-recommends dovecot-imapd >/dev/null
fi
# The package may start a system Dovecot (ports 143/993); the bench instance has its own.
if [[ -f /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
    log "stopping the system Dovecot"
    doveadm stop >/dev/null 2>&1 || kill "$(cat /run/dovecot/master.pid)" || true
fi

# --- govmail binaries ------------------------------------------------------------------------
BIN="${GOVMAIL_BIN:-$REPO/build/release/bin}"
if [[ ! -x "$BIN/govmail" ]]; then
    log "building the release preset"
    (cd "$REPO" && cmake --preset release >/dev/null && cmake --build --preset release -j2 >/dev/null) ||
        die "release build failed; set GOVMAIL_BIN to an existing build"
fi
IMAPD="${GOVMAIL_IMAPD:-$BIN/govmail-imapd}"
for f in "$BIN/govmail" "$BIN/govmail-smtpd" "$BIN/mailadm" "$IMAPD"; do
    [[ -x "$f" ]] || die "missing $f"
done

# --- temp dir, ports, cleanup --------------------------------------------------------------------
T="$(mktemp -d /tmp/imapbench.XXXXXX)"
chmod 755 "$T"
read -r GM_SMTP GM_IMAP GM_PG DC_IMAP <<<"$(python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')"
GM_CONF="$T/govmail.conf"
DC="$T/dovecot"
GM_STARTED=0
DC_STARTED=0
CREATED_USER=0
GM_TESTDB=0
cleanup() {
    set +e
    if ((DC_STARTED)); then
        doveadm -c "$DC/dovecot.conf" stop >/dev/null 2>&1 ||
            kill "$(cat "$DC/run/master.pid" 2>/dev/null)" 2>/dev/null
    fi
    if ((GM_STARTED)); then
        "$T/bin/govmail" stop --config "$GM_CONF" >/dev/null 2>&1
        for f in "$T"/*.direct.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; done
        ((GM_TESTDB)) && "$TESTDB" stop "$T/pg" >/dev/null 2>&1
    fi
    sleep 1
    ((CREATED_USER)) && userdel "$DC_USER" >/dev/null 2>&1
    if [[ "${KEEP:-0}" == 1 ]]; then log "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# govmail start runs the daemons next to itself: one directory holding the chosen binaries.
mkdir -p "$T/bin"
cp "$BIN/govmail" "$BIN/govmail-smtpd" "$BIN/mailadm" "$T/bin/"
cp "$IMAPD" "$T/bin/govmail-imapd"
ulimit -n 20000 || true

# One self-signed certificate (RSA 2048) for both servers.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench.localhost \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
chmod 644 "$T/key.pem"

# --- govmail instance --------------------------------------------------------------------------
cat >"$GM_CONF" <<EOF
# govmail IMAP bench instance (bench/imap/run.sh)
[server]
var_dir = $T/var
hostname = bench.localhost
local_domains = localhost
[database]
embedded_port = $GM_PG
[tls]
certificate = $T/cert.pem
private_key = $T/key.pem
[smtp]
mx = 127.0.0.1:$GM_SMTP
submission = off
submissions = off
max_connections_per_address = 1000
[imap]
imap = 127.0.0.1:$GM_IMAP
imaps = off
max_connections_per_address = 20000
flag_commit = $FLAG_COMMIT
[auth]
$(if [[ $WORKLOAD == mix ]]; then
    echo "# Cheap password hashing: LOGIN is not what mix measures (once per session, outside the"
    echo "# timed window), and 10,000 Argon2id logins at the default cost take many CPU minutes."
    echo "argon2_time_cost = 1"
    echo "argon2_memory_kib = 8192"
else
    echo "# day: the default Argon2id cost (t=3, 64 MiB), as Dovecot is given the same hashes."
fi)
# The throttle counts every attempt (reset by a success) per name and per address, so more
# than 10 logins in flight for one account from 127.0.0.1 are refused as "Too many failed
# logins"; the bench opens up to 50 at once.
account_lock_failures = 1000000
address_lock_failures = 1000000
EOF
log "starting govmail (imap $GM_IMAP, mx $GM_SMTP) in $T"
GM_STARTED=1
if "$T/bin/govmail" start --config "$GM_CONF" >"$T/govmail-start.log" 2>&1; then
    GM_HOW="govmail start (embedded PostgreSQL)"
else
    # Fallback when the launcher does not run: a private cluster made by the test tool
    # govmail-test-db (initdb + migrations), and the two daemons started directly.
    log "govmail start failed (rc $?: $(tail -1 "$T/govmail-start.log")); using govmail-test-db"
    TESTDB="${GOVMAIL_TEST_DB:-$BIN/govmail-test-db}"
    [[ -x "$TESTDB" ]] || die "no $TESTDB for the fallback"
    GM_TESTDB=1
    "$TESTDB" start "$T/pg" >"$T/testdb.log" 2>&1 || die "govmail-test-db start: $(tail -2 "$T/testdb.log")"
    DSN="$("$TESTDB" createdb "$T/pg" bench)"
    sed -i "s|^embedded_port = .*|dsn = $DSN|" "$GM_CONF"
    mkdir -p "$T/var/run" "$T/var/log"
    for d in smtpd imapd; do
        nohup "$T/bin/govmail-$d" --config "$GM_CONF" >"$T/var/log/$d-direct.log" 2>&1 &
        echo $! >"$T/$d.direct.pid"
    done
    for p in "$GM_SMTP" "$GM_IMAP"; do
        for _ in $(seq 100); do
            python3 -c "import socket; socket.create_connection(('127.0.0.1', $p), 1)" 2>/dev/null && break
            sleep 0.2
        done
    done
    GM_HOW="daemons started directly on a govmail-test-db cluster (govmail start failed)"
fi
PASS="bench-$(head -c 9 /dev/urandom | base64 | tr -d '/+')"
echo "$PASS" >"$T/password"
if [[ $WORKLOAD == day ]]; then
    GM_USERS=()
    for ((i = 0; i < ACCOUNTS; i++)); do GM_USERS+=("bench$i@localhost"); done
    GM_USER="bench{n}@localhost"
else
    GM_USERS=("$GM_USER")
fi
log "creating ${#GM_USERS[@]} account(s)"
for user in "${GM_USERS[@]}"; do
    "$T/bin/mailadm" --config "$GM_CONF" account create "$user" --force --reason bench \
        </dev/null >>"$T/mailadm.log" 2>&1 || die "mailadm account create: $(tail -2 "$T/mailadm.log")"
    "$T/bin/mailadm" --config "$GM_CONF" account password "$user" --stdin <"$T/password" \
        >>"$T/mailadm.log" 2>&1 || die "mailadm account password: $(tail -2 "$T/mailadm.log")"
done
GM_IMAPD_PID="$(cat "$T/var/run/imapd.pid" 2>/dev/null || cat "$T/imapd.direct.pid")"

# --- messages ----------------------------------------------------------------------------------
[[ $WORKLOAD == day ]] && MESSAGES="$PER_ACCOUNT"
log "generating $MESSAGES messages, delivering them to govmail over SMTP"
python3 "$HERE/mkmsgs.py" "$T/msgs" "$MESSAGES"
GM_DSN="${DSN:-host=$T/var/db/run port=$GM_PG user=govmail dbname=govmail passfile=$T/var/db/pgpass}"
# gm_fill: every bench account's INBOX holds exactly the generated messages.
gm_fill() {
    psql "$GM_DSN" -X -q -c "DELETE FROM mailbox_messages WHERE account_id IN
        (SELECT account_id FROM accounts WHERE address LIKE 'bench%@localhost')" ||
        die "emptying the INBOXes"
    python3 - "$T/msgs" "$GM_SMTP" "${GM_USERS[@]}" <<'EOF'
import os, smtplib, sys
d, port, rcpts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with smtplib.SMTP("127.0.0.1", port) as s:
    for name in sorted(os.listdir(d)):
        s.sendmail("loadgen@sender.example", rcpts, open(os.path.join(d, name), "rb").read())
EOF
}
gm_fill
# PostgreSQL's statistics on the new rows, as a server that has run a while has them (without
# them the first mix point ran on plans made blind: twice the server CPU per command).
psql "$GM_DSN" -X -q -c "VACUUM ANALYZE" || die "VACUUM ANALYZE failed"

# --- Dovecot instance --------------------------------------------------------------------------
if ! id "$DC_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$DC/home" --shell /usr/sbin/nologin "$DC_USER"
    CREATED_USER=1
fi
mkdir -p "$DC/run" "$DC/state"
if [[ $WORKLOAD == day ]]; then
    # The very Argon2id hashes govmail stored: the same cost on both sides.
    psql "$GM_DSN" -X -At -F: -c "SELECT address, '{ARGON2ID}' || password_hash FROM accounts
        WHERE address LIKE 'bench%@localhost' ORDER BY address" >"$DC/passwd" ||
        die "reading the password hashes"
else
    echo "$GM_USER:{PLAIN}$PASS" >"$DC/passwd"
fi
chmod 644 "$DC/passwd"
# dc_fill: every user's Maildir holds exactly the same files; the names carry S= (size) as
# Dovecot's own deliveries do.
dc_fill() {
    rm -rf "$DC/home"
    python3 - "$T/msgs" "$DC/home" "${GM_USERS[@]}" <<'EOF'
import os, shutil, sys
src, home, users = sys.argv[1], sys.argv[2], sys.argv[3:]
for user in users:
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(home, user, "Maildir", sub))
    dst = os.path.join(home, user, "Maildir", "cur")
    for i, name in enumerate(sorted(os.listdir(src))):
        p = os.path.join(src, name)
        shutil.copy(p, os.path.join(dst, "1700000000.M%dP1.bench,S=%d:2," % (i, os.path.getsize(p))))
EOF
    chown -R "$DC_USER:" "$DC/home"
}
dc_fill
DC_UID="$(id -u "$DC_USER")"
DC_GID="$(id -g "$DC_USER")"
cat >"$DC/dovecot.conf" <<EOF
# Dovecot IMAP bench instance (bench/imap/run.sh): defaults except what a private loopback
# instance serving one Maildir user needs, and Dovecot's documented high-performance login
# mode (long-lived imap-login processes, one per core) so 10,000 sessions are possible.
base_dir = $DC/run
state_dir = $DC/state
instance_name = imapbench
protocols = imap
listen = 127.0.0.1
log_path = $DC/dovecot.log
ssl = yes
ssl_cert = <$T/cert.pem
ssl_key = <$T/key.pem
auth_mechanisms = plain
# Dovecot's authentication cache (govmail has its credential cache): successful logins are
# remembered for an hour; the cached hash is verified by the auth worker processes, not the
# single auth process (Dovecot's documented setting for costly schemes such as Argon2).
auth_cache_size = 10M
auth_cache_ttl = 1 hour
auth_cache_verify_password_with_worker = yes
passdb {
  driver = passwd-file
  args = $DC/passwd
}
userdb {
  driver = static
  args = uid=$DC_UID gid=$DC_GID home=$DC/home/%u
}
mail_location = maildir:~/Maildir
first_valid_uid = 100
mail_max_userip_connections = 20000
default_vsz_limit = 1G
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DC_IMAP
  }
  inet_listener imaps {
    port = 0
  }
  service_count = 0
  process_min_avail = 2
  client_limit = 10000
}
service imap {
  process_limit = 12000
}
service anvil {
  client_limit = 15000
}
service auth {
  client_limit = 15000
}
# Every imap process connects to stats-writer; at the default client_limit (1000) the 10,000
# session point logged "client_limit (1000) reached" and each further imap process waited for
# a stats handshake timeout (added after the 2026-11-23 figures; see bench/README.md).
service stats {
  client_limit = 15000
}
EOF
log "starting Dovecot $(dovecot --version | cut -d' ' -f1) (imap $DC_IMAP) in $DC"
DC_STARTED=1
dovecot -c "$DC/dovecot.conf" || die "dovecot: $(tail -5 "$DC/dovecot.log" 2>/dev/null)"
sleep 1
DC_MASTER_PID="$(cat "$DC/run/master.pid")"
# PostgreSQL's postmaster (its backends are its children): the embedded cluster or the fallback's.
GM_PG_PID="$(head -1 "$T/var/db/data/postmaster.pid" 2>/dev/null || head -1 "$T/pg/data/postmaster.pid")"

# --- measurement -------------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
busy_others() {
    top -b -n 2 -d 1 -w 200 | awk '/^top -/ {block++} block == 2 && $1 ~ /^[0-9]+$/ && $9 >= 5 &&
        $12 !~ /^(govmail-imapd|postgres|imap|imap-login|dovecot|top|python3)$/ {
        printf "%s(%d%%) ", $12, $9}' | head -c 160
}
RESULTS="$T/results.tsv"
printf 'kind\tserver\tsessions\tresult\tload1_before\tload1_after\tother_busy\tjson\n' >"$RESULTS"
port_of() { [[ $1 == govmail ]] && echo "$GM_IMAP" || echo "$DC_IMAP"; }
point() { # kind server sessions
    local kind="$1" server="$2" n="$3" lb la busy out extra=()
    if [[ $kind == idle ]]; then
        if [[ $server == govmail ]]; then
            extra=(--mem-pid "$GM_IMAPD_PID")
        else
            extra=(--mem-pid "$DC_MASTER_PID" --mem-names imap,imap-login)
        fi
        extra+=(--connect-parallel 50)
    else
        extra=(--duration "$DURATION" --accounts "$ACCOUNTS")
        if [[ $server == govmail ]]; then
            extra+=(--cpu-pids "$GM_IMAPD_PID,$GM_PG_PID")
        else
            extra+=(--cpu-pids "$DC_MASTER_PID")
        fi
    fi
    lb="$(load1)"
    busy="$(busy_others)"
    if ! out="$(python3 "$HERE/imapload.py" "$kind" --port "$(port_of "$server")" --user "$GM_USER" \
        --password-file "$T/password" --sessions "$n" "${extra[@]}" 2>"$T/load-$kind-$server-$n.err")"; then
        log "$kind $server $n failed: $(tail -2 "$T/load-$kind-$server-$n.err") $out"
        out="${out:-{\}}"
    fi
    la="$(load1)"
    local result
    result="$(python3 -c 'import json,sys; d=json.loads(sys.argv[1] or "{}"); k=sys.argv[2]
print(d.get("commands_per_s", "-") if k != "idle" else "%s/%s" % (d.get("rss_kb_per_session", "-"), d.get("pss_kb_per_session", "-")))' "$out" "$kind")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$server" "$n" "$result" "$lb" "$la" "$busy" "$out" |
        tee -a "$RESULTS" >&2
}

log "measuring; load $(load1)"
# Idle points first: govmail-imapd is one long-lived process, and memory the mix sessions freed
# would otherwise be reused by the idle sessions and hide part of their cost.
for n in $IDLE_SESSIONS; do
    for server in govmail dovecot; do point idle "$server" "$n"; done
done
for ((r = 1; r <= REPEAT; r++)); do
    for n in $SESSIONS; do
        # Alternate which server goes first so neither always follows the other.
        if (((r + n) % 2)); then order="dovecot govmail"; else order="govmail dovecot"; fi
        for server in $order; do
            [[ " $SERVERS " == *" $server "* ]] || continue
            if [[ $WORKLOAD == day ]]; then
                if [[ $server == govmail ]]; then gm_fill; else dc_fill; fi
            fi
            point "$WORKLOAD" "$server" "$n"
        done
    done
done

echo
echo "govmail: $GM_HOW; imapd $IMAPD (pid $GM_IMAPD_PID); Dovecot $(dovecot --version)"
echo "load before/after each point and other busy processes are in the TSV"
cat "$RESULTS"
