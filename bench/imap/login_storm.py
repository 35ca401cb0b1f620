#!/usr/bin/env python3
"""Login storm: N distinct accounts log in over IMAPS within a few seconds, at the default
Argon2id cost, as every official's client does at 09:00 on a Monday; then the same accounts
reconnect.

Starts a private govmail suite (govmail-imapd over the test PostgreSQL named by
GOVMAIL_TEST_PG_ROOT, binaries from GOVMAIL_BIN_DIR, as the integration tests do), makes
--accounts accounts with `mailadm account create` and `mailadm account password`, then opens
one IMAPS connection per account, the connections spread evenly over --window seconds; each
sends LOGIN, then LOGOUT (one asyncio event loop speaking IMAP directly, or with --client
threads imaplib.IMAP4_SSL in a thread a client). Prints p50/p99/max LOGIN latency (LOGIN sent to its
tagged reply) and how many LOGINs completed in each second, and writes every completion to
--csv, so logins answered in batches show. Then the same accounts do the same again
("reconnect") and the figures are printed once more.

The brute-force throttle and the per-address connection cap are opened (every client comes
from 127.0.0.1, all with the right password); everything else, the Argon2id cost and
auth.hash_threads included, is the default.

    GOVMAIL_BIN_DIR=build/release/bin GOVMAIL_TEST_PG_ROOT=<cluster> \\
        python3 bench/imap/login_storm.py [--accounts 2000] [--window 10] [--csv FILE]
"""

import argparse
import asyncio
import concurrent.futures
import csv
import imaplib
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))

from harness import Suite, client_tls_context  # noqa: E402

PASSWORD = "storm-bench-password-1"
OPEN_LIMITS = """max_connections_per_address = 100000
max_connections = 100000
[auth]
account_lock_failures = 1000000
address_lock_failures = 1000000
"""


def create_accounts(suite, count, parallel):
    """COUNT accounts with PASSWORD, made with mailadm, PARALLEL at a time."""
    def create(i):
        address = f"storm{i}@localhost"
        suite.mailadm("account", "create", address, "--force", "--reason", "login storm bench")
        suite.mailadm("account", "password", address, "--stdin", stdin=PASSWORD + "\n")
        return address
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(create, range(count)))


def one_client(port, user, row, timeout):
    """Connects, logs in and out as USER; fills ROW with the times (monotonic seconds)."""
    try:
        conn = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=client_tls_context(),
                                 timeout=timeout)
        row["connected"] = time.monotonic()
        try:
            row["login_sent"] = time.monotonic()
            conn.login(user, PASSWORD)
            row["login_done"] = time.monotonic()
            row["outcome"] = "ok"
        finally:
            conn.logout()
    except (imaplib.IMAP4.error, OSError) as e:
        row.setdefault("login_done", time.monotonic())
        row["outcome"] = f"error: {e}"[:200]


