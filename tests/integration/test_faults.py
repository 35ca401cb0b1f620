"""Faults under load, against the real daemons and a PostgreSQL cluster of each test's own
(the tests stop, kill and starve it, so never the shared cluster of the `pg` fixture):
PostgreSQL stopped and restarted during SMTP and IMAP load, a daemon killed with SIGKILL in
the middle of DATA and of an APPEND literal, and the database volume or the volume of its
write-ahead log running full.

Clients retry a message after a temporary failure, as real MTAs and mail clients do, so a
message acknowledged after a retry that had in fact been stored by the failed attempt shows
up as a duplicate. Each test prints the messages acknowledged against those stored and the
failure modes the clients saw, and asserts that every acknowledged message is stored exactly
once and complete, and that nothing else is."""

import collections
import errno
import imaplib
import os
import re
import secrets
import shutil
import smtplib
import subprocess
import tempfile
import threading
import time
import unittest

from harness import CHEAP_HASHES, PrivateCluster, Suite, client_tls_context, unique_local

PASSWORD = "correct horse battery staple"
SENDER = "sender@example.org"
TAG = re.compile(rb"^Subject: (fault-[0-9a-z-]+)\r?$", re.M)


def message(tag, body_size=200):
    """A message tagged TAG whose body is BODY_SIZE bytes that do not compress (random hex),
    so a message takes its full size in the tables and the write-ahead log."""
    filler = (f"{tag} " + secrets.token_hex(body_size // 2 + 1))[:body_size]
    lines = [filler[i:i + 76] for i in range(0, len(filler), 76)]
    return (f"From: {SENDER}\r\nSubject: {tag}\r\nMessage-ID: <{tag}@example.org>\r\n\r\n"
            + "\r\n".join(lines) + "\r\n").encode()


def smtp_failure(exc):
    """The reply code and text of a refused SMTP transaction, or None for a lost connection."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return code, text.decode(errors="replace")
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code, exc.smtp_error.decode(errors="replace")
    return None


class Ledger:
    """What the clients sent and what they were told, shared by the load threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}             # tag -> the message bytes
        self.acknowledged = []     # tags in order of their 250 / tagged OK
        self.unknown = set()       # tags whose reply the client never saw (connection lost)
        self.failures = collections.Counter()  # failure mode -> count
        self.permanent = []        # failure modes that were not temporary

    def record(self, tag, data, outcome):
        with self.lock:
            self.sent[tag] = data
            if outcome == "ok":
                self.acknowledged.append(tag)
                self.unknown.discard(tag)
            else:
                self.failures[outcome] += 1

    def lost_reply(self, tag, data):
        with self.lock:
            self.sent[tag] = data
            self.unknown.add(tag)
            self.failures["connection lost"] += 1

    def summary(self):
        with self.lock:
            modes = ", ".join(f"{n}x {mode}" for mode, n in self.failures.most_common(6))
        return modes or "none"


def failure_mode(text):
    """'451 4.3.0' or 'NO [UNAVAILABLE]': the part of a refusal that says what kind it is."""
    match = (re.match(r"(\d{3})[ -](\d\.\d\.\d+)?", text)
             or re.match(r"(NO|BAD) (\[[A-Z-]+\])?", text))
    return " ".join(filter(None, match.groups())) if match else text[:40]


class SmtpLoad:
    """WORKERS threads delivering tagged messages to RECIPIENT over the MX port until stop();
    a message refused with 4xx is sent again, one whose connection broke is given up."""

    def __init__(self, suite, recipient, workers=4, body_size=200):
        self.suite, self.recipient, self.body_size = suite, recipient, body_size
        self.ledger = Ledger()
        self.done = threading.Event()
        self.abandon = threading.Event()
        # Daemon threads, so a test that fails before stop() cannot keep the run alive.
        self.threads = [threading.Thread(target=self.run, args=(w,), daemon=True)
                        for w in range(workers)]
        for t in self.threads:
            t.start()

    def send(self, tag, data):
        """'ok', a failure mode, or None when the reply never came."""
        try:
            with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=30) as client:
                client.sendmail(SENDER, [self.recipient], data)
            return "ok"
        except (OSError, smtplib.SMTPException) as exc:
            refused = smtp_failure(exc)
            return failure_mode(f"{refused[0]} {refused[1]}") if refused else None

    def run(self, worker):
        n = 0
        while not self.done.is_set():
            tag = f"fault-{worker}-{n}-{unique_local('m')}"
            n += 1
            data = message(tag, self.body_size)
            # A refused message is retried until acknowledged, also after stop() (for a
            # while): every message a client started is then acknowledged or its reply lost.
            while not self.abandon.is_set():
                outcome = self.send(tag, data)
                if outcome is None:
                    self.ledger.lost_reply(tag, data)
                    time.sleep(0.2)
                    break
                self.ledger.record(tag, data, outcome)
                if outcome == "ok":
                    break
                if not self.temporary(outcome):
                    self.ledger.permanent.append(outcome)
                    return
                time.sleep(0.2)

    @staticmethod
    def temporary(outcome):
        return outcome.startswith("4")

    def wait_for(self, count, timeout=120):
        deadline = time.monotonic() + timeout
        while len(self.ledger.acknowledged) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.ledger.acknowledged)} of {count} messages "
                                     f"acknowledged; failures: {self.ledger.summary()}")
            time.sleep(0.05)

    def stop(self, grace_s=60):
        self.done.set()
        deadline = time.monotonic() + grace_s
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.abandon.set()
        for t in self.threads:
            t.join()
        return self.ledger


