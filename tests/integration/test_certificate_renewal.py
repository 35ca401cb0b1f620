"""A renewed GPKI certificate (same CA and subject, a new key and serial, valid from later)
follows its owner: at its first login over IMAP or SMTP it is bound to the same account and
audited, while the old certificate keeps logging in until it expires. Under
`[gpki] renewal = approve` it waits for `mailadm cert approve ID`."""

import datetime
import imaplib
import json
import os
import smtplib
import socket
import time
import unittest

from gpki_fixture import GpkiFixture, client_context
from harness import Suite, free_port, unique_local, wait_for_port
from portal_client import Browser, element_text


YEAR = datetime.timedelta(days=365)


def openssl_time(delta):
    moment = datetime.datetime.now(datetime.timezone.utc) + delta
    return moment.strftime("%Y%m%d%H%M%SZ")


class RenewalCase(unittest.TestCase):
    RENEWAL = "automatic"

    @classmethod
    def setUpClass(cls):
        cls.gpki = GpkiFixture()
        cls.addClassCleanup(cls.gpki.stop)
        cls.sieve_port = free_port()
        cls.suite = Suite(daemons=("smtpd", "imapd"), extra_config=(
            cls.gpki.config() + f"[gpki]\nrenewal = {cls.RENEWAL}\n"
            f"[imap]\nmanagesieve = 127.0.0.1:{cls.sieve_port}\n"))
        cls.addClassCleanup(cls.suite.stop)
        wait_for_port(cls.sieve_port)
        with open(cls.suite.config, "a") as f:
            f.write(f"[portal]\nlisten = 127.0.0.1:{cls.suite.ports['portal']}\n")
        cls.suite.start("portal")
        cls.gpki.refresh_crls(cls.suite.config)

    def person_with_account(self, old_lifetime=YEAR):
        """An account bound to an official's certificate issued two days ago, and that
        official's renewed certificate issued an hour ago. Returns (address, old, renewed)."""
        address = self.suite.create_account()
        cn = f"089{unique_local('renewal')}001"
        old, _ = self.gpki.pki.person(
            f"{cn}-old", cn=cn, start=openssl_time(-datetime.timedelta(days=2)),
            end=openssl_time(old_lifetime))
        renewed, _ = self.gpki.pki.person(
            f"{cn}-new", cn=cn, start=openssl_time(-datetime.timedelta(hours=1)),
            end=openssl_time(datetime.timedelta(days=730)))
        self.suite.mailadm("cert", "bind", address, old)
        return address, old, renewed

    def smtp_external(self, cert):
        with smtplib.SMTP_SSL("127.0.0.1", self.suite.ports["submissions"], timeout=20,
                              context=client_context(cert)) as client:
            client.ehlo("client.example.org")
            return client.docmd("AUTH", "EXTERNAL =")

    def imap_external(self, cert):
        """The account IMAP logged CERT in as, or the refusal text."""
        with imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                               ssl_context=client_context(cert)) as client:
            try:
                client.authenticate("EXTERNAL", lambda _: b"")
            except imaplib.IMAP4.error as refused:
                return str(refused)
            return "OK"

    def sieve_external(self, cert):
        """ManageSieve (RFC 5804): STARTTLS, then AUTHENTICATE "EXTERNAL"; the answer line."""
        with socket.create_connection(("127.0.0.1", self.sieve_port), timeout=20) as raw:
            reader = raw.makefile("rb")
            while not reader.readline().startswith(b"OK"):
                pass
            raw.sendall(b"STARTTLS\r\n")
            self.assertTrue(reader.readline().startswith(b"OK"))
            with client_context(cert).wrap_socket(raw) as tls:
                reader = tls.makefile("rb")
                while not reader.readline().startswith(b"OK"):
                    pass
                tls.sendall(b'AUTHENTICATE "EXTERNAL" ""\r\n')
                return reader.readline().decode()

    def portal_account(self, cert):
        """The account the portal's certificate sign-in signs CERT in as, or None."""
        browser = Browser(f"https://127.0.0.1:{self.suite.ports['portal']}", cert)
        status, _, page = browser.post("/signin/certificate", {}, csrf_from="/signin")
        return element_text(page, "account") if status == 200 else None

    def bindings(self, address):
        return json.loads(
            self.suite.mailadm("--json", "cert", "list", "--account", address).stdout)

    def audit_actions(self, address):
        return [row[0] for row in self.suite.sql(
            "SELECT l.action FROM audit_log l JOIN accounts a USING (account_id)"
            " WHERE a.address = :'p1' ORDER BY l.audit_id", address)]


