"""Revocation of GPKI certificates as certificate login meets it: CRLs at LDAP distribution
points served by a real slapd (started here with a throw-away database) and the delta CRLs
they point to, OCSP answers from `openssl ocsp`, and the [gpki] revocation and
revocation_unknown policies. Logins are SMTP
AUTH EXTERNAL over TLS with the test PKI's certificates (tests/support/gpki_test_ca.py)."""

import base64
import datetime
import hashlib
import http.server
import os
import shutil
import smtplib
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from gpki_fixture import GpkiFixture, client_context
from harness import Suite, free_port, unique_local

LDAP_BASE = "ou=crldp,ou=AccreditedCA,o=KICA,c=KR"
LDAP_DP = f"ou=dp1p1,{LDAP_BASE}"
LDAP_ADMIN = "cn=admin,c=KR"
LDAP_PASSWORD = "throwaway"

SLAPD_CONF = """include /etc/ldap/schema/core.schema
pidfile {dir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "c=KR"
rootdn "{admin}"
rootpw {password}
directory {dir}/db
maxsize 16777216
access to * by * read
"""

TREE = f"""dn: c=KR
objectClass: country
c: KR

dn: o=KICA,c=KR
objectClass: organization
o: KICA

dn: ou=AccreditedCA,o=KICA,c=KR
objectClass: organizationalUnit
ou: AccreditedCA

dn: {LDAP_BASE}
objectClass: organizationalUnit
ou: crldp

dn: {LDAP_DP}
objectClass: organizationalUnit
objectClass: pkiCA
ou: dp1p1
"""