def imaps_login(suite, address, timeout=30):
    conn = imaplib.IMAP4_SSL("127.0.0.1", suite.ports["imaps"], ssl_context=client_tls_context(),
                             timeout=timeout)
    conn.login(address, PASSWORD)
    return conn


class ImapLoad(SmtpLoad):
    """The same, with IMAP APPEND to the INBOX of RECIPIENT, one session per worker that
    logs in again when its session is lost."""

    def __init__(self, suite, recipient, workers=4, body_size=200):
        self.sessions = {}
        super().__init__(suite, recipient, workers, body_size)

    def send(self, tag, data):
        worker = threading.current_thread()
        try:
            if worker not in self.sessions:
                self.sessions[worker] = imaps_login(self.suite, self.recipient)
            typ, answer = self.sessions[worker].append("INBOX", None, None, data)
        except imaplib.IMAP4.abort:
            self.sessions.pop(worker, None)
            return None
        except imaplib.IMAP4.error as exc:  # a refused LOGIN
            self.sessions.pop(worker, None)
            return "login " + failure_mode("NO " + str(exc).removeprefix("b'").removeprefix('b"'))
        except OSError:
            self.sessions.pop(worker, None)
            return None
        if typ == "OK":
            return "ok"
        return failure_mode(f"{typ} " + answer[0].decode(errors="replace"))

    @staticmethod
    def temporary(outcome):
        return "NO [UNAVAILABLE]" in outcome

    def stop(self, grace_s=60):
        ledger = super().stop(grace_s)
        while self.sessions:
            _, conn = self.sessions.popitem()
            try:
                conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
        return ledger


def stored_messages(suite, address):
    """tag -> the list of stored messages with that Subject, read from ADDRESS's INBOX over
    IMAP (a full read of every message, which also proves each one can be served)."""
    conn = imaps_login(suite, address, timeout=120)
    try:
        typ, data = conn.select("INBOX", readonly=True)
        assert typ == "OK", data
        stored = collections.defaultdict(list)
        if int(data[0]) == 0:
            return stored
        typ, data = conn.fetch("1:*", "(BODY.PEEK[])")
        assert typ == "OK", data
        for item in data:
            if isinstance(item, tuple):
                match = TAG.search(item[1])
                stored[match.group(1).decode() if match else "<untagged>"].append(item[1])
        return stored
    finally:
        conn.logout()


