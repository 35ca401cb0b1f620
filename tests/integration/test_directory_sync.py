"""Directory sync as an administrator runs it with the real `mailadm` against the real database:
every person a sync adds, changes or retires is listed by name, unit and address (also in a
dry run); a sync that would retire more than [directory] max_retire_percent / max_retire_count
is refused unless --force; a person back in the directory gets their retired account back
(`mailadm account reinstate`, or at once with [directory] reinstate_returning) with mail,
folders and address, but no certificate; signup approval waits [signup] eligible_after_days
after the directory entry was first complete; and the audit log still names an account, its
person and unit after the account is deleted."""

import datetime
import json
import os
import smtplib
import unittest
import zoneinfo
from email.message import EmailMessage

from harness import Suite

HEADER = "employee_no,name,org_unit,position,mail_id,office_phone,mobile_phone\n"


def person(no, name, unit, mail_id, mobile="010-1234-5678"):
    return {"no": no, "name": name, "unit": unit, "mail_id": mail_id, "mobile": mobile}


class DirectoryCase(unittest.TestCase):
    DAEMONS = ()
    EXTRA_CONFIG = ""

    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=cls.DAEMONS, extra_config=cls.EXTRA_CONFIG)
        cls.addClassCleanup(cls.suite.stop)
        cls.files = 0

    def write(self, people):
        type(self).files += 1
        path = os.path.join(self.suite.dir, f"directory-{self.files}.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEADER)
            for p in people:
                f.write(f"{p['no']},{p['name']},{p['unit']},주무관,{p['mail_id']},"
                        f"02-2100-{p['no'][-4:]},{p['mobile']}\n")
        return path

    def sync(self, people, *options, check=True):
        return self.suite.mailadm("--json", "directory", "sync", self.write(people), *options,
                                  check=check)

    def synced(self, people, *options):
        return json.loads(self.sync(people, *options).stdout)

    def mailadm_json(self, *args):
        return json.loads(self.suite.mailadm("--json", *args).stdout)

    def account_for(self, p):
        address = f"{p['mail_id']}@localhost"
        self.suite.mailadm("account", "create", address)
        return address


class SyncListingTest(DirectoryCase):
    def test_dry_run_and_real_run_list_everyone_by_name_unit_and_address(self):
        staying = person("41001", "김민준", "행정안전부 디지털정부국", "minjun.kim")
        leaving = person("41002", "이서연", "행정안전부 정책기획관실", "seoyeon.lee")
        moving = person("41003", "박지호", "행정안전부 디지털정부국", "jiho.park")
        self.synced([staying, leaving, moving])
        address = self.account_for(leaving)
        moved = dict(moving, unit="행정안전부 감사관실")
        hired = person("41004", "최하은", "행정안전부 운영지원과", "haeun.choi")
        day2 = [staying, moved, hired]

        expected = [
            {"change": "add", "employee_no": "41004", "name": "최하은",
             "unit": "행정안전부 운영지원과", "previous_unit": None, "mail_id": "haeun.choi",
             "account": None},
            {"change": "transfer", "employee_no": "41003", "name": "박지호",
             "unit": "행정안전부 감사관실", "previous_unit": "행정안전부 디지털정부국",
             "mail_id": "jiho.park", "account": None},
            {"change": "retire", "employee_no": "41002", "name": "이서연",
             "unit": "행정안전부 정책기획관실", "previous_unit": None, "mail_id": "seoyeon.lee",
             "account": address},
        ]
        dry = self.synced(day2, "--dry-run")
        self.assertFalse(dry["applied"])
        self.assertEqual((dry["retired"], dry["retired_accounts"]), (1, [address]))
        self.assertEqual(dry["changes"], expected)
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "active")

        table = self.suite.mailadm("directory", "sync", self.write(day2), "--dry-run").stdout
        self.assertRegex(table, r"(?m)^retire\s+41002\s+이서연\s+행정안전부 정책기획관실\s+-\s+"
                                r"seoyeon\.lee\s+" + address)
        self.assertRegex(table, r"(?m)^add\s+41004\s+최하은\s+행정안전부 운영지원과")

        real = self.synced(day2)
        self.assertTrue(real["applied"])
        self.assertEqual((real["retired"], real["retired_accounts"]), (1, [address]))
        self.assertEqual(real["changes"], expected)
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "retired")


