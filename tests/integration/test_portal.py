"""The self-service portal end to end: govmail-portal driven over real TLS by Python's urllib
with a cookie jar, as a browser without JavaScript would use it. Sign-in with ID + password
+ SMS code (the development spool gateway), with a GPKI client certificate (the test PKI of
gpki_fixture), sessions, CSRF, the allowed networks, app passwords used by imaplib, and
an away message that answers mail sent with smtplib."""

import base64
import re
import smtplib
import unittest

from gpki_fixture import GpkiFixture
from harness import Directory, Suite, free_port, imap_login_refusal, unique_local
from portal_client import (Browser, SmsSpool, csrf_token, element_text, pending_id,
                           sign_in)

PASSWORD = "portal test password 1"


class PortalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=cls.gpki.config() + """[sms]
gateway = spool
[queue]
concurrency = 0
""")
        cls.addClassCleanup(cls.suite.stop)
        refresh = cls.gpki.refresh_crls(cls.suite.config)
        # A second listener on IPv6 loopback, outside the allowed networks.
        cls.outside_port = free_port()
        with open(cls.suite.config, "a") as f:
            f.write(f"""[portal]
listen = 127.0.0.1:{cls.suite.ports['portal']}, [::1]:{cls.outside_port}
networks = 127.0.0.0/8
session_idle_s = 600
""")
        cls.suite.start("portal")
        cls.base = f"https://127.0.0.1:{cls.suite.ports['portal']}"
        cls.directory = Directory(cls.suite, PASSWORD)
        cls.certified = cls.account()
        bound = cls.suite.mailadm("cert", "bind", cls.certified, cls.gpki.cert("good"),
                                  check=False)
        assert bound.returncode == 0, (refresh.stdout, bound.stderr)

    @classmethod
    def account(cls):
        """An account outside the directory (no SMS code): its password alone signs in."""
        return cls.suite.create_account(unique_local("portal"), password=PASSWORD)

    def last_code(self):
        return SmsSpool(self.suite).last()[1]

    def sign_in(self, user, browser=None):
        """Signs USER in with the password and the SMS code; returns the browser."""
        return sign_in(self, self.base, user, PASSWORD, SmsSpool(self.suite), browser)

    def test_password_and_sms_code_then_an_app_password_reads_mail(self):
        user, _ = self.directory.person("010-3141-5926")
        browser = self.sign_in(user)
        session = [c for c in browser.jar if c.name == "__Host-govmail_session"]
        self.assertEqual(len(session), 1)
        self.assertTrue(session[0].secure)
        self.assertTrue(session[0].has_nonstandard_attr("HttpOnly"))
        self.assertEqual(len(session[0].value), 64)
        # Only the SHA-256 of the id is stored.
        stored = self.suite.sql("SELECT encode(session_sha256, 'hex') FROM portal_sessions")
        self.assertNotIn([session[0].value], stored)

        status, _, page = browser.post("/app-passwords", {"device": "<phone> & co"})
        self.assertEqual(status, 200, page)
        secret = element_text(page, "new-secret")
        self.assertRegex(secret, r"^[a-z2-9]{4}(-[a-z2-9]{4}){4}$")
        self.assertIn("&lt;phone&gt; &amp; co", page)
        self.assertIsNone(imap_login_refusal(self.suite, user, secret))
        _, _, page = browser.get("/app-passwords")
        self.assertNotIn(secret, page)  # shown once only
        row = re.search(r'<tr id="app-password-(\d+)">.*?</tr>', page).group(0)
        self.assertRegex(row, r'class="last-used">\d{4}-\d\d-\d\d ')
        app_id = re.search(r'app-password-(\d+)', row).group(1)
        status, _, page = browser.post("/app-passwords/revoke", {"id": app_id},
                                       csrf_from="/app-passwords")
        self.assertEqual(status, 200, page)
        self.assertIn('id="no-app-passwords"', page)
        self.assertIsNotNone(imap_login_refusal(self.suite, user, secret))

        status, url, _ = browser.post("/signout", {}, csrf_from="/")
        self.assertEqual((status, url), (200, self.base + "/signin"))
        _, url, _ = browser.get("/app-passwords")
        self.assertEqual(url, self.base + "/signin?next=%2Fapp-passwords")

    def test_wrong_password_and_wrong_code_give_no_session(self):
        user, _ = self.directory.person("010-2718-2818")
        browser = Browser(self.base)
        status, _, page = browser.post("/signin", {"user": user, "password": "wrong"})
        self.assertEqual(status, 401)
        self.assertIn('role="alert"', page)
        status, _, page = browser.post("/signin", {"user": user, "password": PASSWORD})
        code = self.last_code()
        wrong = "000000" if code != "000000" else "111111"
        status, _, page = browser.request("/signin/code", {
            "csrf": csrf_token(page), "pending": pending_id(page), "code": wrong})
        self.assertEqual(status, 200)
        self.assertIn('id="code-form"', page)  # asked again
        _, url, _ = browser.get("/")
        self.assertEqual(url, self.base + "/signin")

    def test_posts_without_the_csrf_token_are_refused(self):
        browser = Browser(self.base)
        browser.get("/signin")
        status, _, _ = browser.request("/signin", {"user": self.certified, "password": PASSWORD})
        self.assertEqual(status, 403)
        user, _ = self.directory.person("010-1618-0339")
        browser = self.sign_in(user)
        status, _, _ = browser.request("/app-passwords", {"device": "forged"})
        self.assertEqual(status, 403)
        status, _, _ = browser.request("/app-passwords", {"device": "forged", "csrf": "0" * 64})
        self.assertEqual(status, 403)
        _, _, page = browser.get("/app-passwords")
        self.assertNotIn("forged", page)
        self.assertIn('id="no-app-passwords"', page)

    def test_requests_from_outside_the_networks_are_refused(self):
        status, _, page = Browser(f"https://[::1]:{self.outside_port}").get("/signin")
        self.assertEqual(status, 403)
        self.assertNotIn('id="signin-form"', page)
        status, _, page = Browser(self.base).get("/signin")
        self.assertEqual(status, 200)
        self.assertIn('id="signin-form"', page)

    def test_a_retired_account_signs_in_to_nothing_and_loses_its_session(self):
        user, _ = self.directory.person("010-1414-2135")
        browser = self.sign_in(user)
        self.suite.mailadm("account", "retire", user)
        _, url, _ = browser.get("/")
        self.assertEqual(url, self.base + "/signin")
        status, _, page = Browser(self.base).post("/signin", {"user": user, "password": PASSWORD})
        self.assertNotIn('id="code-form"', page)
        self.assertEqual(status, 401)
        _, url, _ = browser.get("/")
        self.assertEqual(url, self.base + "/signin")

    def test_gpki_client_certificate_signs_in_when_bound(self):
        browser = Browser(self.base, cert=self.gpki.cert("good"))
        status, url, page = browser.post("/signin/certificate", {}, csrf_from="/signin")
        self.assertEqual((status, url), (200, self.base + "/"), page)
        self.assertEqual(element_text(page, "account"), self.certified)
        status, _, page = Browser(self.base).post("/signin/certificate", {}, csrf_from="/signin")
        self.assertEqual(status, 401)
        self.assertIn('role="alert"', page)

    def test_away_message_set_in_the_portal_answers_mail_then_turns_off(self):
        user, _ = self.directory.person("010-5772-1566")
        browser = self.sign_in(user)
        status, _, page = browser.post("/away", {
            "subject": "Out of office", "body": "Back on Monday.", "start": "", "end": "",
            "scope": "all"}, csrf_from="/away")
        self.assertEqual(status, 200, page)
        self.assertIn('id="away-off"', page)
        status, _, page = browser.post("/away", {
            "subject": "", "body": "x", "start": "2030-02-30", "end": "", "scope": "all"},
            csrf_from="/away")
        self.assertEqual(status, 400)  # checked like `mailadm autoreply set`
        bob = f"{unique_local('bob')}@example.org"
        self.send_mx(bob, user, "Meeting")
        replies = self.queued_to(bob)
        self.assertEqual(len(replies), 1)
        self.assertIn("Subject: Out of office", replies[0])
        self.assertIn("Back on Monday.", replies[0])
        audited = self.suite.sql("SELECT action FROM audit_log WHERE actor = :'p1'"
                                 " AND method = 'portal'", user)
        self.assertIn(["autoreply.set"], audited)

        status, _, page = browser.post("/away/off", {}, csrf_from="/away")
        self.assertEqual(status, 200)
        self.assertNotIn('id="away-off"', page)
        carol = f"{unique_local('carol')}@example.org"
        self.send_mx(carol, user, "Later")
        self.assertEqual(self.queued_to(carol), [])

    def send_mx(self, sender, recipient, subject):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as client:
            client.sendmail(sender, [recipient],
                            f"From: {sender}\r\nTo: {recipient}\r\nSubject: {subject}\r\n"
                            f"\r\nHello.\r\n")

    def queued_to(self, recipient):
        """The messages queued for delivery to RECIPIENT (the away replies), as text."""
        rows = self.suite.sql(
            "SELECT translate(encode(b.raw, 'base64'), E'\\n', '') FROM outbound_queue q"
            " JOIN outbound_recipients r USING (account_id, queue_id)"
            " JOIN message_bodies b USING (body_hash) WHERE r.recipient = :'p1'", recipient)
        return [base64.b64decode(r[0]).decode() for r in rows]

    def test_pages_are_korean_by_default_and_english_on_request(self):
        browser = Browser(self.base)
        _, _, page = browser.get("/signin")
        self.assertIn('<html lang="ko">', page)
        _, _, page = browser.get("/signin?lang=en")
        self.assertIn('<html lang="en">', page)
        _, _, page = browser.get("/signin")
        self.assertIn('<html lang="en">', page)  # kept by the cookie
        self.assertIn('<label for="user">User ID</label>', page)


if __name__ == "__main__":
    unittest.main()
