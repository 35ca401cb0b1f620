#!/usr/bin/env bash
# SMTP delivery throughput: govmail-smtpd (into the PostgreSQL mailstore) against Postfix
# (local delivery to Maildir), both driven by Postfix's smtp-source on loopback, in one run.
#
# For every message size and session count it sends N messages with
#   smtp-source -s SESSIONS -m N -l SIZE -f FROM -t TO 127.0.0.1:PORT
# and measures the wall time until all N are durably delivered:
#   govmail: smtp-source's exit (250 is sent after COMMIT), checked by counting the rows;
#   Postfix: the moment Maildir/new holds all N files (Postfix's 250 only means "queued").
# With group commit points it also repeats the multi-session govmail points with PostgreSQL's
# commit_delay set in the bench cluster's postgresql.conf.
#
# Run as root from anywhere:  bench/smtp/run.sh
# Environment (all optional):
#   SIZES="4096 102400"        message payload sizes in bytes (smtp-source -l)
#   SESSIONS="1 20 100"        parallel sessions (smtp-source -s)
#   COUNT_4096="..."           messages per point for that size, one per session count
#                              (defaults below; COUNT_<size> for any other size)
#   COMMIT_DELAYS="100 1000"   commit_delay values (microseconds) for extra govmail points at
#                              SESSIONS > 1; empty skips them. commit_siblings stays at 5.
#   SPREAD_SIZES="4096"        sizes for extra govmail-only points at SESSIONS > 1 where every
#                              message goes to its own account (smtp-source -N: RCPT TO
#                              <1bench@localhost>, <2bench@localhost>, ...), with and without
#                              COMMIT_DELAYS, to separate group commit from the one-mailbox
#                              row lock; empty skips them
#   WAIT_LOAD=1.0              wait until the 1-minute load average is below this before
#                              measuring (0 disables); WAIT_MAX_S=3600 caps the wait
#   GOVMAIL_REV=...            what to measure. Empty (default): the working tree, built with
#                              the release preset into build/release. A commit (HEAD, a sha):
#                              exported with `git archive` to /tmp/govmail-bench-src-<sha>.
#                              `worktree`: a copy of the working tree as it is now, in
#                              /tmp/govmail-bench-src-worktree. Both are built there with the
#                              release flags (RelWithDebInfo) and no tests, so edits in progress
#                              elsewhere in the tree neither break nor blur the measurement.
#   GOVMAIL_CXXFLAGS=...       extra CMAKE_CXX_FLAGS for those builds, e.g.
#                              -Wno-error=mismatched-new-delete (a g++ 12 -O2 false positive on
#                              Asio coroutine frames stops the release build with -Werror)
#   GOVMAIL_BIN=DIR            use the govmail, govmail-smtpd (and mailadm) already built in DIR
#   SCAN="off"                 "off", "on" or "off on": whether the servers scan every message
#                              with rspamd. "on" starts one rspamd (Debian's configuration, its
#                              redis-server, DNS answered "refused" at once for both) and points
#                              govmail's [filter] rspamd_url at its normal worker and Postfix's
#                              smtpd_milters at its proxy worker in milter mode (Debian's
#                              worker-proxy.inc: the proxy hands each message to the same normal
#                              worker). "off on" measures every point both ways in one run.
#   KEEP=1                     keep the temp dir (logs, configs) after the run
#   OUT=FILE                   also append the result table (TSV) to FILE
# Only loopback addresses are used; everything the run starts it stops, and the temp dir,
# the Postfix instance and the bench Unix user are removed at the end.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$REPO/build/release/bin"
SIZES="${SIZES:-4096 102400}"
SESSIONS="${SESSIONS:-1 20 100}"
COMMIT_DELAYS="${COMMIT_DELAYS-100 1000}"
SPREAD_SIZES="${SPREAD_SIZES-4096}"
WAIT_LOAD="${WAIT_LOAD:-1.0}"
WAIT_MAX_S="${WAIT_MAX_S:-3600}"
SCAN="${SCAN:-off}"
# Messages per point, in SESSIONS order: enough for >= 10 s per point on a 2-core machine.
COUNT_4096="${COUNT_4096:-3000 6000 6000}"
COUNT_102400="${COUNT_102400:-2500 4000 4000}"
PF_USER=govbench
FROM="loadgen@sender.example"
GM_RCPT="bench@localhost"
PF_RCPT="$PF_USER@localhost"
DRAIN_TIMEOUT_S=900

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, the Postfix instance and its Unix user need it)"

