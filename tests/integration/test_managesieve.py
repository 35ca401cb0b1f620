"""ManageSieve (RFC 5804) end to end: the real `sieve-connect` client uploads, activates and
deactivates a Sieve vacation script (RFC 5230) on govmail-imapd's ManageSieve port over
STARTTLS with PLAIN; messages sent with smtplib to the real smtpd then get the away reply
(read from the outbound queue, whose runner is off) or no longer do. A raw socket client
checks what sieve-connect cannot show: no login before STARTTLS."""

import base64
import os
import select
import smtplib
import socket
import subprocess
import tempfile
import time
import unittest

from harness import Suite, client_tls_context, free_port, wait_for_port
from test_autoreply import PASSWORD, outside_sender, parse, text

VACATION = """require ["vacation", "date", "relational"];
# rule:[vacation]
if allof (currentdate :zone "+0900" :value "ge" "date" "2000-01-01",
          currentdate :value "le" "date" "2999-12-31")
{
    vacation :days 3 :subject "Sieve away / 부재중" :addresses ["x@localhost"] text:
I am away.
..dot line
.
;
}
"""


def sieve_connect(suite, port, address, *action, script=None):
    """Runs sieve-connect against SUITE's ManageSieve PORT as ADDRESS (password PASSWORD)
    with ACTION, uploading SCRIPT when given; returns (exit code, output)."""
    read_fd, write_fd = os.pipe()
    os.write(write_fd, PASSWORD.encode() + b"\n")
    os.close(write_fd)
    args = ["sieve-connect", "-s", "127.0.0.1", "-p", str(port), "-u", address,
            "--passwordfd", str(read_fd), "--authmech", "PLAIN",
            "--tlscafile", suite.cert, "--noclearchan"]
    with tempfile.NamedTemporaryFile("w", suffix=".sieve", delete=False) as f:
        f.write(script or "")
    try:
        if script is not None:
            args += ["--localsieve", f.name]
        result = subprocess.run(args + list(action), capture_output=True, text=True,
                                timeout=60, pass_fds=(read_fd,), stdin=subprocess.DEVNULL)
    finally:
        os.close(read_fd)
        os.unlink(f.name)
    return result.returncode, result.stdout + result.stderr