class AutomaticRenewalTest(RenewalCase):
    def test_a_renewed_certificate_logs_in_to_the_same_account_over_smtp(self):
        address, old, renewed = self.person_with_account()
        code, text = self.smtp_external(renewed)
        self.assertEqual(code, 235, text)
        listed = self.bindings(address)
        self.assertEqual(len(listed), 2)
        self.assertEqual(listed[1]["renews"], listed[0]["id"])
        self.assertFalse(listed[1]["pending"])
        self.assertEqual(listed[0]["subject"], listed[1]["subject"])
        self.assertIn("cert.renew", self.audit_actions(address))
        self.assertEqual(self.smtp_external(old)[0], 235)  # the old one still works
        self.assertEqual(self.smtp_external(renewed)[0], 235)
        self.assertEqual(len(self.bindings(address)), 2)  # bound once

    def test_a_renewed_certificate_logs_in_to_the_same_account_over_imap(self):
        address, old, renewed = self.person_with_account()
        self.assertEqual(self.imap_external(renewed), "OK")
        self.assertEqual(self.imap_external(old), "OK")
        self.assertEqual(len(self.bindings(address)), 2)

    def test_a_renewed_certificate_logs_in_to_the_same_account_over_managesieve(self):
        address, old, renewed = self.person_with_account()
        self.assertTrue(self.sieve_external(renewed).startswith("OK"))
        self.assertTrue(self.sieve_external(old).startswith("OK"))
        self.assertEqual(len(self.bindings(address)), 2)

    def test_a_renewed_certificate_signs_in_to_the_same_account_in_the_portal(self):
        address, old, renewed = self.person_with_account()
        self.assertEqual(self.portal_account(renewed), address)
        self.assertEqual(self.portal_account(old), address)

    def test_the_old_certificate_works_until_it_expires(self):
        address, old, renewed = self.person_with_account(datetime.timedelta(seconds=8))
        self.assertEqual(self.smtp_external(renewed)[0], 235)
        self.assertEqual(self.smtp_external(old)[0], 235)
        time.sleep(9)
        code, text = self.smtp_external(old)
        self.assertEqual(code, 535)
        self.assertIn(b"Certificate has expired", text)
        self.assertEqual(self.smtp_external(renewed)[0], 235)

    def test_an_older_certificate_or_another_subject_does_not_follow(self):
        address, old, renewed = self.person_with_account()
        self.suite.mailadm("cert", "revoke", address)
        self.suite.mailadm("cert", "bind", address, renewed)
        # the old certificate starts before the bound one: it is no renewal
        self.assertEqual(self.smtp_external(old)[0], 535)
        stranger, _ = self.gpki.pki.person(unique_local("stranger"),
                                           cn=f"089{unique_local('other')}001")
        self.assertEqual(self.smtp_external(stranger)[0], 535)
        self.assertEqual(len(self.bindings(address)), 2)


class SignupThenRenewalTest(RenewalCase):
    """The account came from a certificate signup; its owner's certificate is renewed, then
    renewed again after a move to another agency (a new subject: a signup again)."""

    def sign_up(self, cert, expected=r"Signup request \d+ .* filed"):
        self.assertRegex(self.imap_external(cert), expected)
        pending = json.loads(self.suite.mailadm("--json", "signup", "list", "--pending").stdout)
        self.assertEqual(len(pending), 1)
        return str(pending[0]["id"])

    def test_renewals_follow_a_signed_up_official(self):
        cn = f"089{unique_local('hong')}001"
        mail_id = unique_local("gildong")
        directory = os.path.join(self.suite.dir, "directory.csv")
        with open(directory, "w", encoding="utf-8") as f:
            f.write("employee_no,name,org_unit,position,mail_id,office_phone,mobile_phone,"
                    f"cert_identity\n40001,홍길동,행정안전부,사무관,{mail_id},02-2100-4001,"
                    f"010-4001-0001,{cn}\n")
        self.suite.mailadm("directory", "sync", directory)
        first, _ = self.gpki.pki.person(f"{cn}-first", cn=cn,
                                        start=openssl_time(-datetime.timedelta(days=2)),
                                        end=openssl_time(YEAR))
        request = self.sign_up(first)
        self.suite.mailadm("signup", "approve", request)
        address = f"{mail_id}@localhost"

        renewed, _ = self.gpki.pki.person(f"{cn}-renewed", cn=cn,
                                          start=openssl_time(-datetime.timedelta(hours=2)),
                                          end=openssl_time(YEAR))
        self.assertEqual(self.imap_external(renewed), "OK")
        self.assertEqual(len(self.bindings(address)), 2)

        moved, _ = self.gpki.pki.person(f"{cn}-moved", cn=cn, agency="국방부",
                                        start=openssl_time(-datetime.timedelta(hours=1)),
                                        end=openssl_time(YEAR))
        request = self.sign_up(moved)
        refused = self.suite.mailadm("signup", "approve", request, check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertNotIn("duplicate key", refused.stderr)
        self.assertIn(f"{address} already exists for the same person", refused.stderr)
        self.assertIn(f"mailadm signup approve {request} --existing", refused.stderr)
        self.suite.mailadm("signup", "approve", request, "--existing")
        self.assertEqual(self.imap_external(moved), "OK")
        self.assertEqual(self.imap_external(first), "OK")
        self.assertEqual(len(self.bindings(address)), 3)


class ApprovedRenewalTest(RenewalCase):
    RENEWAL = "approve"

    def test_a_renewed_certificate_waits_for_one_approve_command(self):
        address, old, renewed = self.person_with_account()
        code, text = self.smtp_external(renewed)
        self.assertEqual(code, 535)
        self.assertIn(b"renewed certificate is waiting for your administrator", text)
        self.assertEqual(self.smtp_external(renewed)[0], 535)  # held once, still held
        listed = self.bindings(address)
        self.assertEqual([b["pending"] for b in listed], [False, True])
        self.assertIn("cert.renewal.held", self.audit_actions(address))
        self.assertEqual(self.smtp_external(old)[0], 235)

        self.suite.mailadm("cert", "approve", str(listed[1]["id"]))
        self.assertEqual(self.smtp_external(renewed)[0], 235)
        self.assertEqual(self.imap_external(renewed), "OK")
        self.assertIn("cert.approve", self.audit_actions(address))
        refused = self.suite.mailadm("cert", "approve", str(listed[1]["id"]), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("no pending certificate binding", refused.stderr)


if __name__ == "__main__":
    unittest.main()
