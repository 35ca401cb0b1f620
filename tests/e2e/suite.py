#!/usr/bin/env python3
"""The running suite behind the browser tests, and the mail-side clients they need.

Starts govmail (smtpd, imapd, portal) through tests/integration/harness.py with the test GPKI
(gpki_fixture), the development SMS spool, the outbound queue relaying to a local SMTP sink
(test_outbound.Sink) and Digital OnePass answered by the stand-in identity provider
(tests/support/saml_idp.py serve) and an OAuth client "mailer" whose redirect URI is a
loopback port the browser test listens on, then prints one JSON line describing it. After that it
answers requests, one JSON object per line on stdin, one JSON line per answer on stdout:

    {"op": "person", "mobile": "010-..."}                 -> "user@localhost"
    {"op": "onepass_person", "mobile": "010-..."}         -> {"address", "employee_no"}: in the
        directory without an account; the provider's next sign-ins vouch for them
    {"op": "sms_count"}                                   -> n
    {"op": "sms", "after": n}                             -> {"to", "code"} of the first SMS after n
    {"op": "bind_certificate", "address": A}              -> {"cert", "key", "bundle"} (PEM paths)
    {"op": "send_mx", "sender": S, "recipient": R, "subject": T}
    {"op": "imap_subjects", "user": U, "secret": P}       -> INBOX subjects read with imaplib
        (logging in with P, or "mechanism": "XOAUTH2" with P an access token)
    {"op": "relayed_to", "recipient": R}                  -> the message the sink got for R
    {"op": "mailadm", "args": [...]}                      -> {"returncode", "stdout", "stderr"}

Answers are {"ok": true, "result": ...} or {"ok": false, "error": "..."}. End of input stops
the suite, so a test runner that dies leaves no daemon behind."""

import email
import email.policy
import imaplib
import json
import os
import smtplib
import subprocess
import sys
import traceback
import urllib.parse
import urllib.request

TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(TESTS, "integration"))
from gpki_fixture import GpkiFixture  # noqa: E402
from harness import (  # noqa: E402
    CHEAP_HASHES, Directory, Suite, client_tls_context, code_in, free_port, unique_local,
)
from test_outbound import Sink, wait_for  # noqa: E402

PASSWORD = "e2e portal password 1"
SAML_IDP = os.path.join(TESTS, "support", "saml_idp.py")
IDP_ENTITY = "https://onepass.test/idp"
SP_ENTITY = "https://mail.test/saml"