class FaultCase(unittest.TestCase):
    """Each test class gets a cluster and a suite of its own."""

    daemons = ("smtpd", "imapd")
    extra_config = ""

    @classmethod
    def setUpClass(cls):
        cls.cluster = cls.make_cluster()
        cls.addClassCleanup(cls.cluster.remove)
        cls.suite = Suite(daemons=cls.daemons, extra_config=CHEAP_HASHES + cls.extra_config,
                          pg_root=cls.cluster.root)
        cls.addClassCleanup(cls.suite.stop)

    @classmethod
    def make_cluster(cls):
        return PrivateCluster()

    def account(self):
        return self.suite.create_account(password=PASSWORD)

    def start_load(self, kind, recipient, **options):
        """A running KIND load that is stopped at once should the test end without stop()."""
        load = kind(self.suite, recipient, **options)
        self.addCleanup(load.stop, 0)
        return load

    def assert_stored_exactly_once(self, name, address, ledger, allow_unknown=True):
        """Every acknowledged message is stored once and byte for byte as sent; a message
        whose reply was lost may be stored at most once; nothing else is stored."""
        stored = stored_messages(self.suite, address)
        acknowledged = set(ledger.acknowledged)
        stored_acknowledged = sum(1 for tag in acknowledged if len(stored.get(tag, [])) == 1)
        extra = {tag: len(copies) for tag, copies in stored.items() if tag not in acknowledged}
        print(f"\n{name}: acknowledged {len(acknowledged)}, stored {stored_acknowledged}"
              f" (+{len(extra)} stored whose reply was lost, of {len(ledger.unknown)});"
              f" clients saw: {ledger.summary()}", flush=True)
        self.assertEqual(len(ledger.acknowledged), len(acknowledged), "a tag acknowledged twice")
        copies = {t: len(stored.get(t, [])) for t in acknowledged if len(stored.get(t, [])) != 1}
        self.assertEqual(copies, {}, "acknowledged messages stored other than once (tag: copies)")
        self.assertEqual(stored_acknowledged, len(acknowledged))
        for tag in acknowledged:
            self.assertEqual(stored[tag][0].replace(b"\r\n", b"\n").split(b"\n\n", 1)[1],
                             ledger.sent[tag].split(b"\r\n\r\n", 1)[1].replace(b"\r\n", b"\n"),
                             f"{tag} stored incomplete or altered")
        allowed = ledger.unknown if allow_unknown else set()
        self.assertEqual({t: n for t, n in extra.items() if t not in allowed or n != 1}, {},
                         "messages stored that no client had sent to completion, or twice")


class IdleWatcher:
    """An IMAP session IDLEing on ADDRESS's INBOX; exists() waits for an EXISTS update."""

    def __init__(self, suite, address):
        self.conn = imaps_login(suite, address)
        typ, _ = self.conn.select("INBOX")
        assert typ == "OK"
        self.conn.send(b"idle1 IDLE\r\n")
        line = self.conn.readline()
        assert line.startswith(b"+"), line

    def exists(self, count, timeout=30):
        self.conn.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.conn.readline()
            if not line:
                raise AssertionError("the IDLE session was closed")
            if line.strip() == f"* {count} EXISTS".encode():
                return
        raise AssertionError(f"no '* {count} EXISTS' within {timeout} s")

    def close(self):
        self.conn.send(b"DONE\r\n")
        line = b"*"
        while line and not line.startswith(b"idle1 "):
            line = self.conn.readline()
        self.conn.logout()


class DatabaseRestartTest(FaultCase):
    """PostgreSQL stopped for a few seconds and started again under load: the clients get
    temporary errors meanwhile, the daemons reconnect by themselves (same processes) and
    IDLE sessions opened before the outage are told about mail that arrives after it."""

    OUTAGE_S = 4

    def outage(self, load, watcher_address):
        watcher = IdleWatcher(self.suite, watcher_address)
        pids = {name: p.pid for name, p in self.suite.processes.items()}
        load.wait_for(30)
        self.cluster.stop()
        time.sleep(self.OUTAGE_S)
        self.cluster.start()
        before = len(load.ledger.acknowledged)
        load.wait_for(before + 30)
        ledger = load.stop()
        for name, proc in self.suite.processes.items():
            self.assertIsNone(proc.poll(), f"{name} died during the outage")
            self.assertEqual(proc.pid, pids[name])
        # The IDLE session outlived the outage and still hears about new mail.
        delivered = self.start_load(SmtpLoad, watcher_address, workers=1)
        delivered.wait_for(1)
        delivered.stop()
        watcher.exists(len(delivered.ledger.acknowledged))
        watcher.close()
        return ledger

    def assert_temporary_failures(self, ledger, expected):
        self.assertTrue(any(expected in mode for mode in ledger.failures),
                        f"no '{expected}' during the outage: {ledger.summary()}")
        self.assertEqual(ledger.permanent, [], "permanent errors for a passing outage")

    def test_smtp_load(self):
        recipient = self.account()
        load = self.start_load(SmtpLoad, recipient)
        ledger = self.outage(load, self.account())
        self.assert_temporary_failures(ledger, "451 4.3.0")
        self.assertEqual(ledger.unknown, set(), "smtpd dropped connections instead of a 4xx")
        self.assert_stored_exactly_once("smtp load, database restarted", recipient, ledger)

    def test_imap_load(self):
        recipient = self.account()
        load = self.start_load(ImapLoad, recipient)
        ledger = self.outage(load, self.account())
        self.assert_temporary_failures(ledger, "NO [UNAVAILABLE]")
        self.assertEqual(ledger.unknown, set(), "imapd dropped sessions instead of NO")
        self.assert_stored_exactly_once("imap load, database restarted", recipient, ledger)


