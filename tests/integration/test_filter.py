"""Scanning with rspamd at the end of DATA/BDAT: the real smtpd, the real rspamd of CTest's
`rspamd` fixture (govmail-test-rspamd, with rspamd's GTUBE test patterns on), real SMTP
clients over loopback. rspamd's action decides: reject -> 550 and nothing stored (audited),
add header -> the recipient's Junk, no action -> INBOX; every stored message carries
govmail's Authentication-Results, forged ones are removed; with no answer from rspamd,
[filter] on_timeout decides (451 or stored unchecked)."""

import os
import smtplib
import socket
import threading
import time
import unittest

from harness import CHEAP_HASHES, Suite, client_tls_context, free_port

RSPAMD_ROOT = os.environ.get("GOVMAIL_TEST_RSPAMD_ROOT", "")
PASSWORD = "correct horse battery staple"

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
# rspamd's test patterns ([filter] test_patterns) for its "add header" and "rewrite subject"
# actions.
GTUBE_ADD_HEADER = "Y" + GTUBE[1:]
GTUBE_REWRITE_SUBJECT = "Z" + GTUBE[1:]


def rspamd_url():
    with open(os.path.join(RSPAMD_ROOT, "url")) as f:
        return f.read().strip()


def message(body, extra_headers="", to="someone@localhost"):
    return (f"From: sender@example.org\r\nTo: {to}\r\nSubject: filter test\r\n"
            f"Message-ID: <{time.time_ns()}@example.org>\r\n{extra_headers}\r\n{body}\r\n")


def header_block(raw):
    return raw.split(b"\r\n\r\n", 1)[0].decode()


class FilterSuite(unittest.TestCase):
    """smtpd scanning with the fixture's rspamd."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(extra_config=f"[filter]\nenabled = true\nrspamd_url = {rspamd_url()}\n"
                          "[queue]\nconcurrency = 0\n" + CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)

    def mailbox(self, address, name):
        return self.suite.mailbox(address, name)

    def send(self, recipients, data, sender="sender@example.org"):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            return smtp.sendmail(sender, recipients, data)

    def test_clean_mail_goes_to_the_inbox_with_authentication_results(self):
        user = self.suite.create_account()
        self.send([user], message("hello"))
        inbox = self.mailbox(user, "INBOX")
        self.assertEqual(len(inbox), 1)
        self.assertEqual(self.mailbox(user, "Junk"), [])
        header = header_block(inbox[0])
        self.assertIn("\r\nAuthentication-Results: mail.test", header)
        self.assertIn("\r\nX-Spam-Status: No, score=", header)
        self.assertNotIn("X-Spam-Flag", header)

    def test_gtube_is_refused_with_550_and_nothing_is_stored(self):
        user = self.suite.create_account()
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send([user], message(GTUBE))
        self.assertEqual(refused.exception.smtp_code, 550)
        self.assertEqual(refused.exception.smtp_error, b"5.7.1 Gtube pattern")
        self.assertEqual(self.mailbox(user, "INBOX"), [])
        self.assertEqual(self.mailbox(user, "Junk"), [])
        audited = self.suite.sql(
            "SELECT actor, host(source_addr), detail FROM audit_log WHERE action = 'mail.reject'"
            " AND detail LIKE '%from <sender@example.org>%' ORDER BY audit_id DESC LIMIT 1;")
        self.assertEqual(len(audited), 1)
        self.assertEqual(audited[0][:2], ["smtpd", "127.0.0.1"])
        self.assertIn("score 15.00, action reject", audited[0][2])

    def test_gtube_over_bdat_is_refused_too(self):
        user = self.suite.create_account()
        data = message(GTUBE).encode()
        with socket.create_connection(("127.0.0.1", self.suite.ports["mx"]), timeout=60) as s:
            f = s.makefile("rb")

            def command(line):
                s.sendall(line)
                reply = b""
                while True:
                    got = f.readline()
                    reply += got
                    if got[3:4] == b" ":
                        return reply

            self.assertTrue(f.readline().startswith(b"220"))
            self.assertIn(b"CHUNKING", command(b"EHLO mx.example.org\r\n"))
            self.assertTrue(command(b"MAIL FROM:<sender@example.org>\r\n").startswith(b"250"))
            self.assertTrue(command(f"RCPT TO:<{user}>\r\n".encode()).startswith(b"250"))
            reply = command(f"BDAT {len(data)} LAST\r\n".encode() + data)
            self.assertEqual(reply, b"550 5.7.1 Gtube pattern\r\n")
            self.assertTrue(command(b"QUIT\r\n").startswith(b"221"))
        self.assertEqual(self.mailbox(user, "INBOX"), [])

    def test_spam_goes_to_junk_with_the_spam_fields(self):
        user = self.suite.create_account()
        self.send([user], message(GTUBE_ADD_HEADER))
        self.assertEqual(self.mailbox(user, "INBOX"), [])
        junk = self.mailbox(user, "Junk")
        self.assertEqual(len(junk), 1)
        header = header_block(junk[0])
        self.assertIn("\r\nX-Spam-Flag: YES\r\n", header)
        self.assertIn("\r\nX-Spam-Status: Yes, score=", header)
        self.assertIn("action=add header", header)

    def test_rewrite_subject_goes_to_junk_with_rspamds_subject(self):
        user = self.suite.create_account()
        self.send([user], message(GTUBE_REWRITE_SUBJECT))
        self.assertEqual(self.mailbox(user, "INBOX"), [])
        junk = self.mailbox(user, "Junk")
        self.assertEqual(len(junk), 1)
        header = header_block(junk[0])
        self.assertIn("\r\nSubject: *** SPAM *** filter test\r\n", header)
        self.assertEqual(header.count("Subject:"), 1)
        self.assertIn("action=rewrite subject", header)

    def test_spam_for_an_account_without_junk_goes_to_its_inbox(self):
        with_junk = self.suite.create_account()
        without_junk = self.suite.create_account()
        self.suite.sql(
            "DELETE FROM mailboxes WHERE name = 'Junk' AND account_id ="
            " (SELECT account_id FROM accounts WHERE address = :'p1');", without_junk)
        self.send([with_junk, without_junk], message(GTUBE_ADD_HEADER))
        self.assertEqual(len(self.mailbox(with_junk, "Junk")), 1)
        self.assertEqual(self.mailbox(with_junk, "INBOX"), [])
        inbox = self.mailbox(without_junk, "INBOX")
        self.assertEqual(len(inbox), 1)
        self.assertIn("X-Spam-Flag: YES", header_block(inbox[0]))

    def test_spam_gets_no_away_reply_and_ham_does(self):
        away = self.suite.create_account()
        self.suite.mailadm("autoreply", "set", away, "--subject", "Away", "--body", "Back soon.")
        spammer, colleague = "spammer@example.org", "colleague@example.org"
        self.send([away], message(GTUBE_ADD_HEADER, to=away), sender=spammer)
        self.send([away], message("hello", to=away), sender=colleague)
        answered = self.suite.sql(
            "SELECT sender FROM autoreply_log ORDER BY sender;")
        self.assertIn([colleague], answered)
        self.assertNotIn([spammer], answered)
        self.assertEqual(len(self.mailbox(away, "Junk")), 1)

    def test_forged_authentication_results_are_removed(self):
        user = self.suite.create_account()
        forged = ("Authentication-Results: mail.test; spf=pass smtp.mailfrom=example.org;\r\n"
                  "\tdkim=pass header.d=example.org\r\n"
                  "Authentication-Results: other.example; dkim=pass header.d=example.org\r\n"
                  "X-Spam-Status: No, score=-100\r\n")
        self.send([user], message("hello", forged))
        header = header_block(self.mailbox(user, "INBOX")[0])
        self.assertNotIn("smtp.mailfrom=example.org;\r\n\tdkim=pass", header)
        self.assertNotIn("score=-100", header)
        self.assertEqual(header.count("Authentication-Results: mail.test"), 1)
        self.assertIn("Authentication-Results: other.example; dkim=pass", header)

    def test_submission_is_scanned_and_names_the_account(self):
        user = self.suite.create_account(password=PASSWORD)
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=60) as smtp:
            smtp.starttls(context=client_tls_context())
            smtp.login(user, PASSWORD)
            smtp.sendmail(user, [user], message("hello").replace("sender@example.org", user))
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                smtp.sendmail(user, [user], message(GTUBE).replace("sender@example.org", user))
            self.assertEqual(refused.exception.smtp_code, 550)
        inbox = self.mailbox(user, "INBOX")
        self.assertEqual(len(inbox), 1)
        self.assertIn(f"auth=pass smtp.auth={user}", header_block(inbox[0]))
        audited = self.suite.sql(
            "SELECT count(*) FROM audit_log WHERE action = 'mail.reject' AND actor = :'p1';", user)
        self.assertEqual(audited, [["1"]])


class SilentScanner:
    """A TCP listener that accepts and never answers: an rspamd that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        try:
            while True:
                self.held.append(self.sock.accept()[0])
        except OSError:
            pass

    def close(self):
        self.sock.close()
        for s in self.held:
            s.close()


