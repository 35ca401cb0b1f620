"""Away auto-replies end to end: messages sent with smtplib to the real smtpd (MX for outside
senders, submission for colleagues), away settings made with the real `mailadm autoreply`
and `mailadm account retire`, results read from the store with psql. Replies to outside
senders wait in the outbound queue (the queue runner is off in AutoreplyTest, so what the
delivery stored is what the test sees) or reach a local SMTP sink (AutoreplyRelayTest);
replies to colleagues land in their INBOX."""

import base64
import datetime
import email
import email.policy
import smtplib
import unittest
import uuid

from harness import Suite, client_tls_context
from test_outbound import Sink, wait_for

PASSWORD = "correct horse battery staple"
RETIREE_SUBJECT = "[자동응답] 퇴직 안내 / No longer with the organisation"


def outside_sender(prefix="bob"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}@remote.test"


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def text(message):
    """The text body with line ends as Python writes them."""
    return message.get_content().replace("\r\n", "\n")


class AutoreplyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd",), extra_config="[queue]\nconcurrency = 0\n")
        cls.addClassCleanup(cls.suite.stop)

    # Sending.
    def message(self, sender, to, subject="hello", extra="", message_id=None):
        message_id = message_id or f"<{uuid.uuid4().hex}@sender.test>"
        return (f"From: {sender or 'MAILER-DAEMON@remote.test'}\r\nTo: {to}\r\n"
                f"Subject: {subject}\r\nMessage-ID: {message_id}\r\n{extra}\r\n"
                "Are you there?\r\n").encode()

    def send_mx(self, sender, recipient, to=None, **kwargs):
        message = self.message(sender, to or recipient, **kwargs)
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            self.assertEqual(client.sendmail(sender, [recipient], message), {})

    def submit(self, sender, recipient, **kwargs):
        message = self.message(sender, recipient, **kwargs)
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.starttls(context=client_tls_context())
            client.login(sender, PASSWORD)
            self.assertEqual(client.sendmail(sender, [recipient], message), {})

    # Setting up.
    def away_account(self, *options, password=None):
        address = self.suite.create_account(password=password)
        self.suite.mailadm("autoreply", "set", address, *options)
        return address

    # Reading back.
    def queued_replies(self, recipient):
        """The raw replies queued for RECIPIENT: null envelope sender, NOTIFY=NEVER."""
        rows = self.suite.sql(
            "SELECT q.sender, r.notify, translate(encode(b.raw, 'base64'), E'\\n', '')"
            " FROM outbound_queue q JOIN outbound_recipients r USING (account_id, queue_id)"
            " JOIN message_bodies b USING (body_hash)"
            " WHERE lower(r.recipient) = lower(:'p1') ORDER BY q.queue_id;",
            recipient)
        for sender, notify, _ in rows:
            self.assertEqual((sender, notify), ("", "NEVER"))
        return [base64.b64decode(r[2]) for r in rows]

    def assert_no_reply(self, sender):
        self.assertEqual(self.queued_replies(sender), [])
        self.assertEqual(
            self.suite.sql("SELECT count(*) FROM autoreply_log WHERE sender = lower(:'p1');",
                           sender), [["0"]])

    def test_outside_sender_gets_exactly_one_reply_per_period(self):
        away = self.away_account("--subject", "부재중 / Out of office",
                                 "--body", "3월 20일까지 휴가입니다.\nBack on 21 March.")
        bob = outside_sender()
        self.send_mx(bob, away, subject="Budget", message_id="<budget-1@remote.test>")
        replies = self.queued_replies(bob)
        self.assertEqual(len(replies), 1)
        reply = parse(replies[0])
        self.assertEqual(reply["From"].addresses[0].addr_spec, away)
        self.assertEqual(reply["To"].addresses[0].addr_spec, bob)
        self.assertEqual(reply["Subject"], "부재중 / Out of office")
        self.assertEqual(reply["Auto-Submitted"], "auto-replied")
        self.assertEqual(reply["In-Reply-To"], "<budget-1@remote.test>")
        self.assertEqual(reply["References"], "<budget-1@remote.test>")
        self.assertTrue(reply["Message-ID"].endswith("@mail.test>"), reply["Message-ID"])
        self.assertEqual(text(reply), "3월 20일까지 휴가입니다.\nBack on 21 March.\n")
        # The second message within the period is delivered and not answered.
        self.send_mx(bob, away, subject="Budget again")
        self.assertEqual(len(self.queued_replies(bob)), 1)
        self.assertEqual(len(self.suite.inbox(away)), 2)
        # Nobody else was answered.
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM outbound_queue q JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1';", away), [["1"]])

    def test_default_subject_is_auto_and_the_original(self):
        away = self.away_account("--body", "Away.")
        bob = outside_sender()
        self.send_mx(bob, away, subject="Lunch on Friday?")
        self.assertEqual(parse(self.queued_replies(bob)[0])["Subject"], "Auto: Lunch on Friday?")

    def test_messages_that_must_not_be_answered(self):
        away = self.away_account("--body", "Away.")
        cases = [
            ("list", outside_sender(), {"extra": "List-Id: <staff.remote.test>\r\n"}),
            ("list-unsubscribe", outside_sender(),
             {"extra": "List-Unsubscribe: <mailto:leave@remote.test>\r\n"}),
            ("bulk", outside_sender(), {"extra": "Precedence: bulk\r\n"}),
            ("junk", outside_sender(), {"extra": "Precedence: junk\r\n"}),
            ("auto-generated", outside_sender(), {"extra": "Auto-Submitted: auto-generated\r\n"}),
            ("auto-replied", outside_sender(), {"extra": "Auto-Submitted: auto-replied\r\n"}),
            ("bcc", outside_sender(), {"to": "someone-else@localhost"}),
            ("forwarded", outside_sender(), {"to": "old-address@elsewhere.test"}),
            ("mailer-daemon", f"MAILER-DAEMON@{uuid.uuid4().hex[:8]}.test", {}),
            ("owner", outside_sender("owner-staff"), {}),
            ("request", f"staff-{uuid.uuid4().hex[:8]}-request@remote.test", {}),
        ]
        for name, sender, kwargs in cases:
            with self.subTest(name):
                self.send_mx(sender, away, **kwargs)
                self.assert_no_reply(sender)
        with self.subTest("null sender"):
            before = len(self.suite.sql("SELECT 1 FROM outbound_queue;"))
            self.send_mx("", away)
            self.assertEqual(len(self.suite.sql("SELECT 1 FROM outbound_queue;")), before)
        # Every one of them was delivered, and an ordinary message is still answered.
        self.assertEqual(len(self.suite.inbox(away)), len(cases) + 1)
        control = outside_sender()
        self.send_mx(control, away, extra="Auto-Submitted: no\r\nPrecedence: urgent\r\n")
        self.assertEqual(len(self.queued_replies(control)), 1)

    def test_date_range(self):
        for name, options, answered in (
                ("not yet", ("--start", day(2)), False),
                ("over", ("--start", day(-10), "--end", day(-2)), False),
                ("within", ("--start", day(-2), "--end", day(2)), True),
                ("open end", ("--start", day(-1)), True),
        ):
            with self.subTest(name):
                away = self.away_account("--body", "Away.", *options)
                bob = outside_sender()
                self.send_mx(bob, away)
                self.assertEqual(len(self.queued_replies(bob)), 1 if answered else 0)

    def test_organisation_scope_answers_colleagues_only(self):
        away = self.away_account("--body", "Away.", "--scope", "organisation")
        bob = outside_sender()
        self.send_mx(bob, away)
        self.assert_no_reply(bob)
        colleague = self.suite.create_account(password=PASSWORD)
        self.submit(colleague, away, subject="Meeting")
        inbox = self.suite.inbox(colleague)
        self.assertEqual(len(inbox), 1)
        self.assertTrue(inbox[0].startswith(b"Return-Path: <>\r\n"), inbox[0][:60])
        reply = parse(inbox[0])
        self.assertEqual(reply["Subject"], "Auto: Meeting")
        self.assertEqual(reply["From"].addresses[0].addr_spec, away)
        self.assertEqual(reply["Auto-Submitted"], "auto-replied")
        self.assertEqual(self.queued_replies(colleague), [])

    def test_two_away_accounts_do_not_loop(self):
        alice = self.away_account("--body", "Alice is away.", password=PASSWORD)
        bob = self.away_account("--body", "Bob is away.")
        self.submit(alice, bob, subject="Ping")
        alice_inbox = self.suite.inbox(alice)
        self.assertEqual(len(alice_inbox), 1)  # Bob's reply
        self.assertEqual(text(parse(alice_inbox[0])), "Bob is away.\n")
        bob_inbox = self.suite.inbox(bob)
        self.assertEqual(len(bob_inbox), 1)  # the original only, no reply to the reply
        self.assertEqual(parse(bob_inbox[0])["Subject"], "Ping")
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM outbound_queue q JOIN accounts a USING (account_id)"
            " WHERE a.address IN (:'p1', :'p2');", alice, bob), [["0"]])
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM autoreply_log l JOIN accounts a USING (account_id)"
            " WHERE a.address IN (:'p1', :'p2');", alice, bob), [["1"]])

    def test_retired_account_answers_with_the_retiree_text(self):
        retiree = self.suite.create_account()
        self.suite.mailadm("account", "retire", retiree)
        bob = outside_sender()
        self.send_mx(bob, retiree, subject="Contract")
        replies = self.queued_replies(bob)
        self.assertEqual(len(replies), 1)
        reply = parse(replies[0])
        self.assertEqual(reply["Subject"], RETIREE_SUBJECT)
        self.assertIn("퇴직하여 더 이상 메일을 확인하지 않습니다", text(reply))
        self.assertIn("has left the organisation", text(reply))
        self.assertEqual(len(self.suite.inbox(retiree)), 1)  # mail is still received

    def test_switched_off_account_does_not_answer(self):
        away = self.away_account("--body", "Away.")
        self.suite.mailadm("autoreply", "off", away)
        bob = outside_sender()
        self.send_mx(bob, away)
        self.assert_no_reply(bob)


