#!/usr/bin/env python3
"""Writes COUNT RFC 5322 messages (4-20 KiB, plain text or multipart with a small base64
attachment, fixed seed) to DIR as 00001.eml, ... for bench/imap/run.sh."""
import base64
import os
import random
import sys

WORDS = ("report budget meeting agenda minutes policy review draft office team project "
         "schedule request approval committee annual notice document ministry regional "
         "quarterly update summary contract audit plan training travel").split()


def text(rnd, size):
    out, n = [], 0
    while n < size:
        line = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 12)))
        out.append(line)
        n += len(line) + 2
    return "\r\n".join(out)


def main():
    d, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(d, exist_ok=True)
    rnd = random.Random(20261123)
    for i in range(1, count + 1):
        size = rnd.randint(4096, 20480)
        subject = " ".join(rnd.choice(WORDS) for _ in range(4)) + " #%d" % i
        hdr = (
            "From: Sender %d <sender%d@example.org>\r\n"
            "To: bench@localhost\r\n"
            "Subject: %s\r\n"
            "Date: Mon, %d Nov 2026 %02d:%02d:00 +0900\r\n"
            "Message-ID: <bench-%d@example.org>\r\n"
            "MIME-Version: 1.0\r\n" % (i % 50, i % 50, subject, 1 + i % 28, i % 24, i % 60, i)
        )
        if i % 3:
            body = text(rnd, size - len(hdr) - 60)
            msg = hdr + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
        else:
            att = base64.encodebytes(rnd.randbytes(size // 3)).decode().replace("\n", "\r\n")
            body = text(rnd, size - len(hdr) - len(att) - 300)
            msg = (hdr + 'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % i
                   + "--b%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n" % (i, body)
                   + "--b%d\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Disposition: attachment; filename=\"a%d.bin\"\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b%d--\r\n" % (i, i, att, i))
        with open(os.path.join(d, "%05d.eml" % i), "w", newline="") as f:
            f.write(msg)


if __name__ == "__main__":
    main()