class NoAnswer(unittest.TestCase):
    """rspamd down or hanging: [filter] on_timeout."""

    def scan_with(self, url, on_timeout):
        suite = Suite(extra_config=f"[filter]\nenabled = true\nrspamd_url = {url}\n"
                      f"timeout_ms = 1000\non_timeout = {on_timeout}\n")
        self.addCleanup(suite.stop)
        return suite

    def send(self, suite, user):
        with smtplib.SMTP("127.0.0.1", suite.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            smtp.sendmail("sender@example.org", [user], message("hello"))

    def test_stopped_rspamd_tempfails(self):
        suite = self.scan_with(f"http://127.0.0.1:{free_port()}/", "tempfail")
        user = suite.create_account()
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(suite, user)
        self.assertEqual(refused.exception.smtp_code, 451)
        self.assertEqual(refused.exception.smtp_error,
                         b"4.7.1 Message not checked, try again later")
        self.assertEqual(suite.inbox(user), [])

    def test_hanging_rspamd_tempfails_at_the_deadline(self):
        silent = SilentScanner()
        self.addCleanup(silent.close)
        suite = self.scan_with(f"http://127.0.0.1:{silent.port}/", "tempfail")
        user = suite.create_account()
        started = time.monotonic()
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(suite, user)
        self.assertEqual(refused.exception.smtp_code, 451)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(suite.inbox(user), [])

    def test_stopped_rspamd_accepts_unchecked(self):
        suite = self.scan_with(f"http://127.0.0.1:{free_port()}/", "accept")
        user = suite.create_account()
        self.send(suite, user)
        inbox = suite.inbox(user)
        self.assertEqual(len(inbox), 1)
        header = header_block(inbox[0])
        self.assertIn("\r\nX-Spam-Status: unchecked\r\n", header)
        self.assertIn("\r\nAuthentication-Results: mail.test; none\r\n", header)


if __name__ == "__main__":
    unittest.main()
