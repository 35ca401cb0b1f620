"""Resource limits of smtpd and imapd under attack, against the real daemons over real sockets
(TLS where a session would use it): slow-loris clients, 10,000 idle connections, 4 GiB
literals and endless lines, deeply nested parentheses, 100,000 recipients, a MIME bomb and
command floods. Each attack runs while a well-behaved client delivers mail over SMTP and
logs in, SELECTs and FETCHes over IMAP; the test prints that client's latency without and
during the attack and the daemon's resident memory before and at its peak, and asserts bounds
on both. Mail the well-behaved client had acknowledged must all be in the store."""

import os
import resource
import selectors
import smtplib
import socket
import statistics
import subprocess
import threading
import time
import unittest

from harness import (BIN_DIR, CHEAP_HASHES, Suite, client_tls_context, unique_local,
                     without_asan_quarantine)

without_asan_quarantine()

PASSWORD = "correct horse battery staple"
# The during-attack latency may be this many times the baseline plus SLACK_S: the attacks
# share the machine's cores with the daemons, and sanitizer builds are several times slower.
LATENCY_FACTOR = 5
SLACK_S = 1.0


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def sanitizer_factor(daemon):
    """2 when DAEMON is built with AddressSanitizer (redzones and shadow memory), else 1."""
    with open(os.path.join(BIN_DIR, f"govmail-{daemon}"), "rb") as f:
        return 2 if b"AddressSanitizer" in f.read() else 1


class RssSampler:
    """Samples a process's resident memory every 50 ms on a thread; peak() stops it."""

    def __init__(self, pid):
        self.pid = pid
        self.max = rss_kib(pid)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.done.wait(0.05):
            self.max = max(self.max, rss_kib(self.pid))

    def peak(self):
        self.done.set()
        self.thread.join()
        return max(self.max, rss_kib(self.pid))


class RawImap:
    """An IMAP connection that sends exactly the bytes it is given."""

    def __init__(self, port, tls=False, source=None, timeout=60):
        sock = socket.create_connection(
            ("127.0.0.1", port), timeout=timeout,
            source_address=(source, 0) if source else None)
        if tls:
            sock = client_tls_context().wrap_socket(sock, server_hostname="localhost")
        self.sock = sock
        self.buffer = b""
        self.greeting = self.line()

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(self.buffer)
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line.decode(errors="replace")

    def send(self, data):
        self.sock.sendall(data)

    def until(self, tag):
        """The lines up to and including TAG's completion."""
        lines = []
        while True:
            lines.append(self.line())
            if lines[-1].startswith(tag + " "):
                return lines

    def command(self, tag, text):
        self.send(f"{tag} {text}\r\n".encode())
        return self.until(tag)

    def login(self, address):
        reply = self.command("L", f'LOGIN "{address}" "{PASSWORD}"')[-1]
        if not reply.startswith("L OK"):
            raise RuntimeError(reply)

    def rest(self):
        """Everything the server still sends until it closes the connection."""
        data = self.buffer
        try:
            while chunk := self.sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
        return data.decode(errors="replace")

    def close(self):
        self.sock.close()


class RawSmtp:
    def __init__(self, port, source=None, timeout=60):
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=timeout,
            source_address=(source, 0) if source else None)
        self.file = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self):
        """The last line of the next reply."""
        while True:
            line = self.file.readline().decode(errors="replace")
            if not line:
                raise EOFError("connection closed")
            if line[3:4] != "-":
                return line.rstrip("\r\n")

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.reply()

    def close(self):
        self.file.close()
        self.sock.close()


class WellBehavedClient:
    """An official's mail traffic: a delivery over SMTP, a login with SELECT and FETCH over
    IMAP with TLS. Counts the deliveries acknowledged with 250."""

    def __init__(self, suite, address):
        self.suite = suite
        self.address = address
        self.acknowledged = 0

    def smtp_delivery(self):
        start = time.monotonic()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as client:
            client.sendmail("sender@example.org", [self.address],
                            f"Subject: {unique_local('steady')}\r\n\r\nhello\r\n".encode())
        self.acknowledged += 1
        return time.monotonic() - start

    def imap_select_fetch(self):
        start = time.monotonic()
        imap = RawImap(self.suite.ports["imaps"], tls=True)
        try:
            imap.login(self.address)
            select = imap.command("S", "SELECT INBOX")[-1]
            fetch = imap.command(
                "F", "FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")[-1]
            imap.command("Z", "LOGOUT")
        finally:
            imap.close()
        if not (select.startswith("S OK") and fetch.startswith("F OK")):
            raise RuntimeError(f"{select} / {fetch}")
        return time.monotonic() - start

    def measure(self, rounds=3):
        """Median seconds of (an SMTP delivery, an IMAP login+SELECT+FETCH)."""
        smtp, imap = [], []
        for _ in range(rounds):
            smtp.append(self.smtp_delivery())
            imap.append(self.imap_select_fetch())
        return statistics.median(smtp), statistics.median(imap)


