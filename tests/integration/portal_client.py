"""What the portal's integration tests share: a cookie-keeping HTTPS client that uses the
portal as a browser without JavaScript would, reading its pages, and the development SMS
spool the sign-in codes go to."""

import http.cookiejar
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from gpki_fixture import client_context
from harness import code_in


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the redirect itself is the answer


class Browser:
    """A cookie-keeping HTTPS client of the portal at BASE, presenting the client certificate
    CERT when given. request/get/post return (status, final URL, body as text) with redirects
    followed, or (status, Location, body) with FOLLOW false; fetch returns (status, headers,
    body as bytes, final URL)."""

    def __init__(self, base, cert=None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = (urllib.request.HTTPSHandler(context=client_context(cert)),
                    urllib.request.HTTPCookieProcessor(self.jar))
        self.opener = urllib.request.build_opener(*handlers)
        self.no_redirects = urllib.request.build_opener(*handlers, _KeepRedirects())

    def fetch(self, path, form=None, follow=True):
        """FORM is a dict or a list of (name, value) pairs (repeated names)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        opener = self.opener if follow else self.no_redirects
        try:
            with opener.open(self.base + path, data=data, timeout=60) as r:
                return r.status, r.headers, r.read(), r.url
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read(), e.url

    def request(self, path, form=None, follow=True):
        status, headers, body, url = self.fetch(path, form, follow)
        return status, url if follow else headers.get("Location"), body.decode()

    def get(self, path, follow=True):
        return self.request(path, follow=follow)

    def post(self, path, form, csrf_from=None):
        """POSTs FORM with the CSRF token of the page at CSRF_FROM (default: PATH)."""
        _, _, page = self.get(csrf_from or path)
        pairs = list(form.items()) if isinstance(form, dict) else list(form)
        return self.request(path, [("csrf", csrf_token(page))] + pairs)


def csrf_token(page):
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, page
    return found.group(1)


def pending_id(page):
    """The pending sign-in id the SMS-code form carries."""
    found = re.search(r'name="pending" value="([0-9a-f]{64})"', page)
    assert found, page
    return found.group(1)


def element_text(page, element_id):
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    return found.group(1) if found else None


class SmsSpool:
    """The messages the development gateway ([sms] gateway = spool) wrote for SUITE."""

    def __init__(self, suite):
        self.path = os.path.join(suite.dir, "var", "sms", "sms.jsonl")

    def messages(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            return [json.loads(line) for line in f]

    def count(self):
        return len(self.messages())

    def last(self):
        """(number, code) of the newest message."""
        message = self.messages()[-1]
        return message["to"], code_in(message["text"])


def sign_in(test, base, user, password, spool, browser=None):
    """Signs USER in with PASSWORD and the SMS code from SPOOL (asserting each step with
    TEST); returns the browser."""
    browser = browser or Browser(base)
    before = spool.count()
    status, _, page = browser.post("/signin", {"user": user, "password": password})
    test.assertEqual(status, 200, page)
    test.assertIn('id="code-form"', page)
    test.assertEqual(spool.count(), before + 1)
    status, url, page = browser.request("/signin/code", {
        "csrf": csrf_token(page), "pending": pending_id(page), "code": spool.last()[1]})
    test.assertEqual((status, url), (200, base + "/"), page)
    test.assertEqual(element_text(page, "account"), user)
    return browser


def sign_in_without_code(test, base, user, password):
    """Signs in USER, whose password alone signs in (a service account); returns the
    browser."""
    browser = Browser(base)
    status, url, page = browser.post("/signin", {"user": user, "password": password})
    test.assertEqual((status, url), (200, base + "/"), page)
    return browser
