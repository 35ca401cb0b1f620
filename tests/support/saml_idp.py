#!/usr/bin/env python3
"""A local stand-in for the Digital OnePass identity provider (SAML 2.0 Web SSO), for tests.
Responses are signed with Debian's `xmlsec1` command (XML-DSig: RSA-SHA256, exclusive
canonicalisation, enveloped) with a test key made at test time by the `openssl` command; no key
is ever committed. It can also produce the attacks the service provider must refuse.

    saml_idp.py keys DIR
        makes DIR/idp.key + DIR/idp.pem (the provider) and DIR/other.key + DIR/other.pem (a
        key the service provider does not know).
    saml_idp.py response DIR --variant NAME --acs URL --sp ENTITY --idp ENTITY
                         --in-response-to ID --user-key KEY [--now UNIX]
        prints the base64 SAMLResponse form field.
    saml_idp.py serve DIR --acs URL --sp ENTITY --idp ENTITY [--port N]
        answers GET /sso?SAMLRequest=... (HTTP-Redirect binding) with a page whose form POSTs
        the signed response to the ACS URL by itself. GET /next?variant=NAME&user_key=KEY sets
        what the next answers carry. Prints "listening PORT" once ready.

Variants: good, response_signed (the Response is signed, not the Assertion), broken_signature
(content changed after signing), missing_signature, wrapping (the signed assertion moved into
Extensions, an evil one with its ID in its place), wrapping_signature (the signature moved into
an evil assertion), two_assertions, wrong_key (signed by another key that it carries in
KeyInfo), expired, not_yet_valid, wrong_audience, wrong_issuer, wrong_recipient,
wrong_destination, wrong_in_response_to, failure_status, doctype. Replay: post one response
twice."""

import argparse
import base64
import html
import http.server
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
from xml.sax.saxutils import escape, quoteattr

PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"

VARIANTS = (
    "good", "response_signed", "broken_signature", "missing_signature", "wrapping",
    "wrapping_signature", "two_assertions", "wrong_key", "expired", "not_yet_valid",
    "wrong_audience", "wrong_issuer", "wrong_recipient", "wrong_destination",
    "wrong_in_response_to", "failure_status", "doctype",
)


def make_keys(directory):
    os.makedirs(directory, exist_ok=True)
    for name, subject in (("idp", "/CN=OnePass test IdP"), ("other", "/CN=Someone else")):
        if not os.path.exists(os.path.join(directory, name + ".pem")):
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                 "-subj", subject, "-keyout", os.path.join(directory, name + ".key"),
                 "-out", os.path.join(directory, name + ".pem")],
                check=True, capture_output=True)


def saml_time(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


def new_id():
    return "_" + secrets.token_hex(16)


def signature_template(reference_id):
    """An empty enveloped signature for xmlsec1 to fill in, over the element REFERENCE_ID."""
    return (
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        f'<ds:Reference URI="#{reference_id}"><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        '<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>'
        '<ds:SignatureValue></ds:SignatureValue>'
        '<ds:KeyInfo><ds:X509Data></ds:X509Data></ds:KeyInfo></ds:Signature>')


def sign(xml, directory, key_name, element):
    """XML with its first (empty) signature filled in by xmlsec1; ELEMENT is the signed
    element's name ("Assertion" or "Response"), whose ID attribute xmlsec1 must know."""
    ns = ASSERTION_NS if element == "Assertion" else PROTOCOL_NS
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as template:
        template.write(xml)
    try:
        key = os.path.join(directory, key_name)
        done = subprocess.run(
            ["xmlsec1", "--sign", "--privkey-pem", f"{key}.key,{key}.pem",
             f"--id-attr:ID", f"{ns}:{element}", template.name],
            check=True, capture_output=True)
    finally:
        os.unlink(template.name)
    return done.stdout.decode()


class Settings:
    def __init__(self, acs, sp, idp, in_response_to, user_key, now):
        self.acs, self.sp, self.idp = acs, sp, idp
        self.in_response_to, self.user_key, self.now = in_response_to, user_key, now


def assertion_xml(s, variant, assertion_id, user_key, signed):
    now = s.now
    if variant == "expired":
        now -= 3600
    elif variant == "not_yet_valid":
        now += 3600
    issuer = "https://evil.example/idp" if variant == "wrong_issuer" else s.idp
    audience = "https://evil.example/sp" if variant == "wrong_audience" else s.sp
    recipient = "https://evil.example/acs" if variant == "wrong_recipient" else s.acs
    in_response_to = new_id() if variant == "wrong_in_response_to" else s.in_response_to
    signature = signature_template(assertion_id) if signed else ""
    return (
        f'<saml:Assertion xmlns:saml="{ASSERTION_NS}" ID="{assertion_id}" Version="2.0" '
        f'IssueInstant="{saml_time(now)}"><saml:Issuer>{escape(issuer)}</saml:Issuer>{signature}'
        '<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">'
        f'{escape(user_key)}</saml:NameID>'
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData InResponseTo="{in_response_to}" '
        f'NotOnOrAfter="{saml_time(now + 300)}" Recipient={quoteattr(recipient)}/>'
        '</saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotBefore="{saml_time(now - 30)}" NotOnOrAfter="{saml_time(now + 300)}">'
        f'<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience>'
        '</saml:AudienceRestriction></saml:Conditions>'
        f'<saml:AuthnStatement AuthnInstant="{saml_time(now)}">'
        '<saml:AuthnContext><saml:AuthnContextClassRef>'
        'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'
        '</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>'
        '<saml:AttributeStatement><saml:Attribute Name="userKey">'
        f'<saml:AttributeValue>{escape(user_key)}</saml:AttributeValue></saml:Attribute>'
        '</saml:AttributeStatement></saml:Assertion>')


def response_xml(s, inner, response_id, variant, signed):
    status = ("urn:oasis:names:tc:SAML:2.0:status:Responder" if variant == "failure_status"
              else "urn:oasis:names:tc:SAML:2.0:status:Success")
    destination = "https://evil.example/acs" if variant == "wrong_destination" else s.acs
    signature = signature_template(response_id) if signed else ""
    doctype = '<!DOCTYPE r [<!ENTITY e "x">]>' if variant == "doctype" else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f'<samlp:Response xmlns:samlp="{PROTOCOL_NS}" xmlns:saml="{ASSERTION_NS}" '
        f'ID="{response_id}" Version="2.0" IssueInstant="{saml_time(s.now)}" '
        f'Destination={quoteattr(destination)} InResponseTo="{s.in_response_to}">'
        f'<saml:Issuer>{escape(s.idp)}</saml:Issuer>{signature}'
        f'<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>{inner}'
        '</samlp:Response>')