class DaemonKillTest(FaultCase):
    """SIGKILL of smtpd in the middle of DATA and of imapd in the middle of an APPEND literal
    (and right after the OK of other APPENDs): after a restart every acknowledged message is
    stored exactly once and complete, the half-received one is nowhere."""

    def test_smtpd_killed_mid_data(self):
        recipient = self.account()
        load = self.start_load(SmtpLoad, recipient, workers=8, body_size=20000)
        load.wait_for(20)
        half = f"fault-half-{unique_local('m')}"
        client = smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=30)
        client.ehlo()
        client.mail(SENDER)
        client.rcpt(recipient)
        code, _ = client.docmd("DATA")
        self.assertEqual(code, 354)
        client.send(message(half, 500000)[:250000])
        time.sleep(0.5)
        self.suite.kill("smtpd")
        client.close()
        ledger = load.stop()
        self.suite.start("smtpd")
        self.assert_stored_exactly_once("smtpd killed mid-DATA", recipient, ledger)

    def test_imapd_killed_mid_append(self):
        recipient = self.account()
        load = self.start_load(ImapLoad, recipient, body_size=20000)
        load.wait_for(20)
        half = f"fault-half-{unique_local('m')}"
        data = message(half, 4000000)
        conn = imaps_login(self.suite, recipient)
        conn.send(f"big APPEND INBOX {{{len(data)}}}\r\n".encode())
        self.assertTrue(conn.readline().startswith(b"+"))
        conn.send(data[:len(data) // 2])
        # One more APPEND acknowledged right before the kill.
        just_before = f"fault-ok-{unique_local('m')}"
        last = imaps_login(self.suite, recipient)
        acknowledged = message(just_before)
        typ, _ = last.append("INBOX", None, None, acknowledged)
        self.assertEqual(typ, "OK")
        self.suite.kill("imapd")
        load.ledger.record(just_before, acknowledged, "ok")
        for dead in (conn, last):
            dead.shutdown()
        ledger = load.stop()
        self.suite.start("imapd")
        self.assert_stored_exactly_once("imapd killed mid-APPEND", recipient, ledger)


class Tmpfs:
    """A fresh tmpfs of SIZE_MIB (the test is skipped where mounting is not allowed) that
    fill() runs full with a ballast file and free() empties again."""

    def __init__(self, size_mib):
        self.path = tempfile.mkdtemp(prefix="govmail-tmpfs-")
        out = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m,mode=755",
                              "tmpfs", self.path], capture_output=True, text=True)
        if out.returncode != 0:
            os.rmdir(self.path)
            raise unittest.SkipTest(f"cannot mount a tmpfs here: {out.stderr.strip()}")
        self.ballast = os.path.join(self.path, "ballast")

    def fill(self, leave_kib):
        """Takes all but about LEAVE_KIB of the free space. The cluster on the volume writes
        meanwhile (a new WAL segment takes 16 MiB at once), so the ballast grows a MiB at a
        time and, should the volume run full first, gives LEAVE_KIB back."""
        chunk = b"\0" * (1 << 20)
        with open(self.ballast, "ab", buffering=0) as f:
            try:
                while True:
                    free = os.statvfs(self.path)
                    wanted = free.f_bavail * free.f_frsize - leave_kib * 1024
                    if wanted <= 0:
                        return
                    f.write(chunk[:wanted])
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                f.truncate(max(0, f.tell() - leave_kib * 1024))

    def free(self):
        os.remove(self.ballast)

    def remove(self):
        subprocess.run(["umount", self.path], check=True)
        os.rmdir(self.path)