class Slapd:
    """OpenLDAP's slapd on a free loopback port with its configuration and database under a
    temporary directory, holding a Korean-CA-shaped distribution point entry (LDAP_DP)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="govmail-slapd-")
        os.makedirs(os.path.join(self.dir, "db"))
        self.conf = os.path.join(self.dir, "slapd.conf")
        with open(self.conf, "w") as f:
            f.write(SLAPD_CONF.format(dir=self.dir, admin=LDAP_ADMIN, password=LDAP_PASSWORD))
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None
        self.start()
        try:
            self.ldap("ldapadd", TREE)
        except subprocess.CalledProcessError:
            self.remove()
            raise

    def start(self):
        self.process = subprocess.Popen(
            ["slapd", "-d", "0", "-f", self.conf, "-h", self.uri + "/"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["ldapsearch", "-x", "-H", self.uri, "-b", "", "-s", "base"],
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("slapd did not start")
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def ldap(self, tool, ldif):
        subprocess.run([tool, "-x", "-H", self.uri, "-D", LDAP_ADMIN, "-w", LDAP_PASSWORD],
                       input=ldif.encode(), check=True, capture_output=True)

    def publish(self, der_file):
        """Puts the CRL in DER_FILE into the distribution point entry."""
        with open(der_file, "rb") as f:
            value = base64.b64encode(f.read()).decode()
        self.ldap("ldapmodify", f"dn: {LDAP_DP}\nchangetype: modify\n"
                                f"replace: certificateRevocationList;binary\n"
                                f"certificateRevocationList;binary:: {value}\n")

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class OcspFront(http.server.ThreadingHTTPServer):
    """The certificates' OCSP address: passes requests on to an `openssl ocsp` responder,
    or answers every request with fixed bytes (a replayed or forged answer) when `replay`
    is set."""

    def __init__(self, port, responder_port):
        self.responder = f"http://127.0.0.1:{responder_port}/"
        self.replay = None
        super().__init__(("127.0.0.1", port), OcspHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class OcspHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = self.server.replay
        if answer is None:
            request = urllib.request.Request(
                self.server.responder, data=body,
                headers={"Content-Type": "application/ocsp-request"})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            answer = opener.open(request, timeout=10).read()
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class CertificateLogins:
    """Suite set-up and SMTP AUTH EXTERNAL for the classes below."""

    @classmethod
    def start_suite(cls, gpki_settings):
        """smtpd and mailadm trusting the test PKI, with GPKI_SETTINGS added to [gpki]."""
        config = cls.gpki.config().replace("[gpki]\n", "[gpki]\n" + gpki_settings, 1)
        cls.suite = Suite(daemons=("smtpd",), extra_config=config)
        cls.addClassCleanup(cls.suite.stop)

    @classmethod
    def bind(cls, name):
        """A new account bound to the fixture certificate NAME."""
        address = f"{unique_local()}@localhost"
        cls.suite.mailadm("account", "create", address, "--force", "--reason",
                          "integration test of certificate revocation")
        bound = cls.gpki.mailadm(cls.suite.config, "cert", "bind", address, cls.gpki.cert(name),
                                 check=False)
        assert bound.returncode == 0, bound.stderr
        return address

    def external(self, name):
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=30,
                              context=client_context(self.gpki.cert(name))) as client:
            client.ehlo("client.example.org")
            return client.docmd("AUTH", "EXTERNAL =")

    def assert_refused(self, name, reason):
        code, text = self.external(name)
        self.assertEqual(code, 535, text)
        self.assertIn(reason, text)


UNKNOWN = b"Certificate revocation status is unknown"


def crl_dates(file, form="PEM"):
    """The lastUpdate and nextUpdate lines of the CRL in FILE."""
    return subprocess.run(["openssl", "crl", "-inform", form, "-in", file, "-noout",
                           "-lastupdate", "-nextupdate"],
                          capture_output=True, text=True, check=True).stdout


def generalized_time(unix_seconds):
    return datetime.datetime.fromtimestamp(unix_seconds, datetime.timezone.utc).strftime(
        "%Y%m%d%H%M%SZ")


class LdapCrlTest(CertificateLogins, unittest.TestCase):
    """The issuing CA publishes its CRL only at an LDAP distribution point."""

    @classmethod
    def setUpClass(cls):
        cls.slapd = Slapd()
        cls.addClassCleanup(cls.slapd.remove)
        cls.url = f"{cls.slapd.uri}/{LDAP_DP}"
        cls.gpki = GpkiFixture(ca_crl_url=cls.url)
        cls.addClassCleanup(cls.gpki.stop)
        os.remove(os.path.join(cls.gpki.published, "crl", "ca.crl"))  # not over HTTP
        cls.slapd.publish(cls.gpki.pki.ca_crl(os.path.join(cls.gpki.dir, "ca.der")))
        cls.start_suite("")
        cls.refresh = cls.gpki.mailadm(cls.suite.config, "gpki", "crl", "refresh", "--url",
                                       cls.url, check=False)
        cls.good = cls.bind("good")

    def test_an_ldap_answer_over_the_size_limit_is_refused(self):
        config = self.suite.config + ".small"
        with open(self.suite.config) as f, open(config, "w") as out:
            out.write(f.read().replace("[gpki]\n", "[gpki]\ncrl_max_bytes = 200\n", 1))
        out = self.gpki.mailadm(config, "gpki", "crl", "refresh", "--url", self.url, check=False)
        line = next(line for line in out.stdout.splitlines() if self.url in line)
        self.assertIn("not fetched (LDAP", line)
        self.assertIn("kept the last good CRL", line)

    def test_refresh_fetches_the_ldap_distribution_point(self):
        self.assertIn("2 of 2 CRLs updated", self.refresh.stdout, self.refresh.stderr)

    def test_a_certificate_revoked_in_the_ldap_crl_is_refused(self):
        self.assertEqual(self.external("good")[0], 235)
        self.assert_refused("revoked", b"Certificate has been revoked")

    def test_a_delta_crl_the_base_points_to_is_fetched_and_enforced(self):
        pki = self.gpki.pki
        cert, _ = pki.person("delta")
        self.bind("delta")
        delta_url = f"{self.gpki.crl_base}/ca-delta.crl"
        time.sleep(1.1)  # a base CRL of a later second than the one on file
        base = pki.ca_crl(os.path.join(self.gpki.dir, "base.der"),
                          extensions=f"freshestCRL = URI:{delta_url}\n")
        self.slapd.publish(base)
        pki.revoke(cert)
        time.sleep(1.1)  # a delta CRL newer than its base
        pki.ca_delta_crl(os.path.join(self.gpki.published, "crl", "ca-delta.crl"), base, [cert])
        out = self.gpki.mailadm(self.suite.config, "gpki", "crl", "refresh", "--url", self.url,
                                check=False)
        self.assertIn("3 of 3 CRLs updated", out.stdout, out.stdout)
        self.assert_refused("delta", b"Certificate has been revoked")  # in the delta only
        self.assert_refused("revoked", b"Certificate has been revoked")  # in the base only
        self.assertEqual(self.external("good")[0], 235)

    def test_an_unreachable_ldap_server_keeps_the_last_good_crl(self):
        self.slapd.stop()
        try:
            out = self.gpki.mailadm(self.suite.config, "gpki", "crl", "refresh", "--url",
                                    self.url, check=False)
        finally:
            self.slapd.start()
        self.assertIn("kept the last good CRL", out.stdout)
        self.assertIn("LDAP", out.stdout)
        self.assertEqual(self.external("good")[0], 235)
        self.assert_refused("revoked", b"Certificate has been revoked")

    def test_the_scheduled_refresher_renews_a_crl_before_it_expires(self):
        """`mailadm gpki crl refresh --watch` (what `govmail start` runs) fetches the point
        again at half the 20 s its CRL has left, installs the newer CRL published meanwhile
        before the old one expires, and audits the CRL about to expire."""
        pki = self.gpki.pki
        time.sleep(1.1)  # a CRL of a later second than the one on file
        expires = int(time.time()) + 20
        short = pki.ca_crl(os.path.join(self.gpki.dir, "short.der"),
                           "-crl_nextupdate", generalized_time(expires))
        self.slapd.publish(short)
        config = self.suite.config + ".watch"
        with open(self.suite.config) as f, open(config, "w") as out:
            out.write(f.read().replace(
                "[gpki]\n", "[gpki]\ncrl_refresh_interval_s = 600\ncrl_refresh_percent = 50\n"
                "crl_retry_min_s = 1\ncrl_expiry_warning_s = 3600\n", 1))
        command, env = self.gpki.mailadm_command(config, "gpki", "crl", "refresh", "--watch",
                                                 "--url", self.url)
        log_path = os.path.join(self.gpki.dir, "refresher.log")
        with open(log_path, "wb") as log:
            refresher = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(refresher.wait)
        self.addCleanup(refresher.kill)
        installed = os.path.join(
            self.gpki.crl_dir, f"dp-{hashlib.sha256(self.url.encode()).hexdigest()[:16]}.crl")

        def wait_for(dates, deadline):
            while time.time() < deadline:
                if os.path.exists(installed) and crl_dates(installed) == dates:
                    return True
                time.sleep(0.2)
            return False

        self.assertTrue(wait_for(crl_dates(short, "DER"), time.time() + 5),
                        "the refresher did not install the short-lived CRL")
        time.sleep(1.1)
        longer = pki.ca_crl(os.path.join(self.gpki.dir, "longer.der"))
        self.slapd.publish(longer)
        self.assertTrue(wait_for(crl_dates(longer, "DER"), expires - 1),
                        "the newer CRL was not installed before the old one expired")
        self.assertGreater(time.time(), expires - 15,
                           "fetched again sooner than half the CRL's time left")

        time.sleep(max(0.0, expires + 1 - time.time()))  # the first CRL has expired now
        self.assertIsNone(refresher.poll(), "the refresher exited")
        self.assertEqual(self.external("good")[0], 235)
        self.assert_refused("revoked", b"Certificate has been revoked")
        audited = self.suite.sql(
            "SELECT detail FROM audit_log WHERE action = 'gpki.crl-expiring' "
            "AND strpos(detail, :'p1') > 0", self.url)
        self.assertTrue(audited, "no gpki.crl-expiring audit entry for the point")
        expiry = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc)
        self.assertIn(f"expires at {expiry:%Y-%m-%dT%H:%M:%SZ}", audited[-1][0])


class ExpiredCrl(CertificateLogins):
    """The issuing CA's CRL on file passed its nextUpdate; POLICY decides."""

    policy = None

    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        os.makedirs(cls.gpki.crl_dir)
        shutil.copy(os.path.join(cls.gpki.pki.crl_dir, "root.crl"), cls.gpki.crl_dir)
        cls.gpki.pki.ca_crl(os.path.join(cls.gpki.crl_dir, "ca.crl"),
                            "-crl_lastupdate", "20200101000000Z",
                            "-crl_nextupdate", "20200108000000Z")
        cls.start_suite(f"revocation_unknown = {cls.policy}\n")
        cls.good = cls.bind_unchecked("good")

    @classmethod
    def bind_unchecked(cls, name):
        """Binding checks the certificate like a login; with an expired CRL and hard policy it
        is refused, so the binding is made under the soft policy."""
        config = cls.suite.config + ".soft"
        with open(cls.suite.config) as f, open(config, "w") as out:
            out.write(f.read().replace("revocation_unknown = hard", "revocation_unknown = soft"))
        address = f"{unique_local()}@localhost"
        cls.suite.mailadm("account", "create", address, "--force", "--reason",
                          "integration test of certificate revocation")
        bound = cls.gpki.mailadm(config, "cert", "bind", address, cls.gpki.cert(name),
                                 check=False)
        assert bound.returncode == 0, bound.stderr
        return address


