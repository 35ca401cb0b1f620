"""Virus scanning with the real rspamd of CTest's `rspamd` fixture, whose antivirus module asks
the clamd of the `clamav` fixture (tests/support): that clamd's only signature is the MD5 of
the test file $GOVMAIL_TEST_RSPAMD_ROOT/clamav/test-virus.bin, built with sigtool. A message
carrying it as an attachment is refused with 554 5.7.1, nothing is stored, and the refusal is
audited; the same message with another attachment is delivered."""

import email.utils
import os
import smtplib
import unittest
from email.message import EmailMessage

from harness import CHEAP_HASHES, Suite, client_tls_context

RSPAMD_ROOT = os.environ.get("GOVMAIL_TEST_RSPAMD_ROOT", "")
PASSWORD = "correct horse battery staple"


def rspamd_url():
    with open(os.path.join(RSPAMD_ROOT, "url")) as f:
        return f.read().strip()


def test_virus():
    with open(os.path.join(RSPAMD_ROOT, "clamav", "test-virus.bin"), "rb") as f:
        return f.read()


def with_attachment(sender, recipient, content):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = "the report"
    # Dated and identified: the fixture's rspamd judges loopback clients, and a message
    # without them scores into its greylist band (451).
    message["Date"] = email.utils.formatdate()
    message["Message-ID"] = email.utils.make_msgid(domain="example.org")
    message.set_content("The report is attached.")
    message.add_attachment(content, maintype="application", subtype="octet-stream",
                           filename="report.bin")
    return message.as_bytes()


class Antivirus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(extra_config=(
            f"[filter]\nenabled = true\nrspamd_url = {rspamd_url()}\n"
            "[queue]\nconcurrency = 0\n" + CHEAP_HASHES))
        cls.addClassCleanup(cls.suite.stop)

    def send(self, recipient, data, sender="sender@example.org"):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            return smtp.sendmail(sender, [recipient], data)

    def test_an_infected_message_is_refused_with_554_and_audited(self):
        user = self.suite.create_account()
        sender = "infected@example.org"
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(user, with_attachment(sender, user, test_virus()), sender)
        self.assertEqual(refused.exception.smtp_code, 554)
        self.assertEqual(refused.exception.smtp_error,
                         b"5.7.1 Message refused: it carries a virus")
        self.assertEqual(self.suite.inbox(user), [])
        audited = self.suite.sql(
            "SELECT actor, host(source_addr), detail FROM audit_log WHERE action = 'mail.virus'"
            " AND detail LIKE '%from <infected@example.org>%';")
        self.assertEqual(len(audited), 1)
        self.assertEqual(audited[0][:2], ["smtpd", "127.0.0.1"])
        self.assertIn("action reject", audited[0][2])

    def test_a_clean_attachment_is_delivered(self):
        user = self.suite.create_account()
        self.send(user, with_attachment("sender@example.org", user, b"quarterly figures\n" * 20))
        self.assertEqual(len(self.suite.inbox(user)), 1)

    def test_submission_is_scanned_too(self):
        user = self.suite.create_account(password=PASSWORD)
        colleague = self.suite.create_account()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=60) as smtp:
            smtp.starttls(context=client_tls_context())
            smtp.login(user, PASSWORD)
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                smtp.sendmail(user, [colleague], with_attachment(user, colleague, test_virus()))
            self.assertEqual(refused.exception.smtp_code, 554)
        self.assertEqual(self.suite.inbox(colleague), [])


if __name__ == "__main__":
    unittest.main()
