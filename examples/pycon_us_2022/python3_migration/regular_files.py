"""Reading a file that outside input names, without waiting forever on one that is not a file.

Every tool of this talk reads paths a user or a tree hands it: source files, a cache's entries,
the routing CSV, a JUnit report. ``open()`` on a FIFO waits for a writer that may never come, and
reading a device can return bytes forever. So these tools read only *regular* files: the path is
stat'ed first (a socket or device is never even opened), then opened non-blocking and stat'ed
again through the open descriptor, in case the name was swapped in between.

```python
import os, tempfile
from pathlib import Path
from examples.pycon_us_2022.python3_migration.regular_files import NotARegularFile, read_regular

with tempfile.TemporaryDirectory() as folder:
    os.mkfifo(Path(folder) / "pipe.py")
    try:
        read_regular(Path(folder) / "pipe.py")
    except NotARegularFile as error:
        assert error.strerror == "not a regular file (FIFO)"
```
"""

from __future__ import annotations

import errno
import os
import stat

KINDS = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFDIR: "folder",
}


class NotARegularFile(OSError):
    """The path exists but is a FIFO, socket, device or folder: skipped, never read."""


def kind(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "special file")


def _refuse(mode: int, path: str | os.PathLike) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(errno.EINVAL, f"not a regular file ({kind(mode)})", os.fspath(path))


def read_regular(path: str | os.PathLike, limit: int = -1) -> bytes:
    """The bytes of a regular file (at most ``limit``); OSError for anything else, at once.

    A broken or looping symlink raises the OSError that ``stat`` gives (ENOENT, ELOOP).
    """
    _refuse(os.stat(path).st_mode, path)  # noqa: PTH116 (str or Path alike, as os.open)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    descriptor = os.open(path, flags)
    with open(descriptor, "rb", closefd=True) as stream:  # noqa: PTH123 (a descriptor, not a path)
        _refuse(os.fstat(descriptor).st_mode, path)  # the name may have changed since the stat
        return stream.read(limit)