def signed_assertion(s, directory, variant, assertion_id, user_key, key="idp"):
    """An assertion signed on its own: the XML of the assertion element alone."""
    document = sign(assertion_xml(s, variant, assertion_id, user_key, True), directory, key,
                    "Assertion")
    return document[document.index("<saml:Assertion"):]


def build_response(s, directory, variant):
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant}")
    response_id, assertion_id = new_id(), new_id()
    if variant == "response_signed":
        inner = assertion_xml(s, variant, assertion_id, s.user_key, False)
        return sign(response_xml(s, inner, response_id, variant, True), directory, "idp",
                    "Response")
    if variant == "missing_signature":
        inner = assertion_xml(s, variant, assertion_id, s.user_key, False)
    elif variant == "broken_signature":
        inner = signed_assertion(s, directory, variant, assertion_id, s.user_key)
        inner = inner.replace(f">{escape(s.user_key)}<", ">someone-else<")
    elif variant == "wrapping":
        # The genuine signed assertion (someone-else's) kept out of the way; an evil unsigned one
        # with the same ID, naming the victim, where the service provider reads.
        genuine = signed_assertion(s, directory, "good", assertion_id, "someone-else")
        evil = assertion_xml(s, "good", assertion_id, s.user_key, False)
        inner = f"<samlp:Extensions>{genuine}</samlp:Extensions>{evil}"
    elif variant == "wrapping_signature":
        # The genuine assertion's signature carried by an evil assertion, the genuine one gone.
        genuine = signed_assertion(s, directory, "good", assertion_id, "someone-else")
        signature = genuine[genuine.index("<ds:Signature"):genuine.index("</ds:Signature>") + 15]
        evil = assertion_xml(s, "good", new_id(), s.user_key, False)
        at = evil.index("<saml:Subject>")
        inner = evil[:at] + signature + evil[at:]
    elif variant == "two_assertions":
        inner = (signed_assertion(s, directory, "good", assertion_id, s.user_key) +
                 signed_assertion(s, directory, "good", new_id(), "someone-else"))
    elif variant == "wrong_key":
        inner = signed_assertion(s, directory, variant, assertion_id, s.user_key, key="other")
    else:
        inner = signed_assertion(s, directory, variant, assertion_id, s.user_key)
    return response_xml(s, inner, response_id, variant, False)


def form_field(xml):
    return base64.b64encode(xml.encode()).decode()


def authn_request_id(saml_request):
    """The ID of a redirect-binding AuthnRequest (raw DEFLATE, base64)."""
    xml = zlib.decompress(base64.b64decode(saml_request), -15).decode()
    marker = ' ID="'
    start = xml.index(marker) + len(marker)
    return xml[start:xml.index('"', start)]


def serve(args):
    state = {"variant": "good", "user_key": "", "last": None}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def reply(self, status, body, content_type="text/plain"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/next":
                state["variant"] = query.get("variant", "good")
                state["user_key"] = query.get("user_key", state["user_key"])
                return self.reply(200, "ok\n")
            if url.path == "/last":
                return self.reply(200, state["last"] or "")
            if url.path != "/sso" or "SAMLRequest" not in query:
                return self.reply(404, "not found\n")
            settings = Settings(args.acs, args.sp, args.idp,
                                authn_request_id(query["SAMLRequest"]), state["user_key"],
                                int(time.time()))
            field = form_field(build_response(settings, args.dir, state["variant"]))
            state["last"] = field
            relay = query.get("RelayState", "")
            page = (
                '<!DOCTYPE html><html><body onload="document.forms[0].submit()">'
                f'<form method="post" action={quoteattr(args.acs)}>'
                f'<input type="hidden" name="SAMLResponse" value="{html.escape(field)}">'
                f'<input type="hidden" name="RelayState" value="{html.escape(relay)}">'
                '<noscript><button type="submit">Continue</button></noscript>'
                '</form></body></html>')
            return self.reply(200, page, "text/html")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys")
    keys.add_argument("dir")
    for name in ("response", "serve"):
        command = commands.add_parser(name)
        command.add_argument("dir")
        command.add_argument("--acs", required=True)
        command.add_argument("--sp", required=True)
        command.add_argument("--idp", required=True)
    response = commands.choices["response"]
    response.add_argument("--variant", default="good", choices=VARIANTS)
    response.add_argument("--in-response-to", required=True)
    response.add_argument("--user-key", required=True)
    response.add_argument("--now", type=int, default=None)
    commands.choices["serve"].add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.command == "keys":
        make_keys(args.dir)
    elif args.command == "response":
        now = args.now if args.now is not None else int(time.time())
        settings = Settings(args.acs, args.sp, args.idp, args.in_response_to, args.user_key, now)
        sys.stdout.write(form_field(build_response(settings, args.dir, args.variant)))
    else:
        serve(args)


if __name__ == "__main__":
    main()
