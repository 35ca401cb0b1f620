"""Certificate (SASL EXTERNAL) and token (OAUTHBEARER, XOAUTH2) logins with real TLS and
clients nobody here wrote: Python ssl + smtplib/imaplib, curl and openssl s_client, against
smtpd and imapd. The GPKI-shaped PKI is made at test time by tests/support/gpki_test_ca.py;
its CRLs are served over HTTP and fetched with `mailadm gpki crl refresh`; tokens come from
`mailadm token issue`."""

import base64
import hashlib
import hmac
import imaplib
import json
import os
import smtplib
import subprocess
import time
import unittest

from gpki_fixture import GpkiFixture, client_context
from gpki_test_ca import read
from harness import Suite, free_port, unique_local



def b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ExternalAndTokenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.dir = cls.gpki.dir
        cls.pki = cls.gpki.pki
        cls.key_dir = cls.gpki.key_dir
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=cls.gpki.config())
        cls.addClassCleanup(cls.suite.stop)
        # No CRL yet: refresh fetches the CA bundle's points and the one given.
        cls.refresh = cls.gpki.refresh_crls(cls.suite.config)
        cls.alice = cls.account()
        cls.bob = cls.account()
        bound = cls.suite.mailadm("cert", "bind", cls.alice, cls.cert("good"), check=False)
        assert bound.returncode == 0, (cls.refresh.stdout, bound.stderr)

    @classmethod
    def mailadm_env(cls, *args, config=None, check=True):
        return cls.gpki.mailadm(config or cls.suite.config, *args, check=check)

    @classmethod
    def account(cls):
        """A new account outside the directory (these tests are not about signup)."""
        address = f"{unique_local()}@localhost"
        cls.suite.mailadm("account", "create", address, "--force", "--reason",
                          "integration test of certificate and token logins")
        return address

    @classmethod
    def cert(cls, name):
        return cls.gpki.cert(name)

    # SMTP submission over implicit TLS, with an optional client certificate.
    def submissions(self, cert=None):
        client = smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                                  context=client_context(cert))
        client.ehlo("client.example.org")
        return client

    def smtp_external(self, cert, authzid=""):
        with self.submissions(cert) as client:
            return client.docmd("AUTH", "EXTERNAL " + (b64(authzid) if authzid else "="))

    def imap_requests_certificates(self):
        out = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{self.suite.ports['imaps']}"],
            input=b"", capture_output=True, timeout=20).stdout
        return b"Acceptable client certificate CA names" in out

    # --- certificates -----------------------------------------------------------------

    def test_crl_refresh_fetched_the_distribution_points(self):
        self.assertIn("2 of 2 CRLs updated", self.refresh.stdout)
        self.assertEqual(len(os.listdir(os.path.join(self.dir, "crl"))), 2)

    def test_smtp_external_with_a_good_certificate_logs_in_and_sends(self):
        with self.submissions(self.cert("good")) as client:
            code, text = client.docmd("AUTH", "EXTERNAL =")
            self.assertEqual(code, 235, text)
            client.sendmail(self.alice, [self.bob], b"Subject: by certificate\r\n\r\nHello.\r\n")
        self.assertIn(b"Subject: by certificate", self.suite.inbox(self.bob)[-1])
        audited = self.suite.sql(
            "SELECT l.method, l.detail FROM audit_log l JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' AND l.action = 'login.success'", self.alice)
        self.assertIn("external", [row[0] for row in audited])
        self.assertTrue(any("089홍길동001" in row[1] for row in audited))

    def test_smtp_external_authzid_must_be_the_bound_account(self):
        self.assertEqual(self.smtp_external(self.cert("good"), self.alice)[0], 235)
        code, text = self.smtp_external(self.cert("good"), self.bob)
        self.assertEqual(code, 535)
        self.assertIn(b"Not authorized to act as that user", text)

    def test_bad_certificates_are_refused_with_the_reason(self):
        cases = {
            "expired": b"Certificate has expired",
            "revoked": b"Certificate has been revoked",
            "rogue": b"Certificate is not issued by a trusted GPKI CA",
            "wrong_policy": b"Certificate policy is not accepted",
            "server_eku": b"extended key usage does not allow client authentication",
        }
        for name, reason in cases.items():
            with self.subTest(name):
                code, text = self.smtp_external(self.cert(name))
                self.assertEqual(code, 535)
                self.assertIn(reason, text)

    def test_an_unbound_certificate_and_no_certificate_are_refused(self):
        cert, _ = self.pki.person("unbound", agency="국방부")
        code, text = self.smtp_external(cert)
        self.assertEqual((code, b"Certificate is not bound to a mail account" in text), (535, True))
        code, text = self.smtp_external(None)
        self.assertEqual(code, 535)
        self.assertIn(b"No client certificate was presented", text)

    def test_openssl_s_client_external_on_submission_with_starttls(self):
        def session(cert):
            out = subprocess.run(
                ["openssl", "s_client", "-quiet", "-crlf", "-starttls", "smtp",
                 "-connect", f"127.0.0.1:{self.suite.ports['submission']}",
                 "-cert", self.cert(cert), "-key", self.cert(cert)[:-4] + ".key"],
                input=b"EHLO client.example.org\nAUTH EXTERNAL =\nQUIT\n",
                capture_output=True, timeout=30)
            return out.stdout.decode(errors="replace")
        self.assertIn("235 2.7.0 Authentication successful", session("good"))
        self.assertIn("535 5.7.8 Certificate has been revoked", session("revoked"))

    def test_curl_sends_mail_with_a_certificate(self):
        message = os.path.join(self.dir, "curl.eml")
        with open(message, "w") as f:
            f.write("Subject: curl by certificate\r\n\r\nHello from curl.\r\n")
        out = subprocess.run(
            ["curl", "-sS", "-k", "--cert", self.cert("good"), "--key",
             self.cert("good")[:-4] + ".key",
             f"smtps://127.0.0.1:{self.suite.ports['submissions']}",
             "--login-options", "AUTH=EXTERNAL", "-u", f"{self.alice}:",
             "--mail-from", self.alice, "--mail-rcpt", self.bob, "-T", message],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(b"curl by certificate", self.suite.inbox(self.bob)[-1])
        out = subprocess.run(
            ["curl", "-sS", "-k", "--cert", self.cert("expired"), "--key",
             self.cert("expired")[:-4] + ".key",
             f"smtps://127.0.0.1:{self.suite.ports['submissions']}",
             "--login-options", "AUTH=EXTERNAL", "-u", f"{self.alice}:",
             "--mail-from", self.alice, "--mail-rcpt", self.bob, "-T", message],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 67)  # CURLE_LOGIN_DENIED

    def test_imap_authenticate_external(self):
        if not self.imap_requests_certificates():
            self.skipTest("imapd does not request client certificates yet: imapd/main.cpp "
                          "must pass config.auth.gpki.ca_bundle to make_server_tls_context")
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context(self.cert("good"))) as client:
            typ, _ = client.authenticate("EXTERNAL", lambda _: b"")
            self.assertEqual(typ, "OK")
            self.assertEqual(client.select("INBOX")[0], "OK")
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context(self.cert("revoked"))) as client:
            with self.assertRaisesRegex(imaplib.IMAP4.error, "Certificate has been revoked"):
                client.authenticate("EXTERNAL", lambda _: b"")
        out = subprocess.run(
            ["curl", "-sS", "-k", "--cert", self.cert("good"), "--key",
             self.cert("good")[:-4] + ".key", f"imaps://127.0.0.1:{self.suite.ports['imaps']}/",
             "--login-options", "AUTH=EXTERNAL", "-u", f"{self.alice}:"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("INBOX", out.stdout)

    def test_revocation_published_later_is_fetched_and_enforced(self):
        cert, _ = self.pki.person("later")
        self.suite.mailadm("cert", "bind", self.bob, cert)
        self.assertEqual(self.smtp_external(cert)[0], 235)
        self.pki.revoke(cert)
        time.sleep(1.1)  # a CRL of a later second than the one on file
        self.gpki.publish()
        out = self.mailadm_env("gpki", "crl", "refresh")
        self.assertIn("updated", out.stdout)
        code, text = self.smtp_external(cert)
        self.assertEqual(code, 535)
        self.assertIn(b"Certificate has been revoked", text)

    def test_an_unreachable_distribution_point_keeps_the_last_good_crl(self):
        published = os.path.join(self.gpki.published, "crl", "ca.crl")
        os.rename(published, published + ".away")
        try:
            out = self.mailadm_env("gpki", "crl", "refresh")
        finally:
            os.rename(published + ".away", published)
        self.assertIn("kept the last good CRL", out.stdout)
        self.assertEqual(self.smtp_external(self.cert("good"))[0], 235)
        dead = f"http://127.0.0.1:{free_port()}/crl/ca.crl"
        out = self.mailadm_env("gpki", "crl", "refresh", "--url", dead)
        self.assertIn("no CRL on file for it yet", out.stdout)

    def test_a_refresh_whose_audit_entry_fails_replaces_no_crl(self):
        """A refresh and its gpki.crl-refresh entry go together: when the entry cannot be
        written, the CRLs on file stay as they were and nothing fetched is left beside them."""
        crl_dir = os.path.join(self.dir, "crl")

        def on_file():
            return {name: read(os.path.join(crl_dir, name)) for name in os.listdir(crl_dir)}

        before = on_file()
        time.sleep(1.1)  # CRLs of a later second than those on file
        self.gpki.publish()
        self.suite.sql("ALTER TABLE audit_log ADD CONSTRAINT test_no_crl_refresh"
                       " CHECK (action <> 'gpki.crl-refresh') NOT VALID")
        try:
            refused = self.mailadm_env("gpki", "crl", "refresh", check=False)
        finally:
            self.suite.sql("ALTER TABLE audit_log DROP CONSTRAINT test_no_crl_refresh")
        self.assertNotEqual(refused.returncode, 0, refused.stdout)
        self.assertIn("audit log", refused.stderr)
        self.assertEqual(on_file(), before)

        out = self.mailadm_env("gpki", "crl", "refresh")
        self.assertIn("updated", out.stdout)
        self.assertNotEqual(on_file(), before)
        self.assertEqual(sorted(on_file()), sorted(before))

    def test_cert_list_and_revoke(self):
        cert, _ = self.pki.person("to-revoke")
        carol = self.account()
        self.suite.mailadm("cert", "bind", carol, cert)
        listed = json.loads(self.suite.mailadm("--json", "cert", "list", carol).stdout)
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["issuer"], "CN=CA131100001,OU=GPKI,O=Government of Korea,C=KR")
        self.assertEqual(self.smtp_external(cert)[0], 235)
        self.suite.mailadm("cert", "revoke", carol, str(listed[0]["id"]))
        self.assertEqual(self.smtp_external(cert)[0], 535)
        refused = self.suite.mailadm("cert", "bind", carol, self.cert("expired"), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("Certificate has expired", refused.stderr)

    def test_the_test_ca_ocsp_responder_answers(self):
        responder = self.pki.ca.ocsp_responder(self.gpki.ocsp_port)
        try:
            def status(name):
                for _ in range(50):
                    out = subprocess.run(
                        ["openssl", "ocsp", "-issuer", self.pki.ca.cert, "-cert",
                         self.cert(name), "-url", f"http://127.0.0.1:{self.gpki.ocsp_port}",
                         "-CAfile", self.pki.bundle],
                        capture_output=True, text=True, timeout=20)
                    if out.returncode == 0:
                        return out.stdout
                    time.sleep(0.1)
                return out.stderr
            self.assertIn(": good", status("good"))
            self.assertIn(": revoked", status("revoked"))
        finally:
            responder.terminate()
            responder.wait()

    # --- tokens -----------------------------------------------------------------------

    def token(self, address=None, *args):
        return self.suite.mailadm("token", "issue", address or self.alice, *args).stdout.strip()

    def oauthbearer(self, token, user=None):
        return b64(f"n,a={user or self.alice},\x01host=127.0.0.1\x01auth=Bearer {token}\x01\x01")

    def xoauth2(self, token, user=None):
        return b64(f"user={user or self.alice}\x01auth=Bearer {token}\x01\x01")

    def smtp_bearer(self, mechanism, initial):
        """AUTH MECHANISM; on the RFC 7628 error challenge, the dummy response. Returns the
        final (code, text) and the error JSON (None when there was none)."""
        with self.submissions() as client:
            code, text = client.docmd("AUTH", f"{mechanism} {initial}")
            error = None
            if code == 334:
                error = json.loads(base64.b64decode(text))
                code, text = client.docmd("AQ==" if mechanism == "OAUTHBEARER" else "")
            return code, text, error

    def test_good_tokens_log_in_by_oauthbearer_and_xoauth2(self):
        token = self.token()
        self.assertEqual(self.smtp_bearer("OAUTHBEARER", self.oauthbearer(token))[0], 235)
        self.assertEqual(self.smtp_bearer("XOAUTH2", self.xoauth2(token))[0], 235)
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context()) as client:
            message = base64.b64decode(self.oauthbearer(token))
            self.assertEqual(client.authenticate("OAUTHBEARER", lambda _: message)[0], "OK")
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context()) as client:
            message = base64.b64decode(self.xoauth2(token))
            self.assertEqual(client.authenticate("XOAUTH2", lambda _: message)[0], "OK")

    def forged_tokens(self):
        good = self.token()
        header, payload, _ = good.split(".")
        claims = json.loads(unb64url(payload))
        kid = json.loads(unb64url(header))["kid"]
        public_pem = subprocess.run(
            ["openssl", "pkey", "-pubout", "-in", os.path.join(self.key_dir, kid + ".pem")],
            check=True, capture_output=True).stdout

        def with_header(alg, key):
            h = b64url(json.dumps({"alg": alg, "typ": "at+jwt", "kid": kid}).encode())
            input = f"{h}.{payload}"
            signature = hmac.new(key, input.encode(), hashlib.sha256).digest() if key else b""
            return f"{input}.{b64url(signature)}"

        tampered_claims = dict(claims, sub=self.bob)
        wrong = os.path.join(self.dir, "wrong-claims.conf")
        with open(wrong, "w") as f:
            f.write(read(self.suite.config) +
                    "\n[token]\naudience = portal\nissuer = https://elsewhere.example\n")
        wrong_audience_and_issuer = self.mailadm_env(
            "token", "issue", self.alice, config=wrong).stdout.strip()
        return {
            "tampered": (f"{header}.{b64url(json.dumps(tampered_claims).encode())}."
                         f"{good.split('.')[2]}", "Token signature is invalid"),
            "alg none": (with_header("none", None), "Token signing algorithm is not accepted"),
            "HS256 with the public key": (with_header("HS256", public_pem),
                                          "Token signing algorithm is not accepted"),
            "wrong issuer/audience": (wrong_audience_and_issuer, "Token issuer is not accepted"),
        }

    def test_bad_tokens_get_the_rfc7628_error_and_a_reason(self):
        cases = self.forged_tokens()
        expired = self.token(self.alice, "--ttl", "1")
        time.sleep(3)  # past exp and the 1 s skew
        cases["expired"] = (expired, "Token has expired")
        for name, (token, reason) in cases.items():
            for mechanism, initial in (("OAUTHBEARER", self.oauthbearer(token)),
                                       ("XOAUTH2", self.xoauth2(token))):
                with self.subTest(name, mechanism=mechanism):
                    code, text, error = self.smtp_bearer(mechanism, initial)
                    self.assertEqual(code, 535)
                    self.assertEqual(error, {"status": "invalid_token", "scope": ""})
                    self.assertIn(reason.encode(), text)

    def test_imap_oauthbearer_failure_sends_the_error_json_then_no(self):
        token = self.forged_tokens()["alg none"][0]
        challenges = []

        def respond(challenge):
            challenges.append(challenge)
            return base64.b64decode(self.oauthbearer(token)) if len(challenges) == 1 else b"\x01"

        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context()) as client:
            with self.assertRaisesRegex(imaplib.IMAP4.error, "algorithm is not accepted"):
                client.authenticate("OAUTHBEARER", respond)
        self.assertEqual(json.loads(challenges[-1]), {"status": "invalid_token", "scope": ""})

    def test_a_token_of_a_suspended_account_is_refused(self):
        carol = self.account()
        token = self.token(carol)
        self.suite.mailadm("account", "suspend", carol)
        code, text, error = self.smtp_bearer("OAUTHBEARER", self.oauthbearer(token, carol))
        self.assertEqual(code, 535)
        self.assertIn(b"Account is not active", text)
        self.assertEqual(error["status"], "invalid_token")


if __name__ == "__main__":
    unittest.main()
