"""The bounds on one SEARCH command, against the real imapd over IMAPS with imaplib: a command
with more text keys (BODY, TEXT, SUBJECT, FROM, HEADER ...) than imap.max_search_text_keys is
refused with NO [LIMIT] before any work, and a text search running past
imap.search_timeout_ms is cut by PostgreSQL and answered NO [LIMIT], while that session and
every other one go on being served."""

import imaplib
import random
import string
import time
import unittest

from harness import CHEAP_HASHES, Suite, client_tls_context

PASSWORD = "search limits password"
MAX_TEXT_KEYS = 8
SEARCH_TIMEOUT_MS = 100
MESSAGES = 250
BODY_BYTES = 64 * 1024


def body_text(rng):
    """BODY_BYTES of lowercase words, so a substring search must read all of it."""
    words = []
    size = 0
    while size < BODY_BYTES:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        words.append(word)
        size += len(word) + 1
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return "\r\n".join(lines)


class SearchLimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",), extra_config=CHEAP_HASHES + f"""[imap]
max_search_text_keys = {MAX_TEXT_KEYS}
search_timeout_ms = {SEARCH_TIMEOUT_MS}
""")
        cls.addClassCleanup(cls.suite.stop)
        cls.address = cls.suite.create_account(password=PASSWORD)
        rng = random.Random(28)
        imap = cls.connect()
        try:
            for i in range(MESSAGES):
                message = (f"From: sender@example.org\r\nTo: {cls.address}\r\n"
                           f"Subject: message {i}\r\n\r\n{body_text(rng)}\r\n")
                status, _ = imap.append("INBOX", None, None, message.encode())
                assert status == "OK", status
        finally:
            imap.logout()

    @classmethod
    def connect(cls):
        imap = imaplib.IMAP4_SSL("127.0.0.1", cls.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=60)
        imap.login(cls.address, PASSWORD)
        return imap

    def setUp(self):
        self.imap = self.connect()
        self.addCleanup(self.imap.logout)
        self.assertEqual(self.imap.select("INBOX")[0], "OK")

    def test_more_text_keys_than_the_limit_are_refused(self):
        too_many = [f"BODY q{i}z" for i in range(MAX_TEXT_KEYS + 1)]
        self.assertEqual(self.imap.search(None, *too_many),
                         ("NO", [f"[LIMIT] Too many text search keys, at most {MAX_TEXT_KEYS}"
                                 .encode()]))
        # Keys inside OR and NOT count the same.
        nested = "OR (" + " ".join(too_many[:-1]) + ") NOT SUBJECT x"
        self.assertEqual(self.imap.search(None, nested)[0], "NO")
        # The session goes on; a search within the limit is answered.
        self.assertEqual(self.imap.search(None, 'SUBJECT "message 42"'), ("OK", [b"43"]))
        self.assertEqual(self.imap.search(None, 'SUBJECT "message 24" SUBJECT "9"'),
                         ("OK", [b"250"]))

    def test_a_search_past_the_deadline_is_cut_and_everyone_goes_on(self):
        slow = [f"TEXT w{i}q" for i in range(MAX_TEXT_KEYS)]
        start = time.monotonic()
        reply = self.imap.search(None, *slow)
        elapsed = time.monotonic() - start
        self.assertEqual(reply, ("NO", [b"[LIMIT] Search took too long, search for less"]))
        self.assertLess(elapsed, 5)
        # The same session is still served, and so is another one.
        self.assertEqual(self.imap.noop()[0], "OK")
        self.assertEqual(self.imap.search(None, 'SUBJECT "message 99"'), ("OK", [b"100"]))
        other = self.connect()
        try:
            self.assertEqual(other.select("INBOX"), ("OK", [str(MESSAGES).encode()]))
            status, data = other.fetch("1:3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            self.assertEqual(status, "OK")
            self.assertEqual(data[0][1], b"Subject: message 0\r\n\r\n")
        finally:
            other.logout()


if __name__ == "__main__":
    unittest.main()