class RetireGuardTest(DirectoryCase):
    def test_a_truncated_export_is_refused_unless_forced(self):
        staff = [person(f"42{i:03d}", f"직원{i}", "행정안전부 디지털정부국", f"staff{i}.guard")
                 for i in range(40)]
        self.synced(staff)
        address = self.account_for(staff[39])
        syncs = len(self.mailadm_json("audit", "show", "--action", "directory.sync"))

        # Half the organisation missing: 20 of 40 would go, 5% allows 2.
        refused = self.sync(staff[:20], check=False)
        self.assertEqual(refused.returncode, 1, refused.stderr)
        error = json.loads(refused.stdout)
        self.assertFalse(error["applied"])
        self.assertEqual(error["retired"], 20)
        self.assertIn("would retire 20 of the 40", error["refused"])
        self.assertEqual(len([c for c in error["changes"] if c["change"] == "retire"]), 20)
        message = self.suite.mailadm("directory", "sync", self.write(staff[:20]), check=False)
        self.assertEqual(message.returncode, 1)
        self.assertIn("would retire 20 of the 40 people in the directory (50.0%)", message.stderr)
        self.assertIn("more than the 2 one sync may retire", message.stderr)
        self.assertIn("max_retire_percent = 5", message.stderr)
        self.assertIn("--force", message.stderr)
        # Nothing changed.
        self.assertEqual(self.mailadm_json("directory", "show", "42039")["status"], "active")
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "active")
        self.assertEqual(len(self.mailadm_json("audit", "show", "--action", "directory.sync")),
                         syncs)
        self.assertEqual(len(self.mailadm_json("audit", "show", "--action", "account.retire")), 0)

        # Two may go; then --force lets the rest go, and the audit says it was forced.
        self.assertEqual(self.synced(staff[:37] + staff[39:])["retired"], 2)
        forced = self.synced(staff[:20], "--force")
        self.assertTrue(forced["applied"])
        self.assertEqual(forced["retired_accounts"], [address])
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "retired")
        sync_entry = self.mailadm_json("audit", "show", "--action", "directory.sync")[-1]
        self.assertIn("forced: it would retire 18 of the 38", sync_entry["detail"])


class RetireCountGuardTest(DirectoryCase):
    EXTRA_CONFIG = "[directory]\nmax_retire_percent = 50\nmax_retire_count = 3\n"

    def test_max_retire_count_caps_a_large_directory(self):
        staff = [person(f"43{i:03d}", f"직원{i}", "행정안전부", f"staff{i}.count")
                 for i in range(20)]
        self.synced(staff)
        refused = self.suite.mailadm("directory", "sync", self.write(staff[:16]), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("would retire 4 of the 20", refused.stderr)
        self.assertIn("max_retire_count = 3", refused.stderr)
        self.assertEqual(self.synced(staff[:17])["retired"], 3)


class ReinstateCase(DirectoryCase):
    DAEMONS = ("smtpd",)

    def deliver(self, recipient, subject):
        message = EmailMessage()
        message["From"] = "colleague@example.go.kr"
        message["To"] = recipient
        message["Subject"] = subject
        message.set_content("회의 자료를 보내드립니다.\n")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.send_message(message)

    def folders(self, address):
        return self.suite.sql(
            "SELECT x.name FROM mailboxes x JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' ORDER BY x.name;", address)

    def retired_with_mail(self, official, others):
        """OFFICIAL with an account, a message and a certificate binding, then retired by a
        sync without them; the account's address and folders."""
        self.synced([official] + others)
        address = self.account_for(official)
        self.deliver(address, "before-leaving")
        self.suite.sql(
            "INSERT INTO cert_bindings (account_id, issuer, serial, sha256)"
            " SELECT account_id, 'CN=GPKI', '0A', '\\x01'::bytea FROM accounts"
            " WHERE address = :'p1';", address)
        folders = self.folders(address)
        self.assertEqual(self.synced(others)["retired_accounts"], [address])
        return address, folders

    def assert_reinstated(self, address, folders):
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "active")
        self.assertEqual(len(self.suite.inbox(address)), 1)
        self.assertIn(b"before-leaving", self.suite.inbox(address)[0])
        self.assertEqual(self.folders(address), folders)
        self.assertEqual(self.suite.sql(
            "SELECT count(*) FROM cert_bindings b JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' AND b.revoked_at IS NULL;", address), [["0"]])
        self.assertEqual(self.suite.sql(
            "SELECT s.enabled FROM autoreply_settings s JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1';", address), [["f"]])
        entries = self.mailadm_json("audit", "show", "--account", address,
                                    "--action", "account.reinstate")
        self.assertEqual(len(entries), 1)
        return entries[0]


