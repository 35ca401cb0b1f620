"""imapd driven by clients nobody here wrote: Python's imaplib, curl, mbsync (isync) and
mutt, over real sockets and real TLS, against the real PostgreSQL store; mail arrives
through the real smtpd."""

import imaplib
import os
import re
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import Suite, client_tls_context, unique_local

PASSWORD = "correct horse battery staple"


MESSAGE = (
    "From: Hong Gildong <hong@example.go.kr>\r\n"
    "To: {to}\r\n"
    "Subject: {subject}\r\n"
    "Message-ID: <{subject}@example.go.kr>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "회의 자료를 첨부합니다. {subject}\r\n"
    "--b1\r\n"
    "Content-Type: application/pdf; name=\"minutes.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"minutes.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQKJcfsj6IK\r\n"
    "--b1--\r\n"
)


class ImapTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd", "imapd"))
        cls.alice = cls.suite.create_account(password=PASSWORD)
        cls.addClassCleanup(cls.suite.stop)

    def deliver(self, to, subject):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.sendmail("hong@example.go.kr", [to],
                            MESSAGE.format(to=to, subject=subject).encode())

    def imaps(self, user=None):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context())
        conn.login(user or self.alice, PASSWORD)
        return conn

    def fresh_account(self):
        return self.suite.create_account(password=PASSWORD)

    def test_login_is_disabled_before_starttls(self):
        conn = imaplib.IMAP4("127.0.0.1", self.suite.ports["imap"])
        self.assertIn("LOGINDISABLED", conn.capabilities)
        self.assertIn("STARTTLS", conn.capabilities)
        with self.assertRaises(imaplib.IMAP4.error):
            conn.login(self.alice, PASSWORD)
        conn.starttls(ssl_context=client_tls_context())
        self.assertNotIn("LOGINDISABLED", conn.capabilities)
        conn.login(self.alice, PASSWORD)
        conn.logout()

    def test_wrong_password_is_refused(self):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context())
        with self.assertRaises(imaplib.IMAP4.error):
            conn.login(self.alice, "wrong")
        conn.logout()

    def test_authenticate_login_asks_for_the_user_name_then_the_password(self):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context())
        self.assertIn("AUTH=LOGIN", conn.capabilities)
        prompts = []

        def answer(password):
            def respond(challenge):
                prompts.append(challenge)
                return {b"Username:": self.alice.encode(), b"Password:": password.encode()}[challenge]
            return respond

        with self.assertRaisesRegex(imaplib.IMAP4.error, "AUTHENTICATIONFAILED"):
            conn.authenticate("LOGIN", answer("wrong"))
        self.assertEqual(prompts, [b"Username:", b"Password:"])
        typ, _ = conn.authenticate("LOGIN", answer(PASSWORD))
        self.assertEqual(typ, "OK")
        self.assertEqual(conn.select("INBOX")[0], "OK")
        conn.logout()

    def test_authenticate_plain_for_another_identity_is_refused(self):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"], ssl_context=client_tls_context())
        other = self.fresh_account()
        with self.assertRaisesRegex(imaplib.IMAP4.error, "Not authorized to act as that user"):
            conn.authenticate("PLAIN", lambda _: f"{other}\0{self.alice}\0{PASSWORD}".encode())
        typ, _ = conn.authenticate("PLAIN", lambda _: f"{self.alice}\0{self.alice}\0{PASSWORD}".encode())
        self.assertEqual(typ, "OK")
        conn.logout()

    def test_list_shows_special_use_mailboxes(self):
        conn = self.imaps(self.fresh_account())
        typ, lines = conn.list()
        self.assertEqual(typ, "OK")
        listing = b"\n".join(lines).decode()
        for name, attribute in (("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Trash", "\\Trash"),
                                ("Junk", "\\Junk"), ("Archive", "\\Archive")):
            self.assertRegex(listing, rf"\(.*{re.escape(attribute)}.*\) \"/\" \"?{name}\"?")
        self.assertIn("INBOX", listing)
        conn.logout()

    def test_select_search_fetch_store_copy_move_expunge(self):
        user = self.fresh_account()
        for i in range(3):
            self.deliver(user, f"msg{i}")
        conn = self.imaps(user)
        typ, data = conn.select("INBOX")
        self.assertEqual((typ, data), ("OK", [b"3"]))

        typ, data = conn.search("UTF-8", "SUBJECT", "msg1")
        self.assertEqual(data, [b"2"])
        conn.literal = "회의".encode()  # sent as a literal, as Thunderbird does
        typ, data = conn.uid("SEARCH", "CHARSET", "UTF-8", "BODY")
        self.assertEqual(data, [b"1 2 3"])

        typ, data = conn.fetch("1", "(BODYSTRUCTURE)")
        self.assertEqual(typ, "OK")
        structure = data[0].decode()
        self.assertIn('("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "8BIT"', structure)
        self.assertIn('"APPLICATION" "PDF"', structure)
        self.assertIn('"MIXED"', structure)

        typ, data = conn.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[2.MIME])")
        self.assertIn(b"Subject: msg0\r\n\r\n", data[0][1])
        self.assertIn(b"minutes.pdf", data[1][1])

        typ, data = conn.store("1:2", "+FLAGS", "(\\Flagged $Work)")
        self.assertEqual(typ, "OK")
        typ, data = conn.fetch("1", "(FLAGS)")
        self.assertIn(b"\\Flagged", data[0])
        self.assertIn(b"$Work", data[0])

        typ, data = conn.copy("1", "Archive")
        self.assertEqual(typ, "OK")
        typ, data = conn.uid("MOVE", "3", "Trash")
        self.assertEqual(typ, "OK")
        typ, data = conn.status("Trash", "(MESSAGES)")
        self.assertIn(b"MESSAGES 1", data[0])

        conn.store("1", "+FLAGS", "(\\Deleted)")
        typ, data = conn.expunge()
        # imaplib also hands back the "* 3 EXPUNGE" that answered the MOVE.
        self.assertEqual(data, [b"3", b"1"])
        typ, data = conn.search(None, "ALL")
        self.assertEqual(data, [b"1"])
        conn.logout()

    def test_append_with_flags_and_date_then_fetch_it_back(self):
        user = self.fresh_account()
        conn = self.imaps(user)
        raw = b"From: a@localhost\r\nSubject: appended\r\n\r\nDraft text.\r\n"
        typ, data = conn.append("Drafts", "(\\Draft \\Seen)", imaplib.Time2Internaldate(1700000000), raw)
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0].decode(), r"\[APPENDUID \d+ 1\]")
        conn.select("Drafts")
        typ, data = conn.fetch("1", "(FLAGS INTERNALDATE RFC822)")
        self.assertIn(b"\\Draft", data[0][0])
        self.assertIn(b"14-Nov-2023", data[0][0])
        self.assertEqual(data[0][1], raw)
        conn.logout()

    def test_a_body_fetch_larger_than_one_read_returns_every_message_whole_in_order(self):
        """imapd reads the bodies of a FETCH in batches of about 1 MiB: twelve 150 KB messages
        take two, and messages another session expunged meanwhile (one inside the first batch,
        the last one) are left out without losing the others."""
        user = self.fresh_account()
        conn = self.imaps(user)
        raws = []
        for n in range(1, 13):
            line = ("message %d " % n).encode() + b"x" * 60 + b"\r\n"
            raws.append(b"From: a@localhost\r\nSubject: big %d\r\n\r\n" % n + line * 2000)
            self.assertEqual(conn.append("INBOX", None, None, raws[-1])[0], "OK")
        conn.select("INBOX")
        other = self.imaps(user)
        other.select("INBOX")
        other.uid("STORE", "4,12", "+FLAGS", "(\\Deleted)")
        other.expunge()
        other.logout()
        typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
        self.assertEqual(typ, "OK")
        fetched = {}
        for item in data:
            if isinstance(item, tuple):
                uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
                fetched[uid] = item[1]
        self.assertEqual(sorted(fetched), [1, 2, 3, 5, 6, 7, 8, 9, 10, 11])
        for uid, body in fetched.items():
            self.assertEqual(body, raws[uid - 1], "uid %d" % uid)
        conn.logout()

    def test_parallel_appends_and_expunges_of_one_message_never_deadlock(self):
        """Sessions that APPEND the same message and EXPUNGE its copies at once, in one
        mailbox, share one stored body. Every writer takes mailbox rows before bodies, so
        PostgreSQL never has to break a deadlock between them (imapd.log showed
        'deadlock detected ... message_bodies', hidden by the retry)."""
        user = self.fresh_account()
        raw = b"From: a@localhost\r\nSubject: same body\r\n\r\nThe same bytes every time.\r\n"
        failures = []

        def append_and_expunge():
            try:
                conn = self.imaps(user)
                conn.select("INBOX")
                deadline = time.monotonic() + 6
                while time.monotonic() < deadline:
                    for _ in range(3):
                        self.assertEqual(conn.append("INBOX", "(\\Deleted)", None, raw)[0], "OK")
                    self.assertEqual(conn.expunge()[0], "OK")
                conn.logout()
            except Exception as error:  # reported by the main thread
                failures.append(error)

        workers = [threading.Thread(target=append_and_expunge) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        self.assertEqual(failures, [])
        self.assertNotIn("deadlock detected", self.suite.log("imapd"))

    def test_two_sessions_see_each_others_flag_changes_and_expunges(self):
        user = self.fresh_account()
        self.deliver(user, "shared1")
        self.deliver(user, "shared2")
        first, second = self.imaps(user), self.imaps(user)
        first.select("INBOX")
        second.select("INBOX")
        first.store("1", "+FLAGS", "(\\Seen)")
        second.noop()
        fetches = b" ".join(second.untagged_responses.get("FETCH", []))
        self.assertRegex(fetches, rb"1 \((UID 1 )?FLAGS \(\\Seen\)\)")
        first.store("2", "+FLAGS", "(\\Deleted)")
        first.expunge()
        second.noop()
        self.assertEqual(second.untagged_responses.get("EXPUNGE"), [b"2"])
        first.logout()
        second.logout()

    def test_message_delivered_over_smtp_appears_in_an_idle_session(self):
        user = self.fresh_account()
        conn = self.imaps(user)
        conn.select("INBOX")
        tag = conn._new_tag()
        conn.send(tag + b" IDLE\r\n")
        self.assertTrue(conn.readline().startswith(b"+"))
        started = time.monotonic()
        self.deliver(user, "idle-arrival")
        conn.sock.settimeout(10)
        line = conn.readline()
        elapsed = time.monotonic() - started
        self.assertEqual(line, b"* 1 EXISTS\r\n")
        self.assertLess(elapsed, 3.0)
        conn.send(b"DONE\r\n")
        while True:
            line = conn.readline()
            if line.startswith(tag):
                self.assertIn(b"OK", line)
                break
        conn.logout()

    def test_curl_lists_and_fetches_by_uid(self):
        user = self.fresh_account()
        self.deliver(user, "for-curl")
        base = f"imaps://127.0.0.1:{self.suite.ports['imaps']}"
        listing = subprocess.run(["curl", "-sS", "-k", "--user", f"{user}:{PASSWORD}", base + "/"],
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("INBOX", listing.stdout)
        self.assertIn("Archive", listing.stdout)
        fetched = subprocess.run(
            ["curl", "-sS", "-k", "--user", f"{user}:{PASSWORD}", base + "/INBOX;UID=1"],
            capture_output=True, timeout=60)
        self.assertEqual(fetched.returncode, 0, fetched.stderr)
        self.assertIn(b"Subject: for-curl", fetched.stdout)
        plain = subprocess.run(
            ["curl", "-sS", "--ssl-reqd", "-k", "--user", f"{user}:{PASSWORD}",
             f"imap://127.0.0.1:{self.suite.ports['imap']}/INBOX;UID=1"],
            capture_output=True, timeout=60)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertIn(b"Subject: for-curl", plain.stdout)

    def mbsync_for(self, user, workdir):
        """The Maildir path under WORKDIR and a function that runs mbsync (isync) to
        synchronise it both ways with USER's mailboxes, expunges included."""
        maildir = os.path.join(workdir, "mail") + "/"
        os.makedirs(maildir)
        config = os.path.join(workdir, "mbsyncrc")
        with open(config, "w") as f:
            f.write(f"""IMAPAccount govmail
Host localhost
Port {self.suite.ports['imaps']}
User {user}
Pass "{PASSWORD}"
SSLType IMAPS
CertificateFile {self.suite.cert}

IMAPStore remote
Account govmail

MaildirStore local
Path {maildir}
Inbox {maildir}INBOX
SubFolders Verbatim

Channel sync
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
""")

        def mbsync():
            out = subprocess.run(["mbsync", "-c", config, "-a"], capture_output=True,
                                 text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return maildir, mbsync

    def test_mbsync_round_trip_leaves_both_sides_equal(self):
        user = self.fresh_account()
        for i in range(3):
            self.deliver(user, f"sync{i}")
        conn = self.imaps(user)
        conn.append("Archive", "(\\Seen)", None, b"Subject: archived\r\n\r\nold\r\n")
        conn.logout()
        workdir = tempfile.mkdtemp(prefix="govmail-mbsync-")
        try:
            maildir, mbsync = self.mbsync_for(user, workdir)
            mbsync()
            inbox_new = os.path.join(maildir, "INBOX", "new")
            inbox_cur = os.path.join(maildir, "INBOX", "cur")
            local = os.listdir(inbox_new) + os.listdir(inbox_cur)
            self.assertEqual(len(local), 3)
            self.assertEqual(len(os.listdir(os.path.join(maildir, "Archive", "cur"))), 1)

            # Local changes: a new message in Drafts, one INBOX message flagged, one deleted.
            drafts_new = os.path.join(maildir, "Drafts", "new")
            with open(os.path.join(drafts_new, f"{int(time.time())}.local.govmail"), "wb") as f:
                f.write(b"Subject: written offline\r\n\r\nlocal draft\r\n")
            names = sorted(os.listdir(inbox_new)) + sorted(os.listdir(inbox_cur))
            paths = [os.path.join(inbox_new if n in os.listdir(inbox_new) else inbox_cur, n) for n in names]
            flagged = paths[0]
            base = os.path.basename(flagged).split(":2,")[0]
            os.rename(flagged, os.path.join(inbox_cur, base + ":2,FS"))
            deleted = paths[1]
            base = os.path.basename(deleted).split(":2,")[0]
            os.rename(deleted, os.path.join(inbox_cur, base + ":2,T"))
            mbsync()

            conn = self.imaps(user)
            conn.select("Drafts")
            typ, data = conn.search(None, "SUBJECT", "\"written offline\"")
            self.assertEqual(data, [b"1"])
            conn.select("INBOX")
            typ, data = conn.search(None, "ALL")
            self.assertEqual(len(data[0].split()), 2)
            typ, data = conn.search(None, "FLAGGED")
            self.assertEqual(len(data[0].split()), 1)
            conn.logout()
            remaining = os.listdir(inbox_new) + os.listdir(inbox_cur)
            self.assertEqual(len(remaining), 2)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def test_mbsync_follows_changes_and_expunges_made_by_another_session(self):
        user = self.fresh_account()
        for i in range(4):
            self.deliver(user, f"remote{i}")
        workdir = tempfile.mkdtemp(prefix="govmail-mbsync-")
        try:
            maildir, mbsync = self.mbsync_for(user, workdir)
            mbsync()
            self.assertEqual(self.maildir_messages(maildir, "INBOX"),
                             {f"remote{i}": "" for i in range(4)})

            # Another session flags one, expunges two, adds one and files one elsewhere.
            conn = self.imaps(user)
            conn.select("INBOX")
            conn.store("1", "+FLAGS", "(\\Flagged \\Seen)")
            conn.store("2:3", "+FLAGS", "(\\Deleted)")
            conn.expunge()
            conn.append("INBOX", "(\\Answered)", None,
                        b"Subject: added\r\nMessage-ID: <added@example.go.kr>\r\n\r\nnew\r\n")
            conn.create("Projects")
            conn.append("Projects", None, None, b"Subject: filed\r\n\r\nfiled\r\n")
            conn.logout()
            mbsync()
            self.assertEqual(self.maildir_messages(maildir, "INBOX"),
                             {"remote0": "FS", "remote3": "", "added": "R"})
            self.assertEqual(self.maildir_messages(maildir, "Projects"), {"filed": ""})

            # And again: nothing changed, nothing moves.
            mbsync()
            self.assertEqual(self.maildir_messages(maildir, "INBOX"),
                             {"remote0": "FS", "remote3": "", "added": "R"})
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    @staticmethod
    def maildir_messages(maildir, folder):
        """{subject: Maildir flags} of the messages in FOLDER of MAILDIR."""
        found = {}
        for sub in ("new", "cur"):
            directory = os.path.join(maildir, folder, sub)
            for name in os.listdir(directory):
                with open(os.path.join(directory, name), "rb") as f:
                    subject = re.search(rb"^Subject: (.*?)\r?$", f.read(), re.M).group(1)
                flags = name.split(":2,")[1] if ":2," in name else ""
                found[subject.decode()] = flags
        return found

    def test_mutt_reads_a_folder(self):
        """mutt, run unattended in a tmux pane: the index lists the message and opening it
        shows the decoded Korean body."""
        user = self.fresh_account()
        self.deliver(user, "for-mutt")
        workdir = tempfile.mkdtemp(prefix="govmail-mutt-")
        session = f"govmail-mutt-{os.getpid()}"
        try:
            muttrc = os.path.join(workdir, "muttrc")
            shutil.copy(self.suite.cert, os.path.join(workdir, "certificates"))
            server = f"imaps://127.0.0.1:{self.suite.ports['imaps']}"
            folder = f"{server}/INBOX"
            with open(muttrc, "w") as f:
                f.write(f"""set folder = "{server}/"
set spoolfile = "{folder}"
set record = ""
set postponed = ""
set imap_user = "{user}"
set imap_pass = "{PASSWORD}"
set certificate_file = "{workdir}/certificates"
set ssl_verify_host = no
set charset = "utf-8"
set sort = date
""")
            subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                            f"LANG=C.UTF-8 mutt -n -F {muttrc} -f {folder}"], check=True)

            def screen():
                return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                      capture_output=True, text=True).stdout

            def wait_for(text, timeout=30):
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if text in screen():
                        return True
                    time.sleep(0.2)
                return False

            self.assertTrue(wait_for("for-mutt"), screen())
            subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
            self.assertTrue(wait_for("회의 자료를 첨부합니다"), screen())
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
            shutil.rmtree(workdir, ignore_errors=True)


