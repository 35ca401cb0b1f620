"""`govmail start|status|stop` as an operator runs it: the embedded PostgreSQL, both daemons,
the portal, the export worker and (with certificate login on) the CRL refresher come up from
one command, the worker builds a requested mailbox export by itself, and stop takes
everything down again. A part that dies is restarted by the supervisor start leaves running,
and the export worker outlives a database that is down."""

import contextlib
import json
import os
import re
import shutil
import signal
import smtplib
import subprocess
import tempfile
import time
import unittest

from harness import BIN_DIR, PrivateCluster, free_port, new_database, wait_for_port

EXPORT_DEADLINE_S = 60  # the worker's round is 30 s
RESTART_DEADLINE_S = 15  # the supervisor's first restart comes after 1 s
PARTS = ("supervisor", "postgres", "smtpd", "imapd", "exporter", "portal")


def wait_for_export(mailadm, address, deadline_s):
    """The states of ADDRESS's exports once they are all ready, or when DEADLINE_S passed."""
    deadline = time.monotonic() + deadline_s
    exports = []
    while time.monotonic() < deadline:
        exports = mailadm("export", "list", "--account", address)
        if exports and all(e["state"] == "ready" for e in exports):
            break
        time.sleep(0.5)
    return [e["state"] for e in exports]


class LauncherTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="govmail-launcher-")
        os.chmod(self.dir, 0o755)  # the embedded PostgreSQL may run as another user
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.ports = {name: free_port() for name in
                      ("db", "mx", "submission", "submissions", "imap", "imaps", "sieve",
                       "portal")}
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
managesieve = 127.0.0.1:{self.ports['sieve']}
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
        self.assertEqual(wait_for_export(self.mailadm, address, EXPORT_DEADLINE_S), ["ready"])

        stopped = self.govmail("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        status = self.govmail("status")
        self.assertEqual(status.returncode, 3, status.stdout)
        for name in PARTS:
            self.assertRegex(status.stdout, rf"(?m)^{name} stopped")

    def elsewhere(self, program, *args, config=None):
        """PROGRAM run from another folder (/), with the configuration named only by
        GOVMAIL_CONFIG (CONFIG, default this test's; "" for none)."""
        env = dict(os.environ)
        env.pop("GOVMAIL_CONFIG", None)
        config = self.config if config is None else config
        if config:
            env["GOVMAIL_CONFIG"] = config
        return subprocess.run([os.path.join(BIN_DIR, program), *args], capture_output=True,
                              text=True, timeout=120, cwd="/", env=env)

    def test_status_from_any_folder_shows_configuration_versions_ports_and_health(self):
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)

        status = self.elsewhere("govmail", "status")
        self.assertEqual(status.returncode, 0, status.stdout)
        self.assertIn(f"configuration {self.config}\n", status.stdout)
        self.assertRegex(status.stdout, r"(?m)^version govmail \d+\.\d+\.\d+, PostgreSQL \d+")
        self.assertRegex(status.stdout, r"(?m)^imapd running, pid \d+$")
        listeners = (("smtp", "mx", "220 "), ("submission", "submission", "220 "),
                     ("submissions", "submissions", "accepts connections"),
                     ("imap", "imap", "* OK"), ("imaps", "imaps", "accepts connections"),
                     ("managesieve", "sieve", '"IMPLEMENTATION"'),
                     ("portal", "portal", "accepts connections"))
        for service, port, greeting in listeners:
            self.assertRegex(status.stdout, rf"(?m)^  {service} 127\.0\.0\.1:{self.ports[port]} "
                                            rf"ok: {re.escape(greeting)}")

        report = json.loads(self.elsewhere("govmail", "status", "--json").stdout)
        self.assertEqual(report["configuration"], self.config)
        self.assertTrue(report["healthy"])
        self.assertRegex(report["versions"]["postgresql"], r"^\d+")
        parts = {part["name"]: part for part in report["parts"]}
        self.assertEqual(set(parts), set(PARTS))
        self.assertEqual(
            {(l["service"], l["port"], l["healthy"]) for l in parts["imapd"]["listeners"]},
            {("imap", self.ports["imap"], True), ("imaps", self.ports["imaps"], True),
             ("managesieve", self.ports["sieve"], True)})

        # mailadm finds the same file and database from another folder.
        listed = self.elsewhere("mailadm", "--json", "account", "list")
        self.assertEqual(listed.returncode, 0, listed.stdout + listed.stderr)

        # A daemon that runs but does not answer is reported, and status fails.
        imapd = parts["imapd"]["pid"]
        os.kill(imapd, signal.SIGSTOP)
        try:
            status = self.elsewhere("govmail", "status")
        finally:
            os.kill(imapd, signal.SIGCONT)
        self.assertEqual(status.returncode, 3, status.stdout)
        self.assertRegex(status.stdout, rf"(?m)^  imap 127\.0\.0\.1:{self.ports['imap']} "
                                        r"FAILED: no greeting in time$")

    def test_starting_again_prints_no_database_notice(self):
        """The schema exists the second time: PostgreSQL's NOTICE that a relation "already
        exists, skipping" goes to no terminal; errors still would."""
        for _ in range(2):
            started = self.govmail("start")
            self.addCleanup(self.govmail, "stop")
            self.assertEqual(started.returncode, 0, started.stderr)
            self.assertNotIn("NOTICE", started.stderr + started.stdout)
            self.assertEqual(self.govmail("stop").returncode, 0)

    def test_a_missing_configuration_file_is_an_error_naming_it(self):
        missing = os.path.join(self.dir, "missing.conf")
        for program, args in (("govmail", ["status", "--config", missing]),
                              ("mailadm", ["--config", missing, "account", "list"]),
                              ("govmail-imapd", ["--config", missing])):
            out = self.elsewhere(program, *args)
            self.assertNotEqual(out.returncode, 0, program)
            self.assertIn(f"configuration file {missing} (--config) not found", out.stderr,
                          program)
        out = self.elsewhere("mailadm", "account", "list", config=missing)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(f"configuration file {missing} (GOVMAIL_CONFIG) not found", out.stderr)

    @unittest.skipIf(os.path.exists("/etc/govmail/govmail.conf"),
                     "the installed configuration comes before the checkout's")
    def test_without_a_name_the_checkouts_configuration_is_found_from_the_binary(self):
        checkout = os.path.normpath(os.path.join(BIN_DIR, "..", "..", ".."))
        status = self.elsewhere("govmail", "status", config="")
        self.assertTrue(status.stdout.startswith(
            f"configuration {checkout}/conf/govmail.conf\n"), status.stdout + status.stderr)

    def pids(self):
        """The pid of each running part, from `govmail status`."""
        status = self.govmail("status")
        return {m[1]: int(m[2]) for m in re.finditer(r"(?m)^(\S+) running, pid (\d+)",
                                                     status.stdout)}

    def wait_for_new_pid(self, name, old_pid):
        deadline = time.monotonic() + RESTART_DEADLINE_S
        while time.monotonic() < deadline:
            pid = self.pids().get(name)
            if pid is not None and pid != old_pid:
                return pid
            time.sleep(0.2)
        self.fail(f"{name} was not restarted within {RESTART_DEADLINE_S} s: "
                  f"{self.govmail('status').stdout}")

    def test_killed_parts_are_restarted_and_a_pending_export_completes(self):
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)
        address = "restart@localhost"
        self.mailadm("account", "create", address, "--force", "--reason", "launcher test")
        before = self.pids()

        # The worker dies while an export is pending: the restarted one builds it at once,
        # long before the 30 s round of a worker that had stayed up.
        os.kill(before["exporter"], signal.SIGKILL)
        self.mailadm("export", "request", "--account", address)
        self.wait_for_new_pid("exporter", before["exporter"])
        self.assertEqual(wait_for_export(self.mailadm, address, RESTART_DEADLINE_S), ["ready"])

        os.kill(before["imapd"], signal.SIGKILL)
        self.wait_for_new_pid("imapd", before["imapd"])
        wait_for_port(self.ports["imap"])
        with open(os.path.join(self.dir, "var", "log", "supervisor.log")) as f:
            log = f.read()
        self.assertIn(f"exporter (pid {before['exporter']}) was killed by signal 9", log)
        self.assertIn(f"imapd (pid {before['imapd']}) was killed by signal 9", log)

        # Stopping is not dying: nothing comes back after stop.
        stopped = self.govmail("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        time.sleep(2)
        status = self.govmail("status")
        for name in PARTS:
            self.assertRegex(status.stdout, rf"(?m)^{name} stopped")

    def postmaster_pid(self):
        with open(os.path.join(self.dir, "var", "db", "data", "postmaster.pid")) as f:
            return int(f.readline())

    def test_a_killed_database_is_started_again_and_mail_flows(self):
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)
        address = "after-crash@localhost"
        self.mailadm("account", "create", address, "--force", "--reason", "launcher test")
        old_pid = self.postmaster_pid()

        os.kill(old_pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        pid = old_pid
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                pid = self.postmaster_pid()
            if pid != old_pid and "postgres running" in self.govmail("status").stdout:
                break
            time.sleep(0.5)
        self.assertNotEqual(pid, old_pid, "PostgreSQL was not started again")

        # The daemons reconnect; the export worker is still there to build a new export.
        deadline = time.monotonic() + 30
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", self.ports["mx"], timeout=20) as client:
                    client.sendmail("citizen@example.org", [address],
                                    "Subject: after the crash\r\n\r\nstored\r\n")
                break
            except smtplib.SMTPException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        self.mailadm("export", "request", "--account", address)
        self.assertEqual(wait_for_export(self.mailadm, address, EXPORT_DEADLINE_S), ["ready"])
        with open(os.path.join(self.dir, "var", "log", "supervisor.log")) as f:
            self.assertIn("postgres is not running; starting it", f.read())

    def test_the_crl_refresher_keeps_the_development_crl_fresh(self):
        """With certificate login on the development CA (as scripts/run.sh sets it), start
        runs the CRL refresher, which issues the development CRL again on its schedule."""
        with open(self.config, "a") as f:
            f.write(f"[gpki]\nca_bundle = {self.dir}/var/gpki/ca.pem\n"
                    "crl_refresh_interval_s = 1\ncrl_retry_min_s = 1\n")
        started = self.govmail("start")
        self.addCleanup(self.govmail, "stop")
        self.assertEqual(started.returncode, 0, started.stderr)
        self.assertRegex(self.govmail("status").stdout, r"(?m)^crl-refresher running")
        crl = os.path.join(self.dir, "var", "gpki", "crl", "dev-ca.crl")

        def last_update():
            with contextlib.suppress(subprocess.CalledProcessError):
                return subprocess.run(["openssl", "crl", "-in", crl, "-noout", "-lastupdate"],
                                      capture_output=True, text=True, check=True).stdout
            return None

        seen = set()
        deadline = time.monotonic() + 15
        while len(seen) < 2 and time.monotonic() < deadline:
            if (update := last_update()) is not None:
                seen.add(update)
            time.sleep(0.2)
        self.assertEqual(len(seen), 2, f"the development CRL was not issued again: {seen}")

        stopped = self.govmail("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        self.assertRegex(self.govmail("status").stdout, r"(?m)^crl-refresher stopped")


class ExportWorkerTest(unittest.TestCase):
    """`mailadm export run --interval N` against a PostgreSQL cluster of its own, which the
    test stops and starts again."""

    def setUp(self):
        self.cluster = PrivateCluster()
        self.addCleanup(self.cluster.remove)
        self.dir = tempfile.mkdtemp(prefix="govmail-worker-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.config = os.path.join(self.dir, "govmail.conf")
        with open(self.config, "w") as f:
            f.write(f"[server]\nvar_dir = {self.dir}/var\nlocal_domains = localhost\n"
                    f"[database]\ndsn = {new_database(self.cluster.root)}\n")

    def mailadm(self, *args):
        out = subprocess.run([os.path.join(BIN_DIR, "mailadm"), "--config", self.config,
                              "--json", *args], capture_output=True, text=True, check=True,
                             timeout=60)
        return json.loads(out.stdout)

    def test_worker_waits_out_a_database_restart(self):
        address = "waiting@localhost"
        self.mailadm("account", "create", address, "--force", "--reason", "worker test")
        log_path = os.path.join(self.dir, "worker.log")
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [os.path.join(BIN_DIR, "mailadm"), "--config", self.config, "export", "run",
                 "--interval", "1"], stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(worker.wait)
        self.addCleanup(worker.kill)

        self.cluster.stop()
        time.sleep(4)  # several rounds with the database down
        self.assertIsNone(worker.poll(), "the worker exited while the database was down")
        self.cluster.start()
        self.mailadm("export", "request", "--account", address)
        self.assertEqual(wait_for_export(self.mailadm, address, 20), ["ready"])
        self.assertIsNone(worker.poll())
        with open(log_path) as f:
            self.assertRegex(f.read(), r"export round failed: .*; next round in 1 s")


if __name__ == "__main__":
    unittest.main()
