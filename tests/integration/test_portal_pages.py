"""The portal's account pages end to end, over real HTTPS with Python's urllib and a cookie
jar: a mailbox backup chosen in the portal, built by the export worker (`mailadm export
run`, as the launcher's exporter runs it), downloaded, checked with `unzip -t`, then deleted;
another account's backup refused like a missing one; the address book as CSV, read back
with Python's csv module; a password change, checked with imaplib; and a mobile number
change confirmed with the SMS code sent to the new number (the development spool gateway),
kept by `mailadm directory sync` until the organisation changes the directory's number."""

import csv
import imaplib
import io
import json
import os
import re
import subprocess
import unittest
import zipfile

from harness import (CHEAP_HASHES, Directory, Suite, client_tls_context, imap_login_refusal,
                     unique_local, without_asan_quarantine)
from portal_client import Browser, SmsSpool, element_text, sign_in, sign_in_without_code

without_asan_quarantine()  # the streamed download's memory is measured

PASSWORD = "portal pages password 1"
NEW_PASSWORD = "portal pages password 2"


class PortalPagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",),
                          extra_config=CHEAP_HASHES + "[sms]\ngateway = spool\n")
        cls.addClassCleanup(cls.suite.stop)
        with open(cls.suite.config, "a") as f:
            f.write(f"""[portal]
listen = 127.0.0.1:{cls.suite.ports['portal']}
networks = 127.0.0.0/8
""")
        cls.suite.start("portal")
        cls.base = f"https://127.0.0.1:{cls.suite.ports['portal']}"
        cls.spool = SmsSpool(cls.suite)
        cls.directory = Directory(cls.suite, PASSWORD)

    def account(self):
        """A service account: its password alone signs in (no SMS code)."""
        address = f"{unique_local('pages')}@localhost"
        self.suite.mailadm("account", "create", address, "--service")
        self.suite.mailadm("account", "password", address, "--stdin", stdin=PASSWORD + "\n")
        return address

    def append(self, user, mailbox, subject):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=60)
        conn.login(user, PASSWORD)
        raw = f"From: a@example.org\r\nTo: {user}\r\nSubject: {subject}\r\n\r\nHello.\r\n"
        typ, data = conn.append(mailbox, None, None, raw.encode())
        self.assertEqual(typ, "OK", data)
        conn.logout()

    def audited(self, user):
        return [r[0] for r in self.suite.sql(
            "SELECT action FROM audit_log WHERE actor = :'p1' AND method = 'portal'"
            " ORDER BY 1", user)]

    def test_backup_is_built_downloaded_and_deleted_and_refused_to_others(self):
        user = self.account()
        self.append(user, "INBOX", "Inbox message")
        self.append(user, "Sent", "Sent message")
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        status, _, page = browser.get("/backup")
        self.assertEqual(status, 200, page)
        self.assertIn('<fieldset><legend>', page)
        self.assertIn('name="mailbox" value="Sent"', page)
        self.assertIn('id="no-backups"', page)

        status, _, page = browser.post("/backup", {})  # nothing chosen
        self.assertEqual(status, 400)
        status, _, page = browser.post("/backup", [("mailbox", "Sent"), ("mailbox", "Nope")],
                                       csrf_from="/backup")
        self.assertEqual(status, 400)  # a mailbox the account does not have
        status, headers, body, _ = browser.fetch("/backup")
        self.assertNotIn("Refresh", headers)

        status, url, page = browser.post("/backup", [("mailbox", "Sent")])
        self.assertEqual((status, url), (200, self.base + "/backup"), page)
        export_id = re.search(r'<tr id="backup-(\d+)">', page).group(1)
        self.assertIn('id="notice" role="status"', page)  # being built
        self.assertNotIn(f'id="download-{export_id}"', page)
        status, headers, _, _ = browser.fetch("/backup")
        self.assertEqual(headers["Refresh"], "10")

        built = self.suite.mailadm("--json", "export", "run")
        self.assertEqual(json.loads(built.stdout)["built"], 1, built.stdout)
        _, _, page = browser.get("/backup")
        row = re.search(rf'<tr id="backup-{export_id}">.*?</tr>', page).group(0)
        self.assertRegex(row, r'class="expires">\d{4}-\d\d-\d\d \d\d:\d\d KST<')
        link = f"/backup/download?id={export_id}"
        self.assertIn(f'href="{link}"', row)
        status, headers, archive, _ = browser.fetch(link)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/zip")
        self.assertEqual(headers["Content-Disposition"],
                         f'attachment; filename="govmail-backup-{export_id}.zip"')
        path = os.path.join(self.suite.dir, f"backup-{export_id}.zip")
        with open(path, "wb") as f:
            f.write(archive)
        tested = subprocess.run(["unzip", "-t", "-q", path], capture_output=True, text=True)
        self.assertEqual(tested.returncode, 0, tested.stdout + tested.stderr)
        with zipfile.ZipFile(path) as z:
            manifest = json.loads(z.read("manifest.json"))
            self.assertEqual([m["mailbox"] for m in manifest["mailboxes"]], ["Sent"])
            messages = [n for n in z.namelist() if n.endswith(".eml")]
            self.assertEqual(len(messages), 1)
            self.assertIn(b"Subject: Sent message", z.read(messages[0]))

        # Another account: the link and the delete answer as for an export that does not exist.
        other = sign_in_without_code(self, self.base, self.account(), PASSWORD)
        missing = other.fetch("/backup/download?id=999999999")
        refused = other.fetch(link)
        self.assertEqual((refused[0], refused[2]), (missing[0], missing[2]))
        self.assertEqual(refused[0], 404)
        status, _, _ = other.post("/backup/delete", {"id": export_id}, csrf_from="/backup")
        self.assertEqual(status, 404)
        self.assertEqual(browser.fetch(link)[0], 200)  # still there for its owner

        file_path = self.suite.sql("SELECT file_path FROM exports WHERE export_id = :'p1'",
                                   export_id)[0][0]
        self.assertTrue(os.path.exists(file_path))
        status, url, page = browser.post("/backup/delete", {"id": export_id},
                                         csrf_from="/backup")
        self.assertEqual((status, url), (200, self.base + "/backup"), page)
        self.assertNotIn(f'id="backup-{export_id}"', page)
        self.assertEqual(browser.fetch(link)[0], 404)
        self.assertFalse(os.path.exists(file_path))
        self.assertEqual(self.audited(user),
                         ["export.delete", "export.fetch", "export.fetch", "export.request"])

    def peak_rss_kib(self, name):
        with open(f"/proc/{self.suite.processes[name].pid}/status") as f:
            return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))

    def test_a_large_archive_is_streamed_not_held_in_memory(self):
        user = self.account()
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        _, _, page = browser.post("/backup", [("mailbox", "INBOX")])
        export_id = re.search(r'<tr id="backup-(\d+)">', page).group(1)
        self.suite.mailadm("export", "run")
        file_path = self.suite.sql("SELECT file_path FROM exports WHERE export_id = :'p1'",
                                   export_id)[0][0]
        size = 96 * 2**20
        with open(file_path, "r+b") as f:  # as large as a big mailbox's archive
            f.truncate(size)
        before = self.peak_rss_kib("portal")
        status, _, body, _ = browser.fetch(f"/backup/download?id={export_id}")
        self.assertEqual((status, len(body)), (200, size))
        self.assertLess(self.peak_rss_kib("portal") - before, 16 * 1024)

    def test_address_book_downloads_as_csv_with_inert_formulas(self):
        user = self.account()
        self.suite.mailadm("addressbook", "add", user, "--name", "홍길동",
                           "--email", "hong@example.go.kr", "--organisation", "=HYPERLINK(1)",
                           "--mobile-phone", "010-1234-5678")
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        _, _, page = browser.get("/address-book")
        self.assertIn('href="/address-book.csv"', page)
        status, headers, body, _ = browser.fetch("/address-book.csv")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(headers["Content-Disposition"],
                         'attachment; filename="address-book.csv"')
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        self.assertEqual(rows[0][:2], ["이름", "이메일"])  # Korean; ?header=en: English
        self.assertEqual(rows[1], ["홍길동", "hong@example.go.kr", "'=HYPERLINK(1)", "",
                                   "010-1234-5678", "user"])
        self.assertEqual(len(rows), 2)
        self.assertIn("addressbook.export", self.audited(user))

    def test_password_change_ends_other_sessions_and_the_old_password(self):
        user = self.account()
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD))
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        elsewhere = sign_in_without_code(self, self.base, user, PASSWORD)

        for form, why in (
                ({"current": "wrong", "new": NEW_PASSWORD, "again": NEW_PASSWORD}, "wrong"),
                ({"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD + "x"},
                 "differ"),
                ({"current": PASSWORD, "new": "short", "again": "short"}, "policy")):
            status, _, page = browser.post("/password", form)
            self.assertEqual(status, 400, why)
            self.assertIn('role="alert"', page, why)
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD))
        self.assertIsNotNone(imap_login_refusal(self.suite, user, NEW_PASSWORD))

        status, _, page = browser.post("/password", {
            "current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD})
        self.assertEqual(status, 200, page)
        self.assertIn('id="notice" role="status"', page)
        self.assertIsNone(imap_login_refusal(self.suite, user, NEW_PASSWORD))
        self.assertIsNotNone(imap_login_refusal(self.suite, user, PASSWORD))
        _, url, _ = elsewhere.get("/")
        self.assertEqual(url, self.base + "/signin")
        _, url, _ = browser.get("/")
        self.assertEqual(url, self.base + "/")
        self.assertEqual(self.audited(user), ["password.change", "password.change"])

    def test_mobile_change_needs_the_code_sent_to_the_new_number(self):
        user, no = self.directory.person("010-4242-0001")
        browser = sign_in(self, self.base, user, PASSWORD, self.spool)
        _, _, page = browser.get("/mobile")
        self.assertEqual(element_text(page, "current-mobile"), "010-4242-0001")
        status, _, page = browser.post("/mobile", {"mobile": "not a number"})
        self.assertEqual(status, 400)

        before = self.spool.count()
        status, _, page = browser.post("/mobile", {"mobile": "010-4242-0002"})
        self.assertEqual(status, 200, page)
        self.assertIn('id="mobile-code-form"', page)
        self.assertEqual(self.spool.count(), before + 1)
        number, code = self.spool.last()
        self.assertEqual(number, "01042420002")
        wrong = "000000" if code != "000000" else "111111"
        status, _, page = browser.post("/mobile/confirm",
                                       {"mobile": "010-4242-0002", "code": wrong},
                                       csrf_from="/mobile")
        self.assertEqual(status, 400)
        self.assertIn('id="mobile-code-form"', page)  # asked again
        # The code confirms only the number it went to.
        status, _, page = browser.post("/mobile/confirm",
                                       {"mobile": "010-9999-0000", "code": code},
                                       csrf_from="/mobile")
        self.assertEqual(status, 400)
        self.assertEqual(self.mobile_numbers(no), ("010-4242-0001", None, "010-4242-0001"))

        status, _, page = browser.post("/mobile/confirm",
                                       {"mobile": "010-4242-0002", "code": code},
                                       csrf_from="/mobile")
        self.assertEqual(status, 200, page)
        self.assertEqual(element_text(page, "current-mobile"), "01042420002")
        # The next sign-in's code goes to the new number, also after the next day's sync of
        # the unchanged export, which keeps the directory's number apart.
        sign_in(self, self.base, user, PASSWORD, self.spool)
        self.assertEqual(self.spool.last()[0], "01042420002")
        self.assertIn("mobile.change", self.audited(user))
        self.directory.sync()
        self.assertEqual(self.mobile_numbers(no), ("010-4242-0001", "01042420002", "01042420002"))
        sign_in(self, self.base, user, PASSWORD, self.spool)
        self.assertEqual(self.spool.last()[0], "01042420002")

        # The organisation changes the directory's number: it wins.
        self.directory.change_mobile(no, "010-4242-0003")
        self.assertEqual(self.mobile_numbers(no), ("010-4242-0003", None, "010-4242-0003"))
        sign_in(self, self.base, user, PASSWORD, self.spool)
        self.assertEqual(self.spool.last()[0], "01042420003")

    def mobile_numbers(self, employee_no):
        """The directory's, the user's own and the number in use, as mailadm shows them."""
        shown = json.loads(self.suite.mailadm("--json", "directory", "show", employee_no).stdout)
        return shown["mobile_phone"], shown["user_mobile_phone"], shown["mobile_phone_in_use"]


if __name__ == "__main__":
    unittest.main()