class MailboxNameTest(unittest.TestCase):
    """Mailbox names that reached SQL cut short or malformed (issue 28): modified UTF-7 for NUL
    and CR LF TAB, INBOX in lower case as a parent, and the per-account mailbox limit (set low
    here). MX delivery to the account must still work after each attempt."""

    MAX_MAILBOXES = 10  # INBOX and the five special-use mailboxes, and four more

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("smtpd", "imapd"),
                          extra_config=f"max_mailboxes = {cls.MAX_MAILBOXES}\n")
        cls.addClassCleanup(cls.suite.stop)

    def account(self):
        return self.suite.create_account(password=PASSWORD)

    def imaps(self, user):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context())
        conn.login(user, PASSWORD)
        self.addCleanup(conn.logout)
        return conn

    def deliver(self, to, subject):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            refused = client.sendmail("hong@example.go.kr", [to],
                                      f"Subject: {subject}\r\n\r\nbody\r\n".encode())
        self.assertEqual(refused, {})

    def mailbox_names(self, address):
        return sorted(r[0] for r in self.suite.sql(
            "SELECT m.name FROM mailboxes m JOIN accounts a USING (account_id)"
            " WHERE lower(a.address) = lower(:'p1');", address))

    def test_names_decoding_to_control_characters_leave_inbox_and_delivery_alone(self):
        user = self.account()
        self.deliver(user, "before")
        conn = self.imaps(user)
        for command, args in (("DELETE", ('"INBOX&AAA-"',)),
                              ("RENAME", ('"INBOX&AAA-"', "Old")),
                              ("CREATE", ('"&AAA-"',)),
                              ("CREATE", ('"&AA0ACgAJ-"',)),
                              ("SELECT", ('"INBOX&AAA-"',))):
            with self.assertRaisesRegex(imaplib.IMAP4.error, "not valid modified UTF-7"):
                conn._simple_command(command, *args)
        self.assertEqual(self.mailbox_names(user),
                         ["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"])
        self.deliver(user, "after")
        inbox = self.suite.inbox(user)
        self.assertEqual(len(inbox), 2)
        self.assertIn(b"Subject: before\r\n", inbox[0])
        self.assertIn(b"Subject: after\r\n", inbox[1])
        typ, data = conn.select("INBOX")
        self.assertEqual((typ, data), ("OK", [b"2"]))

    def test_a_lower_case_inbox_parent_is_inbox(self):
        user = self.account()
        conn = self.imaps(user)
        self.assertEqual(conn.create("inbox/sub")[0], "OK")
        self.assertEqual(conn.select("Inbox/sub")[0], "OK")
        self.assertNotIn("inbox", self.mailbox_names(user))
        self.assertIn("INBOX/sub", self.mailbox_names(user))
        typ, lines = conn.list("\"\"", "*")
        self.assertIn(b'(\\HasChildren) "/" INBOX', lines)
        self.deliver(user, "still delivered")
        self.assertEqual(len(self.suite.inbox(user)), 1)

    def test_an_account_holds_at_most_max_mailboxes(self):
        user = self.account()
        conn = self.imaps(user)
        for i in range(self.MAX_MAILBOXES - 6):
            self.assertEqual(conn.create(f"Box{i}")[0], "OK")
        typ, data = conn.create("OneTooMany")
        self.assertEqual(typ, "NO")
        self.assertIn(b"[LIMIT]", data[0])
        typ, data = conn.rename("INBOX", "\"Old Inbox\"")  # would add a mailbox
        self.assertEqual(typ, "NO")
        self.assertIn(b"[LIMIT]", data[0])
        self.assertEqual(conn.delete("Box0")[0], "OK")
        self.assertEqual(conn.create("OneTooMany")[0], "OK")
        self.assertEqual(len(self.mailbox_names(user)), self.MAX_MAILBOXES)
        self.deliver(user, "delivered at the limit")
        self.assertEqual(len(self.suite.inbox(user)), 1)


if __name__ == "__main__":
    unittest.main()
