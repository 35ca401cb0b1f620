"""Digital OnePass (SAML 2.0) sign-in, the signup request page and the OAuth 2.0 authorisation
code flow of govmail-portal, over real HTTPS with urllib and a cookie jar. The redirect
binding is followed by hand: the AuthnRequest the portal sends is decoded, the stand-in
identity provider (tests/support/saml_idp.py, signing with xmlsec1) answers it, and the
response is POSTed to the assertion consumer as the provider's page would. The tokens the
portal issues are used by imaplib with XOAUTH2 and OAUTHBEARER."""

import base64
import hashlib
import html
import imaplib
import json
import os
import re
import secrets
import shutil
import smtplib
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from gpki_fixture import GpkiFixture, client_context
from harness import Directory, Suite, client_tls_context, free_port
from portal_client import Browser, SmsSpool, csrf_token, element_text, sign_in

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import saml_idp  # noqa: E402  (the stand-in identity provider)

PASSWORD = "onepass test password 1"
IDP = "https://onepass.test/idp"
SSO = "https://onepass.test/sso"
MOBILE = "010-2718-2818"
SESSION = "__Host-govmail_session"
ATTACKS = ("broken_signature", "missing_signature", "wrapping", "wrapping_signature",
           "two_assertions", "wrong_key", "expired", "not_yet_valid", "wrong_audience",
           "wrong_issuer", "wrong_recipient", "wrong_destination", "wrong_in_response_to",
           "failure_status", "doctype")


