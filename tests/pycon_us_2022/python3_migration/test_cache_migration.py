"""The pickle -> JSON cache: its modes, the version prefix, torn and forged entries, races."""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration.cache_migration import (
    VERSION_PREFIX,
    MigratingCache,
    json_round_trip,
)
from examples.pycon_us_2022.python3_migration.cache_store import SignedFileStore, census
from examples.pycon_us_2022.python3_migration.python2_pickles import ORDER, RAW_TEXT, SIZES
from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.python3_migration.support import assert_one_line_error, run_module

SECRET = b"a test secret of 32 bytes length"


def cache(folder: Path, mode: str) -> MigratingCache:
    return MigratingCache(folder, secret=SECRET, mode=mode)


@pytest.mark.parametrize(
    ("value", "survives"),
    [
        ({"name": "Ada", "langs": ["py"], "age": 36, "ok": True, "none": None}, True),
        ([1.5, "x", [2]], True),
        ((1, 2), False),  # a tuple comes back a list
        ({1: "a"}, False),  # an int key comes back a str
        ({"a": (1,)}, False),  # the tuple hides inside
        ({1, 2}, False),  # not JSON at all
        (b"bytes", False),
        (float("nan"), False),  # JSON has no NaN (and nan != nan)
    ],
)
def test_json_round_trip_finds_every_value_that_would_change(value: object, survives: bool) -> None:
    assert json_round_trip(value)[0] is survives