class AutoreplyRelayTest(unittest.TestCase):
    """The reply on the wire: relayed by the queue runner with MAIL FROM:<>."""

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.addClassCleanup(cls.sink.server_close)
        cls.addClassCleanup(cls.sink.shutdown)
        cls.suite = Suite(daemons=("smtpd",), extra_config=f"""[queue]
relay_host = 127.0.0.1:{cls.sink.port}
retry_initial_s = 1
poll_interval_s = 1
""")
        cls.addClassCleanup(cls.suite.stop)

    def test_reply_is_relayed_with_the_null_sender(self):
        away = self.suite.create_account()
        self.suite.mailadm("autoreply", "set", away, "--subject", "Away", "--body", "Back soon.")
        bob = outside_sender()
        message = (f"From: {bob}\r\nTo: {away}\r\nSubject: hi\r\n"
                   "Message-ID: <wire-1@remote.test>\r\n\r\nhello\r\n").encode()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.sendmail(bob, [away], message)
        mail, recipients, data = wait_for(lambda: self.sink.deliveries_to(bob),
                                          what="the relayed reply")[0]
        self.assertTrue(mail.startswith("MAIL FROM:<>"), mail)
        self.assertEqual(recipients, [bob])
        self.assertIn(b"\r\nAuto-Submitted: auto-replied\r\n", data)
        self.assertIn(b"\r\nIn-Reply-To: <wire-1@remote.test>\r\n", data)
        self.assertNotIn(b"Return-Path:", data)
        wait_for(lambda: self.suite.sql(
            "SELECT count(*) FROM outbound_recipients WHERE recipient = :'p1';", bob) == [["0"]],
            what="the queue entry to go")
        self.assertEqual(len(self.sink.deliveries_to(bob)), 1)


if __name__ == "__main__":
    unittest.main()
