#!/usr/bin/env python3
"""IMAP load generator for bench/imap/run.sh (stdlib only: asyncio streams + ssl, not imaplib,
so one process drives hundreds or thousands of sessions).

Every session connects, does STARTTLS (certificate not verified), LOGIN, SELECT INBOX and
UID SEARCH ALL (to learn the UIDs), then:

  mix   waits until every session is ready, then loops for DURATION seconds over
          SELECT INBOX
          FETCH 1:* (FLAGS)
          UID FETCH n (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])
          UID FETCH n (BODY.PEEK[])
          UID STORE n +FLAGS (\\Seen)
          SEARCH SUBJECT word
        (n a random UID, word from --search-words) and prints one JSON line: commands completed
        within the window, per command, commands/s, failures.
  day   a mail client's real day instead (no setup before the window): every session loops for
        DURATION seconds over connect, STARTTLS, LOGIN, LIST "" "*", STATUS INBOX, SELECT INBOX,
        FETCH 1:* (UID FLAGS), UID FETCH n (BODY.PEEK[]), UID STORE n +FLAGS ($Work),
        UID STORE oldest +FLAGS (\\Deleted), EXPUNGE, APPEND (one message, LITERAL+), LOGOUT;
        session i logs in as --user with {n} replaced by i modulo --accounts. Prints commands/s,
        per command, server CPU per command and LOGIN latency percentiles.
  idle  after SELECT sends IDLE and waits for the continuation; when all sessions idle it
        measures the resident memory of the given server processes (before/after), prints one
        JSON line, then ends the sessions (DONE, LOGOUT).

Usage: imapload.py mix|day|idle --port P --user U --password-file F [options]
"""
import argparse
import asyncio
import json
import os
import random
import ssl
import sys
import time


class ImapError(Exception):
    pass


class Session:
    def __init__(self, host, port, ctx):
        self.host, self.port, self.ctx = host, port, ctx
        self.tagn = 0
        self.reader = self.writer = None

    async def read_response_line(self):
        """One response, literals included (a line ending in {N} is followed by N bytes and the
        rest of the response)."""
        parts = []
        while True:
            line = await self.reader.readline()
            if not line:
                raise ImapError("connection closed")
            parts.append(line)
            s = line.rstrip(b"\r\n")
            if s.endswith(b"}"):
                i = s.rfind(b"{")
                if i >= 0 and s[i + 1:-1].isdigit():
                    parts.append(await self.reader.readexactly(int(s[i + 1:-1])))
                    continue
            return b"".join(parts)

    async def command(self, text, collect=False):
        self.tagn += 1
        tag = b"T%d" % self.tagn
        self.writer.write(tag + b" " + text.encode() + b"\r\n")
        await self.writer.drain()
        got = []
        while True:
            resp = await self.read_response_line()
            if resp.startswith(tag + b" "):
                status = resp[len(tag) + 1:len(tag) + 3]
                if status != b"OK":
                    raise ImapError("%s -> %s" % (text, resp[:200]))
                return got
            if collect:
                got.append(resp)

    async def open(self, user, password):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        greeting = await self.reader.readline()
        if not greeting.startswith(b"* OK"):
            raise ImapError("greeting: %r" % greeting[:100])
        await self.command("STARTTLS")
        await self.writer.start_tls(self.ctx)
        await self.command('LOGIN "%s" "%s"' % (user, password))
        await self.command("SELECT INBOX")
        uids = []
        for line in await self.command("UID SEARCH ALL", collect=True):
            if line.startswith(b"* SEARCH"):
                uids += [int(x) for x in line.split()[2:]]
        if not uids:
            raise ImapError("INBOX is empty")
        self.uids = uids

    async def close(self):
        try:
            await asyncio.wait_for(self.command("LOGOUT"), 10)
        except Exception:
            pass
        try:
            self.writer.close()
        except Exception:
            pass


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def open_all(args, n):
    ctx = tls_context()
    sem = asyncio.Semaphore(args.connect_parallel)
    password = open(args.password_file).read().strip()

    async def one():
        async with sem:
            s = Session(args.host, args.port, ctx)
            for attempt in range(3):
                try:
                    await asyncio.wait_for(s.open(args.user, password), 120)
                    return s
                except (OSError, asyncio.TimeoutError, ImapError) as e:
                    err = e
                    await asyncio.sleep(0.5 * (attempt + 1))
                    s = Session(args.host, args.port, ctx)
            raise ImapError("session setup failed: %r" % (err,))

    return await asyncio.gather(*(one() for _ in range(n)))


MIX = ["select", "fetch_flags", "fetch_headers", "fetch_body", "store", "search"]


