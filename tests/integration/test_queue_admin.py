"""`mailadm queue` as a Postfix administrator uses mailq, postqueue and postsuper: mail
submitted to the real smtpd for another domain waits in the outbound queue after a
temporary failure at the test SMTP sink (the next attempt an hour away); the administrator
lists and shows it (also as JSON), retries it now, holds it so the queue runner skips it
even when due, releases it, or deletes it. Every change is in the audit log."""

import json
import smtplib
import time
import unittest
import uuid

from harness import Suite, client_tls_context
from test_outbound import Sink, wait_for

PASSWORD = "correct horse battery staple"
HELD_WAIT_S = 4  # several polls of the runner (poll_interval_s = 1)


class QueueAdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.addClassCleanup(cls.sink.server_close)
        cls.addClassCleanup(cls.sink.shutdown)
        cls.suite = Suite(daemons=("smtpd",), extra_config=f"""[queue]
relay_host = 127.0.0.1:{cls.sink.port}
retry_initial_s = 3600
retry_max_s = 3600
poll_interval_s = 1
""")
        cls.addClassCleanup(cls.suite.stop)
        cls.alice = cls.suite.create_account(password=PASSWORD)

    def mailadm(self, *args, check=True):
        out = self.suite.mailadm("--json", "queue", *args, check=check)
        return json.loads(out.stdout) if check else out

    def deferred_message(self):
        """A message to one remote recipient whose first attempt got 451; (queue id, to)."""
        to = f"remote-{uuid.uuid4().hex[:8]}@remote.test"
        self.sink.plan(to, 451)
        message = (f"From: {self.alice}\r\nTo: {to}\r\nSubject: queued\r\n\r\nhello\r\n")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=20) as client:
            client.starttls(context=client_tls_context())
            client.login(self.alice, PASSWORD)
            self.assertEqual(client.sendmail(self.alice, [to], message.encode()), {})
        wait_for(lambda: self.sink.rcpt_attempts.get(to) == 1, what="the first attempt")

        def deferred():
            rows = [m for m in self.mailadm("list") if m["waiting"] == to]
            return rows if rows and rows[0]["next_attempt"] is not None else None
        rows = wait_for(deferred, what="the deferred message in the list")
        return rows[0]["id"], to

    def audit(self, action):
        return self.suite.sql("SELECT actor, detail FROM audit_log WHERE action = :'p1'"
                              " ORDER BY at;", action)

    def test_list_and_show_then_retry_delivers_now(self):
        queue_id, to = self.deferred_message()
        listed = [m for m in self.mailadm("list") if m["id"] == queue_id][0]
        self.assertEqual(listed["sender"], self.alice)
        self.assertFalse(listed["held"])
        self.assertGreater(listed["size"], 0)

        shown = self.mailadm("show", str(queue_id))
        self.assertEqual(shown["account"], self.alice)
        self.assertEqual(len(shown["recipients"]), 1)
        recipient = shown["recipients"][0]
        self.assertEqual((recipient["address"], recipient["state"], recipient["attempts"]),
                         (to, "pending", 1))
        self.assertTrue(recipient["last_reply"].startswith("451"), recipient)

        table = self.suite.mailadm("queue", "list").stdout
        self.assertRegex(table, rf"(?m)^id\s+queued\s+size\s+held\s+sender\s+waiting")
        self.assertRegex(table, rf"(?m)^{queue_id}\s.*\s{to}\s")

        self.mailadm("retry", str(queue_id))
        wait_for(lambda: self.sink.deliveries_to(to), what="the retried delivery")
        wait_for(lambda: self.mailadm("show", str(queue_id), check=False).returncode == 1,
                 what="the delivered message to leave the queue")
        self.assertEqual(len(self.sink.deliveries_to(to)), 1)
        self.assertIn(f"queue {queue_id} from <{self.alice}> to {to}",
                      self.audit("queue.retry")[-1][1])

    def test_a_held_message_is_skipped_until_released(self):
        queue_id, to = self.deferred_message()
        held = self.mailadm("hold", str(queue_id))
        self.assertEqual(held["id"], queue_id)
        self.assertTrue(self.mailadm("show", str(queue_id))["held"])
        # Due now, but held: the runner leaves it alone.
        retried = self.suite.mailadm("queue", "retry", str(queue_id)).stdout
        self.assertIn("is held", retried)
        time.sleep(HELD_WAIT_S)
        self.assertEqual(self.sink.rcpt_attempts[to], 1)
        self.assertEqual(self.sink.deliveries_to(to), [])

        self.mailadm("release", str(queue_id))
        wait_for(lambda: self.sink.deliveries_to(to), what="the released message's delivery")
        self.assertEqual(self.sink.rcpt_attempts[to], 2)
        self.assertIn(f"queue {queue_id} ", self.audit("queue.hold")[-1][1])
        self.assertIn(f"queue {queue_id} ", self.audit("queue.release")[-1][1])

    def test_delete_removes_the_message_and_nothing_is_sent(self):
        queue_id, to = self.deferred_message()
        self.mailadm("delete", str(queue_id))
        self.assertNotIn(queue_id, [m["id"] for m in self.mailadm("list")])
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM outbound_recipients WHERE recipient = :'p1';", to), [["0"]])
        refused = self.mailadm("show", str(queue_id), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("not found", refused.stdout + refused.stderr)
        self.mailadm("retry", "--all")
        time.sleep(HELD_WAIT_S)
        self.assertEqual(self.sink.rcpt_attempts[to], 1)
        self.assertIn(f"queue {queue_id} from <{self.alice}> to {to}",
                      self.audit("queue.delete")[-1][1])

    def test_unknown_queue_id_is_refused(self):
        for command in ("show", "retry", "delete", "hold", "release"):
            out = self.mailadm(command, "999999999", check=False)
            self.assertEqual(out.returncode, 1, command)
            self.assertIn("queue message 999999999: not found", out.stdout, command)


if __name__ == "__main__":
    unittest.main()
