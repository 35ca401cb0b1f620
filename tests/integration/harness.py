"""A running govmail suite for integration tests: the real daemons on free loopback ports,
with real TLS (a throw-away certificate made with the openssl command), over the test
PostgreSQL cluster that CTest's `pg` fixture started. Accounts are made with the real
`mailadm`; what landed in the store is read back with `psql`."""

import base64
import imaplib
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid

BIN_DIR = os.environ.get("GOVMAIL_BIN_DIR", "")
PG_ROOT = os.environ.get("GOVMAIL_TEST_PG_ROOT", "")
# Configuration for suites whose clients log in often: the default Argon2 cost of the
# account passwords would dominate their time.
CHEAP_HASHES = "[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 8192\n"


def client_tls_context():
    """TLS for clients of the suite: its certificate is a throw-away one, so not verified."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def without_asan_quarantine():
    """Daemons started after this call keep no freed memory in AddressSanitizer's quarantine
    (256 MiB by default), which would otherwise be counted as theirs when their memory is
    measured."""
    os.environ["ASAN_OPTIONS"] = ":".join(
        filter(None, [os.environ.get("ASAN_OPTIONS"), "quarantine_size_mb=0"]))


def imap_login_refusal(suite, user, secret, timeout=30):
    """None when USER logs in to SUITE over IMAPS with SECRET and selects INBOX; else the
    server's refusal."""
    conn = imaplib.IMAP4_SSL("127.0.0.1", suite.ports["imaps"], ssl_context=client_tls_context(),
                             timeout=timeout)
    try:
        conn.login(user, secret)
        status, detail = conn.select("INBOX")
        return None if status == "OK" else f"SELECT INBOX: {status} {detail}"
    except imaplib.IMAP4.error as e:
        return str(e)
    finally:
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def free_port():
    """A free loopback port below the kernel's ephemeral range. A port the kernel hands out
    (bind to 0) is free now, but until the server meant for it binds, another test's outgoing
    connection may take it as its local port; below the range none does."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    while True:
        port = random.randrange(10000, max(ephemeral_low, 10001))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def wait_for_port(port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def new_database(pg_root=None):
    """A freshly migrated database of its own in the test cluster (or the cluster under
    PG_ROOT); returns its DSN."""
    out = subprocess.run(
        [os.path.join(BIN_DIR, "govmail-test-db"), "createdb", pg_root or PG_ROOT,
         f"it_{uuid.uuid4().hex[:16]}"],
        check=True, capture_output=True, text=True,
    )
    return out.stdout.strip()


def unique_local(prefix="user"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class PrivateCluster:
    """A PostgreSQL cluster of one test's own under ROOT (default: a fresh temporary
    directory), for tests that stop, restart or starve the database: the shared cluster of
    the `pg` fixture serves other suites at the same time. remove() stops it and deletes
    what it created."""

    def __init__(self, root=None):
        self.parent = None
        if root is None:
            self.parent = tempfile.mkdtemp(prefix="govmail-pg-")
            root = os.path.join(self.parent, "pg")
        # The server runs as the postgres user when the tests run as root.
        os.chmod(os.path.dirname(root), 0o755)
        self.root = root
        self.start()

    def _run(self, command):
        subprocess.run([os.path.join(BIN_DIR, "govmail-test-db"), command, self.root],
                       check=True, capture_output=True, text=True)

    def start(self):
        self._run("start")

    def stop(self):
        self._run("stop")

    def server_log(self):
        with open(os.path.join(self.root, "server.log"), errors="replace") as f:
            return f.read()

    def remove(self):
        try:
            self.stop()
        finally:
            if self.parent is not None:
                shutil.rmtree(self.parent, ignore_errors=True)


class Suite:
    """Starts the daemons named in DAEMONS with a fresh configuration and a database of
    their own; stop() ends them. A test class calls it in setUpClass and registers stop()
    with addClassCleanup, so a failing setup leaves no daemon behind."""

    def __init__(self, daemons=("smtpd",), extra_config="", pg_root=None):
        self.dir = tempfile.mkdtemp(prefix="govmail-it-")
        self.dsn = new_database(pg_root)
        self.ports = {name: free_port() for name in
                      ("mx", "submission", "submissions", "imap", "imaps", "portal")}
        self.cert = os.path.join(self.dir, "server.pem")
        self.key = os.path.join(self.dir, "server.key")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", self.key, "-out", self.cert, "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True,
        )
        self.config = os.path.join(self.dir, "govmail.conf")
        with open(self.config, "w") as f:
            f.write(f"""[server]
