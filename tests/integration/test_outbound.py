"""The outbound queue end to end: mail submitted to the real smtpd (submission, STARTTLS,
AUTH) for other domains is relayed by its queue runner to a test SMTP sink written here, with
the replies each recipient should get. The suite's database is its own (harness), so the queue
runners of other integration suites cannot take its mail."""

import smtplib
import socketserver
import ssl
import threading
import time
import unittest
import uuid

from harness import Suite

PASSWORD = "correct horse battery staple"
LEASE_S = 4


class Sink(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 that answers each RCPT from a per-recipient plan (a list
    of codes, one per attempt; 250 once the list is used up) and records what it accepted.
    A plan entry "hang" takes the message and never answers, until the client goes away."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SinkHandler)
        self.lock = threading.Lock()
        self.plans = {}
        self.rcpt_attempts = {}
        self.accepted = []  # (MAIL line, accepted recipients, DATA as received)
        self.hanging = threading.Event()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def plan(self, recipient, *replies):
        with self.lock:
            self.plans[recipient] = list(replies)

    def next_reply(self, recipient):
        with self.lock:
            self.rcpt_attempts[recipient] = self.rcpt_attempts.get(recipient, 0) + 1
            plan = self.plans.get(recipient, [])
            return plan.pop(0) if plan else 250

    def deliveries_to(self, recipient):
        with self.lock:
            return [a for a in self.accepted if recipient in a[1]]


class SinkHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        sink = self.server
        self.reply("220 sink.test ESMTP")
        mail, recipients, hang = None, [], False
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                                 b"250-DSN\r\n250 SIZE 10000000\r\n")
            elif verb == b"MAIL":
                mail, recipients, hang = line.decode().strip(), [], False
                self.reply("250 2.1.0 Ok")
            elif verb == b"RCPT":
                address = line.decode().split("<", 1)[1].split(">", 1)[0]
                code = sink.next_reply(address)
                if code == "hang":
                    hang, code = True, 250
                if code == 250:
                    recipients.append(address)
                    self.reply("250 2.1.5 Ok")
                elif code == 451:
                    self.reply("451 4.3.0 Try again later")
                else:
                    self.reply(f"{code} 5.1.1 <{address}>: Recipient address rejected")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    if chunk == b".\r\n":
                        break
                    data += chunk
                if hang:
                    sink.hanging.set()
                    while self.rfile.readline():
                        pass
                    return
                with sink.lock:
                    sink.accepted.append((mail, recipients, data))
                self.reply("250 2.0.0 Ok: queued")
            elif verb == b"QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("250 2.0.0 Ok")


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class OutboundTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.addClassCleanup(cls.sink.server_close)
        cls.addClassCleanup(cls.sink.shutdown)
        cls.suite = Suite(daemons=("smtpd",), extra_config=f"""[queue]
relay_host = 127.0.0.1:{cls.sink.port}
retry_initial_s = 1
retry_max_s = 2
poll_interval_s = 1
lease_s = {LEASE_S}
timeout_percent = 5
""")
        cls.addClassCleanup(cls.suite.stop)
        cls.alice = cls.suite.create_account(password=PASSWORD)

    def setUp(self):
        if self.suite.processes["smtpd"].poll() is not None:  # an earlier test failed mid-way
            self.suite.start("smtpd")

    def submit(self, recipients, body, subject="outbound"):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        message = (f"From: {self.alice}\r\nTo: {', '.join(recipients)}\r\n"
                   f"Subject: {subject}\r\n\r\n{body}").encode()
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.starttls(context=ctx)
            client.login(self.alice, PASSWORD)
            self.assertEqual(client.sendmail(self.alice, recipients, message), {})

    def queued(self, recipient):
        return self.suite.sql(
            "SELECT state, attempts FROM outbound_recipients WHERE recipient = :'p1';", recipient)

    def test_message_is_relayed_once_with_dot_stuffing(self):
        to = f"dots-{uuid.uuid4().hex[:8]}@remote.test"
        body = "first\r\n.leading dot\r\n..two dots\r\n.\r\nlast\r\n"
        self.submit([to], body)
        wait_for(lambda: self.sink.deliveries_to(to), what="the relayed message")
        time.sleep(2)  # a second copy would arrive within a few polls
        deliveries = self.sink.deliveries_to(to)
        self.assertEqual(len(deliveries), 1)
        mail, recipients, data = deliveries[0]
        self.assertEqual(recipients, [to])
        self.assertTrue(mail.startswith(f"MAIL FROM:<{self.alice}> SIZE="), mail)
        self.assertIn(" RET=FULL", mail)
        self.assertTrue(data.startswith(b"Received: from "), data[:80])  # no Return-Path
        self.assertNotIn(b"Return-Path:", data)
        # On the wire every line starting with "." carries one more ...
        self.assertTrue(data.endswith(
            b"\r\n\r\nfirst\r\n..leading dot\r\n...two dots\r\n..\r\nlast\r\n"), data[-80:])
        # ... and the queue entry is gone once delivered.
        wait_for(lambda: self.queued(to) == [], what="the queue entry to go")

    def test_temporary_failure_is_retried_then_delivered(self):
        to = f"retry-{uuid.uuid4().hex[:8]}@remote.test"
        self.sink.plan(to, 451, 451)
        self.submit([to], "try, try again\r\n")
        wait_for(lambda: self.sink.deliveries_to(to), timeout=60, what="the retried delivery")
        self.assertEqual(self.sink.rcpt_attempts[to], 3)
        self.assertEqual(len(self.sink.deliveries_to(to)), 1)

    def test_permanent_failure_bounces_into_the_senders_inbox(self):
        tag = uuid.uuid4().hex[:8]
        bad = f"nobody-{tag}@remote.test"
        good = f"somebody-{tag}@remote.test"
        self.sink.plan(bad, 550)
        self.submit([bad, good], "for two\r\n", subject=f"bounce {tag}")
        bounce = wait_for(
            lambda: [m for m in self.suite.inbox(self.alice) if bad.encode() in m],
            what="the bounce")[0]
        self.assertTrue(bounce.startswith(b"Return-Path: <>\r\n"), bounce[:60])
        for expected in (
                b"From: Mail Delivery System <MAILER-DAEMON@mail.test>\r\n",
                f"To: <{self.alice}>\r\n".encode(),
                b"Subject: Undelivered Mail Returned to Sender",
                b"Auto-Submitted: auto-replied\r\n",
                b"Content-Type: multipart/report; report-type=delivery-status;",
                b"Reporting-MTA: dns; mail.test\r\n",
                f"Final-Recipient: rfc822; {bad}\r\nAction: failed\r\n".encode(),
                b"Status: 5.1.1\r\nRemote-MTA: dns; 127.0.0.1\r\n",
                f"Diagnostic-Code: smtp; 550 5.1.1 <{bad}>: Recipient address rejected\r\n".encode(),
                b"Content-Type: message/rfc822\r\n",
                f"Subject: bounce {tag}\r\n".encode()):
            self.assertIn(expected, bounce)
        self.assertNotIn(f"Final-Recipient: rfc822; {good}".encode(), bounce)
        self.assertEqual(len(self.sink.deliveries_to(good)), 1)
        self.assertEqual(self.sink.rcpt_attempts[bad], 1)

    def test_restart_mid_queue_sends_nothing_twice(self):
        tag = uuid.uuid4().hex[:8]
        sent = f"sent-{tag}@remote.test"
        deferred = f"deferred-{tag}@remote.test"
        self.sink.plan(deferred, 451)
        self.submit([sent, deferred], "before the restart\r\n")
        wait_for(lambda: self.sink.deliveries_to(sent), what="the first delivery")
        self.suite.kill("smtpd")
        self.suite.start("smtpd")
        wait_for(lambda: self.sink.deliveries_to(deferred), what="the deferred delivery")
        time.sleep(2)
        self.assertEqual(len(self.sink.deliveries_to(sent)), 1)
        self.assertEqual(len(self.sink.deliveries_to(deferred)), 1)

    def test_crash_during_a_session_is_retried_after_the_lease(self):
        to = f"inflight-{uuid.uuid4().hex[:8]}@remote.test"
        self.sink.plan(to, "hang")
        self.sink.hanging.clear()
        self.submit([to], "crash while the remote server thinks\r\n")
        self.assertTrue(self.sink.hanging.wait(30), "the runner never reached the end of data")
        self.suite.kill("smtpd")
        self.assertEqual(self.queued(to), [["sending", "1"]])
        self.suite.start("smtpd")
        wait_for(lambda: self.sink.deliveries_to(to), timeout=LEASE_S + 30,
                 what="the delivery after the lease ran out")
        self.assertEqual(self.sink.rcpt_attempts[to], 2)
        self.assertEqual(len(self.sink.deliveries_to(to)), 1)


if __name__ == "__main__":
    unittest.main()
