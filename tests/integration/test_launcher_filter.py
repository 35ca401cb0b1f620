"""`govmail start` with [filter] enabled, as an operator runs it: the embedded rspamd and its
redis-server come up on loopback before smtpd, `govmail status` lists them, smtpd scans with
them (GTUBE refused with 550), a killed redis-server is started again by the supervisor (it
rewrites its command line, so the supervisor must still know it), and `govmail stop` ends
them. The database is the test cluster's; rspamd's compiled pattern cache is copied from the
`rspamd` fixture so that rspamd starts in seconds."""

import glob
import os
import shutil
import signal
import smtplib
import subprocess
import tempfile
import time
import unittest

from harness import BIN_DIR, free_port, new_database

RSPAMD_ROOT = os.environ.get("GOVMAIL_TEST_RSPAMD_ROOT", "")
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
RESTART_DEADLINE_S = 15


class LauncherFilterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="govmail-launcher-filter-")
        os.chmod(self.dir, 0o755)  # rspamd runs as _rspamd when started as root
        self.addCleanup(shutil.rmtree, self.dir, True)
        cache = os.path.join(self.dir, "var", "rspamd", "db")
        os.makedirs(cache)
        for compiled in glob.glob(os.path.join(RSPAMD_ROOT, "rspamd", "db", "*.hs*")):
            shutil.copy(compiled, cache)
        self.ports = {name: free_port() for name in
                      ("mx", "submission", "submissions", "imap", "imaps", "rspamd",
                       "controller", "redis")}
        self.config = os.path.join(self.dir, "govmail.conf")
        with open(self.config, "w") as f:
            f.write(f"""[server]
var_dir = {self.dir}/var
hostname = mail.test
local_domains = localhost
[database]
dsn = {new_database()}
[smtp]
mx = 127.0.0.1:{self.ports['mx']}
submission = 127.0.0.1:{self.ports['submission']}
submissions = 127.0.0.1:{self.ports['submissions']}
[imap]
imap = 127.0.0.1:{self.ports['imap']}
imaps = 127.0.0.1:{self.ports['imaps']}
[filter]
enabled = true
rspamd_port = {self.ports['rspamd']}
controller_port = {self.ports['controller']}
redis_port = {self.ports['redis']}
nameservers = 127.0.0.1:1
""")

    def govmail(self, command):
        return subprocess.run([os.path.join(BIN_DIR, "govmail"), command, "--config",
                               self.config], capture_output=True, text=True, timeout=300,
                              cwd=self.dir)

    def status(self):
        out = self.govmail("status").stdout
        return {line.split()[0]: line for line in out.splitlines()}

    def test_start_runs_the_scanner_and_stop_ends_it(self):
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)
        self.assertIn(f"rspamd running, pid", started.stdout)
        self.assertIn(f"ports {self.ports['rspamd']} {self.ports['controller']}", started.stdout)
        status = self.status()
        for name in ("redis", "rspamd", "smtpd"):
            self.assertIn("running", status[name], status)

        subprocess.run([os.path.join(BIN_DIR, "mailadm"), "--config", self.config, "account",
                        "create", "kim@localhost", "--force", "--reason", "test"],
                       check=True, capture_output=True)
        with smtplib.SMTP("127.0.0.1", self.ports["mx"], timeout=60) as smtp:
            smtp.ehlo("mx.example.org")
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                smtp.sendmail("a@example.org", ["kim@localhost"],
                              f"Subject: s\r\nFrom: a@example.org\r\n\r\n{GTUBE}\r\n")
            self.assertEqual(refused.exception.smtp_code, 550)

        redis_pid = int(status["redis"].split("pid ")[1])
        os.kill(redis_pid, signal.SIGKILL)
        deadline = time.monotonic() + RESTART_DEADLINE_S
        while time.monotonic() < deadline:
            line = self.status()["redis"]
            if "running" in line and f"pid {redis_pid}" not in line:
                break
            time.sleep(0.5)
        self.assertNotIn(f"pid {redis_pid}", self.status()["redis"])
        self.assertIn("running", self.status()["redis"])
        time.sleep(3)  # a supervisor that cannot tell redis-server is running restarts it again
        with open(os.path.join(self.dir, "var", "log", "supervisor.log")) as f:
            self.assertEqual(f.read().count("redis restarted"), 1)

        stopped = self.govmail("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        status = self.status()
        for name in ("redis", "rspamd", "smtpd"):
            self.assertIn("stopped", status[name], status)


if __name__ == "__main__":
    unittest.main()
