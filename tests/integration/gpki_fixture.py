"""A GPKI-shaped PKI for integration tests (tests/support/gpki_test_ca.py) with its CRLs
served over HTTP as distribution points serve them, the configuration that points the
daemons at it, and TLS client contexts that present its certificates."""

import functools
import http.server
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

from harness import BIN_DIR, free_port

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from gpki_test_ca import TestPki  # noqa: E402


def client_context(cert=None):
    """TLS for clients of the suite (its server certificate is a throw-away one, not
    verified), presenting CERT (DIR/name.pem with DIR/name.key) when given."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if cert:
        ctx.load_cert_chain(cert, cert[:-4] + ".key")
    return ctx


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class CrlServer:
    """Serves DIR over HTTP on a free loopback port until stop()."""

    def __init__(self, dir):
        self.dir = dir
        handler = functools.partial(QuietHandler, directory=dir)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class GpkiFixture:
    """The test PKI under a temporary directory, its CRLs published at
    http://127.0.0.1:<port>/crl/ (the issuing CA's at CA_CRL_URL when given), the fixture
    certificates made. stop() removes it all."""

    def __init__(self, ca_crl_url=None):
        self.dir = tempfile.mkdtemp(prefix="govmail-gpki-it-")
        self.published = os.path.join(self.dir, "published")
        os.makedirs(os.path.join(self.published, "crl"))
        self.crl_server = CrlServer(self.published)
        self.crl_base = f"http://127.0.0.1:{self.crl_server.port}/crl"
        self.ocsp_port = free_port()
        self.pki = TestPki(os.path.join(self.dir, "pki"), crl_base=self.crl_base,
                           ocsp_url=f"http://127.0.0.1:{self.ocsp_port}", ca_crl_url=ca_crl_url)
        self.pki.make_fixture()
        self.publish()
        self.crl_dir = os.path.join(self.dir, "crl")
        self.key_dir = os.path.join(self.dir, "token-keys")

    def publish(self):
        """Publishes the CAs' current CRLs at their distribution points."""
        self.pki.publish_crls(os.path.join(self.published, "crl"))

    def config(self, clock_skew_s=1):
        """The [gpki] and [token] configuration of a suite that trusts this PKI."""
        return f"""[gpki]
ca_bundle = {self.pki.bundle}
crl_dir = {self.crl_dir}
[token]
key_dir = {self.key_dir}
clock_skew_s = {clock_skew_s}
"""

    def cert(self, name):
        return os.path.join(self.pki.dir, f"{name}.pem")

    @staticmethod
    def mailadm_command(config, *args):
        """mailadm's command line and an environment without proxy settings, so it reaches
        the loopback CRL server."""
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
        return [os.path.join(BIN_DIR, "mailadm"), "--config", config, *args], env

    def mailadm(self, config, *args, check=True):
        command, env = self.mailadm_command(config, *args)
        return subprocess.run(command, capture_output=True, text=True, check=check, env=env)

    def refresh_crls(self, config):
        """`mailadm gpki crl refresh`: the CA bundle's points and the issuing CA's."""
        return self.mailadm(config, "gpki", "crl", "refresh", "--url", f"{self.crl_base}/ca.crl",
                            check=False)

    def stop(self):
        self.crl_server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
