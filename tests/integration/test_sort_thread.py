"""SORT, THREAD and ESORT (RFC 5256, RFC 5267, RFC 5957) driven by Python's imaplib with the
command sequences Roundcube's rcube_imap_generic sends, over TLS against the real daemons and
PostgreSQL: Korean subjects with 회신:/전달: prefixes and reply chains, and the time SORT and
THREAD take on a mailbox of a few thousand messages."""

import imaplib
import time
import unittest
from email.header import Header

from harness import Suite, client_tls_context

PASSWORD = "correct horse battery staple"
BIG_MAILBOX = 3000


def message(number, subject, sender, date, references=""):
    encoded = Header(subject, "utf-8").encode()
    headers = (
        f"From: {sender}\r\n"
        "To: team@example.go.kr\r\n"
        f"Subject: {encoded}\r\n"
        f"Date: {date}\r\n"
        f"Message-ID: <m{number}@example.go.kr>\r\n"
    )
    if references:
        headers += f"In-Reply-To: {references.split()[-1]}\r\nReferences: {references}\r\n"
    return (headers + "\r\n" + f"본문 {number}\r\n").encode()


def top_level_threads(thread_list):
    depth = threads = 0
    for byte in thread_list:
        if byte == ord("("):
            threads += depth == 0
            depth += 1
        elif byte == ord(")"):
            depth -= 1
    return threads


class SortThreadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",))
        cls.addClassCleanup(cls.suite.stop)

    def imaps(self, user):
        conn = imaplib.IMAP4_SSL(
            "127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context()
        )
        conn.login(user, PASSWORD)
        self.addCleanup(conn.logout)
        return conn

    def append(self, conn, raw):
        typ, _ = conn.append("INBOX", None, None, raw)
        self.assertEqual(typ, "OK")

    def test_roundcube_sequences_on_korean_reply_chains(self):
        conn = self.imaps(self.suite.create_account(password=PASSWORD))
        chain = [
            (1, "예산 검토 요청", "김민수 <minsu@example.go.kr>", "Mon, 6 Nov 2023 09:00:00 +0900", ""),
            (2, "주간 회의", "이영희 <younghee@example.go.kr>", "Mon, 6 Nov 2023 09:30:00 +0900", ""),
            (3, "회신: 예산 검토 요청", "홍길동 <hong@example.go.kr>", "Mon, 6 Nov 2023 11:00:00 +0900",
             "<m1@example.go.kr>"),
            (4, "RE: 회신: 예산 검토 요청", "김민수 <minsu@example.go.kr>", "Tue, 7 Nov 2023 08:00:00 +0900",
             "<m1@example.go.kr> <m3@example.go.kr>"),
            (5, "전달: 주간 회의", "박철수 <chulsoo@example.go.kr>", "Mon, 6 Nov 2023 10:00:00 +0900", ""),
            (6, "답장: 예산 검토 요청", "홍길동 <hong@example.go.kr>", "Tue, 7 Nov 2023 09:00:00 +0900",
             "<m1@example.go.kr>"),
        ]
        for number, subject, sender, date, references in chain:
            self.append(conn, message(number, subject, sender, date, references))
        _, capabilities = conn.capability()
        for capability in (b"SORT", b"SORT=DISPLAY", b"ESORT", b"THREAD=REFERENCES"):
            self.assertIn(capability, capabilities[0].split())
        conn.select("INBOX")

        # rcube_imap_generic::sort(): the message list, newest first.
        typ, data = conn.uid("SORT", "(REVERSE ARRIVAL)", "UTF-8", "ALL")
        self.assertEqual((typ, data), ("OK", [b"6 5 4 3 2 1"]))
        typ, data = conn.uid("SORT", "(SUBJECT)", "UTF-8", "ALL", "UNDELETED")
        # "예산 검토 요청" sorts before "주간 회의"; each group in mailbox order.
        self.assertEqual((typ, data), ("OK", [b"1 3 4 6 2 5"]))
        typ, data = conn.uid("SORT", "(REVERSE DATE)", "UTF-8", "ALL")
        self.assertEqual((typ, data), ("OK", [b"6 4 3 5 2 1"]))
        typ, data = conn.uid("SORT", "(DISPLAYFROM)", "UTF-8", "ALL")
        self.assertEqual((typ, data), ("OK", [b"1 4 5 2 3 6"]))
        # With ESORT, Roundcube asks for ALL and COUNT in one ESEARCH reply.
        typ, _ = conn.uid("SORT", "RETURN", "(ALL COUNT)", "(DATE)", "UTF-8", "ALL")
        self.assertEqual(typ, "OK")
        _, esearch = conn.response("ESEARCH")
        self.assertRegex(esearch[0], rb'^\(TAG "[A-Z]+\d+"\) UID COUNT 6 ALL 1:2,5,3:4,6$')
        # rcube_imap_generic::thread(): the threaded list.
        typ, data = conn.uid("THREAD", "REFERENCES", "UTF-8", "ALL")
        self.assertEqual((typ, data), ("OK", [b"(1 (3 4)(6))(2 5)"]))
        typ, data = conn.uid("THREAD", "REFERENCES", "UTF-8", "ALL", "UNDELETED")
        self.assertEqual((typ, data), ("OK", [b"(1 (3 4)(6))(2 5)"]))
        typ, data = conn.thread("ORDEREDSUBJECT", "UTF-8", "ALL")
        self.assertEqual((typ, data), ("OK", [b"(1 (3)(4)(6))(2 5)"]))
        # Deleted messages leave the UNDELETED views; 3 gone leaves 4 below 1 through m3's dummy.
        conn.store("3", "+FLAGS", "(\\Deleted)")
        typ, data = conn.uid("THREAD", "REFERENCES", "UTF-8", "ALL", "UNDELETED")
        self.assertEqual((typ, data), ("OK", [b"(1 (4)(6))(2 5)"]))

    def test_big_mailbox(self):
        """SORT and THREAD of a few thousand messages read the sort fields stored at delivery:
        prints the time each takes."""
        conn = self.imaps(self.suite.create_account(password=PASSWORD))
        subjects = ["예산 검토", "주간 회의", "Quarterly report", "출장 보고"]
        for i in range(1, BIG_MAILBOX + 1):
            base = subjects[i % len(subjects)]
            parent = i - len(subjects)
            subject = base if parent < 1 else f"회신: {base}"
            references = f"<m{parent}@example.go.kr>" if parent >= 1 else ""
            date = f"Mon, {1 + i % 28} Nov 2023 {i % 24:02d}:00:00 +0900"
            self.append(conn, message(i, subject, f"user{i % 97} <u{i % 97}@example.go.kr>",
                                      date, references))
        conn.select("INBOX", readonly=True)
        commands = [
            ("SORT", "(REVERSE ARRIVAL)", "UTF-8", "ALL"),
            ("SORT", "(REVERSE DATE)", "UTF-8", "ALL"),
            ("SORT", "(SUBJECT DATE)", "UTF-8", "ALL"),
            ("SORT", "(DISPLAYFROM)", "UTF-8", "ALL"),
            ("THREAD", "REFERENCES", "UTF-8", "ALL"),
            ("THREAD", "ORDEREDSUBJECT", "UTF-8", "ALL"),
        ]
        for command in commands:
            started = time.monotonic()
            typ, data = conn.uid(*command)
            elapsed = time.monotonic() - started
            print(f"{' '.join(command)} over {BIG_MAILBOX} messages: {elapsed * 1000:.0f} ms")
            self.assertEqual(typ, "OK")
            if command[0] == "SORT":
                self.assertEqual(len(data[0].split()), BIG_MAILBOX)
            else:
                # Each of the four subjects is one thread.
                self.assertEqual(top_level_threads(data[0]), len(subjects))
            self.assertLess(elapsed, 5.0)


if __name__ == "__main__":
    unittest.main()