class LimitsCase(unittest.TestCase):
    """Runs attacks next to a well-behaved client; subclasses make the suite."""

    suite = None
    client = None

    @classmethod
    def start_suite(cls, extra_config):
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=CHEAP_HASHES + extra_config)
        cls.addClassCleanup(cls.suite.stop)
        cls.client = WellBehavedClient(cls.suite, cls.suite.create_account(password=PASSWORD))

    def under_attack(self, name, daemon, attack, rss_bound_kib, ready_timeout=120):
        """Runs ATTACK(ready, stop) on a thread. Once it sets READY, measures the well-behaved
        client, then sets STOP and waits for the attack to end (re-raising its failure).
        Asserts DAEMON's peak RSS growth stays under RSS_BOUND_KIB, the latency bound, and
        that every acknowledged delivery was stored."""
        pid = self.suite.processes[daemon].pid
        baseline = self.client.measure()
        before = rss_kib(pid)
        sampler = RssSampler(pid)
        ready, stop = threading.Event(), threading.Event()
        failures = []

        def run():
            try:
                attack(ready, stop)
            except BaseException as e:  # reported on the test's thread
                failures.append(e)
            finally:
                ready.set()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        try:
            self.assertTrue(ready.wait(ready_timeout), f"{name}: attack never got going")
            during = self.client.measure() if not failures else None
        finally:
            stop.set()
            thread.join(300)
            peak = sampler.peak()
        if failures:
            raise failures[0]
        self.assertIsNone(self.suite.processes[daemon].poll(), f"{daemon} died")
        print(f"\n{name}: {daemon} RSS {before} KiB before, peak {peak} KiB "
              f"(+{peak - before} KiB, bound {rss_bound_kib} KiB)")
        for what, b, d in zip(("SMTP delivery", "IMAP login+SELECT+FETCH"), baseline, during):
            print(f"{name}: {what}: {b * 1000:.0f} ms without, {d * 1000:.0f} ms during")
            self.assertLess(d, LATENCY_FACTOR * b + SLACK_S, f"{name}: {what} too slow")
        self.assertLess(peak - before, rss_bound_kib)
        stored = len(self.suite.inbox(self.client.address))
        print(f"{name}: well-behaved deliveries acknowledged {self.client.acknowledged}, "
              f"stored {stored}")
        self.assertEqual(stored, self.client.acknowledged)


def attacker_address(i):
    """A loopback source address other than the well-behaved client's 127.0.0.1."""
    return f"127.0.1.{1 + i // 10}"


def repeat(round_fn):
    """An attack that runs ROUND_FN until told to stop (at least once)."""
    def attack(ready, stop):
        ready.set()
        round_fn()
        while not stop.is_set():
            round_fn()
    return attack


