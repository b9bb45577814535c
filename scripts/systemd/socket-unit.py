#!/usr/bin/env python3
"""A stand-in for tripod.socket + tripod.service's Restart=on-failure, for tests and trying by hand.

Usage: socket-unit.py HOST:PORT NAME -- COMMAND [ARGS...]
Binds and listens on HOST:PORT (as systemd does for ListenStream=), then runs COMMAND with the socket
at fd 3 and LISTEN_PID (the command's own PID), LISTEN_FDS=1, LISTEN_FDNAMES=NAME in its environment.
When the command dies of a signal or exits non-zero it is started again with the same socket, which
never closes; when it exits 0 this exits 0. SIGTERM/SIGINT are forwarded to the command.
Prints one JSON line per event: {"listening": port}, {"started": pid}, {"exited": pid, "code": n, "signal": n}.
"""
import json
import os
import signal
import socket
import sys
import time


def say(event: dict) -> None:
    print(json.dumps(event), flush=True)


def spawn(sock: socket.socket, name: str, argv: list) -> int:
    pid = os.fork()
    if pid == 0:
        if sock.fileno() == 3:
            os.set_inheritable(3, True)
        else:
            os.dup2(sock.fileno(), 3)  # inheritable: the command gets it, as systemd passes fds
        env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="1", LISTEN_FDNAMES=name)
        os.execvpe(argv[0], argv, env)
    return pid


def main() -> None:
    address, name, sep, *argv = sys.argv[1:]
    if sep != "--" or not argv:
        sys.exit(__doc__)
    host, port = address.rsplit(":", 1)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), int(port)))
    sock.listen(511)
    say({"listening": sock.getsockname()[1]})
    child = 0
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        if child:
            os.kill(child, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        child = spawn(sock, name, argv)
        say({"started": child})
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        say({"exited": child, "code": code if code >= 0 else None, "signal": -code if code < 0 else None})
        if code == 0 or stopping:
            sys.exit(0 if code == 0 else 1)
        time.sleep(0.2)  # RestartSec=


if __name__ == "__main__":
    main()