def storm(port, users, window, timeout):
    """One connection per user, started evenly over WINDOW seconds; the rows of times."""
    threading.stack_size(256 * 1024)
    rows = [{"account": user} for user in users]
    threads = []
    start = time.monotonic()
    for i, (user, row) in enumerate(zip(users, rows)):
        due = start + window * i / len(users)
        time.sleep(max(0.0, due - time.monotonic()))
        row["started"] = time.monotonic()
        thread = threading.Thread(target=one_client, args=(port, user, row, timeout), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    for row in rows:
        for key in ("started", "connected", "login_sent", "login_done"):
            if key in row:
                row[key] -= start
    return rows


async def one_client_async(port, user, row, timeout, tls):
    """As one_client, in the event loop: IMAP spoken directly (greeting, LOGIN, LOGOUT)."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls)
            row["connected"] = time.monotonic()
            await reader.readline()  # the greeting
            row["login_sent"] = time.monotonic()
            writer.write(f'a LOGIN "{user}" "{PASSWORD}"\r\n'.encode())
            while not (line := await reader.readline()).startswith(b"a "):
                if not line:
                    raise ConnectionError("closed before the LOGIN reply")
            row["login_done"] = time.monotonic()
            row["outcome"] = "ok" if line.startswith(b"a OK") else line.decode(errors="replace")
            writer.write(b"b LOGOUT\r\n")
            await writer.drain()
            writer.close()
    except (OSError, TimeoutError) as e:
        row.setdefault("login_done", time.monotonic())
        row["outcome"] = f"error: {e!r}"[:200]


async def storm_async(port, users, window, timeout):
    """storm() with one event loop instead of a thread a client: the load generator then
    spends a fraction of a core, and its clock reads the reply as soon as it arrives."""
    tls = client_tls_context()
    rows = [{"account": user} for user in users]
    tasks = []
    start = time.monotonic()
    for i, (user, row) in enumerate(zip(users, rows)):
        await asyncio.sleep(max(0.0, start + window * i / len(users) - time.monotonic()))
        row["started"] = time.monotonic()
        tasks.append(asyncio.create_task(one_client_async(port, user, row, timeout, tls)))
    await asyncio.gather(*tasks)
    for row in rows:
        for key in ("started", "connected", "login_sent", "login_done"):
            if key in row:
                row[key] -= start
    return rows


def cpu_seconds(pid):
    """User + system CPU seconds PID has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def report(phase, rows, imapd_cpu):
    ok = [r for r in rows if r["outcome"] == "ok"]
    failed = len(rows) - len(ok)
    latencies = [(r["login_done"] - r["login_sent"]) * 1000 for r in ok]
    print(f"{phase}: {len(ok)} of {len(rows)} logins completed, {failed} failed; "
          f"govmail-imapd CPU {imapd_cpu:.1f} s ({imapd_cpu / len(rows) * 1000:.0f} ms a login)")
    if not latencies:
        return
    print(f"  LOGIN latency ms: p50 {percentile(latencies, 50):.0f}  "
          f"p99 {percentile(latencies, 99):.0f}  max {max(latencies):.0f}  "
          f"mean {statistics.mean(latencies):.0f}")
    last = max(r["login_done"] for r in ok)
    per_second = [0] * (int(last) + 1)
    for r in ok:
        per_second[int(r["login_done"])] += 1
    print(f"  last completion at {last:.1f} s; completions per second: "
          + " ".join(str(n) for n in per_second))
    # First come, first served: how far the order of the answers strays from the order the
    # LOGINs were sent in (0 everywhere: strictly in order).
    sent_rank = {r["account"]: i for i, r in enumerate(sorted(ok, key=lambda r: r["login_sent"]))}
    answered = sorted(ok, key=lambda r: r["login_done"])
    strays = [abs(sent_rank[r["account"]] - i) for i, r in enumerate(answered)]
    print(f"  answer order against LOGIN order: max {max(strays)} places, "
          f"mean {statistics.mean(strays):.1f}")
    for r in rows:
        if r["outcome"] != "ok":
            print(f"  {r['account']}: {r['outcome']}")
            break


def write_csv(path, phases):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["phase", "account", "started_s", "connected_s", "login_sent_s",
                      "login_done_s", "login_ms", "outcome"])
        for phase, rows in phases:
            for r in sorted(rows, key=lambda r: r["login_done"]):
                login_ms = ""
                if "login_sent" in r:
                    login_ms = f"{(r['login_done'] - r['login_sent']) * 1000:.1f}"
                out.writerow([phase, r["account"], f"{r['started']:.4f}",
                              f"{r.get('connected', float('nan')):.4f}",
                              f"{r.get('login_sent', float('nan')):.4f}",
                              f"{r['login_done']:.4f}", login_ms, r["outcome"]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--window", type=float, default=10.0,
                        help="seconds over which the connections start")
    parser.add_argument("--csv", default="login_storm.csv", help="every completion time")
    parser.add_argument("--timeout", type=float, default=600.0, help="client socket timeout")
    parser.add_argument("--setup-parallel", type=int, default=4,
                        help="mailadm processes at a time while making the accounts")
    parser.add_argument("--client", choices=("asyncio", "threads"), default="asyncio",
                        help="one event loop (default), or imaplib in a thread a client")
    args = parser.parse_args()

    suite = Suite(daemons=("imapd",), extra_config=OPEN_LIMITS)
    try:
        started = time.monotonic()
        users = create_accounts(suite, args.accounts, args.setup_parallel)
        print(f"made {len(users)} accounts in {time.monotonic() - started:.0f} s; storm of "
              f"{len(users)} logins over {args.window:g} s")
        port = suite.ports["imaps"]
        imapd = suite.processes["imapd"].pid
        phases = []
        for phase in ("first", "reconnect"):
            cpu_before = cpu_seconds(imapd)
            if args.client == "asyncio":
                rows = asyncio.run(storm_async(port, users, args.window, args.timeout))
            else:
                rows = storm(port, users, args.window, args.timeout)
            report(phase, rows, cpu_seconds(imapd) - cpu_before)
            phases.append((phase, rows))
        write_csv(args.csv, phases)
        print(f"every completion: {args.csv}")
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