class IdentityProvider:
    """The stand-in OnePass provider serving on a free loopback port, signing with a test key
    made in DIR, answering the assertion consumer ACS."""

    def __init__(self, dir, acs):
        subprocess.run([sys.executable, SAML_IDP, "keys", dir], check=True, capture_output=True)
        self.certificate = os.path.join(dir, "idp.pem")
        self.process = subprocess.Popen(
            [sys.executable, SAML_IDP, "serve", dir, "--acs", acs, "--sp", SP_ENTITY,
             "--idp", IDP_ENTITY], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.base = f"http://127.0.0.1:{self.process.stdout.readline().split()[1]}"

    def config(self, acs):
        return f"""[onepass]
idp_entity_id = {IDP_ENTITY}
sso_url = {self.base}/sso
idp_certificate = {self.certificate}
sp_entity_id = {SP_ENTITY}
acs_url = {acs}
[signup]
networks = 127.0.0.0/8
"""

    def vouch_for(self, user_key):
        """The next responses sign USER_KEY in."""
        query = urllib.parse.urlencode({"variant": "good", "user_key": user_key})
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(f"{self.base}/next?{query}", timeout=10) as r:
            r.read()

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()


class BrowserSuite:
    def __init__(self):
        self.cleanups = []
        try:
            self.start()
        except BaseException:
            self.stop()
            raise

    def start(self):
        self.gpki = GpkiFixture()
        self.cleanups.append(self.gpki.stop)
        self.sink = Sink()
        self.cleanups += [self.sink.server_close, self.sink.shutdown]
        self.suite = Suite(daemons=("smtpd", "imapd"), extra_config=CHEAP_HASHES +
                           self.gpki.config() + f"""[sms]
gateway = spool
[queue]
relay_host = 127.0.0.1:{self.sink.port}
retry_initial_s = 1
poll_interval_s = 1
""")
        self.cleanups.append(self.suite.stop)
        self.gpki.refresh_crls(self.suite.config)
        self.portal = f"https://127.0.0.1:{self.suite.ports['portal']}"
        acs = f"{self.portal}/saml/acs"
        self.oauth_callback = f"http://127.0.0.1:{free_port()}/callback"
        self.idp = IdentityProvider(os.path.join(self.suite.dir, "idp"), acs)
        self.cleanups.append(self.idp.stop)
        with open(self.suite.config, "a") as f:
            f.write(self.idp.config(acs) + f"""[portal]
listen = 127.0.0.1:{self.suite.ports['portal']}
networks = 127.0.0.0/8
[oauth]
clients = mailer {self.oauth_callback}
""")
        self.suite.start("portal")
        self.spool = os.path.join(self.suite.dir, "var", "sms", "sms.jsonl")
        self.directory = Directory(self.suite, PASSWORD)

    def stop(self):
        for cleanup in reversed(self.cleanups):
            cleanup()

    def description(self):
        return {
            "portal": self.portal,
            "password": PASSWORD,
            "oauth_callback": self.oauth_callback,
        }

    # The requests.
    def person(self, mobile):
        address, _ = self.directory.person(mobile)
        return address

    def onepass_person(self, mobile):
        mail_id, employee_no = self.directory.entry(mobile)
        self.idp.vouch_for(employee_no)
        return {"address": f"{mail_id}@localhost", "employee_no": employee_no}

    def sms_lines(self):
        if not os.path.exists(self.spool):
            return []
        with open(self.spool) as f:
            return f.readlines()

    def sms_count(self):
        return len(self.sms_lines())

    def sms(self, after):
        lines = wait_for(lambda: self.sms_lines()[after:], timeout=20, what="an SMS")
        message = json.loads(lines[0])
        return {"to": message["to"], "code": code_in(message["text"])}

    def bind_certificate(self, address):
        cert = self.gpki.cert("good")
        self.suite.mailadm("cert", "bind", address, cert)
        return {"cert": cert, "key": cert[:-4] + ".key", "bundle": self.gpki.pki.bundle}

    def send_mx(self, sender, recipient, subject):
        with smtplib.SMTP("127.0.0.1", self.suite.ports["mx"], timeout=60) as client:
            client.sendmail(sender, [recipient],
                            f"From: {sender}\r\nTo: {recipient}\r\nSubject: {subject}\r\n"
                            f"Message-ID: <{unique_local('e2e')}@remote.test>\r\n\r\nHello.\r\n")

    def imap_subjects(self, user, secret, mechanism="LOGIN"):
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.suite.ports["imaps"],
                                 ssl_context=client_tls_context(), timeout=60)
        try:
            if mechanism == "XOAUTH2":
                bearer = f"user={user}\x01auth=Bearer {secret}\x01\x01".encode()
                conn.authenticate("XOAUTH2", lambda _: bearer)
            else:
                conn.login(user, secret)
            conn.select("INBOX", readonly=True)
            _, data = conn.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            headers = [part[1] for part in data if isinstance(part, tuple)]
            return [str(email.message_from_bytes(h, policy=email.policy.default)["Subject"])
                    for h in headers]
        finally:
            conn.logout()

    def relayed_to(self, recipient):
        deliveries = wait_for(lambda: self.sink.deliveries_to(recipient), timeout=30,
                              what=f"mail relayed to {recipient}")
        mail_from, _, data = deliveries[0]
        return {"mail_from": mail_from, "data": data.decode("utf-8", "replace")}

    def mailadm(self, args):
        done = self.suite.mailadm(*args, check=False)
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def answer(suite, request):
    op = request.pop("op")
    if op not in ("person", "onepass_person", "sms_count", "sms", "bind_certificate", "send_mx",
                  "imap_subjects", "relayed_to", "mailadm"):
        raise ValueError(f"unknown op {op}")
    return getattr(suite, op)(**request)


def main():
    suite = BrowserSuite()
    try:
        print(json.dumps(suite.description()), flush=True)
        for line in sys.stdin:
            try:
                reply = {"ok": True, "result": answer(suite, json.loads(line))}
            except Exception as e:  # reported to the test, which fails with it
                reply = {"ok": False, "error": f"{e}\n{traceback.format_exc()}"}
            print(json.dumps(reply), flush=True)
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
