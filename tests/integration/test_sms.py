"""ID + password + SMS code, end to end: imapd and smtpd driven by Python's imaplib and
smtplib (clients that know nothing of a second factor), people and their mobile numbers put
in the directory with `mailadm directory sync`, and the SMS gateway played by a local
http.server that records the JSON it is sent (the one thing that lives outside the
machine). A second suite uses the development spool gateway, a short code lifetime, and
takes a burst of wrong passwords."""

import concurrent.futures
import http.server
import json
import os
import smtplib
import ssl
import stat
import subprocess
import threading
import time
import unittest

from harness import Directory, Suite, client_tls_context, code_in, free_port, imap_login_refusal

PASSWORD = "correct horse battery staple"
SENT = "A verification code was sent by SMS to the mobile number ending in {}"


class SmsStandIn:
    """An SMS gateway on a free loopback port: records every POST (path, headers, JSON body)
    and answers with the statuses queued in `statuses` (200 when none is queued). With a TLS
    context it speaks https, with whatever certificate `tls` holds at each connection."""

    def __init__(self, tls=None):
        self.tls = tls
        self.requests = []
        self.statuses = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with stand_in.lock:
                    stand_in.requests.append({
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "json": json.loads(body),
                    })
                    status = stand_in.statuses.pop(0) if stand_in.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"result": "queued"}')

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def get_request(self):
                sock, peer = self.socket.accept()
                if stand_in.tls is None:
                    return sock, peer
                try:
                    return stand_in.tls.wrap_socket(sock, server_side=True), peer
                except OSError:  # a refused handshake: the client did not trust us
                    with stand_in.lock:
                        stand_in.refused_handshakes += 1
                    sock.close()
                    raise

        self.refused_handshakes = 0
        self.httpd = Server(("127.0.0.1", free_port()), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def messages(self):
        with self.lock:
            return [r["json"] for r in self.requests]


class SmsLoginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gateway = SmsStandIn()
        cls.addClassCleanup(cls.gateway.stop)
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=f"""[sms]
gateway = http
url = http://127.0.0.1:{cls.gateway.port}/v1/sms?route=mail
authorization = Bearer stand-in-key
timeout_ms = 3000
retries = 1
max_attempts = 3
""")
        cls.addClassCleanup(cls.suite.stop)
        cls.directory = Directory(cls.suite, PASSWORD)

    def smtp_login(self, user, secret):
        """AUTH PLAIN on submissions: None on success, else the server's text."""
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=30,
                              context=client_tls_context()) as client:
            client.ehlo("client.example.org")
            try:
                client.login(user, secret)
            except smtplib.SMTPAuthenticationError as e:
                return f"{e.smtp_code} {e.smtp_error.decode()}"
            return None

    def new_sms(self, before):
        """The one SMS sent since BEFORE messages."""
        messages = self.gateway.messages()
        self.assertEqual(len(messages), before + 1, messages[before:])
        return messages[-1]

    def log_in_with_code(self, user, mobile_digits):
        before = len(self.gateway.messages())
        self.assertIn(SENT.format(mobile_digits[-4:]),
                      imap_login_refusal(self.suite, user, PASSWORD))
        sms = self.new_sms(before)
        self.assertEqual(sms["to"], mobile_digits)
        credential = PASSWORD + code_in(sms["text"])
        self.assertIsNone(imap_login_refusal(self.suite, user, credential))
        return credential

    def test_password_then_password_and_code_then_trusted_reconnects(self):
        user, _ = self.directory.person("010-1234-5678")
        before = len(self.gateway.messages())
        refused = imap_login_refusal(self.suite, user, PASSWORD)
        self.assertIn("AUTHENTICATIONFAILED", refused)
        self.assertIn(SENT.format("5678") + "; log in again with your password followed by the "
                      "6-digit code", refused)
        request = self.gateway.requests[-1]
        self.assertEqual(request["path"], "/v1/sms?route=mail")
        self.assertEqual(request["headers"]["authorization"], "Bearer stand-in-key")
        self.assertEqual(request["headers"]["content-type"], "application/json")
        sms = self.new_sms(before)
        self.assertEqual(set(sms), {"to", "text"})
        self.assertEqual(sms["to"], "01012345678")
        code = code_in(sms["text"])

        # Clients that retry on their own get the same answer, and no second SMS.
        self.assertIn(SENT.format("5678"), imap_login_refusal(self.suite, user, PASSWORD))
        self.assertIn(SENT.format("5678"), self.smtp_login(user, PASSWORD))
        self.assertEqual(len(self.gateway.messages()), before + 1)

        wrong = "000000" if code != "000000" else "111111"
        self.assertIn("The verification code is not correct",
                      imap_login_refusal(self.suite, user, PASSWORD + wrong))
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + code))
        # The same credential again, over IMAP and SMTP: trusted, no new SMS.
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + code))
        self.assertIsNone(self.smtp_login(user, PASSWORD + code))
        self.assertEqual(len(self.gateway.messages()), before + 1)
        # A wrong password with the trusted code is just a wrong password.
        self.assertIn("Authentication failed", imap_login_refusal(self.suite, user, "wrong" + code))

        audited = [row[0] for row in self.suite.sql(
            "SELECT l.action || ' ' || l.detail FROM audit_log l JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' ORDER BY l.audit_id", user)]
        self.assertIn("login.code_sent SMS code sent to the number ending in 5678 (imap)", audited)
        self.assertIn("login.success password + SMS code (imap)", audited)
        self.assertIn("login.success password + SMS code (trusted client) (smtp)", audited)
        self.assertFalse(any(code in line for line in audited))
        # Only digests are stored.
        stored = self.suite.sql(
            "SELECT c.salt || encode(c.code_sha256, 'hex'), encode(t.credential_sha256, 'hex')"
            " FROM sms_trusts t JOIN accounts a USING (account_id)"
            " LEFT JOIN sms_codes c USING (account_id) WHERE a.address = :'p1'", user)
        self.assertEqual(len(stored), 1)
        self.assertNotIn(code, "".join(stored[0]))

    def test_a_code_cannot_be_used_again_for_a_new_credential(self):
        user, _ = self.directory.person("010-2222-3333")
        credential = self.log_in_with_code(user, "01022223333")
        code = credential[-6:]
        self.suite.mailadm("account", "password", user, "--stdin", stdin="a new password\n")
        before = len(self.gateway.messages())
        # New password + the used code: a new credential, and the code is spent.
        self.assertIn(SENT.format("3333"),
                      imap_login_refusal(self.suite, user, "a new password" + code))
        self.new_sms(before)
        # The old password with its trusted code is refused too.
        self.assertIn("Authentication failed", imap_login_refusal(self.suite, user, credential))

    def test_wrong_codes_void_the_code_after_the_attempt_limit(self):
        user, _ = self.directory.person("010-4444-5555")
        before = len(self.gateway.messages())
        imap_login_refusal(self.suite, user, PASSWORD)
        code = code_in(self.new_sms(before)["text"])
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(2):
            self.assertIn("is not correct", imap_login_refusal(self.suite, user, PASSWORD + wrong))
        self.assertIn("Too many wrong verification codes",
                      imap_login_refusal(self.suite, user, PASSWORD + wrong))
        # The right code is void now; trying it sends a new one.
        self.assertIn(SENT.format("5555"), imap_login_refusal(self.suite, user, PASSWORD + code))
        fresh = code_in(self.new_sms(before + 1)["text"])
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + fresh))

    def test_a_new_mobile_number_from_the_directory_ends_the_trust(self):
        user, no = self.directory.person("010-6666-7777")
        credential = self.log_in_with_code(user, "01066667777")
        self.assertIsNone(imap_login_refusal(self.suite, user, credential))
        self.directory.change_mobile(no, "010-8888-0000")
        before = len(self.gateway.messages())
        self.assertIn(SENT.format("0000"), imap_login_refusal(self.suite, user, credential))
        sms = self.new_sms(before)
        self.assertEqual(sms["to"], "01088880000")
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + code_in(sms["text"])))

    def test_suspend_ends_the_trust(self):
        user, _ = self.directory.person("010-1212-3434")
        credential = self.log_in_with_code(user, "01012123434")
        self.suite.mailadm("account", "suspend", user)
        self.assertIn("Account is not active", imap_login_refusal(self.suite, user, credential))
        self.suite.mailadm("account", "resume", user)
        self.assertIn(SENT.format("3434"), imap_login_refusal(self.suite, user, credential))

    def test_no_mobile_number_on_file(self):
        user, _ = self.directory.person("")
        before = len(self.gateway.messages())
        refused = imap_login_refusal(self.suite, user, PASSWORD)
        self.assertIn("No mobile phone number is on file for SMS verification; contact your "
                      "administrator", refused)
        self.assertIn("No mobile phone number is on file", self.smtp_login(user, PASSWORD))
        self.assertEqual(len(self.gateway.messages()), before)

    def test_app_passwords_need_no_code(self):
        user, _ = self.directory.person("010-5656-7878")
        created = json.loads(self.suite.mailadm(
            "--json", "app-password", "create", user, "--device", "phone").stdout)
        before = len(self.gateway.messages())
        self.assertIsNone(imap_login_refusal(self.suite, user, created["password"]))
        self.assertIsNone(self.smtp_login(user, created["password"]))
        self.assertEqual(len(self.gateway.messages()), before)

    def test_the_gateway_is_retried_and_a_dead_gateway_is_a_temporary_failure(self):
        user, _ = self.directory.person("010-9090-1010")
        before = len(self.gateway.requests)
        with self.gateway.lock:
            self.gateway.statuses = [503]
        self.assertIn(SENT.format("1010"), imap_login_refusal(self.suite, user, PASSWORD))
        self.assertEqual(len(self.gateway.requests), before + 2)  # one retry
        self.assertEqual(self.gateway.requests[-1]["json"], self.gateway.requests[-2]["json"])

        other, _ = self.directory.person("010-3030-4040")
        before = len(self.gateway.requests)
        with self.gateway.lock:
            self.gateway.statuses = [500, 500]
        refused = imap_login_refusal(self.suite, other, PASSWORD)
        self.assertIn("UNAVAILABLE", refused)
        self.assertEqual(len(self.gateway.requests), before + 2)
        # The undelivered code was withdrawn: the next login sends one.
        self.assertIn(SENT.format("4040"), imap_login_refusal(self.suite, other, PASSWORD))
        self.assertEqual(len(self.gateway.requests), before + 3)


