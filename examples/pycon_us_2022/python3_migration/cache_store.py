"""The storage under the migrating cache: signed entries, written atomically, one file per key.

Two rules make a cache safe to share between processes and interpreter versions:

- **Atomic writes.** An entry is written to a temporary file in the same folder and moved into
  place with ``os.replace``, which is atomic on POSIX and Windows: a reader sees the old entry or
  the new one, never half of one, however many writers race.
- **Read only what we wrote.** Every entry carries an HMAC-SHA256 of its key, format and payload,
  made with a secret key that only the application knows. An entry whose MAC does not verify,
  because it is torn, corrupt, truncated or forged, is a *miss*: its bytes are never decoded,
  and above all never unpickled (unpickling runs code named by the data).

```python
import tempfile
from pathlib import Path
from examples.pycon_us_2022.python3_migration.cache_store import SignedFileStore

with tempfile.TemporaryDirectory() as folder:
    store = SignedFileStore(Path(folder), secret=b"k" * 32)
    store.put("user:1", "json", b'{"name": "Ada"}')
    assert store.get("user:1") == ("json", b'{"name": "Ada"}')
    (Path(folder) / store.filename("user:1")).write_bytes(b"torn")
    assert store.get("user:1") is None
```
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.regular_files import read_regular

MAGIC = b"MCE1"  # "migrating cache entry", format 1
KINDS = {"json": b"J", "pickle": b"P"}
FORMATS = {code: kind for kind, code in KINDS.items()}
MAC_SIZE = hashlib.sha256().digest_size
HEADER = len(MAGIC) + 1 + MAC_SIZE
MIN_SECRET = 16


class SignedFileStore:
    """Entries ``MAGIC | kind | HMAC(secret, key | kind | payload) | payload`` in a folder."""

    def __init__(self, folder: Path, secret: bytes) -> None:
        if len(secret) < MIN_SECRET:
            raise ValueError(f"the signing secret needs at least {MIN_SECRET} bytes")
        self.folder = folder
        self._secret = secret
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def filename(key: str) -> str:
        """Keys may hold any character; file names are their SHA-256 (no path tricks, no clash)."""
        return hashlib.sha256(key.encode("utf-8")).hexdigest() + ".entry"

    def _mac(self, key: str, code: bytes, payload: bytes) -> bytes:
        signed = hmac.new(self._secret, digestmod=hashlib.sha256)
        # Length-prefix the key so that ("ab", "c…") and ("a", "bc…") can never sign alike.
        encoded = key.encode("utf-8")
        signed.update(len(encoded).to_bytes(8, "big") + encoded + code + payload)
        return signed.digest()

    def put(self, key: str, kind: str, payload: bytes) -> None:
        """Write one entry atomically: a temporary file in the same folder, then os.replace."""
        code = KINDS[kind]
        entry = MAGIC + code + self._mac(key, code, payload) + payload
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".entry")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(entry)
                stream.flush()
                os.fsync(stream.fileno())  # the bytes are on disk before the name points to them
            Path(temporary).replace(self.folder / self.filename(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> tuple[str, bytes] | None:
        """(kind, payload) of a verified entry; None for a missing, torn, corrupt or forged one."""
        try:  # a FIFO or a folder in its place, a link loop, no permission: all misses, at once
            entry = read_regular(self.folder / self.filename(key))
        except OSError:
            return None
        if len(entry) < HEADER or not entry.startswith(MAGIC):
            return None
        code, mac, payload = entry[4:5], entry[5:HEADER], entry[HEADER:]
        if code not in FORMATS:
            return None
        # compare_digest takes the same time wherever the MACs differ: no timing oracle.
        if not hmac.compare_digest(mac, self._mac(key, code, payload)):
            return None
        return FORMATS[code], payload

    def delete(self, key: str) -> None:
        (self.folder / self.filename(key)).unlink(missing_ok=True)


def census(folder: Path) -> dict[str, int]:
    """How many entries of each format a cache folder holds (the signal to flip to JSON only).

    Counts by header alone, without the secret: "unreadable" entries are not in this format at
    all. Whether an entry's MAC verifies only the application, holding the secret, can tell.
    """
    counts = {"json": 0, "pickle": 0, "unreadable": 0}
    for path in sorted(folder.glob("*.entry")):
        if path.name.startswith(".tmp-"):
            continue  # a write in progress (or one that a crash interrupted)
        try:
            head = read_regular(path, limit=len(MAGIC) + 1)
        except OSError:  # a FIFO, folder or link loop named like an entry: never waited on
            head = b""
        kind = FORMATS.get(head[4:5]) if head.startswith(MAGIC) else None
        counts[kind or "unreadable"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="cache_store", description="Count the json, pickle and unreadable entries of a cache."
    )
    parser.add_argument("folder", type=Path, help="a cache folder")
    args = parser.parse_args()
    if not args.folder.is_dir():
        raise UsageError(f"no such cache folder: {args.folder}")
    print(", ".join(f"{n} {kind}" for kind, n in census(args.folder).items()))
    return 0


if __name__ == "__main__":
    run(main, prog="cache_store")