class ReinstateCommandTest(ReinstateCase):
    def test_a_returning_person_is_reinstated_by_command(self):
        official = person("44001", "정우진", "행정안전부 디지털정부국", "woojin.jung")
        colleague = person("44002", "한지민", "행정안전부 디지털정부국", "jimin.han")
        address, folders = self.retired_with_mail(official, [colleague])

        # Resume and create do not bring them back; reinstate waits for the directory.
        self.assertIn("is retired, not suspended",
                      self.suite.mailadm("account", "resume", address, check=False).stderr)
        early = self.suite.mailadm("account", "reinstate", address, check=False)
        self.assertEqual(early.returncode, 1, early.stderr)
        self.assertIn("has left the directory", early.stderr)

        back = self.synced([official, colleague])
        self.assertEqual(back["returning_retired_accounts"], [address])
        self.assertEqual(back["reinstated_accounts"], [])
        self.assertEqual([c["change"] for c in back["changes"]], ["return"])
        self.assertEqual(self.mailadm_json("account", "show", address)["state"], "retired")

        self.suite.mailadm("account", "reinstate", address)
        entry = self.assert_reinstated(address, folders)
        self.assertEqual(entry["detail"], "by administrator")
        again = self.suite.mailadm("account", "reinstate", address, check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn("is active, not retired", again.stderr)


class ReinstateBySyncTest(ReinstateCase):
    EXTRA_CONFIG = "[directory]\nreinstate_returning = true\n"

    def test_a_returning_person_is_reinstated_by_the_sync(self):
        official = person("45001", "윤서준", "행정안전부 디지털정부국", "seojun.yoon")
        colleague = person("45002", "장예린", "행정안전부 디지털정부국", "yerin.jang")
        address, folders = self.retired_with_mail(official, [colleague])

        back = self.synced([official, colleague])
        self.assertEqual(back["reinstated_accounts"], [address])
        self.assertEqual(back["returning_retired_accounts"], [])
        entry = self.assert_reinstated(address, folders)
        self.assertEqual(entry["detail"], "back in the directory")
        self.assertEqual((entry["name"], entry["unit"]), ("윤서준", "행정안전부 디지털정부국"))


class SignupEligibilityTest(DirectoryCase):
    EXTRA_CONFIG = "[signup]\neligible_after_days = 1\n"

    def test_signup_is_possible_from_the_day_after_the_entry_was_complete(self):
        newcomer = person("46001", "오지훈", "행정안전부 디지털정부국", "jihoon.oh", mobile="")
        self.synced([newcomer])
        first_complete = "SELECT first_complete_at IS NULL FROM directory_people" \
                         " WHERE employee_no = '46001';"
        self.assertEqual(self.suite.sql(first_complete), [["t"]])  # no mobile yet
        self.synced([dict(newcomer, mobile="010-4600-0001")])
        self.assertEqual(self.suite.sql(first_complete), [["f"]])

        request = self.mailadm_json("signup", "request", "jihoon.oh", "--employee", "46001")
        tomorrow = (datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Seoul")).date()
                    + datetime.timedelta(days=1)).isoformat()
        listed = self.mailadm_json("signup", "list", "--pending")[0]
        self.assertEqual((listed["id"], listed["eligible"], listed["eligible_from"]),
                         (request["id"], False, tomorrow))
        self.assertTrue(listed["mobile_phone"])  # the other checks pass
        refused = self.suite.mailadm("signup", "approve", str(request["id"]), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn(f"signup possible from {tomorrow}", refused.stderr)

        # A later sync does not move the date: it is when the entry was FIRST complete.
        self.synced([dict(newcomer, mobile="010-4600-0002")])
        self.assertEqual(self.mailadm_json("signup", "list", "--pending")[0]["eligible_from"],
                         tomorrow)

        # The next day (the entry completed two days ago, as far as the database knows).
        self.suite.sql("UPDATE directory_people SET first_complete_at = now() - interval '2 days'"
                       " WHERE employee_no = '46001';")
        self.assertTrue(self.mailadm_json("signup", "list", "--pending")[0]["eligible"])
        approved = self.mailadm_json("signup", "approve", str(request["id"]))
        self.assertEqual(approved["address"], "jihoon.oh@localhost")


class AuditNamesTest(DirectoryCase):
    def test_entries_keep_address_name_and_unit_after_deletion(self):
        official = person("47001", "강하늘", "행정안전부 정책기획관실", "haneul.kang")
        colleague = person("47002", "조은비", "행정안전부 정책기획관실", "eunbi.jo")
        self.synced([official, colleague])
        address = self.account_for(official)
        self.synced([colleague])
        self.suite.mailadm("account", "delete", address, "--yes")

        entries = self.mailadm_json("audit", "show", "--account", address)
        actions = [e["action"] for e in entries]
        self.assertIn("account.retire", actions)
        self.assertEqual(actions[-1], "account.delete")
        for entry in entries:
            self.assertEqual(
                (entry["account"], entry["name"], entry["unit"]),
                (address, "강하늘", "행정안전부 정책기획관실"), entry)
        retirement = self.mailadm_json("audit", "show", "--action", "account.retire")[-1]
        self.assertEqual((retirement["account"], retirement["name"]), (address, "강하늘"))


if __name__ == "__main__":
    unittest.main()