def server_tls(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


class SmsHttpsTest(unittest.TestCase):
    """The HTTP gateway over https: the gateway's certificate is checked against the trusted
    CAs (here the suite's test certificate, given to imapd as SSL_CERT_FILE) and its name."""

    @classmethod
    def setUpClass(cls):
        cls.gateway = SmsStandIn()
        cls.addClassCleanup(cls.gateway.stop)
        cls.suite = Suite(daemons=(), extra_config=f"""[sms]
gateway = http
url = https://localhost:{cls.gateway.port}/sms
timeout_ms = 3000
retries = 0
""")
        cls.addClassCleanup(cls.suite.stop)
        # A certificate for another name, from no trusted CA.
        cls.rogue = os.path.join(cls.suite.dir, "rogue")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", cls.rogue + ".key", "-out", cls.rogue + ".pem", "-days", "2",
             "-subj", "/CN=sms.example.org"], check=True, capture_output=True)
        saved = os.environ.get("SSL_CERT_FILE")
        os.environ["SSL_CERT_FILE"] = cls.suite.cert
        try:
            cls.suite.start("imapd")
        finally:
            if saved is None:
                del os.environ["SSL_CERT_FILE"]
            else:
                os.environ["SSL_CERT_FILE"] = saved
        cls.directory = Directory(cls.suite, PASSWORD)

    def test_a_trusted_gateway_gets_the_sms_and_an_untrusted_one_nothing(self):
        user, _ = self.directory.person("010-7777-8888")
        self.gateway.tls = server_tls(self.rogue + ".pem", self.rogue + ".key")
        self.assertIn("UNAVAILABLE", imap_login_refusal(self.suite, user, PASSWORD))
        self.assertEqual(self.gateway.messages(), [])
        self.assertEqual(self.gateway.refused_handshakes, 1)

        self.gateway.tls = server_tls(self.suite.cert, self.suite.key)
        self.assertIn(SENT.format("8888"), imap_login_refusal(self.suite, user, PASSWORD),
                      self.suite.log("imapd")[-3000:])
        [sms] = self.gateway.messages()
        self.assertEqual(sms["to"], "01077778888")
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + code_in(sms["text"])))