# --- 1. packages -----------------------------------------------------------------------------
install_missing() {
    local missing=()
    command -v smtp-source >/dev/null || missing+=(postfix)
    command -v psql >/dev/null || missing+=(postgresql-client-15)
    command -v python3 >/dev/null || missing+=(python3)
    if [[ " $SCAN " == *" on "* ]]; then
        command -v rspamd >/dev/null || missing+=(rspamd)
        command -v redis-server >/dev/null || missing+=(redis-server)
        command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
    fi
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]}"
    # "No configuration": the package writes no /etc/postfix/main.cf and starts no system
    # Postfix; the bench instance below has its own configuration directory.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
        --no-install-recommends "${missing[@]}" >/dev/null
    # Whatever the package did, leave no system Postfix running (port 25 stays free).
    if [[ -f /etc/postfix/main.cf ]] && postfix status >/dev/null 2>&1; then
        postfix stop >/dev/null 2>&1 || true
    fi
}
install_missing

# --- 2. govmail release build ------------------------------------------------------------------
GOVMAIL_REV="${GOVMAIL_REV:-}"
if [[ -n "${GOVMAIL_BIN:-}" ]]; then
    BIN="$GOVMAIL_BIN"
    GM_BUILT="binaries in $BIN"
    [[ -x "$BIN/govmail" && -x "$BIN/govmail-smtpd" ]] || die "no govmail binaries in $BIN"
