"""The TLS every listener offers, audited from outside with `openssl s_client` and sslscan:
TLS 1.2 and 1.3 only, forward-secret AEAD suites only, the server's cipher preference, no
renegotiation; STARTTLS command injection (CVE-2011-0411: plaintext pipelined after
STARTTLS) answered by nobody, in SMTP and IMAP; and the connection cap's refusal on the
implicit-TLS ports sent inside TLS, never in plaintext, and logged."""

import contextlib
import socket
import ssl
import subprocess
import time
import unittest

from harness import Suite, client_tls_context

# (name, port key, s_client -starttls protocol or None for implicit TLS)
ENDPOINTS = (
    ("smtp submissions", "submissions", None),
    ("smtp submission", "submission", "smtp"),
    ("smtp mx", "mx", "smtp"),
    ("imaps", "imaps", None),
    ("imap", "imap", "imap"),
)
FORWARD_SECRET_AEAD = ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                       "ECDHE-ECDSA-CHACHA20-POLY1305")
REFUSED_TLS12_SUITES = (
    "AES128-GCM-SHA256",         # RSA key exchange: no forward secrecy
    "ECDHE-ECDSA-AES128-SHA",    # CBC
    "ECDHE-ECDSA-AES256-SHA384",  # CBC
    "DHE-RSA-AES128-GCM-SHA256",  # finite-field DHE: not offered
)


class TlsAuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd", "imapd"))
        cls.addClassCleanup(cls.suite.stop)

    def s_client(self, port_key, starttls, *args, stdin=b""):
        """Runs s_client against the endpoint; returns (handshake done, output)."""
        command = ["openssl", "s_client", "-connect",
                   f"127.0.0.1:{self.suite.ports[port_key]}", "-servername", "localhost",
                   *args]
        if starttls:
            command += ["-starttls", starttls]
        out = subprocess.run(command, input=stdin, capture_output=True, timeout=30)
        text = (out.stdout + out.stderr).decode(errors="replace")
        done = "Cipher is (NONE)" not in text and "\nNew, " in text
        return done, text

    def negotiated(self, text):
        for line in text.splitlines():
            if line.startswith("New, "):
                return line  # "New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"
        return ""

    def test_old_protocols_are_refused(self):
        for name, port, starttls in ENDPOINTS:
            for flag in ("-tls1", "-tls1_1"):
                with self.subTest(endpoint=name, protocol=flag):
                    done, text = self.s_client(port, starttls, flag,
                                               "-cipher", "DEFAULT@SECLEVEL=0")
                    self.assertFalse(done, text)

    def test_tls13_and_forward_secret_aead_tls12_are_accepted(self):
        for name, port, starttls in ENDPOINTS:
            with self.subTest(endpoint=name, protocol="TLSv1.3"):
                done, text = self.s_client(port, starttls, "-tls1_3")
                self.assertTrue(done, text)
                self.assertIn("TLSv1.3", self.negotiated(text))
            for suite in FORWARD_SECRET_AEAD:
                with self.subTest(endpoint=name, suite=suite):
                    done, text = self.s_client(port, starttls, "-tls1_2", "-cipher", suite)
                    self.assertTrue(done, text)
                    self.assertIn(f"TLSv1.2, Cipher is {suite}", self.negotiated(text))

    def test_other_tls12_suites_are_refused(self):
        for name, port, starttls in ENDPOINTS:
            for suite in REFUSED_TLS12_SUITES:
                with self.subTest(endpoint=name, suite=suite):
                    done, text = self.s_client(port, starttls, "-tls1_2", "-cipher",
                                               suite + ":@SECLEVEL=0")
                    self.assertFalse(done, text)

    def test_the_server_chooses_the_cipher(self):
        # The client prefers ChaCha20 then AES-256; the server's first choice is AES-128-GCM.
        offer = "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:" \
                "ECDHE-ECDSA-AES128-GCM-SHA256"
        for name, port, starttls in ENDPOINTS:
            with self.subTest(endpoint=name):
                done, text = self.s_client(port, starttls, "-tls1_2", "-cipher", offer)
                self.assertTrue(done, text)
                self.assertIn("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", self.negotiated(text))

    def test_renegotiation_is_refused(self):
        for name, port, starttls in (("smtp submissions", "submissions", None),
                                     ("imaps", "imaps", None)):
            with self.subTest(endpoint=name):
                done, text = self.s_client(port, starttls, "-tls1_2", "-no_ign_eof",
                                           stdin=b"R\n")
                self.assertTrue(done, text)
                # s_client asks for a new handshake; the server answers with a
                # no_renegotiation alert (or, racing it, a record s_client did not expect),
                # where a server that renegotiates would go on without an error.
                renegotiation = text[text.index("RENEGOTIATING"):]
                self.assertRegex(renegotiation, r"error:.*(no renegotiation|unexpected record)")

    def test_sslscan_finds_only_modern_suites(self):
        out = subprocess.run(
            ["sslscan", "--no-colour", f"127.0.0.1:{self.suite.ports['imaps']}"],
            capture_output=True, text=True, timeout=120).stdout
        accepted = [line for line in out.splitlines()
                    if line.startswith(("Preferred", "Accepted"))]
        self.assertTrue(accepted, out)
        for line in accepted:
            self.assertRegex(line, r"TLSv1\.[23]")
            self.assertRegex(line, r"GCM|CHACHA20|TLS_AES")
        self.assertRegex(out, r"TLSv1\.0\s+disabled")
        self.assertRegex(out, r"TLSv1\.1\s+disabled")

    # --- STARTTLS command injection ---------------------------------------------------

    def first_answer_after_injection(self, port_key, before, injected, probe):
        """Reads the greeting, sends each of BEFORE and reads its answer (up to its last
        line), then sends INJECTED (STARTTLS and a plaintext command) in one segment, reads
        the STARTTLS answer, upgrades the socket, sends PROBE and returns (the STARTTLS
        answer, the first line that comes over TLS)."""
        raw = socket.create_connection(("127.0.0.1", self.suite.ports[port_key]), timeout=20)
        reader = raw.makefile("rb")

        def answer():
            line = reader.readline()
            while line[3:4] == b"-":  # SMTP multi-line reply
                line = reader.readline()
            return line

        answer()
        for command in before:
            raw.sendall(command)
            answer()
        raw.sendall(injected)
        starttls_answer = answer()
        tls = client_tls_context().wrap_socket(raw, server_hostname="localhost")
        tls.sendall(probe)
        first = tls.makefile("rb").readline()
        tls.close()
        return starttls_answer, first

    def test_smtp_plaintext_pipelined_after_starttls_is_discarded(self):
        # Had the injected RSET run, its 250 would come first over TLS; HELP answers 214.
        starttls, first = self.first_answer_after_injection(
            "submission", [b"EHLO client.example.org\r\n"], b"STARTTLS\r\nRSET\r\n",
            b"HELP\r\n")
        self.assertTrue(starttls.startswith(b"220 "), starttls)
        self.assertTrue(first.startswith(b"214 "), first)

    def test_imap_plaintext_pipelined_after_starttls_is_discarded(self):
        starttls, first = self.first_answer_after_injection(
            "imap", [], b"a STARTTLS\r\nb LOGOUT\r\n", b"c NOOP\r\n")
        self.assertTrue(starttls.startswith(b"a OK"), starttls)
        self.assertTrue(first.startswith(b"c OK"), first)


