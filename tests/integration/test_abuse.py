"""Outbound abuse control, learning and virus scanning with the real rspamd of CTest's
`rspamd` fixture (govmail-test-rspamd) and real clients over loopback: an account over its
rspamd ratelimit gets 451 4.7.1 and an audit entry (the fixture limits accounts of the
domain ratelimited.test alone to two recipients an hour); moving a message into \\Junk with
imaplib queues spam learning (out of it: ham; into Trash: nothing), which smtpd's learner
posts to rspamd's controller, whose Bayes statistics count it."""

import email.utils
import imaplib
import json
import os
import smtplib
import time
import unittest
import urllib.request

from harness import CHEAP_HASHES, Suite, client_tls_context

RSPAMD_ROOT = os.environ.get("GOVMAIL_TEST_RSPAMD_ROOT", "")
PASSWORD = "correct horse battery staple"
RATELIMITED_DOMAIN = "ratelimited.test"


def rspamd_url():
    with open(os.path.join(RSPAMD_ROOT, "url")) as f:
        return f.read().strip()


def controller_url():
    with open(os.path.join(RSPAMD_ROOT, "controller_url")) as f:
        return f.read().strip()


def bayes_learned():
    """rspamd's count of messages its Bayes classifier has learnt (GET /stat)."""
    with urllib.request.urlopen(controller_url().rstrip("/") + "/stat", timeout=30) as answer:
        return json.load(answer)["learned"]


# Enough distinct words for rspamd's Bayes tokenizer to learn the message.
LEARNABLE_BODY = " ".join(
    f"word{n} pharmacy discount offer cheap watches lottery winner" for n in range(40))


def message(sender, body="hello", to="someone@example.org"):
    # Dated and addressed to its recipient: the fixture's rspamd judges loopback clients, and
    # an undated message to someone else scores into its greylist band (451).
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: abuse test\r\n"
            f"Date: {email.utils.formatdate()}\r\n"
            f"Message-ID: <{time.time_ns()}@example.org>\r\n\r\n{body}\r\n")


class Ratelimit(unittest.TestCase):
    """rspamd's ratelimit module per authenticated account."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(extra_config=(
            f"[server]\nlocal_domains = localhost, example.go.kr, {RATELIMITED_DOMAIN}\n"
            f"[filter]\nenabled = true\nrspamd_url = {rspamd_url()}\n"
            "[queue]\nconcurrency = 0\n" + CHEAP_HASHES))
        cls.addClassCleanup(cls.suite.stop)

    def submit(self, smtp, user, recipient):
        return smtp.sendmail(user, [recipient], message(user))

    def test_an_account_over_its_limit_gets_451_and_is_audited(self):
        user = self.suite.create_account(domain=RATELIMITED_DOMAIN, password=PASSWORD)
        colleague = self.suite.create_account()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=60) as smtp:
            smtp.starttls(context=client_tls_context())
            smtp.login(user, PASSWORD)
            self.submit(smtp, user, colleague)
            self.submit(smtp, user, colleague)
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                self.submit(smtp, user, colleague)
            self.assertEqual(refused.exception.smtp_code, 451)
            self.assertEqual(refused.exception.smtp_error,
                             b"4.7.1 Sending rate limit exceeded, try again later")
        self.assertEqual(len(self.suite.inbox(colleague)), 2)
        audited = self.suite.sql(
            "SELECT actor, host(source_addr), detail FROM audit_log"
            " WHERE action = 'mail.ratelimit' AND actor = :'p1';", user)
        self.assertEqual(len(audited), 1)
        self.assertEqual(audited[0][:2], [user, "127.0.0.1"])
        self.assertIn(f"from <{user}>", audited[0][2])
        self.assertIn("action soft reject", audited[0][2])

    def test_an_account_of_another_domain_keeps_the_default_limit(self):
        user = self.suite.create_account(password=PASSWORD)
        colleague = self.suite.create_account()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=60) as smtp:
            smtp.starttls(context=client_tls_context())
            smtp.login(user, PASSWORD)
            for _ in range(4):
                self.submit(smtp, user, colleague)
        self.assertEqual(len(self.suite.inbox(colleague)), 4)



class Learning(unittest.TestCase):
    """Moves into and out of \\Junk teach rspamd through the durable learning queue."""

    def start(self, daemons):
        suite = Suite(daemons=daemons, extra_config=(
            f"[filter]\nenabled = true\nrspamd_url = {rspamd_url()}\n"
            f"controller_url = {controller_url()}\n[queue]\nconcurrency = 0\n" + CHEAP_HASHES))
        self.addCleanup(suite.stop)
        return suite

    def deliver(self, suite, user, count):
        """COUNT distinct learnable messages in USER's INBOX, over the MX."""
        with smtplib.SMTP("127.0.0.1", suite.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            for n in range(count):
                smtp.sendmail("sender@example.org", [user],
                              message("sender@example.org", f"{n} {time.time_ns()} {LEARNABLE_BODY}",
                                      to=user))

    def imap(self, suite, user):
        conn = imaplib.IMAP4("127.0.0.1", suite.ports["imap"])
        conn.starttls(ssl_context=client_tls_context())
        conn.login(user, PASSWORD)
        self.addCleanup(conn.logout)
        return conn

    def queued(self, suite, user):
        return suite.sql(
            "SELECT spam FROM learn_queue q JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' ORDER BY learn_id;", user)

    def test_moves_into_and_out_of_junk_are_queued_in_their_transaction(self):
        # No smtpd, so no learner: the jobs stay in the queue to be read.
        suite = self.start(("imapd",))
        user = suite.create_account(password=PASSWORD)
        conn = self.imap(suite, user)
        conn.append("INBOX", None, None, message("a@example.org", "one").encode())
        conn.append("INBOX", None, None, message("b@example.org", "two").encode())
        conn.select("INBOX")
        self.assertEqual(conn.uid("MOVE", "1", "Junk")[0], "OK")
        self.assertEqual(self.queued(suite, user), [["t"]])
        self.assertEqual(conn.uid("COPY", "2", "Junk")[0], "OK")
        self.assertEqual(self.queued(suite, user), [["t"], ["t"]])
        conn.select("Junk")
        self.assertEqual(conn.uid("MOVE", "1", "Trash")[0], "OK")
        self.assertEqual(self.queued(suite, user), [["t"], ["t"]])
        self.assertEqual(conn.uid("MOVE", "2", "Archive")[0], "OK")
        self.assertEqual(self.queued(suite, user), [["t"], ["t"], ["f"]])

    def test_a_move_into_junk_reaches_rspamds_bayes(self):
        suite = self.start(("smtpd", "imapd"))
        user = suite.create_account(password=PASSWORD)
        self.deliver(suite, user, 2)
        before = bayes_learned()
        conn = self.imap(suite, user)
        conn.select("INBOX")
        self.assertEqual(conn.uid("MOVE", "1", "Junk")[0], "OK")
        self.wait_for(lambda: bayes_learned() > before, "rspamd learnt the spam")
        self.wait_for(lambda: self.queued(suite, user) == [], "the spam job is done")
        conn.select("Junk")
        self.assertEqual(conn.uid("MOVE", "1", "INBOX")[0], "OK")
        learnt_spam = bayes_learned()
        self.wait_for(lambda: bayes_learned() > learnt_spam, "rspamd learnt the ham")
        self.wait_for(lambda: self.queued(suite, user) == [], "the ham job is done")

    def wait_for(self, condition, what, timeout=60):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.fail(f"not within {timeout} s: {what}")
            time.sleep(0.5)


if __name__ == "__main__":
    unittest.main()