elif [[ -z "$GOVMAIL_REV" ]]; then
    GM_BUILT="working tree (release preset) at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
    [[ -n "$(git -C "$REPO" status --porcelain 2>/dev/null)" ]] && GM_BUILT+=" with local changes"
    if [[ ! -x "$BIN/govmail" || ! -x "$BIN/govmail-smtpd" ]]; then
        log "building the release preset"
        (cd "$REPO" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
    fi
else
    if [[ "$GOVMAIL_REV" == worktree ]]; then
        src="/tmp/govmail-bench-src-worktree"
        if [[ ! -d "$src" || "${REBUILD:-0}" == 1 ]]; then
            rm -rf "$src"
            mkdir -p "$src"
            tar -C "$REPO" -c --exclude=./build --exclude=./var --exclude=./.git . | tar -x -C "$src"
            echo "copy of the working tree at $(git -C "$REPO" rev-parse --short HEAD) +" \
                "$(git -C "$REPO" status --porcelain | wc -l) changed/new paths," \
                "taken $(date -u +%FT%TZ)" >"$src/.bench-origin"
        fi
        GM_BUILT="$(cat "$src/.bench-origin" 2>/dev/null || echo "copy of the working tree")"
    else
        rev="$(git -C "$REPO" rev-parse --short "$GOVMAIL_REV")"
        src="/tmp/govmail-bench-src-$rev"
        GM_BUILT="commit $rev"
        if [[ ! -d "$src" ]]; then
            mkdir -p "$src"
            git -C "$REPO" archive "$rev" | tar -x -C "$src"
        fi
    fi
    BIN="$src/build/release/bin"
    GM_BUILT+=" (RelWithDebInfo, -O2)"
    if [[ ! -x "$BIN/govmail" || ! -x "$BIN/govmail-smtpd" || "${REBUILD:-0}" == 1 ]]; then
        log "building $GM_BUILT in $src"
        targets=(govmail govmail-smtpd)
        [[ -f "$src/admin-cli/CMakeLists.txt" ]] && targets+=(mailadm)
        cmake -S "$src" -B "$src/build/release" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DGOVMAIL_TESTS=OFF "-DCMAKE_CXX_FLAGS=${GOVMAIL_CXXFLAGS:-}" >/dev/null
        cmake --build "$src/build/release" --target "${targets[@]}" >/dev/null
    fi
    if [[ -n "${GOVMAIL_CXXFLAGS:-}" ]]; then
        GM_BUILT+=", CXXFLAGS $GOVMAIL_CXXFLAGS"
    fi
fi
MAILADM=""
[[ -x "$BIN/mailadm" ]] && MAILADM="$BIN/mailadm"

# --- 3. temp dir, ports, cleanup ------------------------------------------------------------------
T="$(mktemp -d /tmp/govmail-bench.XXXXXX)"
chmod 755 "$T" # the embedded cluster runs as "postgres", local(8) as $PF_USER: both traverse it
free_ports() {
    python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
read -r GM_SMTP_PORT GM_PG_PORT PF_SMTP_PORT RS_PORT RS_CONTROLLER_PORT RS_PROXY_PORT RS_REDIS_PORT \
    DNS_PORT <<<"$(free_ports 8)"
GM_CONF="$T/govmail.conf"
PF_DIR="$T/postfix"
PF_HOME="$T/home-$PF_USER"
PF_MAILDIR="$PF_HOME/Maildir"
CREATED_USER=0
PF_STARTED=0
GM_STARTED=0
RS_STARTED=0

cleanup() {
    set +e
    if ((PF_STARTED)); then
        postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
    fi
    if ((RS_STARTED)); then
        for pidfile in "$T/rspamd/rspamd.pid" "$T/rspamd/redis.pid" "$T/rspamd/dnsmasq.pid"; do
            [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null
        done
    fi
    if ((GM_STARTED)); then
        "$BIN/govmail" stop --config "$GM_CONF" >/dev/null 2>&1
        # govmail stop names only the daemons it starts; a stray smtpd is ours too.
        [[ -f "$T/var/run/smtpd.pid" ]] && kill "$(cat "$T/var/run/smtpd.pid")" 2>/dev/null
    fi
    if ((CREATED_USER)); then
        userdel "$PF_USER" >/dev/null 2>&1
    fi
    if [[ "${KEEP:-0}" == 1 ]]; then
        log "kept $T"
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 4. rspamd (SCAN=on) ---------------------------------------------------------------------------
# Debian's rspamd.conf with the bench's local.d files on top: loopback ports, its own redis,
# and its own resolver, a dnsmasq that answers every query NXDOMAIN at once. The machine has
# no DNS; a resolver that does not answer would make each RBL/URIBL look-up wait for rspamd's
# DNS timeout (5 s), and only for the server whose headers name more hosts (Postfix's
# Received field names the client): both servers must see the same, fast, "not listed".
start_rspamd() {
    local dir="$T/rspamd"
    [[ -n "$T" && -d "$T" ]] || die "no temp dir"
    mkdir -p "$dir/local.d" "$dir/override.d" "$dir/db" "$dir/run" "$dir/redis"
    echo "bind_socket = \"127.0.0.1:$RS_PORT\";" >"$dir/local.d/worker-normal.inc"
    echo "bind_socket = \"127.0.0.1:$RS_CONTROLLER_PORT\";" >"$dir/local.d/worker-controller.inc"
    printf 'bind_socket = "127.0.0.1:%s";\nupstream "local" { default = yes; hosts = "127.0.0.1:%s"; }\n' \
        "$RS_PROXY_PORT" "$RS_PORT" >"$dir/local.d/worker-proxy.inc"
    echo "count = 0;" >"$dir/override.d/worker-fuzzy.inc"
    echo "servers = \"127.0.0.1:$RS_REDIS_PORT\";" >"$dir/local.d/redis.conf"
    echo "dns { nameserver = [\"127.0.0.1:$DNS_PORT\"]; }" >"$dir/local.d/options.inc"
    printf 'type = "file";\nfilename = "%s";\n' "$dir/run/rspamd.log" >"$dir/local.d/logging.inc"
    chown -R _rspamd: "$dir/db" "$dir/run"
    RS_STARTED=1
    dnsmasq --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port="$DNS_PORT" \
        --address=/#/ --pid-file="$dir/dnsmasq.pid" --user=nobody
    redis-server --bind 127.0.0.1 --port "$RS_REDIS_PORT" --dir "$dir/redis" --save "" \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    rspamd -u _rspamd -g _rspamd --var "LOCAL_CONFDIR=$dir" --var "DBDIR=$dir/db" \
        --var "RUNDIR=$dir/run" --var "LOGDIR=$dir/run" -f >"$dir/stdout.log" 2>&1 &
    echo $! >"$dir/rspamd.pid"
    local port
    for port in "$RS_PORT" "$RS_PROXY_PORT"; do
        for _ in $(seq 300); do
            python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
                2>/dev/null && continue 2
            sleep 0.2
        done
        die "rspamd is not listening on $port: $(tail -3 "$dir/stdout.log" "$dir/run/rspamd.log")"
    done
    RS_VERSION="$(rspamd --version | head -1)"
    log "rspamd $RS_VERSION: scanner 127.0.0.1:$RS_PORT, milter proxy 127.0.0.1:$RS_PROXY_PORT"
}
RS_VERSION="not started"
if [[ " $SCAN " == *" on "* ]]; then
    start_rspamd
fi

# --- 5. govmail instance -------------------------------------------------------------------------
write_govmail_config() { # off|on
    cat >"$GM_CONF" <<EOF
# govmail bench instance (bench/smtp/run.sh); everything else at its default.
[server]
var_dir = $T/var
hostname = bench.localhost
local_domains = localhost
[database]
embedded_port = $GM_PG_PORT
[smtp]
mx = 127.0.0.1:$GM_SMTP_PORT
submission = off
submissions = off
# smtp-source connects from one address; the default (20) would refuse 100 sessions.
max_connections_per_address = 1000
[imap]
imap = off
imaps = off
EOF
    if [[ $1 == on ]]; then
        printf '[filter]\nenabled = true\nrspamd_url = http://127.0.0.1:%s\n' "$RS_PORT" >>"$GM_CONF"
    fi
}
GM_SCAN="${SCAN%% *}"
write_govmail_config "$GM_SCAN"
log "starting govmail (smtpd 127.0.0.1:$GM_SMTP_PORT, PostgreSQL port $GM_PG_PORT) in $T"
GM_STARTED=1
start_govmail() {
    if ! "$BIN/govmail" start --config "$GM_CONF" >"$T/govmail-start.log" 2>&1; then
        # It starts the database, then smtpd, then imapd: a missing imapd fails the last step only.
        log "govmail start: $(tail -1 "$T/govmail-start.log") (continuing if smtpd is up)"
    fi
}
start_govmail
PG_DSN="host=$T/var/db/run port=$GM_PG_PORT user=govmail dbname=govmail passfile=$T/var/db/pgpass"
pg() { PGOPTIONS="-c client_min_messages=warning" psql "$PG_DSN" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
pg "SELECT 1" >/dev/null || die "embedded PostgreSQL is not reachable"
if ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $GM_SMTP_PORT), 2)"; then
    [[ -x "$BIN/govmail-smtpd" ]] || die "govmail-smtpd is not built"
    log "smtpd not up after govmail start; starting it directly"
    nohup "$BIN/govmail-smtpd" --config "$GM_CONF" >>"$T/smtpd-direct.log" 2>&1 &
    echo $! >"$T/var/run/smtpd.pid"
    sleep 2
fi
if [[ -n "$MAILADM" ]] && "$MAILADM" --config "$GM_CONF" account create "$GM_RCPT" \
    --force --reason bench </dev/null >"$T/mailadm.log" 2>&1; then
    log "account $GM_RCPT created with mailadm"
    GM_ACCOUNT_BY=mailadm
else
    log "mailadm unavailable or failed ($(tail -1 "$T/mailadm.log" 2>/dev/null)); inserting with psql"
    pg "WITH a AS (INSERT INTO accounts (address) VALUES ('$GM_RCPT') RETURNING account_id)
        INSERT INTO mailboxes (account_id, name) SELECT account_id, 'INBOX' FROM a" >/dev/null
    GM_ACCOUNT_BY=psql
fi
if [[ -n "$SPREAD_SIZES" ]]; then
    # Accounts 1bench@localhost .. 20000bench@localhost for the -N points, each with an INBOX.
    pg "WITH a AS (INSERT INTO accounts (address)
            SELECT n || '$GM_RCPT' FROM generate_series(1, 20000) n RETURNING account_id)
        INSERT INTO mailboxes (account_id, name) SELECT account_id, 'INBOX' FROM a" >/dev/null
fi
GM_PG_SETTINGS="$(pg "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method',
    'full_page_writes', 'shared_buffers', 'max_wal_size', 'commit_delay', 'commit_siblings',
    'wal_level', 'checkpoint_timeout', 'max_connections')")"
GM_PG_VERSION="$(pg "SHOW server_version")"
GM_SMTPD_PID="$(cat "$T/var/run/smtpd.pid")"
GM_IMAPD_STATE="not running"
[[ -f "$T/var/run/imapd.pid" ]] && kill -0 "$(cat "$T/var/run/imapd.pid")" 2>/dev/null &&
    GM_IMAPD_STATE="running (no listeners)"

set_commit_delay() {
    # The embedded cluster's own postgresql.conf (var/db/data); the last setting wins on reload.
    echo "commit_delay = $1  # bench/smtp/run.sh" >>"$T/var/db/data/postgresql.conf"
    pg "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    [[ "$(pg "SHOW commit_delay")" == "$1" ]] || die "commit_delay did not take $1"
}

# --- 6. Postfix instance -------------------------------------------------------------------------
if ! id "$PF_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$PF_HOME" --shell /usr/sbin/nologin "$PF_USER"
    CREATED_USER=1
fi
usermod --home "$PF_HOME" "$PF_USER" >/dev/null 2>&1 || true
mkdir -p "$PF_HOME" "$PF_DIR/etc" "$PF_DIR/queue" "$PF_DIR/data"
chown "$PF_USER:" "$PF_HOME"
chown postfix: "$PF_DIR/data"
cp /etc/postfix/master.cf "$PF_DIR/etc/master.cf"
cat >"$PF_DIR/etc/main.cf" <<EOF
# Postfix bench instance (bench/smtp/run.sh): defaults except what a private loopback
# instance delivering to a local Maildir needs.
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.localhost
mydomain = localhost
mydestination = localhost
myorigin = localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
home_mailbox = Maildir/
alias_maps =
alias_database =
biff = no
# Log to a file (the machine has no syslog), as govmail logs to var/log.
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
EOF
pfc() { postconf -c "$PF_DIR/etc" "$@"; }
pfc -F '*/*/chroot = n' # no chroot: the private queue has no copy of /etc files
pfc -MX smtp/inet
pfc -Me "127.0.0.1:$PF_SMTP_PORT/inet = 127.0.0.1:$PF_SMTP_PORT inet n - n - - smtpd"
PF_VERSION="$(pfc -h mail_version)"
log "starting Postfix $PF_VERSION (smtpd 127.0.0.1:$PF_SMTP_PORT, config $PF_DIR/etc)"
PF_STARTED=1
# postfix(1) reports to stderr only on a terminal; its errors are in the maillog file.
postfix -c "$PF_DIR/etc" start >"$T/postfix-start.log" 2>&1 ||
    die "postfix start failed: $(tail -3 "$PF_DIR/maillog" 2>/dev/null)"
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PF_SMTP_PORT), 1)" \
        2>/dev/null && break
    sleep 0.2