class TlsPortRefusalTest(unittest.TestCase):
    """A client over the per-address connection cap on SMTP submissions and IMAPS."""

    CAP = 2
    # (daemon, port key, the refusal the protocol gives)
    PORTS = (("smtpd", "submissions", b"421 4.7.0 Too many connections, try again later\r\n"),
             ("imapd", "imaps", b"* BYE Too many connections, try again later\r\n"))

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=(
            f"[smtp]\nmax_connections_per_address = {cls.CAP}\n"
            f"[imap]\nmax_connections_per_address = {cls.CAP}\n"))
        cls.addClassCleanup(cls.suite.stop)

    def tls_connection(self, port_key):
        sock = socket.create_connection(("127.0.0.1", self.suite.ports[port_key]), timeout=20)
        return client_tls_context().wrap_socket(sock, server_hostname="localhost")

    @contextlib.contextmanager
    def cap_reached(self, port_key):
        """CAP sessions open on PORT_KEY, each past its greeting."""
        with contextlib.ExitStack() as stack:
            for _ in range(self.CAP):
                conn = stack.enter_context(self.tls_connection(port_key))
                self.assertTrue(conn.recv(1024))
            yield

    def wait_for_log(self, daemon, line):
        deadline = time.monotonic() + 10
        while line not in self.suite.log(daemon) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertIn(line, self.suite.log(daemon))

    def test_refusal_comes_inside_tls_and_is_logged(self):
        for daemon, port_key, refusal in self.PORTS:
            with self.subTest(port=port_key), self.cap_reached(port_key):
                # Before: the refusal came as plaintext, and the handshake failed with
                # "wrong version number".
                with self.tls_connection(port_key) as extra:
                    self.assertEqual(extra.makefile("rb").readline(), refusal)
                port = self.suite.ports[port_key]
                self.wait_for_log(
                    daemon, f"connection from 127.0.0.1 to port {port} refused: too many "
                    "connections (reply sent inside TLS)")

    def test_no_plaintext_reaches_a_client_that_never_starts_tls(self):
        for daemon, port_key, refusal in self.PORTS:
            with self.subTest(port=port_key), self.cap_reached(port_key):
                port = self.suite.ports[port_key]
                with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
                    received = b""
                    while chunk := raw.recv(1024):
                        received += chunk
                self.assertEqual(received, b"")
                self.wait_for_log(
                    daemon, f"connection from 127.0.0.1 to port {port} refused: too many "
                    "connections (closed without a reply: TLS")


if __name__ == "__main__":
    unittest.main()
