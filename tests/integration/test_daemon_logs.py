"""What the daemons' logs say, as fail2ban, SIEMs and administrators read them.

Failed logins: one line per failed login over IMAP, SMTP AUTH and ManageSieve, naming the
method, the login name, the remote address and the reason, in the documented format; the
ready filter conf/fail2ban/filter.d/govmail.conf is run over the real logs with Debian's
`fail2ban-regex` (scripts/install-deps.sh installs it) and finds exactly those lines, none
of a good login.

A normal session logs no database error: CREATE of a mailbox below an existing one (or of
one that exists) used to log `duplicate key ... mailboxes_account_id_name_key`."""

import base64
import imaplib
import os
import re
import shutil
import smtplib
import socket
import subprocess
import unittest

from harness import CHEAP_HASHES, Suite, client_tls_context, free_port, wait_for_port

PASSWORD = "correct horse battery staple"
FILTER = os.path.join(os.path.dirname(__file__), "..", "..", "conf", "fail2ban", "filter.d",
                      "govmail.conf")
LINE = re.compile(r'warning auth: login failed: remote=(\S+) service=(\S+) method=(\S+) '
                  r'user="([^"]*)" reason="([^"]*)"$')


class FailedLoginLogTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sieve_port = free_port()
        cls.suite = Suite(daemons=("smtpd", "imapd"),
                          extra_config=f"managesieve = 127.0.0.1:{cls.sieve_port}\n"
                                       + CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)
        wait_for_port(cls.sieve_port)
        cls.address = cls.suite.create_account(password=PASSWORD)

    def imap_login(self, password):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=30)
        try:
            conn.login(self.address, password)
            return True
        except imaplib.IMAP4.error:
            return False
        finally:
            try:
                conn.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    def smtp_login(self, user, password):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=30) as client:
            client.starttls(context=client_tls_context())
            client.ehlo()
            # AUTH PLAIN alone: login() would try LOGIN after a refused PLAIN.
            client.user, client.password = user, password
            try:
                client.auth("PLAIN", client.auth_plain)
                return True
            except smtplib.SMTPAuthenticationError:
                return False

    def sieve_login(self, password):
        sock = socket.create_connection(("127.0.0.1", self.sieve_port), timeout=30)
        with sock:
            reader = sock.makefile("rb")
            while not reader.readline().startswith(b"OK"):
                pass
            sock.sendall(b"STARTTLS\r\n")
            self.assertTrue(reader.readline().startswith(b"OK"))
            with client_tls_context().wrap_socket(sock, server_hostname="localhost") as tls:
                reader = tls.makefile("rb")
                while not reader.readline().startswith(b"OK"):
                    pass
                plain = base64.b64encode(f"\0{self.address}\0{password}".encode()).decode()
                tls.sendall(f'AUTHENTICATE "PLAIN" "{plain}"\r\n'.encode())
                return reader.readline().startswith(b"OK")

    def failure_lines(self):
        return [line for name in ("imapd", "smtpd") for line in self.suite.log(name).splitlines()
                if "login failed" in line]

    def test_each_failed_login_is_one_line_that_the_fail2ban_filter_matches(self):
        self.assertTrue(self.imap_login(PASSWORD))
        self.assertTrue(self.smtp_login(self.address, PASSWORD))
        self.assertTrue(self.sieve_login(PASSWORD))
        self.assertEqual(self.failure_lines(), [])

        self.assertFalse(self.imap_login("wrong imap password"))
        self.assertFalse(self.smtp_login('no"such user@localhost', "wrong smtp password"))
        self.assertFalse(self.sieve_login("wrong sieve password"))

        lines = self.failure_lines()
        self.assertEqual(len(lines), 3, lines)
        fields = sorted(LINE.search(line).groups() for line in lines)
        self.assertEqual(fields, [
            ("127.0.0.1", "imap", "password", self.address, "invalid credentials"),
            ("127.0.0.1", "sieve", "password", self.address, "invalid credentials"),
            ("127.0.0.1", "smtp", "password", r"no\x22such user@localhost",
             "invalid credentials"),
        ])

        fail2ban_regex = shutil.which("fail2ban-regex")
        self.assertIsNotNone(fail2ban_regex, "fail2ban-regex missing: run scripts/install-deps.sh")
        log = os.path.join(self.suite.dir, "daemons.log")
        with open(log, "w") as f:
            f.write(self.suite.log("imapd") + self.suite.log("smtpd"))
        out = subprocess.run([fail2ban_regex, "--print-all-matched", log, FILTER],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertRegex(out.stdout, r"(?m)^Failregex: 3 total$", out.stdout)
        self.assertRegex(out.stdout, r"(?m)^Lines: \d+ lines, 0 ignored, 3 matched, \d+ missed",
                         out.stdout)
        # The lines' times are read with the filter's date pattern.
        self.assertRegex(out.stdout, r"(?m)^\|  \[\d+\] \^Year-Month-DayT24hour", out.stdout)

    def test_creating_below_an_existing_mailbox_logs_no_database_error(self):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=30)
        self.addCleanup(conn.logout)
        conn.login(self.address, PASSWORD)
        self.assertEqual(conn.create("Projects")[0], "OK")
        self.assertEqual(conn.create("Projects/2026")[0], "OK")
        self.assertEqual(conn.create("Projects/2026/Budget")[0], "OK")
        status, detail = conn.create("Projects")
        self.assertEqual(status, "NO")
        self.assertIn(b"[ALREADYEXISTS]", detail[0])
        self.assertNotIn("duplicate key", self.suite.log("imapd"))
        self.assertNotIn("statement insert_mailbox_within failed", self.suite.log("imapd"))


if __name__ == "__main__":
    unittest.main()
