"""An official's whole life in the suite, end to end, with clients nobody here wrote: the
directory is synced with `mailadm`, the official's first IMAP login with their GPKI
certificate (AUTHENTICATE EXTERNAL, Python ssl + imaplib) files a signup request, the
administrator sees its checks and approves it, the official reads mail; the next day's
directory no longer lists them: their open IMAP IDLE and SMTP sessions are ended within
seconds, certificate, token and password logins all fail, mail to them is still stored and
its sender gets the retiree auto-reply. Suspension ends sessions the same way."""

import base64
import imaplib
import json
import os
import smtplib
import time
import unittest
from email.message import EmailMessage

from gpki_fixture import GpkiFixture, client_context
from harness import Suite

HEADER = "employee_no,name,org_unit,position,mail_id,office_phone,mobile_phone,cert_identity\r\n"
OFFICIAL_CN = "089홍길동001"
OFFICIAL = ("30001,홍길동,행정안전부 디지털정부국,사무관,gildong.hong,02-2100-3001,"
            "010-3001-0001," + OFFICIAL_CN + "\r\n")
COLLEAGUES = ("30002,김영희,행정안전부 디지털정부국,주무관,younghee.kim,02-2100-3002,"
              "010-3002-0002,089김영희002\r\n"
              "30003,이철수,행정안전부 정책기획관실,서기관,cheolsu.lee,02-2100-3003,"
              "010-3003-0003,089이철수003\r\n")
SESSION_END_LIMIT_S = 5.0


def b64(text):
    return base64.b64encode(text.encode()).decode()


class LifecycleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.cert, _ = cls.gpki.pki.person("hong", cn=OFFICIAL_CN)
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=cls.gpki.config())
        cls.addClassCleanup(cls.suite.stop)
        refreshed = cls.gpki.refresh_crls(cls.suite.config)
        assert refreshed.returncode == 0, (refreshed.stdout, refreshed.stderr)

    def mailadm_json(self, *args):
        out = self.suite.mailadm("--json", *args)
        return json.loads(out.stdout)

    def sync(self, name, rows):
        path = os.path.join(self.suite.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEADER + rows)
        return self.mailadm_json("directory", "sync", path)

    def imap_external(self):
        client = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                   ssl_context=client_context(self.cert), timeout=20)
        try:
            client.authenticate("EXTERNAL", lambda _: b"")
        except BaseException:
            client.shutdown()
            raise
        return client

    def deliver(self, sender, recipient, subject):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Message-ID"] = f"<{subject}@mail.test>"
        message.set_content("민원 처리 결과를 회신드립니다.\n")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.send_message(message)

    def start_idle(self, client):
        client.select("INBOX")
        tag = client._new_tag()
        client.send(tag + b" IDLE\r\n")
        self.assertTrue(client.readline().startswith(b"+"))
        client.sock.settimeout(20)

    def assert_idle_ended(self, client, started):
        """The server says BYE (and closes) within SESSION_END_LIMIT_S of STARTED."""
        line = client.readline()
        elapsed = time.monotonic() - started
        self.assertTrue(line.startswith(b"* BYE"), line)
        self.assertIn(b"Account disabled", line)
        self.assertLess(elapsed, SESSION_END_LIMIT_S)
        self.assertEqual(client.readline(), b"")  # closed
        client.shutdown()

    def assert_smtp_session_ended(self, client):
        code, text = client.getreply()
        self.assertEqual(code, 421, text)
        self.assertIn(b"Account disabled", text)

    def test_signup_by_certificate_then_retirement_by_directory_sync(self):
        summary = self.sync("day1.csv", OFFICIAL + COLLEAGUES)
        self.assertEqual(summary["added"], 3)

        # First login with the certificate: no account yet, a request is filed.
        with self.assertRaisesRegex(imaplib.IMAP4.error,
                                    r"Signup request \d+ for mail ID gildong.hong filed"):
            self.imap_external()
        with self.assertRaisesRegex(imaplib.IMAP4.error, "pending approval"):
            self.imap_external()
        pending = self.mailadm_json("signup", "list", "--pending")
        self.assertEqual(len(pending), 1)
        request = pending[0]
        self.assertEqual((request["mail_id"], request["employee_no"], request["name"]),
                         ("gildong.hong", "30001", "홍길동"))
        self.assertEqual(
            [request[k] for k in ("in_directory", "mail_id_matches", "office_phone",
                                  "mobile_phone", "certificate")],
            [True, True, True, True, "valid"])
        audit = self.mailadm_json("audit", "show", "--action", "signup.request")
        self.assertEqual(len(audit), 1)

        approved = self.mailadm_json("signup", "approve", str(request["id"]))
        self.assertTrue(approved["certificate_bound"])
        official = approved["address"]
        colleague = self.suite.create_account("younghee.kim", password="Colleague-pass-1")
        self.suite.mailadm("account", "password", official, "--stdin",
                           stdin="Official-pass-1\n")
        token = self.suite.mailadm("token", "issue", official).stdout.strip()

        # The official reads mail over AUTHENTICATE EXTERNAL.
        self.deliver(colleague, official, "before-retirement")
        reader = self.imap_external()
        self.assertEqual(reader.select("INBOX"), ("OK", [b"1"]))
        typ, data = reader.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        self.assertEqual(typ, "OK")
        self.assertIn(b"before-retirement", data[0][1])
        self.start_idle(reader)
        submission = smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                                      context=client_context(self.cert))
        submission.ehlo("pc.example.go.kr")
        self.assertEqual(submission.docmd("AUTH", "EXTERNAL =")[0], 235)

        # The next day's directory no longer lists them.
        started = time.monotonic()
        summary = self.sync("day2.csv", COLLEAGUES)
        self.assertEqual((summary["retired"], summary["retired_accounts"]), (1, [official]))
        self.assert_idle_ended(reader, started)
        self.assert_smtp_session_ended(submission)
        submission.close()

        # Every way in is closed.
        with self.assertRaisesRegex(imaplib.IMAP4.error, "no mail ID in the directory"):
            self.imap_external()
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context(), timeout=20) as client:
            with self.assertRaisesRegex(imaplib.IMAP4.error, "not active"):
                client.login(official, "Official-pass-1")
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context(), timeout=20) as client:
            bearer = f"n,a={official},\x01auth=Bearer {token}\x01\x01".encode()
            with self.assertRaises(imaplib.IMAP4.error):
                client.authenticate("OAUTHBEARER", lambda _: bearer)
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_context()) as client:
            client.ehlo("pc.example.go.kr")
            code, _ = client.docmd("AUTH", "PLAIN " + b64(f"\0{official}\0Official-pass-1"))
            self.assertEqual(code, 535)
        self.assertEqual(self.mailadm_json("signup", "list", "--pending"), [])

        # Mail to the retiree is still stored, and its sender is told they left.
        self.deliver(colleague, official, "after-retirement")
        stored = self.suite.inbox(official)
        self.assertEqual(len(stored), 2)
        self.assertIn(b"after-retirement", stored[1])
        deadline = time.monotonic() + 10
        replies = []
        while not replies and time.monotonic() < deadline:
            replies = [m for m in self.suite.inbox(colleague)
                       if b"Auto-Submitted: auto-replied" in m]
            time.sleep(0.2)
        self.assertEqual(len(replies), 1)
        self.assertIn(b"In-Reply-To: <after-retirement@mail.test>", replies[0])

    def test_suspension_ends_open_sessions(self):
        address = self.suite.create_account(password="Suspend-me-1")
        reader = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                   ssl_context=client_context(), timeout=20)
        reader.login(address, "Suspend-me-1")
        self.start_idle(reader)
        idle_only = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                      ssl_context=client_context(), timeout=20)
        idle_only.login(address, "Suspend-me-1")  # authenticated, nothing selected
        idle_only.sock.settimeout(20)
        bystander = self.suite.create_account(password="Stay-here-1")
        other = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                  ssl_context=client_context(), timeout=20)
        other.login(bystander, "Stay-here-1")

        started = time.monotonic()
        self.suite.mailadm("account", "suspend", address)
        self.assert_idle_ended(reader, started)
        self.assert_idle_ended(idle_only, started)
        # Other accounts' sessions go on.
        self.assertEqual(other.noop()[0], "OK")
        other.logout()

    def password_login(self, address, secret):
        """Logs in over IMAPS and out again; the server's answer to LOGIN, or its refusal."""
        client = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                   ssl_context=client_context(), timeout=20)
        try:
            return client.login(address, secret)[0]
        except imaplib.IMAP4.error as refusal:
            return str(refusal)
        finally:
            client.shutdown()

    def test_a_reconnecting_client_is_refused_after_each_event_that_ends_its_login(self):
        """imapd remembers a verified password (the credential cache), so a reconnect skips
        Argon2id. Each event that ends a login ends the reconnect of a client that has just
        logged in with the old secret, as the events come from mailadm, another process."""
        address = self.suite.create_account(password="First-secret-1")
        app = self.mailadm_json("app-password", "create", address, "--device", "phone")
        for secret in ("First-secret-1", app["password"]):
            self.assertEqual(self.password_login(address, secret), "OK")
            self.assertEqual(self.password_login(address, secret), "OK")  # from the cache

        self.suite.mailadm("account", "password", address, "--stdin",
                           stdin="Second-secret-2\n")
        self.assertIn("AUTHENTICATIONFAILED", self.password_login(address, "First-secret-1"))
        self.assertEqual(self.password_login(address, "Second-secret-2"), "OK")
        self.assertEqual(self.password_login(address, "Second-secret-2"), "OK")

        self.suite.mailadm("app-password", "revoke", address, str(app["id"]))
        self.assertIn("AUTHENTICATIONFAILED", self.password_login(address, app["password"]))

        self.suite.mailadm("account", "suspend", address)
        self.assertIn("not active", self.password_login(address, "Second-secret-2"))
        self.suite.mailadm("account", "resume", address)
        self.assertEqual(self.password_login(address, "Second-secret-2"), "OK")
        self.suite.mailadm("account", "retire", address)
        self.assertIn("not active", self.password_login(address, "Second-secret-2"))
        self.suite.mailadm("account", "delete", address, "--yes")
        self.assertIn("AUTHENTICATIONFAILED", self.password_login(address, "Second-secret-2"))


if __name__ == "__main__":
    unittest.main()
