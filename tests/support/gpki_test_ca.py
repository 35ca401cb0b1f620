#!/usr/bin/env python3
"""A GPKI-shaped test PKI made with the openssl command at test time (no key is ever
committed): a root (GPKIRootCA1) and the issuing CA CA131100001 under it, officials'
certificates shaped like GPKI ones (subject CN=089홍길동001, OU=<agency>, O=Government of
Korea, C=KR; policy 1.2.410.100001.2.2.1; key usage digitalSignature + nonRepudiation and no
clientAuth; CRL distribution point and OCSP responder address), CRLs, and an OCSP responder
(`openssl ocsp`).

    python3 gpki_test_ca.py DIR [--crl-base URL] [--ocsp-url URL]

makes DIR/bundle.pem, DIR/crl/{root,ca}.crl and the fixture certificates good, expired,
revoked, wrong_policy, server_eku and rogue (same issuer name, other key), each as
DIR/<name>.pem + DIR/<name>.key."""

import argparse
import os
import subprocess
import sys

GPKI_POLICY = "1.2.410.100001.2.2.1"
OTHER_POLICY = "1.2.410.100001.2.1.1"
ISSUER_DN = "/C=KR/O=Government of Korea/OU=GPKI/CN=CA131100001"
ROOT_DN = "/C=KR/O=Government of Korea/OU=GPKI/CN=GPKIRootCA1"
PERSON_CN = "089홍길동001"

CA_CONFIG = """[ca]
default_ca = ca_default
[ca_default]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/newcerts
certificate = {dir}/ca.pem
private_key = {dir}/ca.key
serial = {dir}/serial
crlnumber = {dir}/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 7
policy = policy_any
unique_subject = no
utf8 = yes
string_mask = utf8only
preserve = yes
[policy_any]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
"""


def openssl(*args, **kwargs):
    return subprocess.run(["openssl", *args], check=True, capture_output=True, **kwargs)


