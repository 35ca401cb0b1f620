"""Mailbox export end to end: 10,000 messages across Korean-named folders (created and
filled over IMAP with pipelined MULTIAPPEND), exported by `mailadm export
run`, fetched by link token, checked with `unzip -t`, and compared byte for byte with what
imapd returns for UID FETCH BODY.PEEK[] (Python imaplib). The worker's peak RSS, read with
/usr/bin/time -v, must not grow with the mailbox: the 80 MB export may use at most 32 MiB
more than a one-message export."""

import base64
import imaplib
import json
import os
import re
import subprocess
import unittest
import zipfile

from harness import Suite, client_tls_context

PASSWORD = "export-test-password-1"
FOLDERS = ["INBOX", "보낸편지함", "업무/2026년 예산", "../../etc"]
PER_FOLDER = 2500
FILLER_BYTES = 8000
BATCH = 100


def mutf7(name):
    """RFC 3501 modified UTF-7, for mailbox names on the wire."""
    out, pending = [], []

    def flush():
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return '"' + "".join(out) + '"'


def peak_rss_kib(stderr):
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    assert match, stderr
    return int(match.group(1))


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",))
        cls.addClassCleanup(cls.suite.stop)
        cls.owner = cls.suite.create_account(password=PASSWORD)
        cls.small = cls.suite.create_account(password=PASSWORD)

    def imaps(self, user):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context())
        conn.login(user, PASSWORD)
        return conn

    def fill(self, user, folders, per_folder):
        """PER_FOLDER distinct messages in each folder, delivered over IMAP: MULTIAPPEND
        (RFC 3502) batches with LITERAL+ literals, so no round trip per message."""
        conn = self.imaps(user)
        for folder in folders:
            if folder != "INBOX":
                typ, data = conn.create(mutf7(folder))
                self.assertEqual(typ, "OK", data)
            for first in range(1, per_folder + 1, BATCH):
                command = f"M{first} APPEND {mutf7(folder)}".encode()
                for n in range(first, min(first + BATCH, per_folder + 1)):
                    raw = ("From: 홍길동 <hong@example.go.kr>\r\nTo: " + user + "\r\nSubject: " +
                           f"{folder} {n}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                           + "안녕하세요 가나다라\r\n" * (FILLER_BYTES // 30)).encode()
                    command += b" {%d+}\r\n" % len(raw) + raw
                conn.send(command + b"\r\n")
                while True:
                    line = conn.readline()
                    self.assertTrue(line, "connection closed")
                    if line.startswith(f"M{first} ".encode()):
                        self.assertTrue(line.startswith(f"M{first} OK".encode()), line)
                        break
        conn.logout()

    def export(self, user):
        """Requests and builds an export of USER; its archive path and the worker's peak RSS."""
        requested = json.loads(self.suite.mailadm("--json", "export", "request",
                                                  "--account", user).stdout)
        # Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default)
        # before reuse, which would hide whether the worker's own memory stays flat.
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(filter(None, (
            os.environ.get("ASAN_OPTIONS"), "quarantine_size_mb=0",
            "thread_local_quarantine_size_kb=0")))
        run = subprocess.run(
            ["/usr/bin/time", "-v", os.path.join(os.environ["GOVMAIL_BIN_DIR"], "mailadm"),
             "--config", self.suite.config, "--json", "export", "run"],
            capture_output=True, text=True, check=True, env=env)
        self.assertEqual(json.loads(run.stdout)["built"], 1, run.stdout)
        out = os.path.join(self.suite.dir, user + ".zip")
        self.suite.mailadm("export", "fetch", requested["token"], "--account", user,
                           "--output", out)
        return out, peak_rss_kib(run.stderr)

    def test_ten_thousand_messages_byte_identical_with_flat_memory(self):
        self.fill(self.small, ["INBOX"], 1)
        _, small_rss = self.export(self.small)

        self.fill(self.owner, FOLDERS, PER_FOLDER)
        archive, big_rss = self.export(self.owner)

        tested = subprocess.run(["unzip", "-t", "-q", archive], capture_output=True, text=True)
        self.assertEqual(tested.returncode, 0, tested.stdout + tested.stderr)

        with zipfile.ZipFile(archive) as z:
            manifest = json.loads(z.read("manifest.json"))
            self.assertEqual(manifest["messages"], len(FOLDERS) * PER_FOLDER)
            folders = {m["mailbox"]: m["folder"] for m in manifest["mailboxes"]}
            self.assertLessEqual(set(FOLDERS), set(folders))
            self.assertEqual(folders["../../etc"], "_/_/etc")
            for info in z.infolist():
                self.assertNotIn("..", info.filename.split("/"))
                if not info.filename.isascii():
                    self.assertTrue(info.flag_bits & 0x800, info.filename)
            conn = self.imaps(self.owner)
            compared = 0
            total = 0
            for folder in FOLDERS:
                typ, _ = conn.select(mutf7(folder), readonly=True)
                self.assertEqual(typ, "OK")
                typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
                self.assertEqual(typ, "OK")
                for item in data:
                    if not isinstance(item, tuple):
                        continue
                    uid = re.search(rb"UID (\d+)", item[0]).group(1).decode()
                    stored = z.read(f"{folders[folder]}/{uid}.eml")
                    self.assertEqual(stored, item[1], f"{folder} uid {uid}")
                    compared += 1
                    total += len(stored)
            conn.logout()
        self.assertEqual(compared, len(FOLDERS) * PER_FOLDER)
        print(f"\nexport of {compared} messages ({total / 2**20:.1f} MiB): peak RSS "
              f"{big_rss / 1024:.1f} MiB; one-message export {small_rss / 1024:.1f} MiB")
        self.assertGreater(total, 60 * 2**20)
        self.assertLess(big_rss - small_rss, 32 * 1024)


if __name__ == "__main__":
    unittest.main()
