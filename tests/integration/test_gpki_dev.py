"""Every sign-in method out of the box: with the development settings scripts/run.sh appends
(scripts/dev-settings.sh), the portal's sign-in page offers ID + password, certificate and
OnePass; the CRL refresher issues the development CRL; `mailadm gpki dev-issue` writes an
official's certificate and key as PEM and PKCS#12, and the README's lines work: curl and
mbsync read mail with that certificate, and it sends over SMTP. Without the development CA
dev-issue refuses."""

import os
import smtplib
import sys
import subprocess
import tempfile
import time
import unittest

from gpki_fixture import client_context
from harness import BIN_DIR, Suite
from portal_client import Browser

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import saml_idp  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class GpkiDevTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=())
        cls.addClassCleanup(cls.suite.stop)
        saml_idp.make_keys(os.path.join(cls.suite.dir, "var", "dev-idp"))
        settings = subprocess.run(
            [os.path.join(ROOT, "scripts", "dev-settings.sh"), cls.suite.dir],
            capture_output=True, text=True, check=True).stdout
        port = cls.suite.ports["portal"]
        with open(cls.suite.config, "a") as f:
            f.write(settings + f"[portal]\nlisten = 127.0.0.1:{port}\nnetworks = 127.0.0.0/8\n")
        # As after run.sh: the CRL refresher `govmail start` runs has issued the development
        # CRL before the daemons read the bundle, and keeps it fresh.
        crl = os.path.join(cls.suite.dir, "var", "gpki", "crl", "dev-ca.crl")
        with open(os.path.join(cls.suite.dir, "crl-refresher.log"), "wb") as log:
            refresher = subprocess.Popen(
                [os.path.join(BIN_DIR, "mailadm"), "--config", cls.suite.config, "gpki", "crl",
                 "refresh", "--watch"], stdout=log, stderr=subprocess.STDOUT)
        cls.addClassCleanup(refresher.wait)
        cls.addClassCleanup(refresher.kill)
        deadline = time.monotonic() + 20
        while not os.path.exists(crl):
            if time.monotonic() > deadline or refresher.poll() is not None:
                raise RuntimeError("the CRL refresher did not issue the development CRL")
            time.sleep(0.1)
        for daemon in ("smtpd", "imapd", "portal"):
            cls.suite.start(daemon)
        cls.out = tempfile.mkdtemp(prefix="hong-", dir=cls.suite.dir)
        cls.issued = cls.suite.mailadm("gpki", "dev-issue", "--name", "홍길동", "--agency",
                                       "행정안전부", "--out", cls.out)
        cls.address = cls.suite.create_account("hong")
        cls.suite.mailadm("cert", "bind", cls.address, cls.path("person.pem"))

    @classmethod
    def path(cls, name):
        return os.path.join(cls.out, name)

    def test_the_portal_offers_every_sign_in_method(self):
        status, _, page = Browser(f"https://127.0.0.1:{self.suite.ports['portal']}").get(
            "/signin")
        self.assertEqual(status, 200)
        for method in ('id="signin-form"', 'id="certificate-form"', 'id="onepass"'):
            self.assertIn(method, page)

    def test_dev_issue_writes_pem_and_pkcs12_of_a_gpki_shaped_person(self):
        self.assertIn("issued CN=089홍길동001", self.issued.stdout)
        subject = subprocess.run(
            ["openssl", "x509", "-noout", "-subject", "-nameopt", "utf8,sep_comma_plus",
             "-in", self.path("person.pem")], capture_output=True, text=True, check=True).stdout
        self.assertIn("C=KR,O=Government of Korea,OU=행정안전부,CN=089홍길동001", subject)
        self.assertEqual(os.stat(self.path("person.key")).st_mode & 0o777, 0o600)
        p12 = subprocess.run(
            ["openssl", "pkcs12", "-in", self.path("person.p12"), "-passin", "pass:govmail",
             "-nodes"], capture_output=True, text=True, errors="replace")
        self.assertEqual(p12.returncode, 0, p12.stderr)
        self.assertIn("BEGIN CERTIFICATE", p12.stdout)
        self.assertIn("PRIVATE KEY", p12.stdout)
        self.assertIn("dev-ca.crl", self.suite.mailadm("gpki", "dev-crl").stdout)

    def test_dev_issue_is_refused_unless_the_development_ca_is_in_use(self):
        other = os.path.join(self.suite.dir, "other.conf")
        with open(self.suite.config) as f, open(other, "w") as g:
            g.write(f.read() + f"[gpki]\nca_bundle = {self.suite.cert}\n")
        for command in (["dev-issue", "--name", "x", "--agency", "y", "--out", self.out],
                        ["dev-crl"]):
            refused = subprocess.run(
                [os.path.join(BIN_DIR, "mailadm"), "--config", other, "gpki", *command], capture_output=True, text=True)
            self.assertEqual(refused.returncode, 1, command)
            self.assertIn("only for the development CA", refused.stderr)

    def test_curl_reads_with_the_certificate(self):
        out = subprocess.run(
            ["curl", "-sS", "-k", "--cert", self.path("person.pem"), "--key",
             self.path("person.key"), "--login-options", "AUTH=EXTERNAL",
             "-u", f"{self.address}:", f"imaps://127.0.0.1:{self.suite.ports['imaps']}/"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("INBOX", out.stdout)

    def test_smtp_external_with_the_certificate(self):
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_context(self.path("person.pem"))) as client:
            client.ehlo("pc.example.go.kr")
            self.assertEqual(client.docmd("AUTH", "EXTERNAL =")[0], 235)

    def test_mbsync_reads_with_the_certificate(self):
        self.suite.create_account("sender")
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=20) as client:
            client.sendmail("sender@localhost", [self.address],
                            b"Subject: for mbsync\r\n\r\nread with a certificate\r\n")
        workdir = tempfile.mkdtemp(prefix="mbsync-", dir=self.suite.dir)
        os.makedirs(os.path.join(workdir, "mail"))
        config = os.path.join(workdir, "mbsyncrc")
        with open(config, "w") as f:
            f.write(f"""IMAPAccount hong
Host localhost
Port {self.suite.ports['imaps']}
SSLType IMAPS
CertificateFile {self.suite.cert}
ClientCertificate {self.path("person.pem")}
ClientKey {self.path("person.key")}
User {self.address}
AuthMechs EXTERNAL

IMAPStore remote
Account hong

MaildirStore local
Path {workdir}/mail/
Inbox {workdir}/mail/INBOX

Channel hong
Far :remote:
Near :local:
Patterns INBOX
Create Near
SyncState *
""")
        out = subprocess.run(["mbsync", "-c", config, "-a"], capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        synced = []
        for sub in ("cur", "new"):
            for name in os.listdir(os.path.join(workdir, "mail", "INBOX", sub)):
                with open(os.path.join(workdir, "mail", "INBOX", sub, name), "rb") as f:
                    synced.append(f.read())
        self.assertTrue(any(b"read with a certificate" in m for m in synced), synced)


if __name__ == "__main__":
    unittest.main()
