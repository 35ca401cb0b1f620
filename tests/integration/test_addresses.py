"""Addresses beyond one account (issue 24), over real sockets with smtplib against the real
smtpd and PostgreSQL: postmaster (bare <postmaster> and at every local domain) and abuse go to
the accounts [server] postmaster and abuse name, and smtpd will not start when one names no
account; `mailadm alias` addresses expand at RCPT time, alias to alias, with the body stored
once for all their accounts and a loop refused with 550 5.4.6, targets elsewhere forwarded
through the queue (to a test SMTP sink) with an SRS sender whose bounces come back to the
original sender; and with [directory]
unit_lists on, `mailadm list` addresses reach the unit's active accounts, a transfer in the
directory moving a person from one list to the other at the next sync, with the posting
policy refusing outside senders with 550 5.7.1."""

import json
import os
import smtplib
import subprocess
import unittest
from email.message import EmailMessage

from harness import BIN_DIR, Suite
from test_outbound import Sink, wait_for

HEADER = "employee_no,name,org_unit,position,mail_id,office_phone,mobile_phone\n"
PLANNING = "행정안전부 기획재정담당관실"
AUDIT = "행정안전부 감사관실"


def message(subject, sender="someone@outside.test", to="team@localhost"):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(f"{subject}\n")
    return msg