done
PF_SETTINGS="$(pfc default_process_limit local_destination_concurrency_limit \
    smtpd_client_connection_count_limit | paste -sd ';')"

# --- 7. measurement ----------------------------------------------------------------------------------
maildir_count() {
    python3 -c "import os,sys; print(sum(1 for _ in os.scandir(sys.argv[1])))" "$PF_MAILDIR/new" \
        2>/dev/null || echo 0
}
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
busy_others() {
    # Other processes using CPU right now (compilers, tests), for the record; not the bench's own.
    top -b -n 2 -d 1 -w 200 | awk '/^top -/ {block++} block == 2 && $1 ~ /^[0-9]+$/ && $9 >= 5 &&
        $12 !~ /^(govmail-smtpd|smtp-source|top|python3|psql)$/ {
        printf "%s(%d%%) ", $12, $9}' | head -c 200
}

wait_quiet() {
    [[ "$WAIT_LOAD" == 0 ]] && return 0
    local waited=0
    while awk -v l="$(load1)" -v max="$WAIT_LOAD" 'BEGIN {exit !(l >= max)}'; do
        if ((waited >= WAIT_MAX_S)); then
            log "load still $(load1) after ${waited}s; measuring anyway"
            return 0
        fi
        ((waited % 120 == 0)) && log "load $(load1) >= $WAIT_LOAD; waiting (busy: $(busy_others))"
        sleep 20
        waited=$((waited + 20))
    done
}

