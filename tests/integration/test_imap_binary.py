"""BINARY (RFC 3516), MULTIAPPEND (RFC 3502) and CATENATE (RFC 4469) driven by Python's imaplib
over real TLS against the real store: an attachment appended as base64 comes back byte for byte
from FETCH BINARY, a literal8 APPEND keeps its NUL bytes, and a MULTIAPPEND that cannot be
completed stores nothing."""

import email.mime.application
import email.mime.multipart
import email.mime.text
import imaplib
import os
import re
import unittest

from harness import Suite, client_tls_context

PASSWORD = "correct horse battery staple"


class ImapBinaryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",))
        cls.addClassCleanup(cls.suite.stop)

    def imaps(self):
        user = self.suite.create_account(password=PASSWORD)
        conn = imaplib.IMAP4_SSL(
            "127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context()
        )
        conn.login(user, PASSWORD)
        self.addCleanup(conn.logout)
        return conn

    def raw_command(self, conn, tag, command):
        """Sends COMMAND (bytes, literals included) and returns the tagged response line."""
        conn.send(tag + b" " + command + b"\r\n")
        while True:
            line = conn.readline()
            self.assertTrue(line, "connection closed")
            if line.startswith(tag + b" "):
                return line.rstrip(b"\r\n")

    def message_count(self, conn):
        status, data = conn.status("INBOX", "(MESSAGES)")
        self.assertEqual(status, "OK")
        return int(re.search(rb"MESSAGES (\d+)", data[0]).group(1))

    def test_fetch_binary_returns_the_attachment_bytes(self):
        conn = self.imaps()
        status, data = conn.capability()
        self.assertIn(b" BINARY ", data[0] + b" ")
        attachment = bytes(range(256)) * 16 + os.urandom(3000)
        message = email.mime.multipart.MIMEMultipart()
        message["Subject"] = "minutes"
        message.attach(email.mime.text.MIMEText("café = 회의", "plain", "utf-8"))
        message.attach(email.mime.application.MIMEApplication(attachment, "octet-stream"))
        status, _ = conn.append("INBOX", None, None, message.as_bytes())
        self.assertEqual(status, "OK")
        conn.select("INBOX")
        status, data = conn.fetch("1", "(BINARY.SIZE[2] BINARY.PEEK[2] BINARY.PEEK[1])")
        self.assertEqual(status, "OK")
        self.assertIn(b"BINARY.SIZE[2] %d " % len(attachment), data[0][0])
        self.assertTrue(data[0][0].endswith(b"BINARY[2] ~{%d}" % len(attachment)))
        self.assertEqual(data[0][1], attachment)
        self.assertEqual(data[1][1], "café = 회의".encode())
        status, data = conn.fetch("1", "(FLAGS)")
        self.assertNotIn(b"\\Seen", data[0])

    def test_literal8_append_keeps_nul_bytes(self):
        conn = self.imaps()
        body = b"\x00binary\x00\r\n\xff\xfe"
        raw = b"Subject: raw\r\nContent-Transfer-Encoding: binary\r\n\r\n" + body
        reply = self.raw_command(conn, b"b1", b"APPEND INBOX ~{%d+}\r\n" % len(raw) + raw)
        self.assertRegex(reply, rb"^b1 OK \[APPENDUID \d+ 1\] APPEND completed$")
        conn.select("INBOX")
        status, data = conn.fetch("1", "(BINARY.PEEK[1] RFC822.SIZE)")
        self.assertEqual(status, "OK")
        self.assertEqual(data[0][1], body)
        self.assertIn(b"RFC822.SIZE %d" % len(raw), data[1])

    def test_multiappend_is_all_or_nothing(self):
        conn = self.imaps()
        first = b"Subject: first\r\n\r\none\r\n"
        second = b"Subject: second\r\n\r\ntwo\r\n"
        reply = self.raw_command(
            conn, b"c1",
            b"APPEND INBOX {%d+}\r\n%s CATENATE (URL \"/INBOX/;UID=7\")"
            % (len(first), first),
        )
        self.assertEqual(reply, b"c1 NO [BADURL /INBOX/;UID=7] Unable to resolve URL")
        self.assertEqual(self.message_count(conn), 0)
        reply = self.raw_command(
            conn, b"c2",
            b"APPEND INBOX (\\Seen) {%d+}\r\n%s {%d+}\r\n%s"
            % (len(first), first, len(second), second),
        )
        self.assertRegex(reply, rb"^c2 OK \[APPENDUID \d+ 1:2\] APPEND completed$")
        self.assertEqual(self.message_count(conn), 2)
        reply = self.raw_command(
            conn, b"c3",
            b"APPEND INBOX CATENATE (URL \"/INBOX/;UID=2/;SECTION=HEADER\" TEXT {5+}\r\nthree)",
        )
        self.assertRegex(reply, rb"^c3 OK \[APPENDUID \d+ 3\] APPEND completed$")
        conn.select("INBOX")
        status, data = conn.fetch("3", "(BODY.PEEK[])")
        self.assertEqual(data[0][1], b"Subject: second\r\n\r\nthree")



class ImapAppendLimitTest(unittest.TestCase):
    """[imap] max_literal_bytes bounds a whole APPEND: a MULTIAPPEND and a CATENATE result."""

    LIMIT = 4096

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",), extra_config=f"max_literal_bytes = {cls.LIMIT}\n")
        cls.addClassCleanup(cls.suite.stop)

    def test_append_limit_applies_to_the_whole_command(self):
        user = self.suite.create_account(password=PASSWORD)
        conn = imaplib.IMAP4_SSL(
            "127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context()
        )
        conn.login(user, PASSWORD)
        self.addCleanup(conn.logout)
        raw = b"Subject: big\r\n\r\n" + b"x" * 2500
        status, _ = conn.append("INBOX", None, None, raw)
        self.assertEqual(status, "OK")

        conn.send(b"d1 APPEND INBOX {%d}\r\n" % len(raw))
        self.assertTrue(conn.readline().startswith(b"+ "))
        conn.send(raw + b" {%d}\r\n" % len(raw))
        self.assertEqual(conn.readline(), b"d1 NO [TOOBIG] Literal too big\r\n")

        conn.send(b'd2 APPEND INBOX CATENATE (URL "/INBOX/;UID=1" URL "/INBOX/;UID=1")\r\n')
        self.assertEqual(conn.readline(), b"d2 NO [TOOBIG] Message too big\r\n")
        status, data = conn.status("INBOX", "(MESSAGES)")
        self.assertIn(b"MESSAGES 1)", data[0])


if __name__ == "__main__":
    unittest.main()
