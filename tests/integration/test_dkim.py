"""DKIM signing of submitted mail through rspamd's dkim_signing: `mailadm dkim generate`
makes a key (RSA 2048 or Ed25519) under var_dir, copies it into the Redis of CTest's `rspamd`
fixture and prints the TXT record to publish; mail an account of that domain submits is relayed
by the queue to a test SMTP sink with a DKIM-Signature that an independent verifier (Python's
`dkim`, python3-dkim) accepts against that record. After `rotate` the new selector signs and
mail signed with the old one still verifies until `retire` removes it. Only the test's own
domains have keys, so the fixture's rspamd signs nothing that other suites send."""

import json
import os
import smtplib
import ssl
import unittest
import urllib.request
import uuid

import dkim

from harness import CHEAP_HASHES, Suite
from test_outbound import Sink, wait_for

RSPAMD_ROOT = os.environ.get("GOVMAIL_TEST_RSPAMD_ROOT", "")
PASSWORD = "correct horse battery staple"


def fixture_file(name):
    with open(os.path.join(RSPAMD_ROOT, name)) as f:
        return f.read().strip()


def unstuffed(data):
    """DATA as the sink received it, without SMTP's dot-stuffing."""
    lines = data.split(b"\r\n")
    return b"\r\n".join(line[1:] if line.startswith(b"..") else line for line in lines)