reset_stores() {
    pg "TRUNCATE mailbox_messages, mailbox_expunged, message_bodies CASCADE" >/dev/null
    find "$PF_MAILDIR/new" "$PF_MAILDIR/cur" -type f -delete 2>/dev/null || true
    pg "CHECKPOINT" >/dev/null
    sync
    sleep 2
}

RESULTS="$T/results.tsv"
printf 'server\tsize\tsessions\tmessages\tseconds\tmsg_per_s\tcommit_delay_us\trecipients\tload1_before\tother_busy\tscan\n' \
    >"$RESULTS"

# Both servers scan with the one rspamd (SCAN=on) or neither does: govmail restarted with its
# [filter] section, Postfix reloaded with rspamd's milter (rspamd's documented Postfix settings).
set_scan() { # off|on
    if [[ $1 != "$GM_SCAN" ]]; then
        log "restarting govmail with scanning $1"
        "$BIN/govmail" stop --config "$GM_CONF" >>"$T/govmail-start.log" 2>&1
        write_govmail_config "$1"
        start_govmail
        GM_SCAN="$1"
        for _ in $(seq 100); do
            python3 -c "import socket; socket.create_connection(('127.0.0.1', $GM_SMTP_PORT), 1)" \
                2>/dev/null && break
            sleep 0.2
        done
    fi
    if [[ $1 == on ]]; then
        pfc -e "smtpd_milters = inet:127.0.0.1:$RS_PROXY_PORT" "milter_protocol = 6" \
            "milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_authen}" \
            "milter_default_action = tempfail"
    else
        pfc -X smtpd_milters
    fi
    postfix -c "$PF_DIR/etc" reload >/dev/null 2>&1
    sleep 1
}