class ManageSieveTest(unittest.TestCase):
    LOGIN_TIMEOUT_S = 8

    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.suite = Suite(
            daemons=("smtpd", "imapd"),
            extra_config=(f"managesieve = 127.0.0.1:{cls.port}\n"
                          f"login_timeout_s = {cls.LOGIN_TIMEOUT_S}\n[queue]\nconcurrency = 0\n"),
        )
        cls.addClassCleanup(cls.suite.stop)
        wait_for_port(cls.port)

    def sieve_connect(self, address, *action, script=None):
        return sieve_connect(self.suite, self.port, address, *action, script=script)

    def send_mx(self, sender, recipient):
        message = (f"From: {sender}\r\nTo: {recipient}\r\nSubject: Budget\r\n"
                   "Message-ID: <budget@remote.test>\r\n\r\nAre you there?\r\n").encode()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            self.assertEqual(client.sendmail(sender, [recipient], message), {})

    def queued_replies(self, recipient):
        rows = self.suite.sql(
            "SELECT translate(encode(b.raw, 'base64'), E'\\n', '')"
            " FROM outbound_queue q JOIN outbound_recipients r USING (account_id, queue_id)"
            " JOIN message_bodies b USING (body_hash)"
            " WHERE lower(r.recipient) = lower(:'p1') ORDER BY q.queue_id;", recipient)
        return [base64.b64decode(r[0]) for r in rows]

    def test_uploaded_vacation_script_answers_until_deactivated(self):
        away = self.suite.create_account(password=PASSWORD)
        code, out = self.sieve_connect(away, "--upload", "--remotesieve", "away",
                                       script=VACATION)
        self.assertEqual(code, 0, out)
        code, out = self.sieve_connect(away, "--activate", "--remotesieve", "away")
        self.assertEqual(code, 0, out)
        code, out = self.sieve_connect(away, "--list")
        self.assertEqual(code, 0, out)
        self.assertIn("away", out)
        self.assertIn('"away" ACTIVE', out)
        # The script round-trips byte for byte.
        with tempfile.TemporaryDirectory() as d:
            copy = os.path.join(d, "copy.sieve")
            code, out = self.sieve_connect(away, "--download", "--remotesieve", "away",
                                           "--localsieve", copy)
            self.assertEqual(code, 0, out)
            with open(copy) as f:
                self.assertEqual(f.read(), VACATION)
        bob = outside_sender()
        self.send_mx(bob, away)
        self.send_mx(bob, away)
        replies = self.queued_replies(bob)
        self.assertEqual(len(replies), 1)
        reply = parse(replies[0])
        self.assertEqual(reply["Subject"], "Sieve away / 부재중")
        self.assertEqual(reply["From"].addresses[0].addr_spec, away)
        self.assertEqual(text(reply), "I am away.\n.dot line\n")
        self.assertEqual(self.suite.sql(
            "SELECT period_days, starts_on, ends_on FROM autoreply_settings s"
            " JOIN accounts a USING (account_id) WHERE a.address = :'p1';", away),
            [["3", "2000-01-01", "2999-12-31"]])

        # Replacing the active script applies the new text at once.
        changed = VACATION.replace("Sieve away / 부재중", "Still away")
        code, out = self.sieve_connect(away, "--upload", "--remotesieve", "away", script=changed)
        self.assertEqual(code, 0, out)
        dave = outside_sender("dave")
        self.send_mx(dave, away)
        self.assertEqual([parse(r)["Subject"] for r in self.queued_replies(dave)], ["Still away"])

        code, out = self.sieve_connect(away, "--deactivate")
        self.assertEqual(code, 0, out)
        carol = outside_sender("carol")
        self.send_mx(carol, away)
        self.assertEqual(self.queued_replies(carol), [])
        # An inactive script may be deleted; then nothing is listed.
        code, out = self.sieve_connect(away, "--delete", "--remotesieve", "away")
        self.assertEqual(code, 0, out)
        code, out = self.sieve_connect(away, "--list")
        self.assertEqual(code, 0, out)
        self.assertNotIn("away", out)

    def test_unsupported_command_is_refused_naming_it(self):
        away = self.suite.create_account(password=PASSWORD)
        script = 'require ["fileinto"];\nfileinto "Junk";\n'
        code, out = self.sieve_connect(away, "--upload", "--remotesieve", "junk", script=script)
        self.assertNotEqual(code, 0, out)
        self.assertIn('"fileinto" is not supported', out)
        script = 'require "vacation";\nvacation "Away.";\ndiscard;\n'
        code, out = self.sieve_connect(away, "--upload", "--remotesieve", "junk", script=script)
        self.assertNotEqual(code, 0, out)
        self.assertIn('"discard" is not supported', out)
        code, out = self.sieve_connect(away, "--list")
        self.assertNotIn("junk", out)

    def raw_session(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.addCleanup(sock.close)
        reader = sock.makefile("rb")
        greeting = []
        while True:
            line = reader.readline()
            greeting.append(line)
            if line.startswith((b"OK", b"NO", b"BYE")):
                return sock, reader, greeting

    def test_authenticate_before_starttls_is_refused(self):
        away = self.suite.create_account(password=PASSWORD)
        sock, reader, greeting = self.raw_session()
        self.assertIn(b'"STARTTLS"\r\n', greeting)
        self.assertIn(b'"SASL" ""\r\n', greeting)
        plain = base64.b64encode(f"\0{away}\0{PASSWORD}".encode()).decode()
        sock.sendall(f'AUTHENTICATE "PLAIN" "{plain}"\r\n'.encode())
        self.assertTrue(reader.readline().startswith(b"NO (ENCRYPT-NEEDED)"))
        sock.sendall(b"LISTSCRIPTS\r\n")
        self.assertEqual(reader.readline(), b'NO "Authenticate first"\r\n')

    def test_suspended_account_session_ends(self):
        address = self.suite.create_account(password=PASSWORD)
        sock, reader, _ = self.raw_session()
        sock.sendall(b"STARTTLS\r\n")
        self.assertTrue(reader.readline().startswith(b"OK"))
        tls = client_tls_context().wrap_socket(sock, server_hostname="localhost")
        self.addCleanup(tls.close)
        reader = tls.makefile("rb")
        while not reader.readline().startswith(b"OK"):
            pass  # the capabilities again
        plain = base64.b64encode(f"\0{address}\0{PASSWORD}".encode()).decode()
        tls.sendall(f'AUTHENTICATE "PLAIN" "{plain}"\r\n'.encode())
        self.assertEqual(reader.readline(), b'OK "Logged in"\r\n')
        self.suite.mailadm("account", "suspend", address)
        self.assertEqual(reader.readline(),
                         b'BYE "Account disabled; contact your administrator"\r\n')
        self.assertEqual(reader.readline(), b"")

    def test_hostile_input_is_bounded(self):
        sock, reader, _ = self.raw_session()
        sock.sendall(b'PUTSCRIPT "x" {999999999+}\r\n')
        self.assertEqual(reader.readline(), b'BYE "Literal too large"\r\n')
        self.assertEqual(reader.readline(), b"")
        sock, reader, _ = self.raw_session()
        sock.sendall(b"N" * 20000)
        self.assertEqual(reader.readline(), b'BYE "Line too long"\r\n')

    def test_client_trickling_one_byte_a_second_is_ended_by_the_login_timeout(self):
        sock, reader, _ = self.raw_session()
        started = time.monotonic()
        ended = None
        for byte in b"LISTSCRIPTS" * 2:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                ended = time.monotonic() - started
                break
            time.sleep(1)
            if select.select([sock], [], [], 0)[0]:
                self.assertEqual(reader.readline(), b'BYE "Idle for too long"\r\n')
                ended = time.monotonic() - started
                break
        print(f"slow loris on ManageSieve ended after {ended} s "
              f"(login timeout {self.LOGIN_TIMEOUT_S} s)")
        self.assertIsNotNone(ended, "a client trickling bytes was never ended")
        self.assertLess(ended, self.LOGIN_TIMEOUT_S + 3)


if __name__ == "__main__":
    unittest.main()


class ManageSieveTokenTest(unittest.TestCase):
    """The token mechanisms (RFC 7628 OAUTHBEARER, XOAUTH2) over ManageSieve, advertised as
    IMAP and SMTP advertise them; a refused token gets the RFC 7628 error challenge first."""

    @classmethod
    def setUpClass(cls):
        from gpki_fixture import GpkiFixture
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.port = free_port()
        cls.suite = Suite(daemons=("imapd",),
                          extra_config=f"managesieve = 127.0.0.1:{cls.port}\n" + cls.gpki.config())
        cls.addClassCleanup(cls.suite.stop)
        wait_for_port(cls.port)
        cls.address = cls.suite.create_account(password=PASSWORD)
        cls.token = cls.suite.mailadm("token", "issue", cls.address).stdout.strip()

    def tls_session(self):
        """A session after STARTTLS; returns (socket, reader, capabilities over TLS)."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        reader = sock.makefile("rb")
        while not reader.readline().startswith(b"OK"):
            pass
        sock.sendall(b"STARTTLS\r\n")
        self.assertTrue(reader.readline().startswith(b"OK"))
        tls = client_tls_context().wrap_socket(sock, server_hostname="localhost")
        self.addCleanup(tls.close)
        reader = tls.makefile("rb")
        capabilities = []
        while not (line := reader.readline()).startswith(b"OK"):
            capabilities.append(line)
        return tls, reader, capabilities

    def test_token_mechanisms_are_advertised_and_log_in(self):
        messages = {
            "OAUTHBEARER": f"n,a={self.address},\x01host=127.0.0.1\x01auth=Bearer {self.token}\x01\x01",
            "XOAUTH2": f"user={self.address}\x01auth=Bearer {self.token}\x01\x01",
        }
        for mechanism, message in messages.items():
            with self.subTest(mechanism=mechanism):
                tls, reader, capabilities = self.tls_session()
                self.assertIn(b'"SASL" "PLAIN LOGIN OAUTHBEARER XOAUTH2"\r\n', capabilities)
                encoded = base64.b64encode(message.encode()).decode()
                tls.sendall(f'AUTHENTICATE "{mechanism}" "{encoded}"\r\n'.encode())
                self.assertEqual(reader.readline(), b'OK "Logged in"\r\n')
                tls.sendall(b"LISTSCRIPTS\r\n")
                self.assertEqual(reader.readline(), b"OK\r\n")

    def test_a_refused_token_gets_the_error_challenge_then_no(self):
        tls, reader, _ = self.tls_session()
        message = f"n,a={self.address},\x01auth=Bearer e30.e30.AAAA\x01\x01"
        encoded = base64.b64encode(message.encode()).decode()
        tls.sendall(f'AUTHENTICATE "OAUTHBEARER" "{encoded}"\r\n'.encode())
        error = base64.b64encode(b'{"status":"invalid_token","scope":""}').decode()
        self.assertEqual(reader.readline(), f'"{error}"\r\n'.encode())
        tls.sendall(b'"AQ=="\r\n')
        self.assertTrue(reader.readline().startswith(b"NO "))
