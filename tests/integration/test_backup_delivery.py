"""Backups as the official receives them: the portal's "all mailboxes" choice, built by the
export worker (`mailadm export run`), the "backup ready" mail it delivers to the INBOX when
[portal] base_url is set (read over IMAP with imaplib: Korean first, then English), the link
in it downloaded with curl without a session, and the archive's entries carrying modes
0644 (files) and 0755 (folders), read with Python's zipfile and `unzip -Z`."""

import email
import email.policy
import imaplib
import json
import os
import re
import subprocess
import unittest
import zipfile

from harness import CHEAP_HASHES, Suite, client_tls_context, unique_local
from portal_client import sign_in_without_code

PASSWORD = "backup delivery password 1"


class BackupDeliveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",), extra_config=CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)
        cls.base = f"https://127.0.0.1:{cls.suite.ports['portal']}"
        with open(cls.suite.config, "a") as f:
            f.write(f"[portal]\nlisten = 127.0.0.1:{cls.suite.ports['portal']}\n"
                    f"networks = 127.0.0.0/8\nbase_url = {cls.base}/\n")
        cls.suite.start("portal")

    def account(self):
        """A service account: its password alone signs in to the portal."""
        address = f"{unique_local('backup')}@localhost"
        self.suite.mailadm("account", "create", address, "--service")
        self.suite.mailadm("account", "password", address, "--stdin", stdin=PASSWORD + "\n")
        return address

    def imaps(self, user):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=60)
        conn.login(user, PASSWORD)
        return conn

    def inbox_messages(self, user):
        conn = self.imaps(user)
        conn.select("INBOX", readonly=True)
        _, data = conn.fetch("1:*", "(RFC822)")
        conn.logout()
        return [email.message_from_bytes(part[1], policy=email.policy.default)
                for part in data if isinstance(part, tuple)]

    def curl(self, url, output):
        done = subprocess.run(["curl", "-sS", "--cacert", self.suite.cert, "-o", output,
                               "-w", "%{http_code}", url],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_all_mailboxes_backup_is_mailed_with_a_link_that_downloads(self):
        user = self.account()
        conn = self.imaps(user)
        conn.create("Projects")
        for mailbox in ("INBOX", "Sent", "Projects"):
            conn.append(mailbox, None, None,
                        f"From: a@example.org\r\nSubject: in {mailbox}\r\n\r\nHi.\r\n".encode())
        _, listed = conn.list()
        conn.logout()
        every_folder = sorted(re.search(rb'"?([^" ]+)"?$', line).group(1).decode()
                              for line in listed)

        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        _, _, page = browser.get("/backup")
        self.assertIn('id="all-mailboxes"', page)
        status, _, page = browser.post("/backup", {"all": "1"})
        self.assertEqual(status, 200, page)
        built = self.suite.mailadm("--json", "export", "run")
        self.assertEqual(json.loads(built.stdout)["built"], 1, built.stdout)

        ready = [m for m in self.inbox_messages(user)
                 if "Your mailbox backup is ready" in m["Subject"]]
        self.assertEqual(len(ready), 1)
        mail = ready[0]
        self.assertTrue(mail["Subject"].startswith("메일함 백업 준비 완료"), mail["Subject"])
        self.assertEqual(mail["Auto-Submitted"], "auto-generated")
        text = mail.get_content()
        self.assertLess(text.index("메일함 백업이 준비되었습니다."),
                        text.index("Your mailbox backup is ready."))
        links = re.findall(rf"{re.escape(self.base)}/backup/link\?token=[0-9a-f]{{64}}", text)
        self.assertEqual(len(links), 2, text)  # once in each language
        self.assertEqual(links[0], links[1])

        archive = os.path.join(self.suite.dir, "mailed.zip")
        self.assertEqual(self.curl(links[0], archive), "200")
        with zipfile.ZipFile(archive) as z:
            manifest = json.loads(z.read("manifest.json"))
            self.assertEqual(sorted(m["mailbox"] for m in manifest["mailboxes"]), every_folder)
            self.assertEqual(manifest["messages"], 3)
            for info in z.infolist():
                mode = info.external_attr >> 16
                self.assertEqual(mode, 0o40755 if info.is_dir() else 0o100644, info.filename)
        shown = subprocess.run(["unzip", "-Z", archive], capture_output=True, text=True,
                               check=True).stdout
        entries = [line for line in shown.splitlines() if line[:1] in ("d", "-")]
        self.assertEqual(len(entries), len(every_folder) + 4)  # folders, 3 messages, manifest
        for line in entries:
            self.assertRegex(line, r"^(drwxr-xr-x|-rw-r--r--) ")
        self.assertIn(["export.fetch"], self.suite.sql(
            "SELECT action FROM audit_log WHERE detail LIKE '%by link'"))

        # A link with another token, or none, or of an account no longer active, opens
        # nothing.
        other = links[0][:-64] + "0" * 64
        self.assertEqual(self.curl(other, os.devnull), "404")
        self.assertEqual(self.curl(f"{self.base}/backup/link", os.devnull), "404")
        self.suite.mailadm("account", "suspend", user)
        self.assertEqual(self.curl(links[0], os.devnull), "404")


if __name__ == "__main__":
    unittest.main()