run_point() { # server size sessions count [commit_delay [spread]]
    local server="$1" size="$2" sessions="$3" count="$4" delay="${5:-0}" spread="${6:-}"
    local port rcpt start end got spread_opt=() rcpts=one
    if [[ $server == govmail ]]; then
        port=$GM_SMTP_PORT
        rcpt=$GM_RCPT
    else
        port=$PF_SMTP_PORT
        rcpt=$PF_RCPT
    fi
    if [[ -n "$spread" ]]; then
        ((count <= 20000)) || die "spread points need count <= 20000"
        spread_opt=(-N)
        rcpts=each
    fi
    reset_stores
    local load_before busy
    load_before="$(load1)"
    busy="$(busy_others)"
    start="$(now)"
    if ! smtp-source "${spread_opt[@]}" -s "$sessions" -m "$count" -l "$size" -f "$FROM" -t "$rcpt" \
        "127.0.0.1:$port" >"$T/smtp-source.log" 2>&1; then
        die "smtp-source against $server failed: $(tail -3 "$T/smtp-source.log")"
    fi
    if [[ $server == govmail ]]; then
        end="$(now)"
        got="$(pg "SELECT count(*) FROM mailbox_messages")"
    else
        local deadline=$(($(date +%s) + DRAIN_TIMEOUT_S))
        while got="$(maildir_count)" && ((got < count)); do
            (($(date +%s) < deadline)) || die "Postfix delivered only $got of $count"
            sleep 0.05
        done
        end="$(now)"
    fi
    ((got == count)) || die "$server stored $got messages, expected $count"
    awk -v s="$start" -v e="$end" -v n="$count" -v srv="$server" -v sz="$size" \
        -v ss="$sessions" -v d="$delay" -v l="$load_before" -v b="$busy" -v r="$rcpts" \
        -v scan="$GM_SCAN" \
        'BEGIN {t = e - s; printf "%s\t%d\t%d\t%d\t%.2f\t%.1f\t%d\t%s\t%s\t%s\t%s\n", srv, sz, ss, n, t, n / t, d, r, l, b, scan}' |
        tee -a "$RESULTS" >&2
}

