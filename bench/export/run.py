#!/usr/bin/env python3
"""Peak memory of the mailbox export worker against the mailbox's size.

Starts a private govmail suite (imapd over the test PostgreSQL named by GOVMAIL_TEST_PG_ROOT,
binaries from GOVMAIL_BIN_DIR, as the integration tests do), fills one account over IMAP
with pipelined MULTIAPPEND until it holds --gib GiB (default 2) in --message-kib KiB
messages of random base64 (an attachment each; default 256 KiB), and one account with a single message; then runs
`/usr/bin/time -v mailadm export run` for each and prints the peak resident set size, the
wall time and the archive's size, and checks the big archive with `unzip -t`.

    GOVMAIL_BIN_DIR=build/debug/bin GOVMAIL_TEST_PG_ROOT=build/debug/test-pg \\
        python3 bench/export/run.py [--gib 2] [--message-kib 256]
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))

from harness import Suite, client_tls_context  # noqa: E402
import imaplib  # noqa: E402

PASSWORD = "export-bench-password-1"
BATCH_BYTES = 8 * 2**20


def attachment(size):
    """SIZE bytes of base64 lines of random data: an attachment that does not compress."""
    text = base64.encodebytes(os.urandom(size * 3 // 4 + 3)).replace(b"\n", b"\r\n")
    return text[:size]


def fill(suite, user, count, size):
    conn = imaplib.IMAP4_SSL("127.0.0.1", suite.ports["imaps"], ssl_context=client_tls_context())
    conn.login(user, PASSWORD)
    n = 0
    while n < count:
        command = f"B{n} APPEND INBOX".encode()
        batch = 0
        while n < count and batch < BATCH_BYTES:
            n += 1
            raw = (f"From: bench@example.go.kr\r\nTo: {user}\r\nSubject: message {n}\r\n"
                   "Content-Type: application/octet-stream\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n").encode() + attachment(size)
            command += b" {%d+}\r\n" % len(raw) + raw
            batch += len(raw)
        conn.send(command + b"\r\n")
        while True:
            line = conn.readline()
            if not line:
                raise RuntimeError("imapd closed the connection")
            if line.startswith(b"B"):
                if b" OK" not in line:
                    raise RuntimeError(line)
                break
    conn.logout()


def export(suite, user):
    token = json.loads(suite.mailadm("--json", "export", "request", "--account", user).stdout)["token"]
    started = time.monotonic()
    run = subprocess.run(
        ["/usr/bin/time", "-v", os.path.join(os.environ["GOVMAIL_BIN_DIR"], "mailadm"),
         "--config", suite.config, "--json", "export", "run"],
        capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    out = os.path.join(suite.dir, user + ".zip")
    suite.mailadm("export", "fetch", token, "--account", user, "--output", out)
    return out, rss, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=2.0)
    parser.add_argument("--message-kib", type=int, default=256)
    args = parser.parse_args()
    size = args.message_kib * 1024
    count = int(args.gib * 2**30) // size

    suite = Suite(daemons=("imapd",))
    try:
        small = suite.create_account(password=PASSWORD)
        big = suite.create_account(password=PASSWORD)
        fill(suite, small, 1, size)
        started = time.monotonic()
        fill(suite, big, count, size)
        print(f"delivered {count} messages of {args.message_kib} KiB "
              f"({count * size / 2**30:.2f} GiB) in {time.monotonic() - started:.0f} s")
        _, small_rss, small_s = export(suite, small)
        archive, big_rss, big_s = export(suite, big)
        subprocess.run(["unzip", "-tq", archive], check=True, stdout=subprocess.DEVNULL)
        print(f"1 message:      peak RSS {small_rss / 1024:.1f} MiB, {small_s:.1f} s")
        print(f"{count} messages: peak RSS {big_rss / 1024:.1f} MiB, {big_s:.1f} s, "
              f"archive {os.path.getsize(archive) / 2**20:.0f} MiB (unzip -t: ok)")
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
