"""The portal's sign-in as officials use it, over real HTTPS with Python's urllib and a
cookie jar, the SMS codes read from the development spool gateway: the SMS-code page carries
a pending sign-in id and never the password, and that id is good once and for a few seconds
here ([portal] pending_signin_s); the ID field takes the mail ID alone; the pages, their
error messages and the SMS are Korean (English on request), and times are shown in the
configured zone; the KRDS style sheet and the Pretendard GOV font are served by the portal
itself."""

import re
import time
import unittest

from harness import CHEAP_HASHES, Directory, Suite
from portal_client import (Browser, SmsSpool, csrf_token, element_text, pending_id,
                           sign_in)

PASSWORD = "portal signin password 1"
PENDING_SECONDS = 4


class PortalSignInTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",),
                          extra_config=CHEAP_HASHES + "[sms]\ngateway = spool\n")
        cls.addClassCleanup(cls.suite.stop)
        with open(cls.suite.config, "a") as f:
            f.write(f"""[portal]
listen = 127.0.0.1:{cls.suite.ports['portal']}
networks = 127.0.0.0/8
pending_signin_s = {PENDING_SECONDS}
pending_signin_attempts = 2
""")
        cls.suite.start("portal")
        cls.base = f"https://127.0.0.1:{cls.suite.ports['portal']}"
        cls.spool = SmsSpool(cls.suite)
        cls.directory = Directory(cls.suite, PASSWORD)

    def code_page(self, browser, user, password=PASSWORD):
        status, _, page = browser.post("/signin", {"user": user, "password": password})
        self.assertEqual(status, 200, page)
        self.assertIn('id="code-form"', page)
        return page

    def send_code(self, browser, page, code):
        return browser.request("/signin/code", {
            "csrf": csrf_token(page), "pending": pending_id(page), "code": code})

    def signed_in_as(self, browser):
        _, url, page = browser.get("/")
        return element_text(page, "account") if url == self.base + "/" else None

    def test_the_code_page_keeps_no_password_and_its_id_works_once(self):
        user, _ = self.directory.person("010-5151-0001")
        browser = Browser(self.base)
        page = self.code_page(browser, user)
        self.assertNotIn(PASSWORD, page)
        self.assertNotIn('name="password"', page)
        self.assertNotIn('name="user"', page)
        status, url, _ = self.send_code(browser, page, self.spool.last()[1])
        self.assertEqual((status, url), (200, self.base + "/"))
        self.assertEqual(self.signed_in_as(browser), user)

        # The same id and code again, from another browser: refused, no session.
        again = Browser(self.base)
        _, _, form = again.get("/signin")
        status, _, refused = again.request("/signin/code", {
            "csrf": csrf_token(form), "pending": pending_id(page), "code": self.spool.last()[1]})
        self.assertEqual(status, 401, refused)
        self.assertIn('role="alert"', refused)
        self.assertIsNone(self.signed_in_as(again))

    def test_a_pending_sign_in_expires(self):
        user, _ = self.directory.person("010-5151-0002")
        browser = Browser(self.base)
        page = self.code_page(browser, user)
        time.sleep(PENDING_SECONDS + 1)
        status, _, refused = self.send_code(browser, page, self.spool.last()[1])
        self.assertEqual(status, 401, refused)
        self.assertIn("다시 로그인하십시오", refused)
        self.assertIsNone(self.signed_in_as(browser))

    def test_wrong_codes_are_capped_per_pending_sign_in(self):
        user, _ = self.directory.person("010-5151-0003")
        browser = Browser(self.base)
        page = self.code_page(browser, user)
        code = self.spool.last()[1]
        wrong = "000000" if code != "000000" else "111111"
        status, _, page = self.send_code(browser, page, wrong)
        self.assertEqual(status, 200)
        self.assertIn("인증번호가 맞지 않습니다", page)  # asked again, in Korean
        status, _, refused = self.send_code(browser, page, wrong)  # the second: the last
        self.assertEqual(status, 401, refused)
        # The SMS code itself had a third attempt left; the pending sign-in has none.
        status, _, refused = self.send_code(browser, page, code)
        self.assertEqual(status, 401, refused)
        self.assertIsNone(self.signed_in_as(browser))

    def test_the_mail_id_alone_signs_in(self):
        user, _ = self.directory.person("010-5151-0004")
        mail_id = user.split("@")[0]
        browser = Browser(self.base)
        page = self.code_page(browser, mail_id)
        status, url, _ = self.send_code(browser, page, self.spool.last()[1])
        self.assertEqual((status, url), (200, self.base + "/"))
        self.assertEqual(self.signed_in_as(browser), user)
        status, _, page = Browser(self.base).post(
            "/signin", {"user": mail_id, "password": "wrong"})
        self.assertEqual(status, 401)

    def test_errors_and_the_sms_are_korean_and_english_on_request(self):
        user, _ = self.directory.person("010-5151-0005")
        browser = Browser(self.base)
        status, _, page = browser.post("/signin", {"user": user, "password": "wrong"})
        self.assertEqual(status, 401)
        self.assertIn("인증에 실패했습니다", page)
        self.assertNotIn("Authentication failed", page)
        page = self.code_page(browser, user)
        self.assertIn("끝자리가 0005인 휴대전화로 인증번호를 보냈습니다", page)
        self.assertNotIn("log in again", page)
        self.assertRegex(self.spool.messages()[-1]["text"], r"^\[정부메일\] .*인증번호")

        english = Browser(self.base)
        english.get("/signin?lang=en")
        status, _, page = english.post("/signin", {"user": user, "password": "wrong"})
        self.assertIn("Authentication failed", page)

    def test_times_are_shown_in_the_configured_zone(self):
        user, _ = self.directory.person("010-5151-0006")
        browser = sign_in(self, self.base, user, PASSWORD, self.spool)
        status, _, page = browser.post("/app-passwords", {"device": "phone"})
        self.assertEqual(status, 200, page)
        created = re.search(r'class="device">phone</td><td>([^<]*)<', page)
        self.assertIsNotNone(created, page)
        self.assertRegex(created.group(1), r"^\d{4}-\d\d-\d\d \d\d:\d\d KST$")

    def test_krds_and_pretendard_gov_are_served_by_the_portal(self):
        browser = Browser(self.base)
        status, headers, body, _ = browser.fetch("/signin")
        page = body.decode()
        self.assertIn('<link rel="stylesheet" href="/assets/krds.min.css">', page)
        self.assertIn('<link rel="stylesheet" href="/assets/pretendard-gov.css">', page)
        policy = headers["Content-Security-Policy"]
        self.assertIn("style-src 'self'", policy)
        self.assertIn("font-src 'self'", policy)
        status, headers, body, _ = browser.fetch("/assets/krds.min.css")
        self.assertEqual((status, headers["Content-Type"]), (200, "text/css; charset=utf-8"))
        self.assertIn(b".krds-btn", body)
        status, headers, body, _ = browser.fetch("/assets/pretendard-gov.css")
        self.assertEqual(status, 200)
        fonts = re.findall(r"url\(\./(woff2-subset/[\w.-]+\.woff2)\)", body.decode())
        self.assertEqual(len(fonts), 9)
        for font in fonts:
            status, headers, body, _ = browser.fetch("/assets/" + font)
            self.assertEqual((status, headers["Content-Type"]), (200, "font/woff2"), font)
            self.assertTrue(body.startswith(b"wOF2"), font)
        for path in ("/assets/../govmail.conf", "/assets/", "/assets/.installed"):
            status, _, _, _ = browser.fetch(path)
            self.assertEqual(status, 404, path)

    def test_folders_and_the_address_book_header_are_korean(self):
        user, _ = self.directory.person("010-5151-0007")
        browser = sign_in(self, self.base, user, PASSWORD, self.spool)
        _, _, page = browser.get("/backup")
        self.assertIn('value="Sent"> 보낸편지함<', page)  # IMAP keeps the standard name
        self.assertIn('value="INBOX"> 받은편지함<', page)
        _, _, body, _ = browser.fetch("/address-book.csv")
        self.assertTrue(body.decode("utf-8-sig").startswith("이름,이메일,기관,"))
        _, _, body, _ = browser.fetch("/address-book.csv?header=en")
        self.assertTrue(body.decode("utf-8-sig").startswith("Name,E-mail,Organisation,"))


if __name__ == "__main__":
    unittest.main()
