#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and relays bytes: stdin -> terminal, terminal -> stdout.

    python3 pty_relay.py COLS ROWS TIMEOUT_SECONDS -- command args...

Used by tests/support/pty.ts to drive interactive programs as a person at a terminal would. Exits
with the command's status (124 if the timeout ran out and the command was killed).
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main() -> int:
    sep = sys.argv.index("--")
    cols, rows, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    command = sys.argv[sep + 1:]

    pid, master = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)

    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    deadline = time.monotonic() + timeout
    stdin_open = True
    status = None
    while True:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 124
        fds = [master] + ([0] if stdin_open else [])
        ready, _, _ = select.select(fds, [], [], 0.05)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if data:
                os.write(1, data)
            else:
                break
        if 0 in ready:
            data = os.read(0, 65536)
            if data:
                os.write(master, data)
            else:
                stdin_open = False
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
    if status is None:
        _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
