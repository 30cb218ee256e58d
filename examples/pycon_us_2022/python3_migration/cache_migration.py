"""Moving a live cache from pickle to JSON without a cold start: shadow, mixed, then JSON only.

Pickles written by Python 2 did not read back the same under Python 3 (``str`` versus
``bytes``, renamed modules), so Yelp moved its cached values to JSON, in steps that never
emptied the cache all at once:

1. **shadow**: keep reading and writing pickle, but also encode every value as JSON and log when
   the JSON round trip would change it (a tuple comes back a list, an ``int`` key a ``str``);
2. **mixed**: read JSON; on a pickle entry, decode it, return it and *write it back as JSON*;
   write new values as JSON. Over time the cache fills with JSON;
3. **json**: JSON only. A leftover pickle entry is a miss and gets recomputed.

Values that cannot become JSON at all go under a **per-version key prefix** (``py3.11:…``): each
interpreter then reads only pickles it wrote itself, so no cross-version decoding happens.
Every entry is signed and written atomically (``cache_store``), and pickle entries are
unpickled only after their signature verifies, with an unpickler that refuses every class
outside a short allowlist.

```python
import tempfile
from pathlib import Path
from examples.pycon_us_2022.python3_migration.cache_migration import MigratingCache

with tempfile.TemporaryDirectory() as folder:
    legacy = MigratingCache(Path(folder), secret=b"s" * 32, mode="pickle")
    legacy.set("prices", {"A1": 3})
    mixed = MigratingCache(Path(folder), secret=b"s" * 32, mode="mixed")
    assert mixed.get("prices") == {"A1": 3} and mixed.stats["written_back"] == 1
    assert mixed.store.get("prices")[0] == "json"
```
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import pickle
import secrets
import sys
import tempfile
from _compat_pickle import IMPORT_MAPPING, NAME_MAPPING
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.cache_store import SignedFileStore, census

MODES = ("pickle", "shadow", "mixed", "json")
log = logging.getLogger("cache_migration")
# Classes a cached pickle may name. Plain dicts, lists, str, int, float, bool, None and tuples
# need none; anything else must be listed here to be rebuilt.
SAFE_CLASSES = {("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex")}
VERSION_PREFIX = f"py{sys.version_info.major}.{sys.version_info.minor}:"


def python3_name(module: str, name: str) -> tuple[str, str]:
    """The Python 3 name of a global that a protocol 0-2 pickle names the Python 2 way.

    Python 2 wrote ``__builtin__.set``, and so does Python 3 at protocol 2 (so that Python 2 can
    read it back). ``pickle.Unpickler.find_class`` translates such names itself, but only inside
    the base method, after an override like the one below has already seen the raw name. The
    table is the one the base method uses (``_compat_pickle``); its keys are Python 2 names only.
    """
    if (module, name) in NAME_MAPPING:
        return NAME_MAPPING[(module, name)]
    return IMPORT_MAPPING.get(module, module), name


class RestrictedUnpickler(pickle.Unpickler):
    """Defence in depth behind the signature: only allowlisted classes are ever looked up."""

    def find_class(self, module: str, name: str) -> Any:
        module, name = python3_name(module, name)
        if (module, name) in SAFE_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def json_round_trip(value: Any) -> tuple[bool, str]:
    """Would JSON give the same value back? (True, "") or (False, why not)."""
    try:
        again = json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as error:
        return False, str(error)
    if again != value or _shape(again) != _shape(value):
        return False, f"comes back as {again!r}"
    return True, ""


def _shape(value: Any) -> Any:
    """The types inside a value: == says (1, 2) == [1, 2] is False, but {1: 'a'} needs this."""
    if isinstance(value, dict):
        return ("dict", [(type(k).__name__, _shape(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_shape(item) for item in value])
    return type(value).__name__


class MigratingCache:
    """A key-value cache whose serialisation migrates from pickle to JSON by ``mode``."""

    def __init__(self, folder: Path, *, secret: bytes, mode: str = "mixed") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.store = SignedFileStore(folder, secret)
        self.mode = mode
        self.stats: Counter[str] = Counter()

    # Values that JSON cannot carry live under a prefix only this interpreter version reads.

    def set_version_specific(self, key: str, value: Any) -> None:
        self.store.put(VERSION_PREFIX + key, "pickle", pickle.dumps(value, protocol=5))

    def get_version_specific(self, key: str) -> Any | None:
        found = self.store.get(VERSION_PREFIX + key)
        return self._unpickle(found[1]) if found and found[0] == "pickle" else None

    # The migrating API.

    def set(self, key: str, value: Any) -> None:
        if self.mode in {"pickle", "shadow"}:
            if self.mode == "shadow":
                self._compare(key, value)
            self.store.put(key, "pickle", pickle.dumps(value, protocol=2))
            return
        survives, why = json_round_trip(value)
        if not survives:
            # Refuse rather than store a changed value: the caller must use a version prefix.
            raise TypeError(f"{key!r} does not survive JSON ({why}); use set_version_specific")
        self.store.put(key, "json", json.dumps(value).encode("utf-8"))

    def get(self, key: str) -> Any | None:
        found = self.store.get(key)
        if found is None:
            self.stats["misses"] += 1
            return None
        kind, payload = found
        if kind == "json" and self.mode != "pickle":
            try:  # signed, so ours: but a buggy writer's bytes are a miss, not a crash
                value = json.loads(payload)
            except ValueError as error:  # not JSON, or not UTF-8
                log.warning("unusable JSON entry: %s", error)
                self.stats["misses"] += 1
                return None
            self.stats["json_hits"] += 1
            return value
        if kind == "pickle" and self.mode in {"pickle", "shadow", "mixed"}:
            value = self._unpickle(payload)
            if value is None:
                self.stats["misses"] += 1
                return None
            self.stats["pickle_hits"] += 1
            if self.mode == "mixed" and json_round_trip(value)[0]:
                self.store.put(key, "json", json.dumps(value).encode("utf-8"))
                self.stats["written_back"] += 1
            return value
        self.stats["misses"] += 1  # a format this mode no longer (or not yet) reads
        return None

    def _compare(self, key: str, value: Any) -> None:
        survives, why = json_round_trip(value)
        if not survives:
            self.stats["mismatches"] += 1
            log.warning("JSON would change %r: %s", key, why)

    def _unpickle(self, payload: bytes) -> Any | None:
        try:
            return RestrictedUnpickler(io.BytesIO(payload)).load()
        # Malformed opcodes raise far more than UnpicklingError (AttributeError, OverflowError,
        # MemoryError, KeyError...): any of them makes the entry a miss.
        except Exception as error:
            log.warning("unusable pickle entry: %s", error)
            return None


SAMPLE = {"user:1": {"name": "Ada", "langs": ["py"]}, "top:3": [3, 1, 2], "point": (1, 2)}


def walkthrough(folder: Path, secret: bytes, emit: Callable[[str], None] = print) -> None:
    """The four deployments of the migration, one after the other, on one cache folder."""

    def census_line(stage: str, cache: MigratingCache) -> None:
        counts = census(cache.store.folder)
        kinds = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        stats = ", ".join(f"{name} {n}" for name, n in sorted(cache.stats.items()))
        emit(f"{stage:7} entries: {kinds or 'none':24} reads: {stats or '-'}")

    legacy = MigratingCache(folder, secret=secret, mode="pickle")
    for key, value in SAMPLE.items():
        legacy.set(key, value)
    census_line("pickle", legacy)
    shadow = MigratingCache(folder, secret=secret, mode="shadow")
    for key, value in SAMPLE.items():
        shadow.set(key, value)
    census_line("shadow", shadow)
    mixed = MigratingCache(folder, secret=secret, mode="mixed")
    for key in SAMPLE:
        mixed.get(key)
    census_line("mixed", mixed)
    # What JSON cannot carry moves under this interpreter's own prefix, still pickled.
    mixed.store.delete("point")
    mixed.set_version_specific("point", SAMPLE["point"])
    final = MigratingCache(folder, secret=secret, mode="json")
    for key in SAMPLE:
        final.get(key)
    census_line("json", final)
    emit(f"{VERSION_PREFIX}point -> {final.get_version_specific('point')!r}")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="cache_migration",
        description="Walk a cache through the pickle -> shadow -> mixed -> JSON deployments, or "
        "count the formats of a cache folder's entries.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("walkthrough", help="run the four stages on a temporary cache")
    count = commands.add_parser("census", help="count json, pickle and unreadable entries")
    count.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.command == "census":
        if not args.folder.is_dir():
            raise UsageError(f"no such cache folder: {args.folder}")
        print(", ".join(f"{n} {kind}" for kind, n in census(args.folder).items()))
        return 0
    logging.basicConfig(format="  log: %(message)s", level=logging.WARNING, stream=sys.stdout)
    with tempfile.TemporaryDirectory() as folder:
        walkthrough(Path(folder), secrets.token_bytes(32))
    return 0


if __name__ == "__main__":
    run(main, prog="cache_migration")