class DkimSigningSuite(unittest.TestCase):
    """smtpd submission scanned and signed by the fixture's rspamd, relayed to a sink."""

    @classmethod
    def setUpClass(cls):
        tag = uuid.uuid4().hex[:8]
        cls.rsa_domain = f"rsa{tag}.test"
        cls.ed_domain = f"ed{tag}.test"
        cls.unsigned_domain = f"none{tag}.test"
        cls.arc_domain = f"arc{tag}.test"
        cls.sink = Sink()
        cls.addClassCleanup(cls.sink.server_close)
        cls.addClassCleanup(cls.sink.shutdown)
        cls.suite = Suite(extra_config=f"""[server]
local_domains = localhost, {cls.rsa_domain}, {cls.ed_domain}, {cls.unsigned_domain}
[filter]
enabled = true
rspamd_url = {fixture_file("url")}
dkim_redis = {fixture_file("redis_address")}
[queue]
relay_host = 127.0.0.1:{cls.sink.port}
retry_initial_s = 1
poll_interval_s = 1
""" + CHEAP_HASHES)
        cls.addClassCleanup(cls.suite.stop)

    def dkim(self, *args):
        return json.loads(self.suite.mailadm("--json", "dkim", *args).stdout)

    def published(self):
        """The TXT records `mailadm dkim list` says to publish, by DNS name."""
        return {key["dns_name"]: key["txt"] for key in self.dkim("list")}

    def submit(self, domain):
        """Submits a message from a new account of DOMAIN; returns it as the sink got it."""
        sender = self.suite.create_account(domain=domain, password=PASSWORD)
        to = f"r{uuid.uuid4().hex[:8]}@remote.test"
        message = (f"From: {sender}\r\nTo: {to}\r\nSubject: signed\r\n"
                   f"Message-ID: <{uuid.uuid4().hex}@{domain}>\r\n\r\n"
                   "A message for an outside domain.\r\n").encode()
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with smtplib.SMTP("127.0.0.1", self.suite.ports["submission"], timeout=60) as client:
            client.starttls(context=ctx)
            client.login(sender, PASSWORD)
            self.assertEqual(client.sendmail(sender, [to], message), {})
        delivered = wait_for(lambda: self.sink.deliveries_to(to), what="the relayed message")
        return unstuffed(delivered[0][2])

    def assert_verifies(self, message, records):
        def dnsfunc(name, timeout=5):
            return records.get(name.decode().rstrip("."), "").encode() or None
        self.assertTrue(dkim.verify(message, dnsfunc=dnsfunc), message.decode(errors="replace"))

    @staticmethod
    def signature_tags(message):
        header = message.split(b"\r\n\r\n", 1)[0].decode()
        start = header.index("DKIM-Signature:")
        value = header[start:].split("\r\n", 1)[0]
        for line in header[start:].split("\r\n")[1:]:
            if not line[:1].isspace():
                break
            value += line
        tags = (t.strip().split("=", 1) for t in value.split(":", 1)[1].split(";") if "=" in t)
        return {k: v.replace(" ", "").replace("\t", "") for k, v in tags}

    def test_rsa_signature_verifies_and_both_selectors_verify_after_rotate(self):
        made = self.dkim("generate", self.rsa_domain, "--selector", "first")
        self.assertEqual(made["dns_name"], f"first._domainkey.{self.rsa_domain}")
        self.assertTrue(made["txt"].startswith("v=DKIM1; k=rsa; p=MIIBIjAN"))  # RSA 2048 SPKI
        key_file = os.path.join(self.suite.dir, "var", "dkim", self.rsa_domain, "first.pem")
        self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)

        old = self.submit(self.rsa_domain)
        self.assertEqual(self.signature_tags(old)["s"], "first")
        self.assertEqual(self.signature_tags(old)["a"], "rsa-sha256")
        self.assert_verifies(old, self.published())

        rotated = self.dkim("rotate", self.rsa_domain)
        self.assertNotEqual(rotated["selector"], "first")
        new = self.submit(self.rsa_domain)
        self.assertEqual(self.signature_tags(new)["s"], rotated["selector"])
        both = self.published()
        self.assert_verifies(new, both)
        self.assert_verifies(old, both)

        listed = {k["selector"]: k["signing"] for k in self.dkim("list", self.rsa_domain)}
        self.assertEqual(listed, {"first": False, rotated["selector"]: True})
        refused = self.suite.mailadm("dkim", "retire", self.rsa_domain, rotated["selector"],
                                     check=False)
        self.assertEqual(refused.returncode, 1)
        self.suite.mailadm("dkim", "retire", self.rsa_domain, "first")
        after = self.published()
        self.assertNotIn(f"first._domainkey.{self.rsa_domain}", after)
        self.assertEqual([k["selector"] for k in self.dkim("list", self.rsa_domain)],
                         [rotated["selector"]])
        self.assertFalse(dkim.verify(old, dnsfunc=lambda name, timeout=5:
                                     after.get(name.decode().rstrip("."), "").encode() or None))
        actions = self.suite.sql("SELECT action FROM audit_log WHERE action LIKE 'dkim.%'"
                                 " AND detail LIKE '%' || :'p1' || '%' ORDER BY 1;",
                                 self.rsa_domain)
        self.assertEqual([a[0] for a in actions], ["dkim.generate", "dkim.retire", "dkim.rotate"])

    def test_ed25519_signature_verifies(self):
        made = self.dkim("generate", self.ed_domain, "--algorithm", "ed25519")
        self.assertTrue(made["txt"].startswith("v=DKIM1; k=ed25519; p="))
        signed = self.submit(self.ed_domain)
        self.assertEqual(self.signature_tags(signed)["a"], "ed25519-sha256")
        self.assert_verifies(signed, self.published())

    def test_received_mail_for_a_domain_with_a_key_is_arc_sealed(self):
        # The ARC set rspamd makes with the fixture's configuration (launcher/
        # rspamd_dkim_config.cpp) and a key from `mailadm dkim`, as govmail reads it from the
        # answer (filter/signature_fields.hpp), verified by python3-dkim's ARC verifier.
        self.dkim("generate", self.arc_domain)
        message = (f"From: someone@remote.test\r\nTo: list@{self.arc_domain}\r\n"
                   f"Subject: forwarded\r\nMessage-ID: <{uuid.uuid4().hex}@remote.test>\r\n\r\n"
                   "A message an alias forwards.\r\n").encode()
        request = urllib.request.Request(
            fixture_file("url").rstrip("/") + "/checkv2", data=message, method="POST",
            headers={"From": "someone@remote.test", "Rcpt": f"list@{self.arc_domain}",
                     "Ip": "127.0.0.1", "Helo": "remote.test"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            added = json.load(answer)["milter"]["add_headers"]
        arc_set = "".join(f"{name}: {added[name]['value']}\r\n" for name in
                          ("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results"))
        records = self.published()
        result, _, reason = dkim.arc_verify(
            arc_set.encode() + message,
            dnsfunc=lambda name, timeout=5: records.get(name.decode().rstrip("."), "").encode()
            or None)
        self.assertEqual(result, b"pass", reason)

    def test_a_domain_without_keys_is_not_signed(self):
        message = self.submit(self.unsigned_domain)
        self.assertNotIn(b"DKIM-Signature:", message.split(b"\r\n\r\n", 1)[0])


if __name__ == "__main__":
    unittest.main()