class SlowLorisTest(LimitsCase):
    TIMEOUT_S = 3
    CLIENTS = 40

    @classmethod
    def setUpClass(cls):
        cls.start_suite(f"[smtp]\ncommand_timeout_s = {cls.TIMEOUT_S}\n"
                        f"[imap]\nlogin_timeout_s = {cls.TIMEOUT_S}\n")

    def test_one_byte_a_second_clients_are_ended_by_the_timeouts(self):
        # IMAP clients over TLS (the handshake completes, then the command trickles in) and
        # SMTP clients in plaintext; none ever completes a line.
        results = {}

        def attack(ready, stop):
            # From addresses of their own, ten per address: the per-address limits are not
            # what stops them, and the well-behaved client on 127.0.0.1 is not refused.
            imap = [RawImap(self.suite.ports["imaps"], tls=True, source=attacker_address(i))
                    for i in range(self.CLIENTS)]
            smtp = [RawSmtp(self.suite.ports["mx"], source=attacker_address(i))
                    for i in range(self.CLIENTS)]
            sockets = {c.sock: ("imap", b"a LOGIN " + b"x" * 100) for c in imap}
            sockets.update({c.sock: ("smtp", b"HELO " + b"y" * 100) for c in smtp})
            start = time.monotonic()
            received = {s: b"" for s in sockets}
            ready.set()
            for second in range(self.TIMEOUT_S * 5):
                for sock, (_, text) in sockets.items():
                    if sock not in results:
                        try:
                            sock.send(text[second:second + 1])
                        except OSError:
                            pass
                deadline = time.monotonic() + 1
                while time.monotonic() < deadline and len(results) < len(sockets):
                    with selectors.DefaultSelector() as sel:
                        for sock in sockets:
                            if sock not in results:
                                sel.register(sock, selectors.EVENT_READ)
                        for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
                            try:
                                chunk = key.fileobj.recv(4096)
                            except OSError:
                                chunk = b""
                            received[key.fileobj] += chunk
                            if not chunk:
                                results[key.fileobj] = (time.monotonic() - start,
                                                        received[key.fileobj].decode())
                if len(results) == len(sockets):
                    break
            for c in imap + smtp:
                c.close()
            results["kinds"] = {s: kind for s, (kind, _) in sockets.items()}

        self.under_attack("slow-loris", "imapd", attack, rss_bound_kib=64 * 1024)
        kinds = results.pop("kinds")
        self.assertEqual(len(results), 2 * self.CLIENTS, "some slow clients were never ended")
        limit = self.TIMEOUT_S + 3
        for sock, (seconds, text) in results.items():
            if kinds[sock] == "imap":
                self.assertIn("* BYE Autologout", text)
            else:
                self.assertIn("421 4.4.2", text)
            self.assertLess(seconds, limit)
        print(f"slow-loris: {2 * self.CLIENTS} clients sending a byte a second, all ended after "
              f"at most {max(s for s, _ in results.values()):.1f} s "
              f"(timeout {self.TIMEOUT_S} s)")