# Every size and session count, in the scan mode set last (set_scan).
measure_sizes() {
    local size sessions count counts counts_var i delay extra=0
    # Group commit and one-account-per-message points only without scanning.
    [[ $GM_SCAN == off ]] && extra=1
    for size in $SIZES; do
        counts_var="COUNT_$size"
        read -r -a counts <<<"${!counts_var:-1000 2000 2000}"
        i=0
        for sessions in $SESSIONS; do
            count="${counts[$i]:-${counts[-1]}}"
            i=$((i + 1))
            run_point govmail "$size" "$sessions" "$count"
            if ((extra && sessions > 1)) && [[ -n "$COMMIT_DELAYS" ]]; then
                for delay in $COMMIT_DELAYS; do
                    set_commit_delay "$delay"
                    run_point govmail "$size" "$sessions" "$count" "$delay"
                done
                set_commit_delay 0
            fi
            run_point postfix "$size" "$sessions" "$count"
            if ((extra && sessions > 1)) && [[ " $SPREAD_SIZES " == *" $size "* ]]; then
                run_point govmail "$size" "$sessions" "$count" 0 spread
                for delay in $COMMIT_DELAYS; do
                    set_commit_delay "$delay"
                    run_point govmail "$size" "$sessions" "$count" "$delay" spread
                done
                set_commit_delay 0
            fi
        done
    done
}

wait_quiet
log "measuring; load $(load1)"
for scan in $SCAN; do
    set_scan "$scan"
    measure_sizes
done

# --- 8. report ----------------------------------------------------------------------------------------
{
    echo
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r)"
    echo "govmail: $GM_BUILT; imapd $GM_IMAPD_STATE; recipient account created by ${GM_ACCOUNT_BY}"
    echo "PostgreSQL $GM_PG_VERSION: $GM_PG_SETTINGS"
    echo "Postfix $PF_VERSION: $PF_SETTINGS"
    echo "rspamd: $RS_VERSION"
    echo "load after: $(cat /proc/loadavg)"
    echo
    column -t -s $'\t' "$RESULTS"
    echo
    echo "| scan | size | sessions | messages | govmail msg/s | Postfix msg/s | govmail/Postfix |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 && $1 == "govmail" && $7 == 0 && $8 == "one" {key = $11" "$2" "$3; g[key] = $6; n[key] = $4; k[++m] = key}
        NR > 1 && $1 == "postfix" {p[$11" "$2" "$3] = $6}
        END {for (i = 1; i <= m; i++) {split(k[i], a, " ");
            printf "| %s | %d KiB | %d | %d | %.0f | %.0f | %.2f |\n", a[1], a[2] / 1024, a[3], n[k[i]],
                g[k[i]], p[k[i]], g[k[i]] / p[k[i]]}}' "$RESULTS"
    if [[ " $SCAN " == *" on "* && " $SCAN " == *" off "* ]]; then
        echo
        echo "| size | sessions | govmail unscanned msg/s | govmail scanned msg/s | cost of scanning |"
        echo "|---|---|---|---|---|"
        awk -F'\t' 'NR > 1 && $1 == "govmail" && $7 == 0 && $8 == "one" {key = $2" "$3; r[key" "$11] = $6;
                if (!(key in seen)) {seen[key] = 1; k[++m] = key}}
            END {for (i = 1; i <= m; i++) {split(k[i], a, " "); off = r[k[i]" off"]; on = r[k[i]" on"];
                printf "| %d KiB | %d | %.0f | %.0f | %.0f %% |\n", a[1] / 1024, a[2], off, on, 100 * (1 - on / off)}}' "$RESULTS"
    fi
    if [[ -n "$COMMIT_DELAYS" ]]; then
        echo
        echo "| size | sessions | recipients | govmail msg/s, commit_delay = 0 | $(for d in $COMMIT_DELAYS; do printf 'commit_delay = %s us | ' "$d"; done)"
        echo "|---|---|---|---|$(for _ in $COMMIT_DELAYS; do printf -- '---|'; done)"
        awk -F'\t' -v delays="$COMMIT_DELAYS" 'NR > 1 && $1 == "govmail" && $11 == "off" {
                key = $2" "$3" "$8; r[key" "$7] = $6; if (!(key in seen)) {seen[key] = 1; k[++m] = key}}
            END {nd = split(delays, d, " ");
                for (i = 1; i <= m; i++) {split(k[i], a, " "); if (a[2] == 1) continue;
                    printf "| %d KiB | %d | %s | %.0f |", a[1] / 1024, a[2], a[3] == "one" ? "one mailbox" : "one per message", r[k[i]" 0"];
                    for (j = 1; j <= nd; j++) printf " %.0f |", r[k[i]" "d[j]]; printf "\n"}}' "$RESULTS"
    fi
} | tee -a "${OUT:-/dev/null}"