def cookie_of(browser, name):
    found = [c for c in browser.jar if c.name == name]
    return found[0] if found else None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OnePassTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.mkdtemp(prefix="govmail-idp-")
        cls.addClassCleanup(shutil.rmtree, cls.keys, True)
        saml_idp.make_keys(cls.keys)
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=cls.gpki.config() +
                          "[queue]\nconcurrency = 0\n[sms]\ngateway = spool\n")
        cls.addClassCleanup(cls.suite.stop)
        cls.gpki.refresh_crls(cls.suite.config)
        port = cls.suite.ports["portal"]
        cls.base = f"https://127.0.0.1:{port}"
        cls.sp = cls.base + "/saml/metadata"
        cls.acs = cls.base + "/saml/acs"
        cls.callback = f"http://127.0.0.1:{free_port()}/callback"
        cls.outside_port = free_port()
        with open(cls.suite.config, "a") as f:
            f.write(f"""[portal]
listen = 127.0.0.1:{port}, [::1]:{cls.outside_port}
networks = 127.0.0.0/8
[onepass]
idp_entity_id = {IDP}
sso_url = {SSO}
idp_certificate = {cls.keys}/idp.pem
sp_entity_id = {cls.sp}
acs_url = {cls.acs}
[oauth]
clients = mailer {cls.callback}
""")
        cls.suite.start("portal")
        cls.directory = Directory(cls.suite, PASSWORD)

    # --- the redirect binding, by hand ---------------------------------------------------

    def start(self, browser, path="/signin/onepass"):
        """Starts a OnePass sign-in in BROWSER at PATH; the AuthnRequest's ID."""
        status, location, _ = browser.get(path, follow=False)
        self.assertEqual(status, 303)
        url = urllib.parse.urlsplit(location)
        self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", SSO)
        request_id = saml_idp.authn_request_id(
            urllib.parse.parse_qs(url.query)["SAMLRequest"][0])
        cookie = cookie_of(browser, "__Host-govmail_saml")
        self.assertEqual(cookie.value, request_id)
        self.assertTrue(cookie.secure)
        return request_id

    def response(self, request_id, user_key, variant="good"):
        """The SAMLResponse form field the provider POSTs for REQUEST_ID."""
        settings = saml_idp.Settings(self.acs, self.sp, IDP, request_id, user_key,
                                     int(time.time()))
        return saml_idp.form_field(saml_idp.build_response(settings, self.keys, variant))

    def post_response(self, browser, field):
        return browser.request("/saml/acs", {"SAMLResponse": field, "RelayState": ""})

    def onepass(self, user_key, browser=None):
        """A whole OnePass sign-in of USER_KEY: (browser, status, final URL, page)."""
        browser = browser or Browser(self.base)
        field = self.response(self.start(browser), user_key)
        return (browser, *self.post_response(browser, field))

    def signed_in_browser(self):
        address, no = self.directory.person(MOBILE)
        browser, status, url, page = self.onepass(no)
        self.assertEqual((status, url), (200, self.base + "/"), page)
        return browser, address

    def audit(self, action):
        out = self.suite.mailadm("--json", "audit", "show", "--action", action).stdout
        return json.dumps(json.loads(out))

    # --- OnePass sign-in -----------------------------------------------------------------

    def test_a_good_response_signs_the_persons_account_in(self):
        address, no = self.directory.person(MOBILE)
        browser, status, url, page = self.onepass(no)
        self.assertEqual((status, url), (200, self.base + "/"), page)
        self.assertEqual(element_text(page, "account"), address)
        self.assertEqual(len(cookie_of(browser, SESSION).value), 64)
        self.assertIsNone(cookie_of(browser, "__Host-govmail_saml"))  # used up
        status, _, page = browser.get("/app-passwords")
        self.assertEqual(status, 200)
        self.assertIn('id="create-form"', page)
        self.assertIn(address, self.audit("login.success"))

    def test_forged_and_mismatched_responses_are_refused(self):
        _, no = self.directory.person(MOBILE)
        for variant in ATTACKS:
            with self.subTest(variant=variant):
                browser = Browser(self.base)
                field = self.response(self.start(browser), no, variant)
                status, _, page = self.post_response(browser, field)
                self.assertEqual(status, 403, page)
                self.assertIsNone(cookie_of(browser, SESSION))
        self.assertIn("onepass response refused: the signature does not verify",
                      self.audit("login.failure"))

    def test_a_replayed_response_is_refused(self):
        _, no = self.directory.person(MOBILE)
        browser, status, _, _ = self.onepass(no)
        self.assertEqual(status, 200)
        field = self.response(self.start(browser), no)
        self.assertEqual(self.post_response(browser, field)[0], 200)
        # The same response again, in a browser that started a sign-in of its own.
        again = Browser(self.base)
        self.start(again)
        self.assertEqual(self.post_response(again, field)[0], 403)
        self.assertIsNone(cookie_of(again, SESSION))
        self.assertIn("onepass assertion replayed", self.audit("login.failure"))

    def test_a_response_only_signs_in_the_browser_that_asked(self):
        _, no = self.directory.person(MOBILE)
        victim, attacker = Browser(self.base), Browser(self.base)
        self.start(victim)
        attackers_request = self.start(attacker)
        field = self.response(attackers_request, no)
        status, _, page = self.post_response(victim, field)
        self.assertEqual(status, 403, page)
        self.assertIsNone(cookie_of(victim, SESSION))
        # No request cookie at all: refused before the response is read.
        stranger = Browser(self.base)
        field = self.response(self.start(Browser(self.base)), no)
        self.assertEqual(self.post_response(stranger, field)[0], 403)
        self.assertIn("another browser's request", self.audit("login.failure"))

    def test_retired_and_suspended_people_sign_in_to_nothing(self):
        suspended, suspended_no = self.directory.person(MOBILE)
        self.suite.mailadm("account", "suspend", suspended)
        _, status, _, page = self.onepass(suspended_no)
        self.assertEqual(status, 403, page)
        _, retired_no = self.directory.person(MOBILE)
        self.directory.retire(retired_no)
        browser, status, _, page = self.onepass(retired_no)
        self.assertEqual(status, 403, page)
        self.assertIsNone(cookie_of(browser, SESSION))
        # The Authenticator decides (Method::OnePass) and audits the refusals.
        refusals = self.audit("login.refused")
        self.assertIn("account suspended (portal)", refusals)
        self.assertIn("person retired (portal)", refusals)

    def test_a_person_without_a_password_sets_a_first_one_by_sms(self):
        mail_id, no = self.directory.entry("010-3030-0001")
        address = f"{mail_id}@localhost"
        self.suite.mailadm("account", "create", address)  # no password: OnePass only
        spool = SmsSpool(self.suite)
        browser, status, url, page = self.onepass(no)
        self.assertEqual((status, url), (200, self.base + "/"), page)
        status, _, page = browser.get("/password")
        self.assertEqual(status, 200)
        self.assertIn('id="first-code-form"', page)
        self.assertNotIn('name="current"', page)

        before = spool.count()
        status, _, page = browser.post("/password/first/code", {}, csrf_from="/password")
        self.assertEqual(status, 200, page)
        self.assertIn('id="first-password-form"', page)
        self.assertEqual(spool.count(), before + 1)
        number, code = spool.last()
        self.assertEqual(number, "01030300001")  # the directory's
        wrong = "000000" if code != "000000" else "111111"
        fresh = "a first password 1"
        status, _, page = browser.request("/password/first", {
            "csrf": csrf_token(page), "code": wrong, "new": fresh, "again": fresh})
        self.assertEqual(status, 400, page)
        self.assertIn('id="first-password-form"', page)  # asked again
        status, _, page = browser.request("/password/first", {
            "csrf": csrf_token(page), "code": code, "new": fresh, "again": fresh})
        self.assertEqual(status, 200, page)
        self.assertIn('id="notice" role="status"', page)
        _, _, page = browser.get("/password")
        self.assertIn('name="current"', page)  # from now on a change
        self.assertIn("first password, confirmed by SMS", self.audit("password.change"))

        # ID + password + SMS code now signs the person in, with the mail ID alone too.
        sign_in(self, self.base, address, fresh, spool)
        self.assertEqual(spool.last()[0], "01030300001")

    def test_sp_metadata_names_the_consumer(self):
        status, _, body = Browser(self.base).get("/saml/metadata")
        self.assertEqual(status, 200)
        self.assertIn(f'entityID="{self.sp}"', body)
        self.assertIn(f'Location="{self.acs}"', body)

    def test_forms_without_the_csrf_token_are_refused(self):
        browser, _ = self.signed_in_browser()
        for path, form in (("/app-passwords", {"device": "phone"}),
                           ("/oauth/authorize", {"decision": "allow"}),
                           ("/signup", {}),
                           ("/signin", {"user": "x", "password": "y"})):
            with self.subTest(path=path):
                status, _, _ = browser.request(path, form)
                self.assertEqual(status, 403)
        self.assertEqual(self.suite.sql("SELECT count(*) FROM app_passwords"), [["0"]])

    def test_outside_the_networks_nothing_is_served(self):
        outside = Browser(f"https://[::1]:{self.outside_port}")
        for path in ("/signin/onepass", "/signup", "/oauth/authorize"):
            self.assertEqual(outside.get(path, follow=False)[0], 403, path)
        self.assertEqual(outside.request("/saml/acs", {"SAMLResponse": "x"})[0], 403)
        self.assertEqual(outside.request("/oauth/token", {"code": "x"})[0], 403)

    # --- signup --------------------------------------------------------------------------

    def test_a_person_without_an_account_files_a_signup_request(self):
        mail_id, no = self.directory.entry(MOBILE)
        browser, status, url, page = self.onepass(no)
        self.assertEqual((status, url), (200, self.base + "/signup"), page)
        self.assertIsNone(cookie_of(browser, SESSION))
        self.assertEqual(element_text(page, "mail-id"), mail_id)
        for check in ("in-directory", "mail-id", "office-phone", "mobile-phone"):
            self.assertIn(f'id="check-{check}" class="passed"', page)
        status, _, page = browser.post("/signup", {})
        self.assertEqual(status, 200, page)
        request_id = int(element_text(page, "request-id"))
        pending = json.loads(
            self.suite.mailadm("--json", "signup", "list", "--pending").stdout)
        mine = [r for r in pending if r["id"] == request_id]
        self.assertEqual(len(mine), 1, pending)
        self.assertEqual((mine[0]["mail_id"], mine[0]["employee_no"]), (mail_id, no))
        self.assertEqual(mine[0]["source"], "127.0.0.1")
        self.assertTrue(mine[0]["in_directory"] and mine[0]["mail_id_matches"])
        # Not twice; and approved, the same OnePass sign-in reaches the new account.
        self.assertEqual(browser.post("/signup", {})[0], 409)
        self.suite.mailadm("signup", "approve", str(request_id))
        self.assertEqual(browser.get("/signup", follow=False)[:2], (303, "/signin/onepass"))
        _, status, url, page = self.onepass(no)
        self.assertEqual((status, url), (200, self.base + "/"), page)
        self.assertEqual(element_text(page, "account"), f"{mail_id}@localhost")

    def test_the_signup_page_needs_a_onepass_pass(self):
        status, _, page = Browser(self.base).get("/signup")
        self.assertEqual(status, 403, page)
        # A person who has left since: the pass no longer helps.
        _, no = self.directory.entry(MOBILE)
        browser, status, url, _ = self.onepass(no)
        self.assertEqual(url, self.base + "/signup")
        self.directory.retire(no)
        self.assertEqual(browser.post("/signup", {}, csrf_from="/signin")[0], 403)
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM signup_requests WHERE employee_no = :'p1'", no), [["0"]])

    def test_nobody_in_the_directory_is_told_so(self):
        _, status, _, page = self.onepass("E999999")
        self.assertEqual(status, 403, page)
        self.assertIn("onepass user key names nobody", self.audit("login.failure"))

    # --- a GPKI certificate without an account -----------------------------------------

    def test_an_unbound_certificate_gets_the_signup_page_and_approval_binds_it(self):
        cn = f"089Signup{secrets.token_hex(3)}"
        cert, _ = self.gpki.pki.person(cn, cn=cn)
        mail_id, no = self.directory.entry(MOBILE, cert_identity=cn)
        browser = Browser(self.base, cert=cert)
        status, url, page = browser.post("/signin/certificate", {}, csrf_from="/signin")
        self.assertEqual((status, url), (200, self.base + "/signup"), page)
        self.assertEqual((element_text(page, "employee-no"), element_text(page, "mail-id")),
                         (no, mail_id))
        self.assertIn("signup page offered to employee " + no, self.audit("login.failure"))
        self.assertEqual(self.suite.mailadm("--json", "signup", "list", "--pending").stdout
                         .count(mail_id), 0)  # nothing filed before they ask
        status, _, page = browser.post("/signup", {})
        self.assertEqual(status, 200, page)
        request_id = element_text(page, "request-id")
        self.assertIn(f"request {request_id} for mail ID {mail_id} (employee {no}, certificate)",
                      self.audit("signup.request"))
        approved = json.loads(self.suite.mailadm("--json", "signup", "approve", request_id).stdout)
        self.assertTrue(approved["certificate_bound"], approved)
        status, url, page = Browser(self.base, cert=cert).post(
            "/signin/certificate", {}, csrf_from="/signin")
        self.assertEqual((status, url), (200, self.base + "/"), page)
        self.assertEqual(element_text(page, "account"), approved["address"])

    # --- landing on the page asked for before the sign-in --------------------------------

    def authorize_path(self):
        return "/oauth/authorize?" + urllib.parse.urlencode({
            "response_type": "code", "client_id": "mailer", "redirect_uri": self.callback,
            "code_challenge": b64url(hashlib.sha256(b"n" * 43).digest()),
            "code_challenge_method": "S256", "state": "next", "scope": "mail"})

    def signin_page_for(self, browser, path):
        """A signed-out visit to PATH: the sign-in page it is sent to."""
        status, location, _ = browser.get(path, follow=False)
        self.assertEqual((status, location),
                         (303, "/signin?next=" + urllib.parse.quote(path, safe="")))
        status, _, page = browser.get(location)
        self.assertEqual(status, 200, page)
        return page

    def password_sign_in(self, browser, address, sign_in_page):
        """Password and SMS code through the forms of SIGN_IN_PAGE, hidden fields (next)
        kept: (status, final URL, page)."""
        def fields_of(page):
            return {name: html.unescape(value) for name, value in
                    re.findall(r'name="([a-z_]+)" value="([^"]*)"', page)}
        form = fields_of(sign_in_page.split('id="signin-form"')[1].split("</form>")[0])
        form.update(user=address, password=PASSWORD)
        status, _, page = browser.request("/signin", form)
        self.assertIn('id="code-form"', page)
        form = fields_of(page)
        form["code"] = SmsSpool(self.suite).last()[1]
        return browser.request("/signin/code", form)

    def test_a_sign_in_lands_on_the_authorisation_request_asked_for(self):
        address, no = self.directory.person(MOBILE)
        wanted = self.authorize_path()
        # OnePass: the link on the sign-in page carries the request through the provider.
        browser = Browser(self.base)
        page = self.signin_page_for(browser, wanted)
        link = html.unescape(re.search(r'id="onepass" href="([^"]*)"', page).group(1))
        field = self.response(self.start(browser, link), no)
        status, url, page = self.post_response(browser, field)
        self.assertEqual((status, url), (200, self.base + wanted), page)
        self.assertEqual(element_text(page, "client"), "mailer")
        self.assertIsNone(cookie_of(browser, "__Host-govmail_saml_next"))  # used up
        # Password and SMS code: the forms carry it.
        browser = Browser(self.base)
        page = self.signin_page_for(browser, wanted)
        status, url, page = self.password_sign_in(browser, address, page)
        self.assertEqual((status, url), (200, self.base + wanted), page)
        self.assertEqual(element_text(page, "client"), "mailer")

    def test_a_next_page_elsewhere_lands_on_the_home_page(self):
        address, no = self.directory.person(MOBILE)
        for attack in ("//evil.example", "https://evil.example", "/\\evil.example",
                       "//evil.example/oauth/authorize"):
            with self.subTest(attack=attack):
                next_query = "?next=" + urllib.parse.quote(attack, safe="")
                browser = Browser(self.base)
                field = self.response(self.start(browser, "/signin/onepass" + next_query), no)
                self.assertEqual(self.post_response(browser, field)[:2],
                                 (200, self.base + "/"))
                browser = Browser(self.base)
                _, _, page = browser.get("/signin" + next_query)
                self.assertNotIn("evil", page)
                forged = page.replace('name="next" value="/"',
                                      f'name="next" value="{html.escape(attack)}"')
                status, url, page = self.password_sign_in(browser, address, forged)
                self.assertEqual((status, url), (200, self.base + "/"), page)

    def test_the_consent_page_lets_its_form_go_to_the_client(self):
        browser, _ = self.signed_in_browser()
        status, headers, _, _ = browser.fetch(self.authorize_path())
        self.assertEqual(status, 200)
        callback = urllib.parse.urlsplit(self.callback)
        self.assertIn(f"form-action 'self' http://{callback.netloc};",
                      headers["Content-Security-Policy"] + ";")
        status, headers, _, _ = browser.fetch("/")
        self.assertTrue(headers["Content-Security-Policy"].endswith("form-action 'self'"))

    # --- OAuth 2.0 with PKCE -------------------------------------------------------------

    def authorize(self, browser, challenge, decision="allow", redirect_uri=None):
        """The consent page for CHALLENGE, then DECISION; (status, Location or page)."""
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": "mailer",
            "redirect_uri": redirect_uri or self.callback, "code_challenge": challenge,
            "code_challenge_method": "S256", "state": "xyz", "scope": "mail"})
        status, _, page = browser.get("/oauth/authorize?" + query)
        if status != 200:
            return status, page
        self.assertEqual(element_text(page, "client"), "mailer")
        fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', page))
        fields["decision"] = decision
        status, location, page = browser.request("/oauth/authorize", fields, follow=False)
        return status, location if status == 303 else page

    def code_for(self, browser, verifier):
        status, location = self.authorize(browser, b64url(hashlib.sha256(verifier.encode())
                                                          .digest()))
        self.assertEqual(status, 303, location)
        self.assertTrue(location.startswith(self.callback + "?"), location)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        self.assertEqual(query["state"], ["xyz"])
        return query["code"][0]

    def token(self, code, verifier):
        """POSTs to the token endpoint as a mail program does (no cookies): (status, JSON)."""
        data = urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "redirect_uri": self.callback,
            "client_id": "mailer", "code_verifier": verifier}).encode()
        try:
            with urllib.request.urlopen(self.base + "/oauth/token", data=data, timeout=60,
                                        context=client_context()) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def imap_reads_inbox(self, mechanism, message):
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_tls_context(), timeout=60) as conn:
            self.assertEqual(conn.authenticate(mechanism, lambda _: message)[0], "OK")
            status, count = conn.select("INBOX", readonly=True)
            self.assertEqual((status, count), ("OK", [b"1"]))
            status, data = conn.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            self.assertIn(b"for the token", data[0][1])

    def test_the_code_flow_with_pkce_gives_a_token_imap_accepts(self):
        browser, address = self.signed_in_browser()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=30) as smtp:
            smtp.sendmail("someone@example.org", [address],
                          f"From: someone@example.org\r\nTo: {address}\r\n"
                          "Subject: for the token\r\n\r\nhello\r\n")
        verifier = secrets.token_urlsafe(48)
        code = self.code_for(browser, verifier)
        status, reply = self.token(code, verifier)
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply["token_type"], "Bearer")
        token = reply["access_token"]
        self.imap_reads_inbox("XOAUTH2", f"user={address}\x01auth=Bearer {token}\x01\x01".encode())
        self.imap_reads_inbox(
            "OAUTHBEARER",
            f"n,a={address},\x01host=127.0.0.1\x01auth=Bearer {token}\x01\x01".encode())
        # A code is good once.
        status, reply = self.token(code, verifier)
        self.assertEqual((status, reply["error"]), (400, "invalid_grant"))
        self.assertIn(address, self.audit("oauth.grant"))

    def test_a_wrong_verifier_gets_no_token_and_burns_the_code(self):
        browser, _ = self.signed_in_browser()
        verifier = secrets.token_urlsafe(48)
        code = self.code_for(browser, verifier)
        status, reply = self.token(code, secrets.token_urlsafe(48))
        self.assertEqual((status, reply["error"]), (400, "invalid_grant"))
        status, reply = self.token(code, verifier)
        self.assertEqual((status, reply["error"]), (400, "invalid_grant"))

    def test_denied_unregistered_and_signed_out_requests_get_no_code(self):
        browser, _ = self.signed_in_browser()
        codes = self.suite.sql("SELECT count(*) FROM oauth_codes")
        challenge = b64url(hashlib.sha256(b"x" * 43).digest())
        status, location = self.authorize(browser, challenge, decision="deny")
        self.assertEqual(status, 303)
        self.assertIn("error=access_denied", location)
        self.assertNotIn("code=", location)
        # A redirect URI the client did not register is never redirected to.
        status, page = self.authorize(browser, challenge,
                                      redirect_uri="http://evil.example/callback")
        self.assertEqual(status, 400, page)
        self.assertEqual(
            Browser(self.base).get("/oauth/authorize?client_id=mailer", follow=False)[:2],
            (303, "/signin?next=%2Foauth%2Fauthorize%3Fclient_id%3Dmailer"))
        self.assertEqual(self.suite.sql("SELECT count(*) FROM oauth_codes"), codes)


if __name__ == "__main__":
    unittest.main()
