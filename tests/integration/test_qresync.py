"""QRESYNC (RFC 7162 3.2) with Python's imaplib against the real imapd and PostgreSQL: a
client that logged out resynchronises with SELECT ... (QRESYNC ...) after another session
expunged and flagged messages, a selected session learns of the expunges as VANISHED, and
once the bounded expunged-UID history (expunge_history_max, here 2 rows a mailbox) has
forgotten what a client needs, the client is answered with every known UID that is gone."""

import imaplib
import unittest

from harness import Suite, client_tls_context

PASSWORD = "correct horse battery staple"
MESSAGE = "From: a@example.go.kr\r\nSubject: {n}\r\n\r\nmessage {n}\r\n"


class QresyncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",), extra_config="expunge_history_max = 2")
        cls.addClassCleanup(cls.suite.stop)

    def imaps(self, user, qresync=False):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context())
        self.addCleanup(lambda: conn.state != "LOGOUT" and conn.logout())
        conn.login(user, PASSWORD)
        self.assertIn(b"QRESYNC", conn.capability()[1][0].split())
        if qresync:
            self.assertEqual(conn.enable("QRESYNC"), ("OK", [b"ENABLE completed"]))
            self.assertEqual(conn.response("ENABLED"), ("ENABLED", [b"QRESYNC"]))
        return conn

    def account_with(self, count):
        """A new account with COUNT messages in its INBOX (UIDs 1 to COUNT)."""
        user = self.suite.create_account(password=PASSWORD)
        conn = self.imaps(user)
        for n in range(1, count + 1):
            conn.append("INBOX", None, None, MESSAGE.format(n=n).encode())
        conn.logout()
        return user

    def state_of(self, user):
        """(UIDVALIDITY, HIGHESTMODSEQ) of USER's INBOX, as a client notes them on leaving."""
        conn = self.imaps(user, qresync=True)
        conn.select("INBOX")
        uidvalidity = int(conn.response("UIDVALIDITY")[1][0])
        modseq = int(conn.response("HIGHESTMODSEQ")[1][0])
        conn.logout()
        return uidvalidity, modseq

    def expunge(self, conn, uids):
        self.assertEqual(conn.uid("STORE", uids, "+FLAGS.SILENT", r"(\Deleted)")[0], "OK")
        self.assertEqual(conn.expunge()[0], "OK")

    def resync(self, user, qresync):
        """Selects INBOX with the QRESYNC parameter QRESYNC; returns (VANISHED, FETCH) data."""
        conn = self.imaps(user, qresync=True)
        typ, _ = conn.select(f"INBOX (QRESYNC ({qresync}))")
        self.assertEqual(typ, "OK")
        return conn.response("VANISHED")[1], conn.response("FETCH")[1]

    def test_resynchronises_after_another_session_expunged_and_flagged(self):
        user = self.account_with(4)
        uidvalidity, modseq = self.state_of(user)
        self.assertEqual(modseq, 5)
        watcher = self.imaps(user, qresync=True)
        watcher.select("INBOX")

        other = self.imaps(user)
        other.select("INBOX")
        self.expunge(other, "2")  # modseq 6, 7
        self.assertEqual(other.uid("STORE", "3", "+FLAGS.SILENT", r"(\Flagged)")[0], "OK")  # 8
        other.append("INBOX", None, None, MESSAGE.format(n=5).encode())  # UID 5, modseq 9

        vanished, fetched = self.resync(user, f"{uidvalidity} {modseq} 1:4")
        self.assertEqual(vanished, [b"(EARLIER) 2"])
        self.assertEqual(fetched, [rb"2 (UID 3 FLAGS (\Flagged) MODSEQ (8))"])

        # The session selected all along hears of the expunge as VANISHED, not EXPUNGE.
        self.assertEqual(watcher.noop()[0], "OK")
        self.assertEqual(watcher.response("VANISHED")[1], [b"2"])
        self.assertEqual(watcher.response("EXPUNGE")[1], [None])

        # The one that resynchronised asks again by UID FETCH: 4 is gone meanwhile.
        self.expunge(other, "4")
        conn = self.imaps(user, qresync=True)
        conn.select("INBOX")
        typ, data = conn.uid("FETCH", "1:*", "(FLAGS)", f"(CHANGEDSINCE {modseq} VANISHED)")
        self.assertEqual(typ, "OK")
        self.assertEqual(conn.response("VANISHED")[1], [b"(EARLIER) 2,4"])
        self.assertEqual(data, [rb"2 (UID 3 FLAGS (\Flagged) MODSEQ (8))",
                                rb"3 (UID 5 FLAGS () MODSEQ (9))"])

    def test_forgotten_history_gives_a_full_resynchronisation(self):
        user = self.account_with(6)
        uidvalidity, modseq = self.state_of(user)
        self.assertEqual(modseq, 7)
        watcher = self.imaps(user, qresync=True)
        watcher.select("INBOX")

        other = self.imaps(user)
        other.select("INBOX")
        self.expunge(other, "1")    # expunged at modseq 9
        self.expunge(other, "2:3")  # at 11: UID 1 is the third newest, forgotten
        self.expunge(other, "5")    # at 13: 2 and 3 forgotten; the history holds 5 alone
        rows = self.suite.sql(
            "SELECT e.uid, m.expunged_forgotten_modseq FROM mailbox_expunged e"
            " JOIN mailboxes m USING (account_id, mailbox_id)"
            " JOIN accounts a USING (account_id) WHERE a.address = :'p1'", user)
        self.assertEqual(rows, [["5", "11"]])

        # The client's modseq is older than the history: every known UID not present.
        self.assertEqual(self.resync(user, f"{uidvalidity} {modseq} 1:6"),
                         ([b"(EARLIER) 1:3,5"], [None]))
        self.assertEqual(self.resync(user, f"{uidvalidity} {modseq}"),
                         ([b"(EARLIER) 1:3,5"], [None]))
        # A modseq the history still covers gets only what it holds.
        self.assertEqual(self.resync(user, f"{uidvalidity} 11 1:6"), ([b"(EARLIER) 5"], [None]))

        # The session selected since modseq 7 catches up from the UIDs still present.
        self.assertEqual(watcher.noop()[0], "OK")
        self.assertEqual(watcher.response("VANISHED")[1], [b"1:3,5"])
        watcher.response("EXISTS")
        self.assertEqual(watcher.uid("SEARCH", "ALL"), ("OK", [b"4 6"]))

    def test_qresync_parameter_needs_enable(self):
        user = self.account_with(1)
        conn = self.imaps(user)
        with self.assertRaisesRegex(imaplib.IMAP4.error, "QRESYNC is not enabled"):
            conn.select("INBOX (QRESYNC (1 1))")


if __name__ == "__main__":
    unittest.main()
