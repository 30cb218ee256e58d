"""Unix domain sockets: two-way channels between processes on one machine.

``named``: a server binds an ``AF_UNIX`` socket to a path. The path is a rendezvous, not a file of
data: ``open()`` on it fails, and its permission bits decide who may ``connect()``. The server can
ask the kernel who the client is (``SO_PEERCRED``: PID, UID, GID), something TCP cannot tell it.
``pair``: ``socket.socketpair()`` then ``os.fork()``: each process keeps one end of an already
connected pair and closes the other, giving a parent↔child channel with no name at all.

```python
from examples.pycon_us_2022.linux_features.unix_sockets import shout

assert shout(b"hello penguins") == b"HELLO PENGUINS"
```
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import stat
import struct
import tempfile
from pathlib import Path

from example_support.command_line import run
from examples.pycon_us_2022.linux_features.children import describe_exit, fork_child, reap

TIMEOUT = 10.0  # seconds; no blocking call here may wait for ever
NOBODY = 65534  # the conventional UID of the unprivileged user "nobody"


def shout(message: bytes) -> bytes:
    """What the server answers."""
    return message.upper()


def peer_credentials(connection: socket.socket) -> tuple[int, int, int]:
    """PID, UID and GID of the process at the other end (Linux's SO_PEERCRED)."""
    raw = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", raw)


def connect_as_other_user(path: Path) -> str:
    """Try to connect as a user the socket's mode shuts out; return what happened."""
    if os.geteuid() != 0:  # not root: the owner itself is shut out by mode 0o000
        path.chmod(0o000)
        try:
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(str(path))
            return "connected (unexpected)"
        except PermissionError as error:
            return f"as the owner, mode 0o000: {errno.errorcode[error.errno]}"
        finally:
            path.chmod(0o600)

    def other_user() -> int:
        os.setgid(NOBODY)
        os.setuid(NOBODY)  # root can become anyone; the socket is 0o600, owned by root
        try:
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(str(path))
        except PermissionError:
            return 13
        return 0

    path.parent.chmod(0o711)  # let "nobody" reach the folder, so only the socket's mode decides
    code = reap(fork_child(other_user))
    return f"as uid {NOBODY}, mode 0o600: {'EACCES' if code == 13 else describe_exit(code)}"


def named_socket(folder: Path) -> list[str]:
    path = folder / "penguins.sock"
    report = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))  # creates the socket file
        path.chmod(0o600)  # only this user may connect
        server.listen(1)
        server.settimeout(TIMEOUT)
        mode = path.stat().st_mode
        report.append(
            f"server: bound {path.name}: socket {stat.S_ISSOCK(mode)}, {oct(mode & 0o777)}"
        )
        try:
            path.open("rb").close()
        except OSError as error:
            report.append(f"open() on it: {errno.errorcode[error.errno]} ({error.strerror})")

        def client() -> int:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(TIMEOUT)
                sock.connect(str(path))
                sock.sendall(b"hello penguins")
                answer = sock.recv(1024)
                sock.sendall(b"client got " + answer)  # two-way: the client talks again
            return 0

        pid = fork_child(client)
        connection, _ = server.accept()
        with connection:
            connection.settimeout(TIMEOUT)
            peer_pid, peer_uid, _ = peer_credentials(connection)
            request = connection.recv(1024)
            connection.sendall(shout(request))
            last = connection.recv(1024)
        report.append(f"server: received {request!r} from PID {peer_pid}, UID {peer_uid}")
        report.append(f"server: the peer is the forked client: {peer_pid == pid}")
        report.append(f"server: then received {last!r}")
        report.append(f"client: {describe_exit(reap(pid))}")
        report.append(f"another user's connect(): {connect_as_other_user(path)}")
    path.unlink()  # closing the socket does not remove its name
    report.append(f"removed {path.name}: exists {path.exists()}")
    return report


def socket_pair() -> list[str]:
    parent_end, child_end = socket.socketpair()
    parent_end.settimeout(TIMEOUT)

    def child() -> int:
        parent_end.close()  # each process keeps one end
        with child_end:
            child_end.settimeout(TIMEOUT)
            question = child_end.recv(1024)
            child_end.sendall(f"pong from PID {os.getpid()} to {question.decode()!r}".encode())
        return 0

    pid = fork_child(child)
    child_end.close()
    with parent_end:
        parent_end.sendall(b"ping")
        answer = parent_end.recv(1024).decode()
    return [
        f"parent: socketpair() gave {parent_end.family.name} {parent_end.type.name} ends",
        f"parent: sent 'ping', received {answer!r}",
        f"parent: the answer came from the forked child: {str(pid) in answer}",
        f"child: {describe_exit(reap(pid))}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="unix_sockets",
        description="A named AF_UNIX socket guarded by its mode, or socketpair() + fork().",
    )
    parser.add_argument("demo", choices=["named", "pair"])
    args = parser.parse_args()
    if args.demo == "pair":
        lines = socket_pair()
    else:
        with tempfile.TemporaryDirectory() as folder:
            lines = named_socket(Path(folder))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    run(main, prog="unix_sockets")