def test_shadow_mode_keeps_pickle_and_logs_mismatches(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shadow = cache(tmp_path, "shadow")
    with caplog.at_level(logging.WARNING, logger="cache_migration"):
        shadow.set("ok", {"a": [1]})
        shadow.set("pair", (1, 2))
    assert census(tmp_path) == {"json": 0, "pickle": 2, "unreadable": 0}
    assert shadow.stats["mismatches"] == 1
    assert caplog.messages == ["JSON would change 'pair': comes back as [1, 2]"]
    assert shadow.get("pair") == (1, 2), "shadow mode still serves the pickled value"


def test_mixed_mode_reads_pickle_once_then_json(tmp_path: Path) -> None:
    cache(tmp_path, "pickle").set("user", {"name": "Ada"})
    mixed = cache(tmp_path, "mixed")
    assert mixed.get("user") == {"name": "Ada"}
    assert mixed.get("user") == {"name": "Ada"}
    assert (mixed.stats["pickle_hits"], mixed.stats["written_back"], mixed.stats["json_hits"]) == (
        1, 1, 1,
    )  # fmt: skip
    assert mixed.store.get("user")[0] == "json"
    mixed.set("new", [1, 2])
    assert mixed.store.get("new") == ("json", b"[1, 2]")


def test_mixed_mode_keeps_values_json_would_change_as_pickle(tmp_path: Path) -> None:
    cache(tmp_path, "pickle").set("pair", (1, 2))
    mixed = cache(tmp_path, "mixed")
    assert mixed.get("pair") == (1, 2)
    assert mixed.store.get("pair")[0] == "pickle", "not written back: JSON would change it"
    with pytest.raises(TypeError, match="set_version_specific"):
        mixed.set("pair", (1, 2))


def test_a_set_pickled_by_python2_is_a_hit(tmp_path: Path) -> None:
    # Python 2 names the class __builtin__.set; find_class sees that name before the base
    # class would translate it, so an allowlist of Python 3 names alone made this a miss.
    # test_python2_behaviour.py checks that SIZES is what a real Python 2.7 writes.
    SignedFileStore(tmp_path, SECRET).put("socks", "pickle", SIZES)
    mixed = cache(tmp_path, "mixed")
    assert mixed.get("socks") == {"sku": "A1", "sizes": {38, 40}}
    assert (mixed.stats["pickle_hits"], mixed.stats["misses"]) == (1, 0)
    assert mixed.store.get("socks") == ("pickle", SIZES), "a set cannot become JSON"


def test_a_set_this_cache_pickled_at_protocol_2_is_a_hit(tmp_path: Path) -> None:
    # Python 3 writes protocol 2 with Python 2 names too, so that Python 2 can read it back.
    assert b"c__builtin__\nset" in pickle.dumps({1, 2}, protocol=2)
    cache(tmp_path, "pickle").set("sizes", {38, 40})
    assert cache(tmp_path, "shadow").get("sizes") == {38, 40}


def test_python2_text_in_a_legacy_pickle(tmp_path: Path) -> None:
    store = SignedFileStore(tmp_path, SECRET)
    store.put("order", "pickle", ORDER)
    store.put("raw", "pickle", RAW_TEXT)
    mixed = cache(tmp_path, "mixed")
    # ASCII str and unicode both come back as str, so the entry converts to JSON.
    assert mixed.get("order") == {"sku": "A1", "label": "café"}
    assert mixed.store.get("order")[0] == "json"
    # A non-ASCII str cannot be decoded as ASCII (the default): a logged miss, not a crash.
    assert mixed.get("raw") is None
    assert mixed.stats["misses"] == 1


def test_json_only_mode_ignores_pickle_and_version_prefix_keeps_the_rest(tmp_path: Path) -> None:
    cache(tmp_path, "pickle").set("old", {"a": 1})
    final = cache(tmp_path, "json")
    assert final.get("old") is None
    assert final.stats["misses"] == 1
    final.set_version_specific("pair", (1, 2))
    assert final.get_version_specific("pair") == (1, 2)
    assert final.store.get(VERSION_PREFIX + "pair")[0] == "pickle"
    assert final.get("pair") is None, "the prefix keeps it apart from the shared key"


def test_rolling_back_from_mixed_to_shadow_keeps_the_json_entries(tmp_path: Path) -> None:
    cache(tmp_path, "mixed").set("user", {"name": "Ada"})
    assert cache(tmp_path, "shadow").get("user") == {"name": "Ada"}
    assert cache(tmp_path, "pickle").get("user") is None, "pre-migration code: a miss, no crash"


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_torn_or_corrupt_entry_is_a_miss(tmp_path: Path, damage: str) -> None:
    store_cache = cache(tmp_path, "mixed")
    store_cache.set("user", {"name": "Ada", "bio": "x" * 200})
    entry = tmp_path / SignedFileStore.filename("user")
    data = entry.read_bytes()
    entry.write_bytes({
        "truncate": data[: len(data) // 2],
        "flip": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],
        "empty": b"",
        "garbage": os.urandom(len(data)),
    }[damage])  # fmt: skip
    assert store_cache.get("user") is None
    assert store_cache.stats["misses"] == 1


class Exploit:
    """What an attacker would put in a cache: unpickling it runs code (here: creates a file)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_forged_pickle_is_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    folder = tmp_path / "cache"
    victim = cache(folder, "pickle")
    victim.set("user", {"name": "Ada"})
    # The attacker can write the cache folder but does not know the secret.
    attacker = SignedFileStore(folder, secret=b"the attacker's own secret value")
    attacker.put("user", "pickle", pickle.dumps(Exploit(marker)))
    assert victim.get("user") is None
    assert not marker.exists(), "the payload never ran"
    # Even a pickle signed with the right secret may only name allowlisted classes.
    SignedFileStore(folder, SECRET).put("user", "pickle", pickle.dumps(Exploit(marker)))
    assert victim.get("user") is None
    assert not marker.exists()


def test_an_entry_cannot_be_moved_to_another_key(tmp_path: Path) -> None:
    c = cache(tmp_path, "json")
    c.set("role:alice", "user")
    c.set("role:admin", "admin")
    source = tmp_path / SignedFileStore.filename("role:admin")
    source.replace(tmp_path / SignedFileStore.filename("role:alice"))
    assert c.get("role:alice") is None, "the MAC covers the key"


def _writer(folder: str, writer: int, rounds: int) -> None:
    own = MigratingCache(Path(folder), secret=SECRET, mode="mixed")
    for number in range(rounds):
        own.set(f"key{number % 4}", {"writer": writer, "n": number, "pad": "x" * 4000})


def _reader(folder: str, rounds: int) -> None:
    own = MigratingCache(Path(folder), secret=SECRET, mode="mixed")
    # On a busy machine the reader can start before any writer has written: wait for a first
    # entry, so that its rounds overlap the writes instead of reading an empty folder.
    deadline = time.monotonic() + 60
    while not any(Path(folder).glob("*.entry")) and time.monotonic() < deadline:
        time.sleep(0.001)
    seen = torn = 0
    for number in range(rounds):
        value = own.get(f"key{number % 4}")
        if value is None:
            continue
        seen += 1
        torn += not (set(value) == {"writer", "n", "pad"} and len(value["pad"]) == 4000)
    print(json.dumps({"seen": seen, "torn": torn}))


def _start(call: str) -> subprocess.Popen[str]:
    """One OS process running ``call`` from this module: writers that truly race."""
    code = f"from {__name__} import _reader, _writer; {call}"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_concurrent_writers_never_leave_a_torn_entry(tmp_path: Path) -> None:
    writers = [_start(f"_writer({str(tmp_path)!r}, {w}, 300)") for w in range(3)]
    reader = _start(f"_reader({str(tmp_path)!r}, 3000)")
    try:
        outputs = [process.communicate(timeout=120)[0] for process in [*writers, reader]]
    finally:
        for process in [*writers, reader]:
            process.kill()
            process.wait()
    assert [process.returncode for process in [*writers, reader]] == [0, 0, 0, 0]
    counts = json.loads(outputs[-1])
    assert counts["torn"] == 0
    assert counts["seen"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        SignedFileStore.filename(f"key{n}") for n in range(4)
    ), "no temporary files left behind"
    final = cache(tmp_path, "json")
    assert all(final.get(f"key{n}")["n"] % 4 == n for n in range(4))


def test_walkthrough_and_census_from_the_command_line(tmp_path: Path) -> None:
    result = run_module("cache_migration", "walkthrough")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["pickle", "entries:", "3", "pickle"]
    assert "JSON would change 'point'" in lines[1]
    assert lines[-1] == f"{VERSION_PREFIX}point -> (1, 2)"
    cache(tmp_path, "mixed").set("a", 1)
    (tmp_path / "stray.entry").write_bytes(b"junk")
    counted = run_module("cache_migration", "census", str(tmp_path))
    assert counted.stdout.strip() == "1 json, 0 pickle, 1 unreadable"


def test_bad_input(tmp_path: Path) -> None:
    assert_one_line_error(
        run_module("cache_migration", "census", str(tmp_path / "nope")), "cache_migration", 2
    )
    assert run_module("cache_migration").returncode == 2
    with pytest.raises(ValueError, match="at least 16 bytes"):
        SignedFileStore(tmp_path, secret=b"short")
    with pytest.raises(ValueError, match="mode must be one of"):
        MigratingCache(tmp_path, secret=SECRET, mode="yaml")