class Authority:
    """One CA with its own `openssl ca` database under DIR."""

    def __init__(self, dir, dn, crl_url, issuer=None, ext=None):
        self.dir = dir
        self.cert = os.path.join(dir, "ca.pem")
        self.key = os.path.join(dir, "ca.key")
        self.config = os.path.join(dir, "ca.cnf")
        os.makedirs(os.path.join(dir, "newcerts"), exist_ok=True)
        open(os.path.join(dir, "index.txt"), "w").close()
        with open(os.path.join(dir, "serial"), "w") as f:
            f.write(os.urandom(8).hex().upper() + "\n")
        with open(os.path.join(dir, "crlnumber"), "w") as f:
            f.write("1000\n")
        with open(self.config, "w") as f:
            f.write(CA_CONFIG.format(dir=dir))
        new_key(self.key)
        ca_ext = ("basicConstraints = critical, CA:TRUE\n"
                  "keyUsage = critical, keyCertSign, cRLSign\n"
                  "subjectKeyIdentifier = hash\n"
                  f"certificatePolicies = 2.5.29.32.0\n")
        if issuer is None:
            ext_file = write(os.path.join(dir, "self.ext"), "[v3]\n" + ca_ext)
            openssl("req", "-x509", "-new", "-utf8", "-key", self.key, "-subj", dn,
                    "-days", "3650", "-config", ext_file, "-extensions", "v3",
                    "-out", self.cert)
        else:
            issuer.issue(self.cert, self.key, dn,
                         ca_ext + "authorityKeyIdentifier = keyid\n"
                         f"crlDistributionPoints = URI:{crl_url}\n" + (ext or ""))

    def issue(self, cert, key, dn, extensions, start=None, end=None):
        csr = cert + ".csr"
        if not os.path.exists(key):
            new_key(key)
        openssl("req", "-new", "-utf8", "-key", key, "-subj", dn, "-out", csr)
        ext_file = write(cert + ".ext", "[v3]\n" + extensions)
        dates = ["-startdate", start, "-enddate", end] if start else ["-days", "365"]
        openssl("ca", "-batch", "-utf8", "-notext", "-config", self.config, "-in", csr,
                "-out", cert, "-extfile", ext_file, "-extensions", "v3", *dates)
        return cert

    def revoke(self, cert):
        openssl("ca", "-batch", "-config", self.config, "-revoke", cert)

    def gencrl(self, out, *dates, extensions=None, only=None):
        """A CRL in OUT (PEM); DATES are extra `openssl ca` options such as
        -crl_lastupdate/-crl_nextupdate, EXTENSIONS lines of CRL extensions (freshestCRL,
        deltaCRL); ONLY, a list of certificate files, lists just those (for a delta CRL)."""
        config, options = self.config, list(dates)
        if extensions or only:
            text = read(self.config) + "[crl_ext]\n" + (extensions or "")
            if only:
                serials = {serial_of(cert) for cert in only}
                index = os.path.join(self.dir, "index.txt")
                lines = [line for line in read(index).splitlines(keepends=True)
                         if line.split("\t")[3] in serials]
                text = text.replace(index, write(out + ".index", "".join(lines)))
            config = write(out + ".cnf", text)
            options += ["-crlexts", "crl_ext"]
        openssl("ca", "-batch", "-config", config, "-gencrl", "-out", out, *options)
        return out

    def ocsp_responder(self, port):
        """An `openssl ocsp` responder for this CA's database on PORT (the caller ends it)."""
        return subprocess.Popen(
            ["openssl", "ocsp", "-index", os.path.join(self.dir, "index.txt"),
             "-port", str(port), "-rsigner", self.cert, "-rkey", self.key, "-CA", self.cert,
             "-ignore_err"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def new_key(path):
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    os.chmod(path, 0o600)


def serial_of(cert):
    """CERT's serial number in upper-case hex, as `openssl ca`'s index has it."""
    return openssl("x509", "-in", cert, "-noout", "-serial").stdout.decode().strip().split("=")[1]


def to_der(pem, out):
    """PEM CRL file PEM as DER in OUT (PEM is removed)."""
    openssl("crl", "-in", pem, "-outform", "DER", "-out", out)
    os.remove(pem)
    return out


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def person_extensions(crl_url, ocsp_url, policy=GPKI_POLICY, extra=""):
    # A section, not "URI:...": an LDAP URL's DN has commas, which would split the list.
    return ("basicConstraints = CA:FALSE\n"
            "keyUsage = critical, digitalSignature, nonRepudiation\n"
            f"certificatePolicies = {policy}\n"
            "subjectKeyIdentifier = hash\n"
            "authorityKeyIdentifier = keyid\n"
            "crlDistributionPoints = crldp\n"
            f"authorityInfoAccess = OCSP;URI:{ocsp_url}\n" + extra +
            "[crldp]\nfullname = @crldp_names\n"
            f"[crldp_names]\nURI.0 = {crl_url}\n")


class TestPki:
    """The GPKI-shaped hierarchy under DIR. CRLs are served (by the caller) from CRL_BASE:
    CRL_BASE/root.crl and CRL_BASE/ca.crl, or the issuing CA's at CA_CRL_URL when given
    (an ldap:// distribution point, say)."""

    def __init__(self, dir, crl_base="http://127.0.0.1:9/crl", ocsp_url="http://127.0.0.1:9/ocsp",
                 ca_crl_url=None):
        self.dir = dir
        self.crl_base = crl_base
        self.ca_crl_url = ca_crl_url or f"{crl_base}/ca.crl"
        self.ocsp_url = ocsp_url
        os.makedirs(dir, exist_ok=True)
        self.root = Authority(os.path.join(dir, "root"), ROOT_DN, None)
        self.ca = Authority(os.path.join(dir, "ca131100001"), ISSUER_DN,
                            f"{crl_base}/root.crl", issuer=self.root)
        self.rogue = Authority(os.path.join(dir, "rogue"), ISSUER_DN, None)
        self.bundle = write(os.path.join(dir, "bundle.pem"),
                            read(self.root.cert) + read(self.ca.cert))
        self.crl_dir = os.path.join(dir, "crl")
        os.makedirs(self.crl_dir, exist_ok=True)
        self.publish_crls()

    def person(self, name, agency="행정안전부", policy=GPKI_POLICY, start=None, end=None,
               extra="", authority=None, cn=PERSON_CN):
        """Issues DIR/NAME.pem (+ .key) for the official CN (default 089홍길동001) in
        AGENCY."""
        cert = os.path.join(self.dir, f"{name}.pem")
        key = os.path.join(self.dir, f"{name}.key")
        dn = f"/C=KR/O=Government of Korea/OU={agency}/CN={cn}"
        (authority or self.ca).issue(
            cert, key, dn,
            person_extensions(self.ca_crl_url, self.ocsp_url, policy, extra),
            start, end)
        return cert, key

    def revoke(self, cert):
        self.ca.revoke(cert)

    def publish_crls(self, dir=None):
        """Writes root.crl and ca.crl into DIR (default: the fixture's crl/ directory),
        DER-encoded as distribution points serve them (RFC 5280 4.2.1.13)."""
        dir = dir or self.crl_dir
        os.makedirs(dir, exist_ok=True)
        for authority, name in ((self.root, "root.crl"), (self.ca, "ca.crl")):
            pem = authority.gencrl(os.path.join(dir, name + ".pem"))
            to_der(pem, os.path.join(dir, name))
        return dir

    def ca_crl(self, out, *dates, extensions=None, only=None):
        """The issuing CA's current CRL in OUT, DER-encoded; DATES, EXTENSIONS and ONLY as for
        gencrl."""
        return to_der(self.ca.gencrl(out + ".pem", *dates, extensions=extensions, only=only),
                      out)

    def ca_delta_crl(self, out, base, revoked):
        """A delta CRL (RFC 5280 5.2.4) of the issuing CA in OUT, DER-encoded, on top of the
        base CRL in file BASE, listing the certificate files REVOKED since."""
        number = int(openssl("crl", "-inform", "DER", "-in", base, "-noout", "-crlnumber")
                     .stdout.decode().strip().split("=")[1], 16)
        value = number.to_bytes(number.bit_length() // 8 + 1, "big")
        der = ":".join(f"{b:02X}" for b in bytes([2, len(value)]) + value)
        return self.ca_crl(out, extensions=f"deltaCRL = critical, DER:{der}\n", only=revoked)

    def make_fixture(self):
        """The certificates every test needs: good, expired, revoked, wrong_policy,
        server_eku (an extended key usage without clientAuth) and rogue."""
        self.person("good")
        self.person("expired", start="20200101000000Z", end="20210101000000Z")
        revoked, _ = self.person("revoked")
        self.revoke(revoked)
        self.person("wrong_policy", policy=OTHER_POLICY)
        self.person("server_eku", extra="extendedKeyUsage = serverAuth\n")
        self.person("rogue", authority=self.rogue)
        self.publish_crls()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--crl-base", default="http://127.0.0.1:9/crl")
    parser.add_argument("--ocsp-url", default="http://127.0.0.1:9/ocsp")
    args = parser.parse_args()
    TestPki(args.dir, args.crl_base, args.ocsp_url).make_fixture()
    return 0


if __name__ == "__main__":
    sys.exit(main())
