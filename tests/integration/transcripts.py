"""Runs protocol transcripts: files of client lines ("C: ") and the exact server lines
("S: ") expected in reply, with variables ($alice) replaced before sending and comparing.
Whole lines are compared; a missing or extra line fails the transcript."""

import os
import socket

TRANSCRIPT_DIR = os.path.join(os.path.dirname(__file__), "..", "transcripts")


def load(path, variables):
    steps = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            for name, value in variables.items():
                line = line.replace(f"${name}", value)
            kind, text = line[:2], line[3:]
            if kind not in ("C:", "S:"):
                raise ValueError(f"{path}: line must start with C: or S: — {line!r}")
            steps.append((kind, text))
    return steps


class LineSocket:
    def __init__(self, port, timeout=30):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def send_line(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def read_line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode("utf-8", errors="replace")

    def close(self):
        self.sock.close()


def run(path, port, variables):
    """Plays the transcript at PATH against PORT; returns a list of mismatch descriptions."""
    conn = LineSocket(port)
    problems = []
    try:
        for kind, text in load(path, variables):
            if kind == "C:":
                conn.send_line(text)
                continue
            got = conn.read_line()
            if got != text:
                problems.append(f"expected {text!r}, got {got!r}")
                break
        else:
            extra = conn.read_line()
            if extra is not None:
                problems.append(f"unexpected extra line {extra!r}")
    finally:
        conn.close()
    return problems


def files(protocol):
    folder = os.path.join(TRANSCRIPT_DIR, protocol)
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith(".txt"))