class ExpiredCrlHardTest(ExpiredCrl, unittest.TestCase):
    policy = "hard"

    def test_an_expired_crl_refuses(self):
        self.assert_refused("good", UNKNOWN)


class ExpiredCrlSoftTest(ExpiredCrl, unittest.TestCase):
    policy = "soft"

    def test_an_expired_crl_accepts_and_still_refuses_what_it_lists(self):
        self.assertEqual(self.external("good")[0], 235)
        self.assert_refused("revoked", b"Certificate has been revoked")
        # The login let in on the soft policy is audited with why.
        audited = self.suite.sql(
            "SELECT detail FROM audit_log WHERE action = 'login.revocation_unknown'")
        self.assertTrue(audited, "no login.revocation_unknown audit entry")


class OcspTest(CertificateLogins, unittest.TestCase):
    """Revocation by OCSP alone: the CRL directory holds only the root's CRL (for the
    issuing CA's certificate), the person's status comes from `openssl ocsp`."""

    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        pki = cls.gpki.pki
        for name in ("forged", "stale"):
            pki.person(name)
        responder_port = free_port()
        cls.responder = subprocess.Popen(
            ["openssl", "ocsp", "-index", os.path.join(pki.ca.dir, "index.txt"),
             "-port", str(responder_port), "-rsigner", pki.ca.cert, "-rkey", pki.ca.key,
             "-CA", pki.ca.cert, "-nmin", "5", "-ignore_err"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.addClassCleanup(cls.responder.wait)
        cls.addClassCleanup(cls.responder.terminate)
        cls.front = OcspFront(cls.gpki.ocsp_port, responder_port)
        cls.addClassCleanup(cls.front.server_close)
        cls.addClassCleanup(cls.front.shutdown)
        cls.responder_url = f"http://127.0.0.1:{responder_port}"
        os.makedirs(cls.gpki.crl_dir)
        shutil.copy(os.path.join(pki.crl_dir, "root.crl"), cls.gpki.crl_dir)
        cls.start_suite("revocation = ocsp\nocsp_max_age_s = 2\nocsp_clock_skew_s = 1\n")
        for name in ("good", "forged", "stale"):
            cls.bind(name)

    def answer(self, name, *signer):
        """An answer of the responder's database about NAME, without a nonce, signed by
        SIGNER (cert, key; default the issuing CA)."""
        pki = self.gpki.pki
        request = os.path.join(self.gpki.dir, f"{name}.ocsp-req")
        response = os.path.join(self.gpki.dir, f"{name}.ocsp-resp")
        signer = signer or (pki.ca.cert, pki.ca.key)
        subprocess.run(["openssl", "ocsp", "-issuer", pki.ca.cert, "-cert", self.gpki.cert(name),
                        "-no_nonce", "-reqout", request], check=True, capture_output=True)
        subprocess.run(["openssl", "ocsp", "-index", os.path.join(pki.ca.dir, "index.txt"),
                        "-rsigner", signer[0], "-rkey", signer[1], "-CA", pki.ca.cert,
                        "-reqin", request, "-respout", response, "-nmin", "5"],
                       check=True, capture_output=True)
        with open(response, "rb") as f:
            return f.read()

    def replaying(self, answer):
        self.front.replay = answer
        self.addCleanup(setattr, self.front, "replay", None)

    def test_good_is_accepted_and_revoked_is_refused_by_ocsp(self):
        self.assertEqual(self.external("good")[0], 235)
        self.assert_refused("revoked", b"Certificate has been revoked")

    def test_an_answer_not_signed_by_the_ca_is_ignored(self):
        rogue = self.gpki.pki.rogue
        self.replaying(self.answer("forged", rogue.cert, rogue.key))
        self.assert_refused("forged", UNKNOWN)
        self.front.replay = None
        self.assertEqual(self.external("forged")[0], 235)

    def test_an_answer_with_a_stale_this_update_is_ignored(self):
        stale = self.answer("stale")
        time.sleep(3.5)  # older than ocsp_max_age_s + ocsp_clock_skew_s
        self.replaying(stale)
        self.assert_refused("stale", UNKNOWN)
        self.front.replay = None
        self.assertEqual(self.external("stale")[0], 235)


if __name__ == "__main__":
    unittest.main()
