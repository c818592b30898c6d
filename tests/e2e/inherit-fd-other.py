#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""inherit-fd.sh for the files bash cannot make: a unix socket and a
terminal as the writer's stdout (inherit-writer.c). Each is marked external
at dump (crtool cannot dump either by itself) and replaced at restore by a
new one handed in as fd 3: the very next tick must arrive there.
Usage: e2e-reaper python3 inherit-fd-other.py WRITER CRTOOL (the reaper
reaps the orphaned writers)."""
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile

writer, crtool = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="crtool-inherit-other.")


def fail(why):
    for log in sorted(os.listdir(tmp)):
        if log.endswith((".log", ".out")):
            with open(os.path.join(tmp, log)) as f:
                print(f"--- last lines of {log}\n" + "".join(f.readlines()[-15:]))
    print(f"FAIL inherit-fd-other: {why}")
    sys.exit(1)


def socket_pair():
    """(the writer's end, ours) of a new unix socket pair."""
    a, b = socket.socketpair()
    return a.detach(), b.detach()


def tty_pair():
    """(the writer's end, ours) of a new terminal: its slave, its master."""
    master, slave = os.openpty()
    return slave, master


class Lines:
    """The lines coming out of our end @fd (a terminal's \\r taken off)."""

    def __init__(self, fd):
        self.fd, self.buf = fd, b""

    def next(self, wait):
        """The next line, or None after @wait seconds of silence or at the end."""
        while b"\n" not in self.buf:
            if not select.select([self.fd], [], [], wait)[0]:
                return None
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:  # EIO: nobody holds the terminal any more
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.replace(b"\r", b"").decode()


def crtool_run(step, args, handed=None):
    """crtool ARGS with our fd @handed as its fd 3; fails the test unless it exits 0."""
    def hand():
        if handed == 3:
            os.set_inheritable(3, True)
        elif handed is not None:
            os.dup2(handed, 3)
    log = os.path.join(tmp, step + ".log")
    with open(os.path.join(tmp, step + ".out"), "w") as out:
        r = subprocess.run([crtool] + args + ["-o", log, "-v4"], stdout=out, stderr=out,
                           preexec_fn=hand, pass_fds=(3,) if handed is not None else (),
                           timeout=20)
    if r.returncode:
        fail(f"crtool {' '.join(args)} exited {r.returncode}")


def case(name, make_pair):
    child_end, ours = make_pair()
    started = subprocess.Popen(["setsid", writer], stdin=subprocess.DEVNULL, stdout=child_end,
                               stderr=subprocess.DEVNULL)
    os.close(child_end)
    lines = Lines(ours)
    pid = int((lines.next(10) or "pid 0").split()[1])
    last = 0
    while last < 5:
        line = lines.next(10)
        if not line:
            fail(f"{name}: no tick 5 from the writer")
        last = int(line.split()[1])
    key = os.readlink(f"/proc/{pid}/fd/1")
    images = os.path.join(tmp, name)
    crtool_run(name + "-dump", ["dump", "-t", str(pid), "-D", images, "--inherit-fd", key])
    # setsid ran the writer in its own process: a child of ours, to reap.
    if started.pid != pid:
        fail(f"{name}: the writer is {pid}, not the started {started.pid}")
    started.wait(10)
    # What the writer wrote before it was dumped (and killed).
    while (line := lines.next(1)) is not None:
        last = int(line.split()[1])
    os.close(ours)
    child_end, ours = make_pair()
    crtool_run(name + "-restore", ["restore", "-D", images, "-d", "--inherit-fd", f"fd[3]:{key}"],
               handed=child_end)
    os.close(child_end)
    got = Lines(ours).next(10)
    os.kill(pid, 9)
    os.close(ours)
    if got != f"tick {last + 1}":
        fail(f"{name} ({key}): the new one got '{got}' first, not tick {last + 1}")
    return key


try:
    keys = [case("socket", socket_pair), case("tty", tty_pair)]
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print(f"PASS inherit-fd-other (unix socket {keys[0]}, terminal {keys[1]})")