class SmsSpoolTest(unittest.TestCase):
    """The development spool gateway, a code lifetime of one second, and a guessing burst."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",), extra_config="""[sms]
gateway = spool
code_lifetime_s = 1
""")
        cls.addClassCleanup(cls.suite.stop)
        cls.spool = os.path.join(cls.suite.dir, "var", "sms", "sms.jsonl")
        cls.directory = Directory(cls.suite, PASSWORD)

    def spooled(self):
        with open(self.spool) as f:
            return [json.loads(line) for line in f]

    def test_spool_file_and_an_expired_code(self):
        user, _ = self.directory.person("+82 10-2468-1357")
        self.assertIn(SENT.format("1357"), imap_login_refusal(self.suite, user, PASSWORD))
        self.assertEqual(stat.S_IMODE(os.stat(self.spool).st_mode), 0o600)
        entry = self.spooled()[-1]
        self.assertEqual(entry["to"], "+821024681357")
        code = code_in(entry["text"])
        time.sleep(1.5)
        count = len(self.spooled())
        refused = imap_login_refusal(self.suite, user, PASSWORD + code)
        self.assertIn("The verification code has expired. A new one was sent by SMS", refused)
        fresh = self.spooled()
        self.assertEqual(len(fresh), count + 1)
        code = code_in(fresh[-1]["text"])
        self.assertIsNone(imap_login_refusal(self.suite, user, PASSWORD + code))

    def test_a_burst_of_100_wrong_passwords_locks_and_never_gets_in(self):
        user, _ = self.directory.person("010-1357-2468")
        guesses = [f"guess-{i}" for i in range(100)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=25) as pool:
            answers = list(pool.map(lambda g: imap_login_refusal(self.suite, user, g), guesses))
        self.assertNotIn(None, answers)
        failed = [a for a in answers if "Authentication failed" in a]
        locked = [a for a in answers if "Too many failed logins; try again later" in a]
        # Ten guesses (account_lock_failures) were compared; the rest refused unchecked.
        self.assertEqual((len(failed), len(locked)), (10, 90), answers)
        # The right password is refused while the lock lasts.
        self.assertIn("Too many failed logins", imap_login_refusal(self.suite, user, PASSWORD))
        audited = [row[0] for row in self.suite.sql(
            "SELECT l.action FROM audit_log l JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1'", user)]
        self.assertEqual(audited.count("login.lock"), 1)
        self.assertEqual(audited.count("login.success"), 0)


if __name__ == "__main__":
    unittest.main()
