#!/usr/bin/env python3
"""govmail-test-dns: the CTest fixture `dns`, ONE authoritative DNS server (Debian's dnsmasq)
on a loopback port for the whole test run, serving the records of the test domains below:
SPF that lets 127.0.0.1 send or not, a DKIM public key, DMARC policies and MX. It answers
every other name at once with NXDOMAIN and asks no one else, so no test waits on the
internet. The rspamd fixture (govmail-test-rspamd) and the MX look-up tests ask it.

    test_dns.py start ROOT   make the DKIM key, write ROOT/dnsmasq.conf, start dnsmasq,
                             write ROOT/address ("127.0.0.1:PORT"); prints the start-up time
    test_dns.py stop ROOT    stop it

The DKIM key is made at start (none is committed): ROOT/dkim.key, the private half of the
key published at govmail._domainkey.dkim.test, for the tests that sign mail with it."""

import base64
import os
import random
import signal
import socket
import subprocess
import sys
import time

DKIM_SELECTOR = "govmail"
SPF_PASS = "v=spf1 ip4:127.0.0.1 -all"
SPF_FAIL_ALL = "v=spf1 -all"

# name -> TXT strings. The mail of the tests comes from 127.0.0.1.
TXT_RECORDS = {
    "spf-pass.test": SPF_PASS,
    "spf-include.test": "v=spf1 include:spf-pass.test -all",
    "spf-fail.test": "v=spf1 ip4:192.0.2.1 -all",
    "spf-softfail.test": "v=spf1 ip4:192.0.2.1 ~all",
    "dkim.test": SPF_PASS,
    "dmarc-reject.test": SPF_FAIL_ALL,
    "_dmarc.dmarc-reject.test": "v=DMARC1; p=reject",
    "dmarc-quarantine.test": SPF_FAIL_ALL,
    "_dmarc.dmarc-quarantine.test": "v=DMARC1; p=quarantine",
    "greylist.test": SPF_PASS,
}
# name -> (exchange, preference); each exchange gets 127.0.0.1.
MX_RECORDS = {"mx.test": ("mail.mx.test", 10)}

START_TIMEOUT_S = 10


def free_port():
    """A loopback port free for both UDP and TCP, below the kernel's ephemeral range (see
    tests/integration/harness.py free_port)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    while True:
        port = random.randrange(10000, max(ephemeral_low, 10001))
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, socket.socket() as t:
                u.bind(("127.0.0.1", port))
                t.bind(("127.0.0.1", port))
                return port
        except OSError:
            continue


def make_dkim_key(root):
    """The private key in ROOT/dkim.key; returns the public half as a DKIM p= value."""
    key = os.path.join(root, "dkim.key")
    subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True,
                   stderr=subprocess.DEVNULL)
    public = subprocess.run(["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"],
                            check=True, capture_output=True).stdout
    return base64.b64encode(public).decode()


def txt_line(name, text):
    """A dnsmasq txt-record line; a TXT string holds at most 255 bytes, so long text (a DKIM
    key) goes as several strings, which a reader joins."""
    parts = [text[i:i + 255] for i in range(0, len(text), 255)]
    return f"txt-record={name}," + ",".join(f'"{p}"' for p in parts)


def dnsmasq_config(dkim_public):
    lines = ["# Written by tests/support/test_dns.py at every start.",
             "no-resolv", "no-hosts", "no-poll",
             # Every name is answered here: NXDOMAIN for what is not below.
             "local=/#/"]
    records = dict(TXT_RECORDS)
    records[f"{DKIM_SELECTOR}._domainkey.dkim.test"] = f"v=DKIM1; k=rsa; p={dkim_public}"
    lines += [txt_line(name, text) for name, text in records.items()]
    for name, (exchange, preference) in MX_RECORDS.items():
        lines += [f"mx-host={name},{exchange},{preference}",
                  f"host-record={exchange},127.0.0.1"]
    return "\n".join(lines) + "\n"


def stop(root):
    """Stops the dnsmasq of ROOT's pid file (dnsmasq removes the file as it exits); a pid
    file a crashed run left behind may name another program now, which is left alone."""
    pid_file = os.path.join(root, "dnsmasq.pid")
    try:
        with open(pid_file) as f:
            pid = int(f.read())
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() != "dnsmasq":
                raise ProcessLookupError
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + START_TIMEOUT_S
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def running(pid):
    """Whether PID still runs: a process that ended but is not yet reaped (a zombie, which a
    container's init may leave a while) does not."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start(root):
    started = time.monotonic()
    stop(root)  # one a crashed run left behind goes first
    config = os.path.join(root, "dnsmasq.conf")
    with open(config, "w") as f:
        f.write(dnsmasq_config(make_dkim_key(root)))
    port = free_port()
    user = ["--user=root", "--group=root"] if os.geteuid() == 0 else []
    # dnsmasq forks into the background once it listens: when it returns, it answers.
    subprocess.run(["dnsmasq", f"--conf-file={config}", "--listen-address=127.0.0.1",
                    "--bind-interfaces", f"--port={port}",
                    f"--pid-file={os.path.join(root, 'dnsmasq.pid')}",
                    f"--log-facility={os.path.join(root, 'dnsmasq.log')}", *user],
                   check=True, timeout=START_TIMEOUT_S)
    with open(os.path.join(root, "address"), "w") as f:
        f.write(f"127.0.0.1:{port}\n")
    print(f"dnsmasq at 127.0.0.1:{port}, started in {time.monotonic() - started:.2f} s")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        print("usage: test_dns.py start|stop ROOT", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[2])
    os.makedirs(root, exist_ok=True)
    start(root) if sys.argv[1] == "start" else stop(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