async def run_mix(args):
    t0 = time.monotonic()
    sessions = await open_all(args, args.sessions)
    setup_s = time.monotonic() - t0
    # Every point starts with no \Seen flag, so the STOREs change something on both servers.
    await sessions[0].command("STORE 1:* -FLAGS (\\Seen)")
    words = args.search_words.split(",")
    counts = {k: 0 for k in MIX}
    failures = []
    start = time.monotonic()
    cpu0 = os.times()
    roots = [int(x) for x in args.cpu_pids.split(",") if x]
    server0 = tree_cpu(roots)
    deadline = start + args.duration

    async def loop(s, seed):
        rnd = random.Random(seed)
        while True:
            for kind in MIX:
                uid = rnd.choice(s.uids)
                if kind == "select":
                    cmd = "SELECT INBOX"
                elif kind == "fetch_flags":
                    cmd = "FETCH 1:* (FLAGS)"
                elif kind == "fetch_headers":
                    cmd = "UID FETCH %d (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])" % uid
                elif kind == "fetch_body":
                    cmd = "UID FETCH %d (BODY.PEEK[])" % uid
                elif kind == "store":
                    cmd = "UID STORE %d +FLAGS (\\Seen)" % uid
                else:
                    cmd = "SEARCH SUBJECT %s" % rnd.choice(words)
                try:
                    await s.command(cmd)
                except ImapError as e:
                    failures.append(str(e)[:200])
                    return
                if time.monotonic() >= deadline:
                    return
                counts[kind] += 1

    await asyncio.gather(*(loop(s, i) for i, s in enumerate(sessions)))
    elapsed = time.monotonic() - start
    cpu1 = os.times()
    server_cpu = tree_cpu(roots) - server0
    client_cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    await asyncio.gather(*(s.close() for s in sessions))
    total = sum(counts.values())
    print(json.dumps({
        "mode": "mix", "sessions": args.sessions, "seconds": round(elapsed, 2),
        "commands": total, "commands_per_s": round(total / elapsed, 1), "per_command": counts,
        "client_cpu_s": round(client_cpu, 1), "server_cpu_s": round(server_cpu, 1),
        "failures": len(failures), "first_failure": failures[:1], "setup_s": round(setup_s, 1),
    }))
    return 0 if not failures else 1


DAY = ["starttls", "login", "list", "status", "select", "fetch_flags", "fetch_body",
       "store_keyword", "store_deleted", "expunge", "append", "logout"]

DAY_MESSAGE = (
    "From: Kim Minsu <minsu.kim@example.go.kr>\r\n"
    "To: bench@localhost\r\n"
    "Subject: Weekly report\r\n"
    "Date: Mon, 7 Dec 2026 09:00:00 +0900\r\n"
    "Message-ID: <weekly-report@example.go.kr>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n" + "The weekly figures are attached below.\r\n" * 100
).encode()


async def day_cycle(s, user, password, rnd, done):
    """One client's connection from connect to LOGOUT; DONE(kind, seconds) after each command."""
    s.reader, s.writer = await asyncio.open_connection(s.host, s.port, limit=1 << 20)
    try:
        if not (await s.reader.readline()).startswith(b"* OK"):
            raise ImapError("no greeting")

        async def timed(kind, text, collect=False):
            t = time.monotonic()
            got = await s.command(text, collect)
            done(kind, time.monotonic() - t)
            return got

        await timed("starttls", "STARTTLS")
        await s.writer.start_tls(s.ctx)
        await timed("login", 'LOGIN "%s" "%s"' % (user, password))
        await timed("list", 'LIST "" "*"')
        await timed("status", "STATUS INBOX (MESSAGES UNSEEN UIDNEXT)")
        await timed("select", "SELECT INBOX")
        uids = []
        for line in await timed("fetch_flags", "FETCH 1:* (UID FLAGS)", collect=True):
            i = line.find(b"UID ")
            if i >= 0:
                uids.append(int(line[i + 4:].split(b" ")[0].rstrip(b")")))
        if uids:
            await timed("fetch_body", "UID FETCH %d (BODY.PEEK[])" % rnd.choice(uids))
            await timed("store_keyword", "UID STORE %d +FLAGS ($Work)" % rnd.choice(uids))
            await timed("store_deleted", "UID STORE %d +FLAGS (\\Deleted)" % min(uids))
            await timed("expunge", "EXPUNGE")
        await timed("append", "APPEND INBOX (\\Seen) {%d+}\r\n%s" % (
            len(DAY_MESSAGE), DAY_MESSAGE.decode()))
        await timed("logout", "LOGOUT")
    finally:
        s.writer.close()


