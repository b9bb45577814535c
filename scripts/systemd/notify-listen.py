#!/usr/bin/env python3
"""A stand-in for systemd's notify socket, for tests and for trying tripod-cop by hand.

Usage: notify-listen.py SOCKET_PATH
Binds an AF_UNIX SOCK_DGRAM socket at SOCKET_PATH and prints one JSON line per datagram:
{"fields": ["READY=1", "STATUS=..."], "pid": <sender PID from SCM_CREDENTIALS>, "fds": <fds passed>}.
The first line is {"listening": SOCKET_PATH}. File descriptors that come with a message (systemd-notify's
BARRIER=1 sends one) are closed at once, which is what releases the sender's barrier, as systemd does.
Runs until killed.
"""
import json
import os
import socket
import struct
import sys


def main() -> None:
    path = sys.argv[1]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    sock.bind(path)
    print(json.dumps({"listening": path}), flush=True)
    ancillary = socket.CMSG_SPACE(struct.calcsize("3i")) + socket.CMSG_SPACE(16 * struct.calcsize("i"))
    while True:
        data, cmsgs, _flags, _addr = sock.recvmsg(65536, ancillary)
        pid = None
        fds = 0
        for level, kind, payload in cmsgs:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid, _uid, _gid = struct.unpack("3i", payload[: struct.calcsize("3i")])
            elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                n = len(payload) // struct.calcsize("i")
                for fd in struct.unpack(f"{n}i", payload[: n * struct.calcsize("i")]):
                    os.close(fd)
                    fds += 1
        fields = [f for f in data.decode("utf-8", "replace").split("\n") if f]
        print(json.dumps({"fields": fields, "pid": pid, "fds": fds}), flush=True)


if __name__ == "__main__":
    main()
