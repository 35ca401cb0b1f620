"""smtpd driven by clients nobody here wrote: Python's smtplib, swaks and curl, over real
sockets and real TLS, delivering into the real PostgreSQL store. The kill -9 test (many parallel
clients, smtpd killed mid-DATA, every acknowledged message stored exactly once) is in
test_faults.py with the other fault tests."""

import base64
import os
import smtplib
import socket
import subprocess
import time
import unittest

import transcripts
from harness import Suite, client_tls_context, free_port, unique_local

PASSWORD = "correct horse battery staple"


def raw_session(port, payload, read_until=b"221"):
    """Sends PAYLOAD in one write after the greeting and returns everything the server said."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        received = s.recv(4096)
        s.sendall(payload)
        while read_until not in received:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
        return received.decode()


class SmtpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Remote mail goes to a relay that refuses connections, so it stays queued.
        cls.suite = Suite(daemons=("smtpd",), extra_config=(
            "[smtp]\nmax_message_bytes = 65536\n"
            f"[queue]\nrelay_host = 127.0.0.1:{free_port()}\nretry_initial_s = 3600\n"))
        cls.addClassCleanup(cls.suite.stop)
        cls.alice = cls.suite.create_account(password=PASSWORD)
        cls.bob = cls.suite.create_account(password=PASSWORD)

    def mx(self):
        return smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20)

    def test_mx_delivery_adds_trace_headers_and_keeps_the_body(self):
        with self.mx() as client:
            client.sendmail("sender@example.org", [self.alice],
                            b"Subject: plain MX\r\n\r\nHello over MX.\r\n")
        stored = self.suite.inbox(self.alice)[-1]
        self.assertTrue(stored.startswith(b"Return-Path: <sender@example.org>\r\nReceived: from "))
        self.assertIn(b"by mail.test (govmail) with ESMTP", stored)
        self.assertTrue(stored.endswith(b"Subject: plain MX\r\n\r\nHello over MX.\r\n"))

    def test_unknown_recipient_is_refused_with_550(self):
        with self.mx() as client:
            client.ehlo("client.example.org")
            client.mail("sender@example.org")
            code, text = client.rcpt(f"{unique_local('nobody')}@localhost")
        self.assertEqual(code, 550)
        self.assertIn(b"5.1.1", text)

    def test_relay_without_authentication_is_refused_with_554(self):
        with self.mx() as client:
            client.ehlo("client.example.org")
            client.mail("sender@example.org")
            code, text = client.rcpt("someone@elsewhere.example")
        self.assertEqual(code, 554)
        self.assertIn(b"5.7.1", text)

    def test_size_limit_is_enforced_with_552(self):
        with self.mx() as client:
            client.ehlo("client.example.org")
            limit = int(client.esmtp_features["size"])
            code, _ = client.mail("sender@example.org", [f"SIZE={limit + 1}"])
            self.assertEqual(code, 552)
        # A client that does not announce SIZE is stopped at the end of DATA, and the
        # session goes on.
        too_big = "Subject: big\r\n\r\n" + ("y" * 998 + "\r\n") * (limit // 1000 + 2)
        replies = raw_session(self.suite.ports["mx"], (
            "HELO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n"
            f"RCPT TO:<{self.alice}>\r\nDATA\r\n{too_big}.\r\nNOOP\r\nQUIT\r\n").encode())
        codes = [line[:3] for line in replies.split("\r\n") if line]
        self.assertEqual(codes, ["220", "250", "250", "250", "354", "552", "250", "221"])

    def test_pipelined_recipients_with_one_bad_deliver_to_the_good_ones(self):
        tag = unique_local("pipelined")
        payload = (
            "EHLO client.example.org\r\n"
            "MAIL FROM:<sender@example.org>\r\n"
            f"RCPT TO:<{self.alice}>\r\n"
            f"RCPT TO:<{unique_local('ghost')}@localhost>\r\n"
            f"RCPT TO:<{self.bob}>\r\n"
            "DATA\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", self.suite.ports["mx"]), timeout=20) as s:
            s.recv(4096)
            s.sendall(payload)
            replies = b""
            while b"354" not in replies:
                replies += s.recv(4096)
            s.sendall(f"Subject: {tag}\r\n\r\nbody\r\n.\r\nQUIT\r\n".encode())
            while b"221" not in replies:
                replies += s.recv(4096)
        codes = [line[:3] for line in replies.decode().split("\r\n") if line[3:4] == " "]
        self.assertEqual(codes, ["250", "250", "250", "550", "250", "354", "250", "221"])
        for address in (self.alice, self.bob):
            self.assertIn(tag.encode(), self.suite.inbox(address)[-1])

    def test_smuggled_terminators_do_not_end_data(self):
        tag = unique_local("smuggle")
        body = (f"Subject: {tag}\r\n\r\nbefore\n.\nMAIL FROM:<evil@example.org>\r\n"
                "middle\r\n.\rRCPT TO:<victim@localhost>\r\nafter\r\n.\r\nQUIT\r\n")
        replies = raw_session(self.suite.ports["mx"], (
            "HELO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n"
            f"RCPT TO:<{self.alice}>\r\nDATA\r\n" + body).encode())
        codes = [line[:3] for line in replies.split("\r\n") if line]
        self.assertEqual(codes, ["220", "250", "250", "250", "354", "250", "221"])
        stored = self.suite.inbox(self.alice)[-1]
        self.assertIn(tag.encode(), stored)
        # Bare line ends are normalised, so the smuggled lines are plain content now.
        self.assertIn(b"before\r\n.\r\nMAIL FROM:<evil@example.org>\r\n", stored)
        self.assertIn(b"RCPT TO:<victim@localhost>\r\nafter\r\n", stored)

    def test_bdat_chunks_are_stored_verbatim_with_crlf_line_ends(self):
        tag = unique_local("bdat")
        # No dot-stuffing and no terminator in BDAT: ".\r\n" and "..x" are content; a bare
        # LF is stored as CRLF, as in DATA.
        first = f"Subject: {tag}\r\n\r\nline one\r\n.\r\n".encode()
        second = b"..x\nlast line\r\n"
        payload = (b"EHLO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n"
                   + f"RCPT TO:<{self.alice}>\r\n".encode()
                   + f"BDAT {len(first)}\r\n".encode() + first
                   + f"BDAT {len(second)} LAST\r\n".encode() + second + b"QUIT\r\n")
        replies = raw_session(self.suite.ports["mx"], payload).split("\r\n")[:-1]
        self.assertIn("250-CHUNKING", replies)
        self.assertEqual(replies[-5:-2], ["250 2.1.0 Ok", "250 2.1.5 Ok",
                                          f"250 2.0.0 {len(first)} octets received"])
        self.assertTrue(replies[-2].startswith("250 2.0.0 Ok: queued as "), replies)
        self.assertEqual(replies[-1], "221 2.0.0 Bye")
        stored = self.suite.inbox(self.alice)[-1]
        self.assertTrue(stored.endswith(first + b"..x\r\nlast line\r\n"), stored)

    def test_bdat_chunk_past_the_size_limit_is_refused_before_it_is_read(self):
        limit = 65536
        chunk = b"z" * (limit // 2 + 1)
        payload = (b"EHLO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n"
                   + f"RCPT TO:<{self.alice}>\r\n".encode()
                   + f"BDAT {len(chunk)}\r\n".encode() + chunk
                   + f"BDAT {len(chunk)} LAST\r\n".encode() + chunk + b"NOOP\r\nQUIT\r\n")
        before = len(self.suite.inbox(self.alice))
        replies = raw_session(self.suite.ports["mx"], payload).split("\r\n")
        codes = [line[:3] for line in replies if line[3:4] == " "]
        # The second chunk would take the message past the limit: 552 before any of it is
        # read, and the server ends the session (nothing after the 552).
        self.assertEqual(codes, ["220", "250", "250", "250", "250", "552"])
        self.assertEqual(len(self.suite.inbox(self.alice)), before)
        with self.mx() as client:
            self.assertEqual(client.noop()[0], 250)

    def test_eight_bit_body_and_smtputf8_sender(self):
        body = "Subject: 안녕하세요\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n회의는 3시입니다.\r\n"
        with self.mx() as client:
            client.ehlo("client.example.org")
            self.assertTrue(client.has_extn("smtputf8"))
            self.assertTrue(client.has_extn("8bitmime"))
            client.sendmail("발신자@example.org", [self.alice], body.encode(),
                            mail_options=["SMTPUTF8", "BODY=8BITMIME"])
        stored = self.suite.inbox(self.alice)[-1]
        self.assertIn("Return-Path: <발신자@example.org>".encode(), stored)
        self.assertIn("회의는 3시입니다.".encode(), stored)
        self.assertIn(b"with UTF8SMTP", stored)

    def test_utf8_address_without_smtputf8_is_refused(self):
        replies = raw_session(self.suite.ports["mx"], (
            "EHLO client.example.org\r\nMAIL FROM:<발신자@example.org>\r\nQUIT\r\n").encode())
        self.assertIn("\r\n553 5.6.7 ", replies)

    def test_fifty_local_recipients_each_get_the_message(self):
        recipients = [self.suite.create_account() for _ in range(50)]
        tag = unique_local("fifty")
        with self.mx() as client:
            refused = client.sendmail("sender@example.org", recipients,
                                      f"Subject: {tag}\r\n\r\nTo all fifty.\r\n".encode())
        self.assertEqual(refused, {})
        for address in recipients:
            inbox = self.suite.inbox(address)
            self.assertEqual(len(inbox), 1, address)
            self.assertIn(tag.encode(), inbox[0])
        stored_once = self.suite.sql(
            "SELECT count(*) FROM message_bodies WHERE position(convert_to(:'p1', 'UTF8') in raw) > 0;",
            tag)
        self.assertEqual(stored_once, [["1"]])

    def test_swaks_delivers_over_mx_with_starttls(self):
        tag = unique_local("swaks")
        out = subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{self.suite.ports['mx']}", "--tls",
             "--to", self.alice, "--from", "sender@example.org", "--header", f"Subject: {tag}"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        stored = self.suite.inbox(self.alice)[-1]
        self.assertIn(tag.encode(), stored)
        self.assertIn(b"with ESMTPS", stored)
        self.assertIn(b"TLSv1.3", stored)

    def test_curl_delivers_over_mx(self):
        tag = unique_local("curl")
        out = subprocess.run(
            ["curl", "-sS", f"smtp://127.0.0.1:{self.suite.ports['mx']}", "--mail-from",
             "sender@example.org", "--mail-rcpt", self.alice, "-T", "-"],
            input=f"Subject: {tag}\r\n\r\nsent by curl\r\n", capture_output=True, text=True,
            timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(tag.encode(), self.suite.inbox(self.alice)[-1])

    def test_http_sent_to_the_smtp_port_is_refused_and_the_server_keeps_serving(self):
        replies = raw_session(self.suite.ports["mx"],
                              b"GET / HTTP/1.1\r\nHost: mail.test\r\n\r\n", read_until=b"500")
        self.assertEqual(replies.split("\r\n")[1], "500 5.5.1 Non-SMTP command")
        with self.mx() as client:
            self.assertEqual(client.noop()[0], 250)

    # Submission.

    def test_auth_is_not_offered_or_accepted_before_tls(self):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.ehlo("client.example.org")
            self.assertFalse(client.has_extn("auth"))
            self.assertTrue(client.has_extn("starttls"))
            code, _ = client.docmd("AUTH", "PLAIN AGFsaWNlAHNlY3JldA==")
            self.assertEqual(code, 538)
            code, _ = client.mail(self.alice)
            self.assertEqual(code, 530)

    def test_submission_after_starttls_delivers_locally(self):
        tag = unique_local("submission")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.starttls(context=client_tls_context())
            client.ehlo("client.example.org")
            self.assertIn("PLAIN", client.esmtp_features["auth"].split())
            client.login(self.alice, PASSWORD)
            client.sendmail(self.alice, [self.bob], f"Subject: {tag}\r\n\r\nhi\r\n".encode())
        stored = self.suite.inbox(self.bob)[-1]
        self.assertIn(tag.encode(), stored)
        self.assertIn(b"with ESMTPSA", stored)

    def test_submissions_over_implicit_tls_queues_remote_recipients(self):
        tag = unique_local("remote")
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_tls_context()) as client:
            client.login(self.alice, PASSWORD)
            client.sendmail(self.alice, ["friend@elsewhere.example", self.bob],
                            f"Subject: {tag}\r\n\r\nhi\r\n".encode())
        self.assertIn(tag.encode(), self.suite.inbox(self.bob)[-1])
        queued = self.suite.sql(
            "SELECT r.recipient, r.state FROM outbound_recipients r"
            " JOIN outbound_queue q USING (account_id, queue_id)"
            " JOIN message_bodies b USING (body_hash)"
            " WHERE position(convert_to(:'p1', 'UTF8') in b.raw) > 0;", tag)
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued[0][0], "friend@elsewhere.example")
        self.assertIn(queued[0][1], ("pending", "sending"))

    def test_wrong_password_and_foreign_sender_are_refused(self):
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_tls_context()) as client:
            with self.assertRaises(smtplib.SMTPAuthenticationError) as caught:
                client.login(self.alice, "wrong password")
            self.assertEqual(caught.exception.smtp_code, 535)
            client.login(self.alice, PASSWORD)
            code, _ = client.mail(self.bob)
            self.assertEqual(code, 553)

    def test_swaks_and_curl_submit_with_auth(self):
        tag = unique_local("swaks-auth")
        out = subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{self.suite.ports['submission']}", "--tls",
             "--auth", "LOGIN", "--auth-user", self.alice, "--auth-password", PASSWORD,
             "--to", self.bob, "--from", self.alice, "--header", f"Subject: {tag}"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(tag.encode(), self.suite.inbox(self.bob)[-1])
        tag = unique_local("curl-auth")
        out = subprocess.run(
            ["curl", "-sS", "--insecure", f"smtps://127.0.0.1:{self.suite.ports['submissions']}",
             "--user", f"{self.alice}:{PASSWORD}", "--mail-from", self.alice,
             "--mail-rcpt", self.bob, "-T", "-"],
            input=f"Subject: {tag}\r\n\r\nsent by curl\r\n", capture_output=True, text=True,
            timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(tag.encode(), self.suite.inbox(self.bob)[-1])


    def submit_as_alice(self, header, tag):
        """Sends a message with HEADER from alice over submission (STARTTLS and AUTH) to bob;
        returns the DATA reply, or the refusal."""
        message = f"{header}To: {self.bob}\r\nSubject: {tag}\r\n\r\nhi\r\n".encode()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.starttls(context=client_tls_context())
            client.login(self.alice, PASSWORD)
            try:
                client.sendmail(self.alice, [self.bob], message)
            except smtplib.SMTPDataError as refused:
                return refused.smtp_code, refused.smtp_error
            return 250, b""

    def test_submission_header_from_must_be_the_accounts_own_address(self):
        bob_name = self.bob.split("@")[0]
        forged = [
            f"From: Bob Lee <{self.bob}>\r\n",
            f"From: {self.alice}, {self.bob}\r\n",
            f"From: {self.alice}\r\nSender: {self.bob}\r\n",
            f"From: {self.alice}\r\nFrom: {self.bob}\r\n",
            f"From: \"{self.alice}\" <{bob_name}@LOCALHOST>\r\n",
            "From: someone@example.org\r\n",
        ]
        for header in forged:
            with self.subTest(header=header):
                tag = unique_local("forged-from")
                code, text = self.submit_as_alice(header, tag)
                self.assertEqual(code, 550)
                self.assertIn(b"5.7.1", text)
                self.assertFalse(any(tag.encode() in m for m in self.suite.inbox(self.bob)))
        for header in (f"From: Alice Kim <{self.alice.upper()}>\r\nSender: {self.alice}\r\n",
                       ""):
            with self.subTest(header=header):
                tag = unique_local("own-from")
                self.assertEqual(self.submit_as_alice(header, tag)[0], 250)
                self.assertIn(tag.encode(), self.suite.inbox(self.bob)[-1])


class SmtpLocalSenderTest(unittest.TestCase):
    """On MX, mail claiming a sender in a local domain (MAIL FROM, or the From or Sender header)
    is refused unless the client is a trusted relay. Here only 127.0.0.1 is one; clients bound
    to 127.0.0.2 stand for the outside world."""

    OUTSIDE = "127.0.0.2"

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd",), extra_config="[smtp]\ntrusted_relays = 127.0.0.1\n")
        cls.addClassCleanup(cls.suite.stop)
        cls.alice = cls.suite.create_account()
        cls.bob = cls.suite.create_account()

    def mx(self, source):
        return smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20,
                            source_address=(source, 0))

    def swaks(self, source, sender, tag, header_from):
        return subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{self.suite.ports['mx']}",
             "--local-interface", source, "--from", sender, "--to", self.alice,
             "--header", f"From: {header_from}", "--header", f"Subject: {tag}"],
            capture_output=True, text=True, timeout=60)

    def delivered(self, tag):
        return any(tag.encode() in m for m in self.suite.inbox(self.alice))

    def test_outside_client_with_a_local_envelope_sender_is_refused(self):
        with self.mx(self.OUTSIDE) as client:
            client.ehlo("client.example.org")
            code, text = client.mail(self.bob)
            self.assertEqual(code, 550)
            self.assertIn(b"5.7.1", text)
            code, _ = client.mail(self.bob.upper())
            self.assertEqual(code, 550)
        tag = unique_local("spoof-envelope")
        out = self.swaks(self.OUTSIDE, self.bob, tag, f"Bob Lee <{self.bob}>")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("550 5.7.1", out.stdout)
        self.assertFalse(self.delivered(tag))

    def test_outside_client_with_a_local_header_from_is_refused(self):
        tag = unique_local("spoof-header")
        out = self.swaks(self.OUTSIDE, "sender@example.org", tag, f"Bob Lee <{self.bob}>")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("550 5.7.1", out.stdout)
        self.assertFalse(self.delivered(tag))
        # The refusal ends the message, not the session.
        with self.mx(self.OUTSIDE) as client:
            client.ehlo("client.example.org")
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                client.sendmail("sender@example.org", [self.alice],
                                f"Sender: {self.bob}\r\nFrom: x@example.org\r\n\r\nhi\r\n")
            self.assertEqual(refused.exception.smtp_code, 550)
            self.assertEqual(client.noop()[0], 250)

    def test_trusted_relay_may_send_mail_from_a_local_sender(self):
        tag = unique_local("relayed")
        out = self.swaks("127.0.0.1", self.bob, tag, f"Bob Lee <{self.bob}>")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertTrue(self.delivered(tag))

    def test_ordinary_outside_mail_is_still_accepted(self):
        tag = unique_local("outside")
        out = self.swaks(self.OUTSIDE, "sender@example.org", tag, "Sender <sender@example.org>")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertTrue(self.delivered(tag))


class SmtpHarvestingTest(unittest.TestCase):
    """Unknown recipients count as errors: a client guessing addresses waits longer for each
    refusal and is disconnected at max_bad_commands; one typo costs nothing."""

    LIMIT = 8

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd",), extra_config=(
            f"[smtp]\nmax_bad_commands = {cls.LIMIT}\ntarpit_after = 2\n"
            "tarpit_delay_ms = 500\ntarpit_max_delay_ms = 2000\n"))
        cls.addClassCleanup(cls.suite.stop)
        cls.alice = cls.suite.create_account()

    def test_pipelined_unknown_recipients_end_in_421(self):
        payload = "EHLO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n" + "".join(
            f"RCPT TO:<{unique_local('guess')}@localhost>\r\n" for _ in range(100))
        replies = raw_session(self.suite.ports["mx"], payload.encode(), read_until=b"421")
        codes = [line[:3] for line in replies.split("\r\n") if line[3:4] == " "]
        self.assertEqual(codes, ["220", "250", "250"] + ["550"] * self.LIMIT + ["421"])
        self.assertTrue(replies.endswith("421 4.7.0 mail.test Error: too many errors\r\n"))

    def test_tarpit_delay_grows_with_each_unknown_recipient(self):
        waits = []
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.ehlo("client.example.org")
            client.mail("sender@example.org")
            for _ in range(self.LIMIT - 1):
                started = time.monotonic()
                code, _ = client.rcpt(f"{unique_local('guess')}@localhost")
                waits.append(time.monotonic() - started)
                self.assertEqual(code, 550)
            # Free errors, then 0.5 s, 1 s, 1.5 s, 2 s and the 2 s ceiling (the upper bounds
            # leave room for a loaded machine).
            self.assertLess(max(waits[:2]), 0.45, waits)
            for i, expected in enumerate([0.5, 1.0, 1.5, 2.0, 2.0], start=2):
                self.assertGreaterEqual(waits[i], expected - 0.02, waits)
                self.assertLess(waits[i], expected + 1.0, waits)
            # The error that reaches the limit is answered, then the client is disconnected.
            self.assertEqual(client.rcpt(f"{unique_local('guess')}@localhost")[0], 550)
            self.assertEqual(client.getreply()[0], 421)
            with self.assertRaises(smtplib.SMTPServerDisconnected):
                client.getreply()

    def test_one_typo_among_good_recipients_costs_nothing(self):
        tag = unique_local("typo")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.ehlo("client.example.org")
            client.mail("sender@example.org")
            self.assertEqual(client.rcpt(self.alice)[0], 250)
            started = time.monotonic()
            self.assertEqual(client.rcpt(f"{unique_local('typo')}@localhost")[0], 550)
            self.assertLess(time.monotonic() - started, 0.45)
            self.assertEqual(client.data(f"Subject: {tag}\r\n\r\nhi\r\n".encode())[0], 250)
        self.assertIn(tag.encode(), self.suite.inbox(self.alice)[-1])


class LoginNameTest(unittest.TestCase):
    """The red team's brute-force bypass, as they sent it: AUTH LOGIN with the name of a
    locked account followed by a NUL got 235, because the throttle counted the name as given
    while the database read it cut at the NUL."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd",), extra_config=(
            "[auth]\naccount_lock_failures = 3\nfailure_delay_ms = 1\nmax_failure_delay_ms = 2\n"))
        cls.addClassCleanup(cls.suite.stop)

    def auth_login(self, user, password):
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_tls_context()) as client:
            client.ehlo()
            code, _ = client.docmd("AUTH", "LOGIN " + base64.b64encode(user).decode())
            self.assertEqual(code, 334)
            code, text = client.docmd(base64.b64encode(password.encode()).decode())
            return code, text.decode()

    def test_no_spelling_of_a_locked_name_gets_in(self):
        victim = self.suite.create_account(local=unique_local("nultarget"), password=PASSWORD)
        for _ in range(3):
            self.assertEqual(self.auth_login(victim.encode(), "wrong")[0], 535)
        code, text = self.auth_login(victim.encode(), PASSWORD)
        self.assertEqual(code, 535)
        self.assertIn("Too many failed logins", text)
        for spelling in (victim.encode() + b"\0x", victim.upper().encode(),
                         victim.encode() + b"\r\n"):
            code, _ = self.auth_login(spelling, PASSWORD)
            self.assertEqual(code, 535, spelling)
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM audit_log WHERE action = 'login.success'"), [["0"]])


class SmtpTranscriptTest(unittest.TestCase):
    """Each file in tests/transcripts/smtp against the MX listener, line for line."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd",), extra_config="[smtp]\nmax_bad_commands = 5\n")
        cls.alice = cls.suite.create_account()
        cls.addClassCleanup(cls.suite.stop)

    def test_transcripts(self):
        for path in transcripts.files("smtp"):
            with self.subTest(transcript=os.path.basename(path)):
                problems = transcripts.run(path, self.suite.ports["mx"], {"alice": self.alice})
                self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
