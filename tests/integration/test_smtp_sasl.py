"""The exact bytes of every SMTP AUTH exchange (RFC 4954 section 4) on submission over TLS:
PLAIN, LOGIN, EXTERNAL, OAUTHBEARER and XOAUTH2, with and without an initial response, and
cancelled with "*". A challenge is `"334" SP [base64] CRLF`: the space stays when the challenge
is empty, which clients such as msmtp insist on. msmtp itself then sends with a client
certificate (`auth external`)."""

import base64
import os
import socket
import subprocess
import tempfile
import unittest

from gpki_fixture import GpkiFixture, client_context
from harness import Suite, unique_local

PASSWORD = "correct horse battery staple"
SUCCESS = b"235 2.7.0 Authentication successful\r\n"
CANCELLED = b"501 5.0.0 Authentication cancelled\r\n"
EMPTY_CHALLENGE = b"334 \r\n"


def b64(data):
    return base64.b64encode(data.encode() if isinstance(data, str) else data)


class SmtpSaslBytesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.suite = Suite(daemons=("smtpd",), extra_config=cls.gpki.config())
        cls.addClassCleanup(cls.suite.stop)
        refresh = cls.gpki.refresh_crls(cls.suite.config)
        cls.alice = cls.suite.create_account(password=PASSWORD)
        cls.bob = cls.suite.create_account(password=PASSWORD)
        bound = cls.suite.mailadm("cert", "bind", cls.alice, cls.gpki.cert("good"), check=False)
        assert bound.returncode == 0, (refresh.stdout, bound.stderr)
        cls.token = cls.suite.mailadm("token", "issue", cls.alice).stdout.strip()

    def exchange(self, steps):
        """Runs STEPS, (client line, expected reply bytes) pairs, after EHLO on a fresh
        submissions connection that presents the bound certificate. Returns the replies."""
        context = client_context(self.gpki.cert("good"))
        raw = socket.create_connection(("127.0.0.1", self.suite.ports["submissions"]), timeout=20)
        with context.wrap_socket(raw) as tls:
            replies = tls.makefile("rb")
            self.read_reply(replies)
            tls.sendall(b"EHLO client.example.org\r\n")
            self.read_reply(replies)
            received = []
            for line, _ in steps:
                tls.sendall(line + b"\r\n")
                received.append(self.read_reply(replies))
        return received

    @staticmethod
    def read_reply(replies):
        reply = b""
        while True:
            line = replies.readline()
            reply += line
            if not line or line[3:4] != b"-":
                return reply

    def oauthbearer(self, token):
        return b64(f"n,a={self.alice},\x01host=127.0.0.1\x01auth=Bearer {token}\x01\x01")

    def xoauth2(self, token):
        return b64(f"user={self.alice}\x01auth=Bearer {token}\x01\x01")

    def cases(self):
        plain = b64(f"\0{self.alice}\0{PASSWORD}")
        user, password = b64(self.alice), b64(PASSWORD)
        bad_token = "e30.e30.AAAA"
        token_error = b"334 " + b64('{"status":"invalid_token","scope":""}') + b"\r\n"
        return {
            "PLAIN with initial response": [(b"AUTH PLAIN " + plain, SUCCESS)],
            "PLAIN without": [(b"AUTH PLAIN", EMPTY_CHALLENGE), (plain, SUCCESS)],
            "PLAIN cancelled": [(b"AUTH PLAIN", EMPTY_CHALLENGE), (b"*", CANCELLED)],
            "LOGIN with initial response": [
                (b"AUTH LOGIN " + user, b"334 UGFzc3dvcmQ6\r\n"), (password, SUCCESS)],
            "LOGIN without": [
                (b"AUTH LOGIN", b"334 VXNlcm5hbWU6\r\n"),
                (user, b"334 UGFzc3dvcmQ6\r\n"), (password, SUCCESS)],
            "LOGIN cancelled at the password": [
                (b"AUTH LOGIN " + user, b"334 UGFzc3dvcmQ6\r\n"), (b"*", CANCELLED)],
            "EXTERNAL with an empty initial response": [(b"AUTH EXTERNAL =", SUCCESS)],
            "EXTERNAL with an authorization identity": [
                (b"AUTH EXTERNAL " + b64(self.alice), SUCCESS)],
            "EXTERNAL without": [(b"AUTH EXTERNAL", EMPTY_CHALLENGE), (b"", SUCCESS)],
            "EXTERNAL cancelled": [(b"AUTH EXTERNAL", EMPTY_CHALLENGE), (b"*", CANCELLED)],
            "OAUTHBEARER with initial response": [
                (b"AUTH OAUTHBEARER " + self.oauthbearer(self.token), SUCCESS)],
            "OAUTHBEARER without": [
                (b"AUTH OAUTHBEARER", EMPTY_CHALLENGE), (self.oauthbearer(self.token), SUCCESS)],
            "OAUTHBEARER cancelled": [(b"AUTH OAUTHBEARER", EMPTY_CHALLENGE), (b"*", CANCELLED)],
            "OAUTHBEARER refused token": [
                (b"AUTH OAUTHBEARER " + self.oauthbearer(bad_token), token_error),
                (b"AQ==", None)],
            "XOAUTH2 with initial response": [
                (b"AUTH XOAUTH2 " + self.xoauth2(self.token), SUCCESS)],
            "XOAUTH2 without": [
                (b"AUTH XOAUTH2", EMPTY_CHALLENGE), (self.xoauth2(self.token), SUCCESS)],
            "XOAUTH2 cancelled": [(b"AUTH XOAUTH2", EMPTY_CHALLENGE), (b"*", CANCELLED)],
            "XOAUTH2 refused token": [
                (b"AUTH XOAUTH2 " + self.xoauth2(bad_token), token_error), (b"", None)],
        }

    def test_every_exchange_matches_rfc4954_byte_for_byte(self):
        for name, steps in self.cases().items():
            with self.subTest(name):
                received = self.exchange(steps)
                for (line, expected), reply in zip(steps, received):
                    if expected is None:  # a refusal: its reason is tested elsewhere
                        self.assertRegex(reply, rb"^535 5\.7\.8 [ -~]+\r\n$")
                    else:
                        self.assertEqual(reply, expected, line)

    def test_msmtp_sends_with_a_client_certificate(self):
        workdir = tempfile.mkdtemp(prefix="govmail-msmtp-", dir=self.suite.dir)
        cert = self.gpki.cert("good")
        config = os.path.join(workdir, "msmtprc")
        with open(config, "w") as f:
            f.write(f"""account default
host 127.0.0.1
port {self.suite.ports['submission']}
from {self.alice}
tls on
tls_starttls on
tls_certcheck off
tls_cert_file {cert}
tls_key_file {cert[:-4]}.key
auth external
user {self.alice}
""")
        os.chmod(config, 0o600)
        tag = unique_local("msmtp")
        out = subprocess.run(
            ["msmtp", "-C", config, self.bob],
            input=f"From: {self.alice}\r\nSubject: {tag}\r\n\r\nsent by msmtp\r\n",
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(tag.encode(), self.suite.inbox(self.bob)[-1])


if __name__ == "__main__":
    unittest.main()
