"""Sender authentication at the MX with real rspamd and real DNS: the smtpd, the rspamd of
CTest's `rspamd` fixture and the authoritative DNS server of its `dns` fixture
(tests/support/test_dns.py), which publishes the test domains' SPF, DKIM and DMARC records.
The clients connect from 127.0.0.1, the address govmail gives rspamd (its Ip field), which
the SPF of spf-pass.test lists and that of spf-fail.test does not; the fixture's rspamd judges
loopback clients like others ([filter] check_loopback). Each result shows in the stored
message's Authentication-Results; rspamd's scores lead to the actions (docs/filter.md says
which come from rspamd's defaults and which from govmail's configuration)."""

import os
import smtplib
import time
import unittest

import dkim

from harness import CHEAP_HASHES, Suite
from test_filter import header_block, rspamd_url

DNS_ROOT = os.environ.get("GOVMAIL_TEST_DNS_ROOT", "")
# The fixture's rspamd accepts a greylisted retry after this ([filter] greylist_delay_s).
GREYLIST_DELAY_S = 3


def dkim_key():
    with open(os.path.join(DNS_ROOT, "dkim.key"), "rb") as f:
        return f.read()


def message(domain, body="", extra_headers=""):
    """A message from DOMAIN whose body no other test sends (rspamd's greylisting remembers
    bodies in redis across runs)."""
    unique = time.time_ns()
    return (f"From: sender@{domain}\r\nTo: official@localhost\r\nSubject: sender auth\r\n"
            f"Date: Mon, 07 Dec 2026 12:00:00 +0900\r\nMessage-ID: <{unique}@{domain}>\r\n"
            f"{extra_headers}\r\nHello from {domain}, {unique}.\r\n{body}").encode()


def signed(data, selector=b"govmail", domain=b"dkim.test"):
    signature = dkim.sign(data, selector, domain, dkim_key(),
                          include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
    return signature + data


class SenderAuthentication(unittest.TestCase):
    """SPF, DKIM, DMARC and greylisting at the MX."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(extra_config=f"[filter]\nenabled = true\nrspamd_url = {rspamd_url()}\n"
                          "[queue]\nconcurrency = 0\n" + CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)

    def send(self, recipient, data, sender):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            return smtp.sendmail(sender, [recipient], data)

    def results(self, raw):
        """The value of govmail's Authentication-Results field, unfolded."""
        header = header_block(raw).replace("\r\n\t", " ")
        fields = [line for line in header.split("\r\n")
                  if line.startswith("Authentication-Results: mail.test")]
        self.assertEqual(len(fields), 1, header)
        return fields[0]

    def delivered(self, data, domain, mailbox="INBOX"):
        """Sends DATA from DOMAIN to a new account; its one message in MAILBOX, none elsewhere."""
        user = self.suite.create_account()
        self.send(user, data, f"sender@{domain}")
        other = "Junk" if mailbox == "INBOX" else "INBOX"
        self.assertEqual(self.suite.mailbox(user, other), [])
        stored = self.suite.mailbox(user, mailbox)
        self.assertEqual(len(stored), 1)
        return stored[0]

    def test_spf_pass(self):
        for domain in ("spf-pass.test", "spf-include.test"):
            with self.subTest(domain=domain):
                stored = self.delivered(message(domain), domain)
                self.assertIn(f"spf=pass smtp.mailfrom={domain}", self.results(stored))

    def test_spf_softfail_is_delivered_marked(self):
        stored = self.delivered(message("spf-softfail.test"), "spf-softfail.test")
        self.assertIn("spf=softfail smtp.mailfrom=spf-softfail.test", self.results(stored))

    def test_spf_fail_is_greylisted_then_delivered_marked(self):
        # rspamd's default scores put a bare SPF fail (R_SPF_FAIL + VIOLATED_DIRECT_SPF) in
        # its greylist band: the first attempt waits, a retry after the delay is delivered.
        user = self.suite.create_account()
        data = message("spf-fail.test")
        with self.assertRaises(smtplib.SMTPDataError) as greylisted:
            self.send(user, data, "sender@spf-fail.test")
        self.assertEqual(greylisted.exception.smtp_code, 451)
        time.sleep(GREYLIST_DELAY_S + 0.5)
        self.send(user, data, "sender@spf-fail.test")
        stored = self.suite.inbox(user)
        self.assertEqual(len(stored), 1)
        self.assertIn("spf=fail smtp.mailfrom=spf-fail.test", self.results(stored[0]))

    def test_dkim_valid(self):
        stored = self.delivered(signed(message("dkim.test")), "dkim.test")
        self.assertIn("dkim=pass header.d=dkim.test", self.results(stored))

    def test_dkim_broken_body_hash_and_a_forged_pass_is_not_believed(self):
        forged = "Authentication-Results: mail.test; dkim=pass header.d=dkim.test\r\n"
        data = signed(message("dkim.test", extra_headers=forged))
        tampered = data.replace(b"Hello from", b"Hallo from")
        stored = self.delivered(tampered, "dkim.test")
        results = self.results(stored)
        self.assertIn("dkim=fail header.d=dkim.test", results)
        self.assertNotIn("dkim=pass", header_block(stored))

    def test_dkim_key_not_published(self):
        stored = self.delivered(signed(message("dkim.test"), selector=b"missing"), "dkim.test")
        self.assertIn("dkim=permerror header.d=dkim.test", self.results(stored))

    def test_dmarc_reject_policy_is_refused_with_550(self):
        user = self.suite.create_account()
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(user, message("dmarc-reject.test"), "sender@dmarc-reject.test")
        self.assertEqual(refused.exception.smtp_code, 550)
        self.assertTrue(refused.exception.smtp_error.startswith(b"5.7.1 "))
        self.assertEqual(self.suite.mailbox(user, "INBOX"), [])
        self.assertEqual(self.suite.mailbox(user, "Junk"), [])

    def test_dmarc_quarantine_policy_goes_to_junk(self):
        stored = self.delivered(message("dmarc-quarantine.test"), "dmarc-quarantine.test",
                                mailbox="Junk")
        results = self.results(stored)
        self.assertIn("spf=fail smtp.mailfrom=dmarc-quarantine.test", results)
        self.assertIn("dmarc=fail header.from=dmarc-quarantine.test", results)
        self.assertIn("X-Spam-Flag: YES", header_block(stored))

    def test_greylisting_451_then_250_after_the_delay(self):
        user = self.suite.create_account()
        data = message("greylist.test")
        first = time.monotonic()
        for attempt in ("first", "too early"):
            with self.subTest(attempt=attempt):
                with self.assertRaises(smtplib.SMTPDataError) as greylisted:
                    self.send(user, data, "sender@greylist.test")
                self.assertEqual(greylisted.exception.smtp_code, 451)
                self.assertEqual(greylisted.exception.smtp_error, b"4.7.1 Try again later")
            if time.monotonic() - first > GREYLIST_DELAY_S / 2:
                break  # a slow machine: the early retry might already be late enough
        time.sleep(max(0.0, first + GREYLIST_DELAY_S + 0.5 - time.monotonic()))
        self.send(user, data, "sender@greylist.test")
        stored = self.suite.inbox(user)
        self.assertEqual(len(stored), 1)
        self.assertIn("spf=pass smtp.mailfrom=greylist.test", self.results(stored[0]))

if __name__ == "__main__":
    unittest.main()
