"""`govmail start|status|stop` as an operator runs it: the embedded PostgreSQL, both daemons,
the portal and the export worker come up from one command, the worker builds a requested
mailbox export by itself, and stop takes everything down again."""

import json
import os
import shutil
import smtplib
import subprocess
import tempfile
import time
import unittest

from harness import BIN_DIR, free_port, wait_for_port

EXPORT_DEADLINE_S = 60  # the worker's round is 30 s


class LauncherTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="govmail-launcher-")
        os.chmod(self.dir, 0o755)  # the embedded PostgreSQL may run as another user
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.ports = {name: free_port() for name in
                      ("db", "mx", "submission", "submissions", "imap", "imaps", "portal")}
        self.config = os.path.join(self.dir, "govmail.conf")
        with open(self.config, "w") as f:
            f.write(f"""[server]
var_dir = {self.dir}/var
local_domains = localhost
[database]
embedded_port = {self.ports['db']}
[smtp]
mx = 127.0.0.1:{self.ports['mx']}
submission = 127.0.0.1:{self.ports['submission']}
submissions = 127.0.0.1:{self.ports['submissions']}
[imap]
imap = 127.0.0.1:{self.ports['imap']}
imaps = 127.0.0.1:{self.ports['imaps']}
[portal]
listen = 127.0.0.1:{self.ports['portal']}
""")

    def govmail(self, command):
        return subprocess.run([os.path.join(BIN_DIR, "govmail"), command, "--config",
                               self.config], capture_output=True, text=True, timeout=120,
                              cwd=self.dir)

    def mailadm(self, *args):
        out = subprocess.run([os.path.join(BIN_DIR, "mailadm"), "--config", self.config,
                              "--json", *args], capture_output=True, text=True, check=True,
                             timeout=60)
        return json.loads(out.stdout)

    def test_start_serves_and_exports_and_stop_ends_it_all(self):
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)
        status = self.govmail("status")
        self.assertEqual(status.returncode, 0, status.stdout)
        for name in ("postgres", "smtpd", "imapd", "exporter", "portal"):
            self.assertRegex(status.stdout, rf"(?m)^{name} running")
        for port in ("mx", "imap", "portal"):
            wait_for_port(self.ports[port])

        address = "official@localhost"
        self.mailadm("account", "create", address, "--force", "--reason", "launcher test")
        with smtplib.SMTP("127.0.0.1", self.ports["mx"], timeout=20) as client:
            client.sendmail("citizen@example.org", [address],
                            "Subject: to keep\r\n\r\nkept in the export\r\n")
        self.mailadm("export", "request", "--account", address)
        deadline = time.monotonic() + EXPORT_DEADLINE_S
        exports = []
        while time.monotonic() < deadline:
            exports = self.mailadm("export", "list", "--account", address)
            if exports and exports[0]["state"] == "ready":
                break
            time.sleep(1)
        self.assertEqual([e["state"] for e in exports], ["ready"], exports)

        stopped = self.govmail("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        status = self.govmail("status")
        self.assertEqual(status.returncode, 3, status.stdout)
        for name in ("postgres", "smtpd", "imapd", "exporter", "portal"):
            self.assertRegex(status.stdout, rf"(?m)^{name} stopped")


if __name__ == "__main__":
    unittest.main()