class AddressCase(unittest.TestCase):
    EXTRA_CONFIG = ""
    files = 0

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=(), extra_config=cls.EXTRA_CONFIG)
        cls.addClassCleanup(cls.suite.stop)
        cls.before_smtpd()
        cls.suite.start("smtpd")

    @classmethod
    def before_smtpd(cls):
        pass

    def mx(self):
        client = smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=30)
        self.addCleanup(client.close)
        client.ehlo("outside.test")
        return client

    def rcpt(self, recipient, sender="someone@outside.test"):
        """The reply to RCPT TO:<RECIPIENT> in a fresh transaction."""
        client = self.mx()
        self.assertEqual(client.mail(sender)[0], 250)
        return client.rcpt(recipient)

    def send(self, recipients, subject, sender="someone@outside.test"):
        client = self.mx()
        refused = client.send_message(message(subject, sender), sender, recipients)
        self.assertEqual(refused, {})

    def subjects(self, address):
        return [m.split(b"Subject: ", 1)[1].split(b"\r\n", 1)[0].decode()
                for m in self.suite.inbox(address)]

    def bodies_with_subject(self, subject):
        return self.suite.sql(
            "SELECT count(DISTINCT m.body_hash), count(*) FROM mailbox_messages m"
            " JOIN message_bodies b USING (body_hash)"
            " WHERE position(convert_to(:'p1', 'UTF8') IN b.raw) > 0;", "Subject: " + subject)[0]

    def mailadm_json(self, *args):
        return json.loads(self.suite.mailadm("--json", *args).stdout)

    def write_directory(self, units):
        type(self).files += 1
        path = os.path.join(self.suite.dir, f"directory-{self.files}.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEADER)
            for (no, name, mail_id), unit in units:
                f.write(f"{no},{name},{unit},주무관,{mail_id},02-2100-{no[-4:]},"
                        f"010-1234-{no[-4:]}\n")
        return path

    def sync(self, units):
        self.suite.mailadm("directory", "sync", self.write_directory(units))


class RoleAddressTest(AddressCase):
    EXTRA_CONFIG = """[server]
postmaster = hostmaster@localhost
abuse = security@example.go.kr
"""

    @classmethod
    def before_smtpd(cls):
        cls.suite.create_account("hostmaster")
        cls.suite.create_account("security", domain="example.go.kr")

    def test_bare_and_qualified_postmaster_and_abuse_are_accepted_and_delivered(self):
        for recipient in ("postmaster", "Postmaster@localhost", "POSTMASTER@example.go.kr",
                          "abuse@localhost", "Abuse@example.go.kr"):
            with self.subTest(recipient=recipient):
                self.assertEqual(self.rcpt(recipient)[0], 250)
        self.send(["postmaster", "postmaster@example.go.kr"], "to the postmaster")
        self.send(["abuse@localhost"], "spam report")
        # Both postmaster forms reach the one account: stored once there.
        self.assertEqual(self.subjects("hostmaster@localhost"), ["to the postmaster"])
        self.assertEqual(self.subjects("security@example.go.kr"), ["spam report"])

    def test_other_unknown_addresses_are_still_refused(self):
        self.assertEqual(self.rcpt("nobody@localhost")[0], 550)

    def test_smtpd_refuses_to_start_when_the_postmaster_names_no_account(self):
        config = os.path.join(self.suite.dir, "bad.conf")
        with open(self.suite.config) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace("postmaster = hostmaster@localhost",
                                 "postmaster = missing@localhost"))
        started = subprocess.run([os.path.join(BIN_DIR, "govmail-smtpd"), "--config", config],
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(started.returncode, 1)
        self.assertIn("[server] postmaster = 'missing@localhost' names no account",
                      started.stderr)


class AliasTest(AddressCase):
    @classmethod
    def before_smtpd(cls):
        cls.people = [cls.suite.create_account(f"member{i}") for i in range(3)]

    def test_an_alias_to_three_accounts_stores_the_body_once(self):
        added = self.mailadm_json("alias", "add", "team@localhost", *self.people)
        self.assertEqual([p["target"] for p in added], self.people)
        # An alias to an alias to the same accounts: duplicates removed.
        self.suite.mailadm("alias", "add", "all@localhost", "team@localhost", self.people[0])
        self.send(["all@localhost", "team@localhost", self.people[1]], "alias delivery")
        for person in self.people:
            self.assertEqual(self.subjects(person), ["alias delivery"])
        self.assertEqual(self.bodies_with_subject("alias delivery"), ["1", "3"])
        listed = self.mailadm_json("alias", "list")
        self.assertIn({"address": "all@localhost", "target": "team@localhost"}, listed)
        actions = self.suite.sql("SELECT detail FROM audit_log WHERE action = 'alias.add';")
        self.assertIn(["all@localhost -> team@localhost"], actions)

    def test_an_alias_loop_is_refused_cleanly(self):
        self.suite.mailadm("alias", "add", "ping@localhost", "pong@localhost")
        self.suite.mailadm("alias", "add", "pong@localhost", "ping@localhost", self.people[2])
        code, text = self.rcpt("ping@localhost")
        self.assertEqual((code, text),
                         (550, b"5.4.6 Recipient address rejected: alias loop or expansion "
                               b"too deep"))
        # The server goes on serving: the next transaction on a new connection works.
        self.assertEqual(self.rcpt(self.people[2])[0], 250)

    def test_removed_aliases_are_unknown_and_aliases_cannot_shadow_accounts(self):
        self.suite.mailadm("alias", "add", "gone@localhost", self.people[0])
        removed = self.mailadm_json("alias", "remove", "gone@localhost")
        self.assertEqual(removed, [{"address": "gone@localhost", "target": self.people[0]}])
        self.assertEqual(self.rcpt("gone@localhost")[0], 550)
        shadow = self.suite.mailadm("alias", "add", self.people[1], self.people[0], check=False)
        self.assertEqual(shadow.returncode, 1)
        elsewhere = self.suite.mailadm("alias", "add", "out@localhost", "x@other.test",
                                       check=False)
        self.assertEqual(elsewhere.returncode, 2)


class ForwardingTest(AddressCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.addClassCleanup(cls.sink.server_close)
        cls.addClassCleanup(cls.sink.shutdown)
        cls.EXTRA_CONFIG = f"""[server]
postmaster = hostmaster@localhost
[smtp]
srs_secret = a test secret, not for production
[queue]
relay_host = 127.0.0.1:{cls.sink.port}
retry_initial_s = 1
retry_max_s = 2
poll_interval_s = 1
"""
        super().setUpClass()

    @classmethod
    def before_smtpd(cls):
        cls.suite.create_account("hostmaster")
        cls.member = cls.suite.create_account("forwarded-member")

    def forwarded_to(self, recipient):
        return wait_for(lambda: self.sink.deliveries_to(recipient), what=f"mail to {recipient}")

    def test_a_target_elsewhere_gets_the_mail_with_an_srs_sender_and_its_bounce_comes_back(self):
        self.suite.mailadm("alias", "add", "partner@localhost", self.member, "Kim@Remote.test")
        self.send(["partner@localhost"], "forwarded", sender="alice@outside.test")
        self.assertEqual(self.subjects(self.member), ["forwarded"])
        mail, recipients, data = self.forwarded_to("kim@remote.test")[0]
        self.assertRegex(mail, r"^MAIL FROM:<SRS0=[^=]{4}=[A-Z2-7]{2}=outside\.test=alice@localhost>")
        self.assertIn(b"Subject: forwarded", data)
        srs_address = mail.split("<", 1)[1].split(">", 1)[0]

        # The remote server's later bounce to the SRS address goes on to alice.
        client = self.mx()
        client.mail("")
        self.assertEqual(client.rcpt(srs_address)[0], 250)
        self.assertEqual(client.data(b"Subject: bounce\r\n\r\nundeliverable\r\n")[0], 250)
        mail, _, _ = self.forwarded_to("alice@outside.test")[0]
        self.assertTrue(mail.startswith("MAIL FROM:<> "), mail)

        # A forged or altered SRS address is unknown, and so is one from a real sender.
        forged = srs_address.replace("outside.test", "elsewhere.test")
        client = self.mx()
        client.mail("")
        self.assertEqual(client.rcpt(forged)[0], 550)
        self.assertEqual(self.rcpt(srs_address, sender="someone@outside.test")[0], 550)

    def test_the_queue_reports_a_refused_forward_to_the_original_sender(self):
        self.sink.plan("gone@remote.test", 550)
        self.suite.mailadm("alias", "add", "old-partner@localhost", "gone@remote.test")
        self.send(["old-partner@localhost"], "to a gone partner", sender="bob@outside.test")
        mail, _, report = self.forwarded_to("bob@outside.test")[0]
        self.assertTrue(mail.startswith("MAIL FROM:<> "), mail)
        self.assertIn(b"gone@remote.test", report)


class UnitListTest(AddressCase):
    EXTRA_CONFIG = """[directory]
unit_lists = on
"""

    @classmethod
    def before_smtpd(cls):
        cls.kim = ("51001", "김민준", "minjun.kim")
        cls.lee = ("51002", "이서연", "seoyeon.lee")
        cls.park = ("51003", "박지호", "jiho.park")

    def test_a_transfer_moves_a_person_between_unit_lists_at_the_next_sync(self):
        self.sync([(self.kim, PLANNING), (self.lee, PLANNING), (self.park, AUDIT)])
        for _, _, mail_id in (self.kim, self.lee, self.park):
            self.suite.mailadm("account", "create", f"{mail_id}@localhost")
        self.suite.mailadm("list", "add", "planning@localhost", PLANNING)
        added = self.mailadm_json("list", "add", "audit@localhost", AUDIT, "--policy", "anyone")
        self.assertEqual(added, {"address": "audit@localhost", "unit": AUDIT,
                                 "policy": "anyone", "members": 1})
        sender = "minjun.kim@localhost"  # the organisation: a trusted relay sends as it
        self.send(["planning@localhost", "audit@localhost"], "before the transfer", sender)
        self.assertEqual(self.subjects("seoyeon.lee@localhost"), ["before the transfer"])
        self.assertEqual(self.subjects("jiho.park@localhost"), ["before the transfer"])
        self.assertEqual(self.bodies_with_subject("before the transfer"), ["1", "3"])

        self.sync([(self.kim, PLANNING), (self.lee, AUDIT), (self.park, AUDIT)])
        self.send(["planning@localhost", "audit@localhost"], "after the transfer", sender)
        self.assertEqual(self.subjects("seoyeon.lee@localhost"),
                         ["before the transfer", "after the transfer"])
        lists = {entry["address"]: entry["members"]
                 for entry in self.mailadm_json("list", "list")}
        self.assertEqual(lists, {"audit@localhost": 2, "planning@localhost": 1})
        # Three accounts, one body.
        self.assertEqual(self.bodies_with_subject("after the transfer"), ["1", "3"])

    def test_an_outside_sender_to_an_organisation_only_list_gets_550_5_7_1(self):
        self.suite.mailadm("list", "add", "staff@localhost", "행정안전부 운영지원과")
        code, text = self.rcpt("staff@localhost", sender="spammer@outside.test")
        self.assertEqual((code, text),
                         (550, b"5.7.1 Recipient address rejected: this list takes mail from "
                               b"the organisation only"))
        self.suite.mailadm("list", "policy", "staff@localhost", "anyone")
        self.assertEqual(self.rcpt("staff@localhost", sender="spammer@outside.test")[0], 250)
        self.suite.mailadm("list", "policy", "staff@localhost", "members")
        self.assertEqual(self.rcpt("staff@localhost", sender="nobody@localhost")[0], 550)


class MailIdChangeTest(AddressCase):
    def test_a_changed_mail_id_renames_the_account_and_keeps_the_old_address_as_alias(self):
        choi = ("51004", "최하은", "haeun.choi")
        self.sync([(choi, AUDIT)])
        self.suite.mailadm("account", "create", "haeun.choi@localhost")
        self.send(["haeun.choi@localhost"], "to the first address")
        renamed = json.loads(self.suite.mailadm(
            "--json", "directory", "sync", self.write_directory([(("51004", "최하은", "haeun.choi2"), AUDIT)])
        ).stdout)["renamed_accounts"]
        self.assertEqual(renamed, ["haeun.choi2@localhost"])
        self.assertIn({"address": "haeun.choi@localhost", "target": "haeun.choi2@localhost"},
                      self.mailadm_json("alias", "list"))
        self.send(["haeun.choi@localhost", "haeun.choi2@localhost"], "to both addresses")
        self.assertEqual(self.subjects("haeun.choi2@localhost"),
                         ["to the first address", "to both addresses"])
        self.assertEqual(self.bodies_with_subject("to both addresses"), ["1", "1"])


class UnitListsOffTest(AddressCase):
    def test_list_addresses_are_unknown_while_unit_lists_are_off(self):
        self.suite.mailadm("list", "add", "office@localhost", "행정안전부 운영지원과")
        self.assertEqual(self.rcpt("office@localhost", sender="a@localhost")[0], 550)


if __name__ == "__main__":
    unittest.main()
