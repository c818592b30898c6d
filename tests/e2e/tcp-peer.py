#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A TCP peer outside the dumped tree, for victims/tcp-conn.c --peer.

tcp-peer.py PORTFILE GOFILE VERDICT: listens on 127.0.0.1 (a small receive
buffer), writes its port to PORTFILE, takes one connection and sends it
5000 bytes (byte i is (i * 7 + 3) & 0xff). It reads nothing until GOFILE
exists, then everything up to the end of the stream, answers
"OK <bytes> <crc32>" and closes. VERDICT gets "PASS <bytes> <crc32>" or
"FAIL <reason>" (a reset connection, a timeout, ...).
"""
import os
import socket
import sys
import time
import zlib

TIMEOUT = 50


def serve(portfile, gofile):
    lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # inherited by the accepted socket: the victim's data soon fills it
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    lsn.bind(("127.0.0.1", 0))
    lsn.listen(1)
    lsn.settimeout(TIMEOUT)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lsn.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    conn, _ = lsn.accept()
    conn.settimeout(TIMEOUT)
    conn.sendall(bytes((i * 7 + 3) & 0xFF for i in range(5000)))
    end = time.monotonic() + TIMEOUT
    while not os.path.exists(gofile):
        if time.monotonic() > end:
            return "FAIL no go from the victim"
        time.sleep(0.05)
    total, crc = 0, 0
    while True:
        data = conn.recv(65536)
        if not data:
            break
        total += len(data)
        crc = zlib.crc32(data, crc)
    conn.sendall(b"OK %d %d\n" % (total, crc))
    conn.close()
    return "PASS %d %d" % (total, crc)


def main():
    portfile, gofile, verdict = sys.argv[1:4]
    try:
        result = serve(portfile, gofile)
    except OSError as e:
        result = "FAIL %s" % e
    with open(verdict, "w") as f:
        f.write(result + "\n")
    return 0 if result.startswith("PASS") else 1


sys.exit(main())
