"""One away reply, three surfaces: what the portal's form, `mailadm autoreply` and ManageSieve
(the real sieve-connect client over STARTTLS) show and change is the same rule. A reply set
in the portal or by mailadm is the active Sieve script a client downloads; a vacation script
uploaded and activated over ManageSieve is what the portal's form and `mailadm autoreply
show` show; and saving the portal's form keeps the interval (:days) the script set."""

import json
import os
import re
import tempfile
import unittest

from harness import CHEAP_HASHES, Suite, free_port, unique_local, wait_for_port
from portal_client import sign_in_without_code
from test_autoreply import PASSWORD
from test_managesieve import VACATION, sieve_connect


def field_value(page, name):
    """The value of the form's input NAME (None when it has none), whatever its other
    attributes and their order."""
    field = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', page)
    value = field and re.search(r'\bvalue="([^"]*)"', field.group(0))
    return value and value.group(1)


class AwayRuleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sieve_port = free_port()
        cls.suite = Suite(daemons=("imapd",),
                          extra_config=f"managesieve = 127.0.0.1:{cls.sieve_port}\n" + CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)
        with open(cls.suite.config, "a") as f:
            f.write(f"[portal]\nlisten = 127.0.0.1:{cls.suite.ports['portal']}\n"
                    "networks = 127.0.0.0/8\n")
        cls.suite.start("portal")
        wait_for_port(cls.sieve_port)
        cls.base = f"https://127.0.0.1:{cls.suite.ports['portal']}"

    def account(self):
        """A service account: its password alone signs in to the portal."""
        address = f"{unique_local('away')}@localhost"
        self.suite.mailadm("account", "create", address, "--service")
        self.suite.mailadm("account", "password", address, "--stdin", stdin=PASSWORD + "\n")
        return address

    def sieve(self, address, *action, script=None):
        code, out = sieve_connect(self.suite, self.sieve_port, address, *action, script=script)
        self.assertEqual(code, 0, out)
        return out

    def download(self, address, name):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "script.sieve")
            self.sieve(address, "--download", "--remotesieve", name, "--localsieve", path)
            with open(path) as f:
                return f.read()

    def shown_by_mailadm(self, address):
        return json.loads(self.suite.mailadm("--json", "autoreply", "show", address).stdout)

    def test_reply_set_in_the_portal_is_the_active_script(self):
        user = self.account()
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        status, _, page = browser.post("/away", {
            "subject": 'Out "of" office', "body": "Back on Monday.", "start": "2026-07-01",
            "end": "2026-07-14", "scope": "all", "days": "4"})
        self.assertEqual(status, 200, page)
        self.assertIn('"away" ACTIVE', self.sieve(user, "--list"))
        script = self.download(user, "away")
        self.assertIn('vacation :days 4 :subject "Out \\"of\\" office" "Back on Monday.";',
                      script)
        self.assertIn('currentdate :value "ge" "date" "2026-07-01"', script)
        self.assertIn('currentdate :value "le" "date" "2026-07-14"', script)
        self.assertEqual(field_value(browser.get("/away")[2], "days"), "4")

        # The client edits the script it was shown: every surface shows the edit at once.
        self.sieve(user, "--upload", "--remotesieve", "away",
                   script=script.replace("Back on Monday.", "Back on Tuesday."))
        shown = self.shown_by_mailadm(user)
        self.assertEqual((shown["enabled"], shown["body"], shown["days"]),
                         (True, "Back on Tuesday.", 4))
        self.assertIn("Back on Tuesday.", browser.get("/away")[2])

        # Switched off in the portal: the script stays, no longer active.
        status, _, _ = browser.post("/away/off", {}, csrf_from="/away")
        self.assertEqual(status, 200)
        listed = self.sieve(user, "--list")
        self.assertIn('"away"', listed)
        self.assertNotIn("ACTIVE", listed)

    def test_mailadm_set_rewrites_the_uploaded_script(self):
        user = self.account()
        self.sieve(user, "--upload", "--remotesieve", "mine", script=VACATION)
        self.sieve(user, "--activate", "--remotesieve", "mine")
        self.suite.mailadm("autoreply", "set", user, "--body", "Gone fishing.", "--days", "5")
        self.assertIn('"mine" ACTIVE', self.sieve(user, "--list"))
        self.assertEqual(self.download(user, "mine"),
                         "# The away reply set in the portal or by mailadm.\n"
                         'require "vacation";\n'
                         'vacation :days 5 "Gone fishing.";\n')

    def test_a_client_replaces_the_written_script_under_its_own_name(self):
        user = self.account()
        self.suite.mailadm("autoreply", "set", user, "--body", "Set by the administrator.")
        self.sieve(user, "--upload", "--remotesieve", "roundcube", script=VACATION)
        listed = self.sieve(user, "--list")
        self.assertIn('"roundcube" ACTIVE', listed)
        self.assertNotIn('"away"', listed)
        self.assertEqual(self.shown_by_mailadm(user)["subject"], "Sieve away / 부재중")
        # A script the client wrote is not replaced under another name.
        code, out = sieve_connect(self.suite, self.sieve_port, user, "--upload",
                                  "--remotesieve", "other", script=VACATION)
        self.assertNotEqual(code, 0, out)
        self.assertIn("roundcube", self.sieve(user, "--list"))

    def test_uploaded_script_is_what_the_portal_and_mailadm_show_and_keep(self):
        user = self.account()
        self.sieve(user, "--upload", "--remotesieve", "away", script=VACATION)
        self.sieve(user, "--activate", "--remotesieve", "away")
        shown = self.shown_by_mailadm(user)
        self.assertEqual(
            (shown["enabled"], shown["subject"], shown["days"], shown["start"], shown["end"]),
            (True, "Sieve away / 부재중", 3, "2000-01-01", "2999-12-31"))
        browser = sign_in_without_code(self, self.base, user, PASSWORD)
        _, _, page = browser.get("/away")
        self.assertEqual(field_value(page, "subject"), "Sieve away / 부재중")
        self.assertEqual(field_value(page, "days"), "3")

        # A form that sends no interval (as the portal's did) keeps the script's.
        status, _, page = browser.post("/away", {
            "subject": "Away", "body": "Changed in the portal.", "start": "", "end": "",
            "scope": "all"})
        self.assertEqual(status, 200, page)
        self.assertEqual(self.shown_by_mailadm(user)["days"], 3)
        self.assertIn('vacation :days 3 :subject "Away" "Changed in the portal.";',
                      self.download(user, "away"))
        # The form shown keeps it too when saved as it is.
        status, _, page = browser.post("/away", {
            "subject": "Away", "body": "Saved again.", "start": "", "end": "", "scope": "all",
            "days": field_value(page, "days")})
        self.assertEqual(status, 200, page)
        self.assertEqual(self.shown_by_mailadm(user)["days"], 3)
        status, _, _ = browser.post("/away", {
            "subject": "Away", "body": "x", "start": "", "end": "", "scope": "all",
            "days": "400"})
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main()