class LimitsTest(LimitsCase):
    IDLE_CONNECTIONS = 10_000
    PER_ADDRESS = 100

    @classmethod
    def setUpClass(cls):
        # The daemons start with a soft descriptor limit of 1024 and must raise it themselves.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
        try:
            cls.start_suite("[smtp]\nmax_bad_commands = 6\n"
                            f"[imap]\nmax_connections_per_address = {cls.PER_ADDRESS}\n"
                            f"max_connections = {cls.IDLE_CONNECTIONS + 1}\n"
                            "login_timeout_s = 600\n")
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        cls.hard_nofile = hard
        cls.victim = cls.suite.create_account(password=PASSWORD)

    def test_ten_thousand_idle_connections(self):
        if self.hard_nofile < self.IDLE_CONNECTIONS + 500:
            self.skipTest(f"the hard descriptor limit {self.hard_nofile} is too low")
        pid = self.suite.processes["imapd"].pid
        with open(f"/proc/{pid}/limits") as f:
            line = next(x for x in f if x.startswith("Max open files"))
        self.assertEqual(line.split()[3], str(self.hard_nofile), line)
        # Spread over 127.0.0.2 ... so that the per-address limit is not what refuses them.
        addresses = [f"127.0.0.{2 + i}" for i in range(self.IDLE_CONNECTIONS // self.PER_ADDRESS)]
        opened = {}

        def attack(ready, stop):
            socks = []
            try:
                for i in range(self.IDLE_CONNECTIONS):
                    sock = socket.socket()
                    socks.append(sock)
                    sock.bind((addresses[i // self.PER_ADDRESS], 0))
                    sock.settimeout(60)
                    sock.connect(("127.0.0.1", self.suite.ports["imap"]))
                greeted = 0
                with selectors.DefaultSelector() as sel:
                    for sock in socks:
                        sock.setblocking(False)
                        sel.register(sock, selectors.EVENT_READ)
                    deadline = time.monotonic() + 120
                    while greeted < len(socks) and time.monotonic() < deadline:
                        for key, _ in sel.select(1):
                            data = key.fileobj.recv(4096)
                            sel.unregister(key.fileobj)
                            if data.startswith(b"* OK [CAPABILITY"):
                                greeted += 1
                opened["greeted"] = greeted
                # One more from a full address is refused; the others stay open.
                extra = RawImap(self.suite.ports["imap"], source=addresses[0])
                opened["refusal"] = extra.greeting
                extra.close()
                ready.set()
                stop.wait()
                # The well-behaved client is done: one more connection fits under
                # max_connections (once its last one is released), the next does not.
                for _ in range(50):
                    first = RawImap(self.suite.ports["imap"], source="127.0.0.250")
                    if first.greeting.startswith("* OK"):
                        break
                    first.close()
                    time.sleep(0.1)
                opened["last place"] = first.greeting
                refused = RawImap(self.suite.ports["imap"], source="127.0.0.251")
                opened["over max_connections"] = refused.greeting
                refused.close()
                first.close()
            finally:
                for sock in socks:
                    sock.close()

        # About 11 KiB each in a debug build (26 KiB when each held its read buffer).
        per_connection = 20 * sanitizer_factor("imapd")
        self.under_attack("10000 idle connections", "imapd", attack,
                          rss_bound_kib=self.IDLE_CONNECTIONS * per_connection, ready_timeout=240)
        self.assertEqual(opened["greeted"], self.IDLE_CONNECTIONS)
        refusal = "* BYE Too many connections, try again later"
        self.assertEqual(opened["refusal"], refusal)
        self.assertTrue(opened["last place"].startswith("* OK"), opened["last place"])
        self.assertEqual(opened["over max_connections"], refusal)

    def test_announced_4gib_literals_and_endless_lines_are_refused_before_allocation(self):
        def imap_round():
            plain = RawImap(self.suite.ports["imap"])
            plain.send(b"a LOGIN {4294967296}\r\n")
            self.assertEqual(plain.line(), "a NO [TOOBIG] Literal too big")
            self.assertEqual(plain.command("b", "NOOP")[-1], "b OK NOOP completed")
            plain.send(b"c LOGIN {99999999999999999999999}\r\n")
            self.assertRegex(plain.line(), r"^c (BAD|NO \[TOOBIG\]) ")
            plain.send(b"d LOGIN {4294967296+}\r\n")
            self.assertIn("BYE Literal too big", plain.rest())  # then the server closed
            plain.close()
            tls = RawImap(self.suite.ports["imaps"], tls=True)
            tls.login(self.victim)
            tls.send(b"e APPEND INBOX {4294967296}\r\n")
            self.assertTrue(tls.line().startswith("e NO [TOOBIG]"))
            self.assertEqual(tls.command("f", "NOOP")[-1], "f OK NOOP completed")
            tls.send(b"g APPEND INBOX {4294967296+}\r\n")
            self.assertIn("BYE Literal too big", tls.rest())
            tls.close()

        def smtp_round():
            smtp = RawSmtp(self.suite.ports["mx"])
            smtp.command("EHLO attacker.example")
            chunk = b"A" * (1 << 20)
            for _ in range(16):  # a 16 MiB line
                smtp.sock.sendall(chunk)
            self.assertTrue(smtp.command("").startswith("500 5.5.2"))
            self.assertTrue(smtp.command("MAIL FROM:<a@example.org>").startswith("250"))
            self.assertTrue(smtp.command(f"RCPT TO:<{self.victim}>").startswith("250"))
            # Refused before any of it is read, and the session ends.
            self.assertTrue(smtp.command("BDAT 4294967296 LAST").startswith("552 5.3.4"))
            self.assertRaises(EOFError, smtp.reply)
            smtp.close()

        before = len(self.suite.inbox(self.victim))
        self.under_attack("4 GiB literals", "imapd", repeat(imap_round), rss_bound_kib=16 * 1024)
        self.under_attack("endless SMTP line and BDAT", "smtpd", repeat(smtp_round),
                          rss_bound_kib=16 * 1024)
        self.assertEqual(len(self.suite.inbox(self.victim)), before)

    def test_deeply_nested_parentheses_get_bad(self):
        depth = 5000
        nested = "(" * depth + "ALL" + ")" * depth

        def nesting_round():
            imap = RawImap(self.suite.ports["imaps"], tls=True)
            self.assertTrue(imap.command("a", "ID " + "(" * depth)[-1].startswith("a BAD"))
            imap.login(self.victim)
            self.assertTrue(imap.command("s", "SELECT INBOX")[-1].startswith("s OK"))
            for tag, text in (
                ("b", f"SEARCH {nested}"),
                ("c", f"UID SEARCH NOT {'OR ALL ' * depth}ALL"),
                ("d", "FETCH 1:* " + "(" * depth + "FLAGS" + ")" * depth),
                ("e", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS " + "(" * depth + "SUBJECT"
                 + ")" * depth + "])"),
            ):
                reply = imap.command(tag, text)[-1]
                self.assertTrue(reply.startswith(f"{tag} BAD"), reply)
            self.assertEqual(imap.command("f", "NOOP")[-1], "f OK NOOP completed")
            imap.close()

        self.under_attack("nested parentheses", "imapd", repeat(nesting_round),
                          rss_bound_kib=16 * 1024)

    def test_hundred_thousand_recipients_are_refused_past_the_limit(self):
        count = 100_000
        rounds = []

        def transaction():
            tag = unique_local("many-rcpt")
            smtp = RawSmtp(self.suite.ports["mx"])
            smtp.command("EHLO bulk.example")
            smtp.command("MAIL FROM:<bulk@example.org>")
            codes = {}

            def read_replies():
                for _ in range(count):
                    code = smtp.reply()[:9]
                    codes[code] = codes.get(code, 0) + 1

            reader = threading.Thread(target=read_replies)
            reader.start()
            smtp.sock.sendall(f"RCPT TO:<{self.victim}>\r\n".encode() * count)
            reader.join()
            self.assertEqual(codes, {"250 2.1.5": 1000, "452 4.5.3": count - 1000})
            self.assertTrue(smtp.command("DATA").startswith("354"))
            self.assertTrue(smtp.command(f"Subject: {tag}\r\n\r\nto many\r\n.").startswith("250"))
            smtp.command("QUIT")
            smtp.close()
            rounds.append(tag)

        before = len(self.suite.inbox(self.victim))
        self.under_attack("100000 recipients", "smtpd", repeat(transaction),
                          rss_bound_kib=64 * 1024)
        stored = self.suite.inbox(self.victim)[before:]
        print(f"100000 recipients: {len(rounds)} messages acknowledged, {len(stored)} stored")
        self.assertEqual(len(stored), len(rounds))

    def test_mime_bomb_is_stored_and_its_structure_bounded(self):
        # Part 1 nests multiparts 200 deep, part 2 has 20,000 parts side by side.
        depth, parts = 200, 20_000
        deep = "Content-Type: text/plain\r\n\r\nbottom\r\n"
        for level in range(depth):
            deep = (f"Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n"
                    f"--b{level}\r\n{deep}--b{level}--\r\n")
        wide = "".join(f"--w\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n"
                       for i in range(parts))
        wide = f"Content-Type: multipart/mixed; boundary=w\r\n\r\n{wide}--w--\r\n"
        message = ("Subject: bomb\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: multipart/mixed; boundary=top\r\n\r\n"
                   f"--top\r\n{deep}--top\r\n{wide}--top--\r\n").encode()
        acknowledged = []
        sizes = []

        def bomb_round():
            with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=120) as client:
                client.sendmail("bomber@example.org", [self.victim], message)
            acknowledged.append(1)
            imap = RawImap(self.suite.ports["imaps"], tls=True)
            imap.login(self.victim)
            self.assertTrue(imap.command("s", "SELECT INBOX")[-1].startswith("s OK"))
            lines = imap.command("f", "FETCH * (BODYSTRUCTURE)")
            self.assertTrue(lines[-1].startswith("f OK"), lines[-1])
            sizes.append(sum(len(x) for x in lines))
            for tag, section in (("g", ".".join(["1"] * 40)), ("h", "2.5000")):
                lines = imap.command(tag, f"FETCH * (BODY.PEEK[{section}])")
                self.assertTrue(lines[-1].startswith(f"{tag} OK"), lines[-1])
            imap.close()

        before = len(self.suite.inbox(self.victim))
        self.under_attack("MIME bomb (imapd)", "imapd", repeat(bomb_round),
                          rss_bound_kib=128 * 1024)
        self.under_attack("MIME bomb (smtpd)", "smtpd", repeat(bomb_round),
                          rss_bound_kib=128 * 1024)
        stored = len(self.suite.inbox(self.victim)) - before
        print(f"MIME bomb: {len(message)} bytes, depth {depth}, {parts} parts; acknowledged "
              f"{len(acknowledged)}, stored {stored}; BODYSTRUCTURE {max(sizes)} bytes")
        self.assertEqual(stored, len(acknowledged))
        self.assertLess(max(sizes), 4 * 1024 * 1024)

    def test_command_floods_slow_only_the_attacker(self):
        stats = {"imap noop": 0, "smtp noop": 0, "smtp tarpit s": [], "imap bye": 0}

        def imap_noops(stop):
            imap = RawImap(self.suite.ports["imap"])
            while not stop.is_set():
                imap.send(b"n NOOP\r\n" * 500)
                for _ in range(500):
                    self.assertEqual(imap.until("n")[-1], "n OK NOOP completed")
                stats["imap noop"] += 500
            imap.close()

        def smtp_noops(stop):
            smtp = RawSmtp(self.suite.ports["mx"])
            while not stop.is_set():
                smtp.sock.sendall(b"NOOP\r\n" * 500)
                for _ in range(500):
                    self.assertTrue(smtp.reply().startswith("250"))
                stats["smtp noop"] += 500
            smtp.close()

        def bad_commands(stop):
            while not stop.is_set():
                start = time.monotonic()
                smtp = RawSmtp(self.suite.ports["mx"])
                # Exactly as many as end the session: unread input would make the close a reset.
                smtp.sock.sendall(b"BOGUS\r\n" * 6)
                replies = [smtp.reply() for _ in range(7)]
                self.assertEqual([r[:3] for r in replies], ["500"] * 6 + ["421"])
                self.assertEqual(smtp.file.read(), b"")  # disconnected
                stats["smtp tarpit s"].append(time.monotonic() - start)
                smtp.close()
                imap = RawImap(self.suite.ports["imap"])
                imap.send(b"x BOGUS\r\n" * 10)
                self.assertIn("* BYE Too many invalid commands", imap.rest())
                stats["imap bye"] += 1
                imap.close()

        def attack(ready, stop):
            workers = [threading.Thread(target=self.failing_into(f, stop, failures))
                       for f in (imap_noops, smtp_noops, bad_commands)]
            for w in workers:
                w.start()
            ready.set()
            for w in workers:
                w.join()
            if failures:
                raise failures[0]

        failures = []
        self.under_attack("command floods", "imapd", attack, rss_bound_kib=32 * 1024)
        print(f"command floods: {stats['imap noop']} IMAP NOOPs, {stats['smtp noop']} SMTP "
              f"NOOPs answered; {len(stats['smtp tarpit s'])} SMTP error floods each "
              f"disconnected after {min(stats['smtp tarpit s']):.1f} s or more, "
              f"{stats['imap bye']} IMAP error floods disconnected")
        # Errors 4 and 5 are delayed 1 s and 2 s before the sixth ends the session.
        self.assertGreaterEqual(min(stats["smtp tarpit s"]), 3.0)
        self.assertGreater(stats["imap noop"], 0)
        self.assertGreater(stats["smtp noop"], 0)

    @staticmethod
    def failing_into(fn, stop, failures):
        def run():
            try:
                fn(stop)
            except BaseException as e:
                failures.append(e)
                stop.set()
        return run


class DescriptorExhaustionTest(unittest.TestCase):
    """A daemon out of descriptors waits for sessions to end instead of spinning on accept."""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=("imapd",))
        cls.addClassCleanup(cls.suite.stop)

    def cpu_seconds(self, pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def test_accept_pauses_while_out_of_descriptors(self):
        pid = self.suite.processes["imapd"].pid
        subprocess.run(["prlimit", f"--pid={pid}", "--nofile=64:64"], check=True)
        port = self.suite.ports["imap"]
        socks = [socket.create_connection(("127.0.0.1", port), timeout=10,
                                          source_address=(attacker_address(i), 0))
                 for i in range(100)]
        try:
            time.sleep(0.5)
            before = self.cpu_seconds(pid)
            time.sleep(2)
            used = self.cpu_seconds(pid) - before
        finally:
            for sock in socks:
                sock.close()
        warnings = self.suite.log("imapd").count("accept failed")
        print(f"\nout of descriptors: imapd used {used:.2f} s of CPU in 2 s, "
              f"logged {warnings} accept failures")
        self.assertGreater(warnings, 0)
        self.assertLess(used, 0.5)
        self.assertLess(warnings, 100)
        # Once the attackers are gone, the daemon serves again.
        again = RawImap(port)
        again.close()
        self.assertTrue(again.greeting.startswith("* OK"))


if __name__ == "__main__":
    unittest.main()