var_dir = {self.dir}/var
hostname = mail.test
local_domains = localhost, example.go.kr
log_level = debug
threads = 2
[database]
dsn = {self.dsn}
[tls]
certificate = {self.cert}
private_key = {self.key}
[signup]
# Tests approve signups the day the directory lists the person.
eligible_after_days = 0
[smtp]
mx = 127.0.0.1:{self.ports['mx']}
submission = 127.0.0.1:{self.ports['submission']}
submissions = 127.0.0.1:{self.ports['submissions']}
[imap]
imap = 127.0.0.1:{self.ports['imap']}
imaps = 127.0.0.1:{self.ports['imaps']}
{extra_config}
""")
        self.processes = {}
        self.logs = {}
        try:
            for name in daemons:
                self.start(name)
        except BaseException:
            self.stop()
            raise

    def start(self, name):
        log = open(os.path.join(self.dir, f"{name}.log"), "ab")
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            [os.path.join(BIN_DIR, f"govmail-{name}"), "--config", self.config],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        ports = {"smtpd": ("mx", "submission", "submissions"),
                 "portal": ("portal",)}.get(name, ("imap", "imaps"))
        for p in ports:
            wait_for_port(self.ports[p])

    def kill(self, name):
        self.processes[name].kill()
        self.processes[name].wait()

    def stop(self):
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for log in self.logs.values():
            log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self, name):
        with open(os.path.join(self.dir, f"{name}.log"), errors="replace") as f:
            return f.read()

    # Administration through the real command line.
    def mailadm(self, *args, stdin=None, check=True):
        return subprocess.run(
            [os.path.join(BIN_DIR, "mailadm"), "--config", self.config, *args],
            input=stdin, capture_output=True, text=True, check=check,
        )

    def create_account(self, local=None, domain="localhost", password=None):
        address = f"{local or unique_local()}@{domain}"
        self.mailadm("account", "create", address, "--force", "--reason", "integration test account")
        if password is not None:
            self.mailadm("account", "password", address, "--stdin", stdin=password + "\n")
        return address

    # Reading the store back.
    def sql(self, query, *params):
        """Runs QUERY with psql; PARAMS are passed as psql variables :'p1', :'p2' ..."""
        args = ["psql", self.dsn, "-X", "-At", "-v", "ON_ERROR_STOP=1"]
        for i, value in enumerate(params, 1):
            args += ["-v", f"p{i}={value}"]
        out = subprocess.run(args, input=query, capture_output=True, text=True, check=True)
        return [line.split("|") for line in out.stdout.splitlines() if line]

    def inbox(self, address):
        """The raw messages in ADDRESS's INBOX, in UID order, as bytes."""
        return self.mailbox(address, "INBOX")

    def mailbox(self, address, name):
        """The raw messages in ADDRESS's mailbox NAME, in UID order, as bytes."""
        rows = self.sql(
            "SELECT translate(encode(b.raw, 'base64'), E'\\n', '') FROM mailbox_messages m"
            " JOIN mailboxes x USING (account_id, mailbox_id)"
            " JOIN accounts a USING (account_id)"
            " JOIN message_bodies b USING (body_hash)"
            " WHERE lower(a.address) = lower(:'p1') AND x.name = :'p2' ORDER BY m.uid;",
            address, name,
        )
        return [base64.b64decode(r[0]) for r in rows]


def code_in(text):
    """The one 6-digit code in TEXT (an SMS)."""
    found = re.findall(r"\b(\d{6})\b", text)
    assert len(found) == 1, text
    return found[0]


class Directory:
    """The organisation directory of one suite: every sync sends the whole export, as the
    administrative portal does."""

    def __init__(self, suite, password):
        self.suite = suite
        self.password = password
        self.people = {}
        self.issued = 0  # employee numbers handed out; never reused after a retirement
        self.file = os.path.join(suite.dir, "directory.csv")

    def sync(self):
        with open(self.file, "w", encoding="utf-8") as f:
            f.write("employee_no,name,org_unit,position,mail_id,office_phone,mobile_phone,"
                    "cert_identity\n")
            for no, (mail_id, mobile, cert) in sorted(self.people.items()):
                f.write(f"{no},Hong {no},IT,staff,{mail_id},02-2100-{no[-4:]},{mobile},{cert}\n")
        self.suite.mailadm("directory", "sync", self.file)

    def entry(self, mobile, cert_identity=""):
        """A person with MOBILE (may be empty), the GPKI certificate CN CERT_IDENTITY (may be
        empty) and no account; (mail ID, employee number)."""
        mail_id = unique_local("sms")
        self.issued += 1
        no = f"E{self.issued + 999:06d}"
        self.people[no] = (mail_id, mobile, cert_identity)
        self.sync()
        return mail_id, no

    def person(self, mobile):
        """A person with MOBILE (may be empty) and their account with the password."""
        mail_id, no = self.entry(mobile)
        address = f"{mail_id}@localhost"
        if mobile:
            self.suite.mailadm("account", "create", address)
        else:  # the signup checks want a mobile number: overridden
            self.suite.mailadm("account", "create", address, "--force", "--reason", "no mobile")
        self.suite.mailadm("account", "password", address, "--stdin", stdin=self.password + "\n")
        return address, no

    def retire(self, no):
        """The next export no longer lists NO: they have left."""
        del self.people[no]
        self.sync()

    def change_mobile(self, no, mobile):
        mail_id, _, cert_identity = self.people[no]
        self.people[no] = (mail_id, mobile, cert_identity)
        self.sync()
