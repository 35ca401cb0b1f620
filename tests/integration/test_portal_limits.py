"""The portal under slow and numerous clients, over real TLS sockets: a client that trickles its
request one byte at a time is disconnected when portal.request_timeout_s passes (one deadline
for the whole request, not one per read), and a connection over the connection limits is
closed without a reply, never answered in plaintext on the TLS port, and logged; every other
visitor goes on being served."""

import socket
import ssl
import time
import unittest

from harness import Suite, client_tls_context

REQUEST_TIMEOUT_S = 2
MAX_PER_ADDRESS = 2


def closed(tls):
    """Whether the server has closed TLS: reads what has arrived (a session ticket, say)
    without waiting for more."""
    tls.setblocking(False)
    try:
        while tls.recv(4096):
            pass
        return True
    except ssl.SSLWantReadError:
        return False
    finally:
        tls.settimeout(10)


class PortalLimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.suite = Suite(daemons=())
        cls.addClassCleanup(cls.suite.stop)
        with open(cls.suite.config, "a") as f:
            f.write(f"""[portal]
listen = 127.0.0.1:{cls.suite.ports['portal']}
request_timeout_s = {REQUEST_TIMEOUT_S}
max_connections_per_address = {MAX_PER_ADDRESS}
""")
        cls.suite.start("portal")

    def tls_connection(self):
        sock = socket.create_connection(("127.0.0.1", self.suite.ports["portal"]), timeout=10)
        return client_tls_context().wrap_socket(sock, server_hostname="localhost")

    def sign_in_page_status(self):
        """The status line of GET /signin on a fresh connection."""
        with self.tls_connection() as tls:
            tls.sendall(b"GET /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
        return answer.split(b"\r\n", 1)[0]

    def test_a_request_trickled_a_byte_at_a_time_is_cut_at_the_deadline(self):
        request = b"GET /signin HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100
        with self.tls_connection() as tls:
            start = time.monotonic()
            closed_after = None
            for byte in request:
                try:
                    tls.sendall(bytes([byte]))
                    time.sleep(0.25)
                    if closed(tls):
                        closed_after = time.monotonic() - start
                        break
                except (ssl.SSLError, ConnectionError):
                    closed_after = time.monotonic() - start
                    break
                if time.monotonic() - start > 4 * REQUEST_TIMEOUT_S:
                    break
        self.assertIsNotNone(closed_after, "a trickling client was never disconnected")
        self.assertGreaterEqual(closed_after, REQUEST_TIMEOUT_S - 0.5)
        self.assertLess(closed_after, REQUEST_TIMEOUT_S + 1.5)
        self.assertEqual(self.sign_in_page_status(), b"HTTP/1.1 200 OK")

    def test_connections_over_the_limit_are_closed_without_a_plaintext_reply(self):
        held = [self.tls_connection() for _ in range(MAX_PER_ADDRESS)]
        try:
            with socket.create_connection(("127.0.0.1", self.suite.ports["portal"]),
                                          timeout=10) as raw:
                try:
                    answer = raw.recv(4096)
                except ConnectionResetError:
                    answer = b""
                self.assertEqual(answer, b"", "no plaintext on the TLS port")
            with self.assertRaises((ssl.SSLError, ConnectionError)):
                self.tls_connection().close()
        finally:
            for tls in held:
                tls.close()
        # Once the held connections end, a visitor is served again.
        deadline = time.monotonic() + 10
        while True:
            try:
                self.assertEqual(self.sign_in_page_status(), b"HTTP/1.1 200 OK")
                break
            except (ssl.SSLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.assertIn(f"connection from 127.0.0.1 to port {self.suite.ports['portal']} refused: "
                      "too many connections (closed without a reply)", self.suite.log("portal"))


if __name__ == "__main__":
    unittest.main()