async def run_day(args):
    ctx = tls_context()
    password = open(args.password_file).read().strip()
    counts = {k: 0 for k in DAY}
    latencies = {k: [] for k in DAY}
    failures = []
    roots = [int(x) for x in args.cpu_pids.split(",") if x]
    start = time.monotonic()
    server0 = tree_cpu(roots)
    deadline = start + args.duration

    def done(kind, seconds):
        if time.monotonic() < deadline:
            counts[kind] += 1
            latencies[kind].append(seconds)

    async def client(i):
        rnd = random.Random(i)
        user = args.user.replace("{n}", str(i % args.accounts))
        while time.monotonic() < deadline:
            try:
                await asyncio.wait_for(
                    day_cycle(Session(args.host, args.port, ctx), user, password, rnd, done), 120)
            except (OSError, asyncio.TimeoutError, ImapError, ssl.SSLError) as e:
                failures.append(repr(e)[:200])
                await asyncio.sleep(0.2)

    await asyncio.gather(*(client(i) for i in range(args.sessions)))
    elapsed = time.monotonic() - start
    server_cpu = tree_cpu(roots) - server0
    total = sum(counts.values())
    for times in latencies.values():
        times.sort()

    def percentile(kind, p):
        times = latencies[kind]
        return round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1) if times else None

    print(json.dumps({
        "mode": "day", "sessions": args.sessions, "accounts": args.accounts,
        "seconds": round(elapsed, 2), "commands": total,
        "commands_per_s": round(total / elapsed, 1), "per_command": counts,
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_command": round(server_cpu * 1000 / total, 2) if total else None,
        "login_ms_p50": percentile("login", 0.5), "login_ms_p99": percentile("login", 0.99),
        "ms_p50_p99": {k: [percentile(k, 0.5), percentile(k, 0.99)] for k in DAY},
        "failures": len(failures), "first_failure": failures[:1],
    }))
    return 0 if not failures else 1


def proc_mem(pid):
    """(VmRSS kB, Pss kB) of one process, 0 if it is gone."""
    rss = pss = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def tree_cpu(roots):
    """CPU seconds (utime + stime) of the given processes and all their descendants."""
    children, ticks = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(d))
        ticks[int(d)] = int(fields[11]) + int(fields[12])
    total, stack = 0, list(roots)
    while stack:
        p = stack.pop()
        total += ticks.get(p, 0)
        stack += children.get(p, [])
    return total / os.sysconf("SC_CLK_TCK")


def tree_mem(root, names):
    """Memory of `root` itself (names empty) or of its descendants whose comm is in names."""
    if not names:
        rss, pss = proc_mem(root)
        return {"processes": 1, "rss_kb": rss, "pss_kb": pss}
    children = {}
    comm = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        r = st.rfind(")")
        comm[int(d)] = st[st.find("(") + 1:r]
        children.setdefault(int(st[r + 2:].split()[1]), []).append(int(d))
    out = {"processes": 0, "rss_kb": 0, "pss_kb": 0}
    stack = [root]
    while stack:
        p = stack.pop()
        for c in children.get(p, []):
            stack.append(c)
            if comm.get(c) in names:
                rss, pss = proc_mem(c)
                out["processes"] += 1
                out["rss_kb"] += rss
                out["pss_kb"] += pss
    return out


async def run_idle(args):
    names = set(filter(None, args.mem_names.split(",")))
    before = tree_mem(args.mem_pid, names)
    t0 = time.monotonic()
    sessions = await open_all(args, args.sessions)
    setup_s = time.monotonic() - t0

    async def start_idle(s):
        s.tagn += 1
        s.idle_tag = b"T%d" % s.tagn
        s.writer.write(s.idle_tag + b" IDLE\r\n")
        await s.writer.drain()
        while True:
            line = await s.read_response_line()
            if line.startswith(b"+"):
                return

    await asyncio.gather(*(start_idle(s) for s in sessions))
    await asyncio.sleep(args.settle)
    after = tree_mem(args.mem_pid, names)
    n = args.sessions
    print(json.dumps({
        "mode": "idle", "sessions": n, "setup_s": round(setup_s, 1),
        "before": before, "after": after,
        "rss_kb_per_session": round((after["rss_kb"] - before["rss_kb"]) / n, 1),
        "pss_kb_per_session": round((after["pss_kb"] - before["pss_kb"]) / n, 1),
    }), flush=True)

    async def end(s):
        try:
            s.writer.write(b"DONE\r\n")
            await s.writer.drain()
            while not (await s.read_response_line()).startswith(s.idle_tag + b" "):
                pass
        except Exception:
            pass
        await s.close()

    await asyncio.gather(*(asyncio.wait_for(end(s), 30) for s in sessions), return_exceptions=True)
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["mix", "day", "idle"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--sessions", type=int, default=1)
    p.add_argument("--duration", type=float, default=20)
    p.add_argument("--search-words", default="quarterly,budget,meeting,zebra")
    p.add_argument("--connect-parallel", type=int, default=20)
    p.add_argument("--mem-pid", type=int, default=0, help="idle: the process (or parent) to measure")
    p.add_argument("--mem-names", default="", help="idle: comm names of descendants to sum instead")
    p.add_argument("--cpu-pids", default="", help="mix, day: server processes (with descendants) whose CPU time to report")
    p.add_argument("--settle", type=float, default=3)
    p.add_argument("--accounts", type=int, default=1, help="day: accounts {n} in --user runs over")
    args = p.parse_args()
    coro = {"mix": run_mix, "day": run_day, "idle": run_idle}[args.mode](args)
    sys.exit(asyncio.run(coro))


if __name__ == "__main__":
    main()