class TmpfsCluster(PrivateCluster):
    """A private cluster on a small tmpfs of its own, the volume the test fills: its whole
    data directory, or with WAL_ONLY its write-ahead log alone (pg_wal on a volume of its
    own, as `initdb --waldir` makes it)."""

    def __init__(self, size_mib, wal_only=False):
        self.volume = Tmpfs(size_mib)
        if not wal_only:
            super().__init__(os.path.join(self.volume.path, "pg"))
            return
        super().__init__()
        self.stop()
        wal = os.path.join(self.root, "data", "pg_wal")
        moved = os.path.join(self.volume.path, "pg_wal")
        owner = os.stat(wal)
        shutil.copytree(wal, moved, symlinks=True)
        for folder, dirs, files in os.walk(moved):
            for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
                os.chown(name, owner.st_uid, owner.st_gid)
        shutil.rmtree(wal)
        os.symlink(moved, wal)
        self.start()

    def remove(self):
        try:
            super().remove()
        finally:
            self.volume.remove()


class DiskFullTest(FaultCase):
    """The database volume runs full during SMTP and IMAP deliveries: temporary errors,
    never an acknowledgement for mail not stored; once space is freed the same daemons
    serve again, every stored message reads back whole and PostgreSQL still restarts."""

    volume_mib = 200
    wal_only = False
    label = "disk full"

    @classmethod
    def make_cluster(cls):
        return TmpfsCluster(cls.volume_mib, wal_only=cls.wal_only)

    def test_disk_full(self):
        recipient = self.account()
        smtp = self.start_load(SmtpLoad, recipient, workers=2, body_size=200000)
        imap = self.start_load(ImapLoad, recipient, workers=2, body_size=200000)
        smtp.wait_for(5)
        imap.wait_for(5)
        self.cluster.volume.fill(leave_kib=4096)
        # Run until both kinds of clients have been refused for a while.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(smtp.ledger.failures.values()) > 10 and sum(imap.ledger.failures.values()) > 10:
                break
            time.sleep(0.2)
        full_smtp, full_imap = len(smtp.ledger.acknowledged), len(imap.ledger.acknowledged)
        server_log = self.cluster.server_log()
        self.cluster.volume.free()
        # After a full write-ahead log PostgreSQL may have stopped (PANIC, by design): an
        # administrator frees space and starts it again. Otherwise it is still running and
        # this does nothing. The daemons reconnect by themselves either way.
        self.cluster.start()
        smtp.wait_for(full_smtp + 5)
        imap.wait_for(full_imap + 5)
        ledger = Ledger()
        for load in (smtp, imap):
            part = load.stop()
            ledger.sent.update(part.sent)
            ledger.acknowledged += part.acknowledged
            ledger.unknown |= part.unknown
            ledger.failures += part.failures
            ledger.permanent += part.permanent
        for name, proc in self.suite.processes.items():
            self.assertIsNone(proc.poll(), f"{name} died when the disk was full")
        self.assertEqual(ledger.permanent, [], f"permanent errors, full disk: {ledger.summary()}")
        self.assertTrue(any(smtp.temporary(m) for m in smtp.ledger.failures), smtp.ledger.summary())
        self.assertTrue(any(imap.temporary(m) for m in imap.ledger.failures), imap.ledger.summary())
        # The refusals came from the full volume, not from something else: PostgreSQL reports
        # ENOSPC, or a short write with its hint to check free disk space.
        full = ("No space left on device", "Check free disk space")
        self.assertTrue(any(text in server_log for text in full), server_log[-2000:])
        notable = ("No space left", "could not extend", "PANIC", "terminated by signal")
        print("\nPostgreSQL:", "; ".join(sorted({line.split("  ", 1)[-1][:90] for line in
              server_log.splitlines() if any(word in line for word in notable)})[:6]))
        self.assert_stored_exactly_once(self.label, recipient, ledger)
        # A clean restart of PostgreSQL, and everything still reads back.
        self.cluster.stop()
        self.cluster.start()
        self.assert_stored_exactly_once(f"{self.label}, after a restart", recipient, ledger)


class WalFullTest(DiskFullTest):
    """The same when only the write-ahead log's volume runs full (pg_wal on a volume of its
    own): PostgreSQL fails the transaction that needs a new log segment or, when that happens
    inside a critical section, stops with PANIC and restarts itself (by design); the clients
    get temporary errors meanwhile and every acknowledged message is there once."""

    volume_mib = 64
    wal_only = True
    label = "WAL full"


if __name__ == "__main__":
    unittest.main()
