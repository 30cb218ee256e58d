"""Properties of the talk's parsers of outside input: the cache's stored entries and routes.csv.

A cache entry may be torn, corrupt, or written by a buggy deployment that held the secret: every
such entry is a miss, never an exception in the caller. A routing table is any text an owner
can type: it parses to a table that routes every path to a known backend, or it is a ValueError
(which the proxy turns into "keeping the last good table").
"""

from __future__ import annotations

from itertools import count
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from examples.pycon_us_2022.python3_migration.cache_migration import MODES, MigratingCache
from examples.pycon_us_2022.python3_migration.cache_store import KINDS, SignedFileStore
from examples.pycon_us_2022.python3_migration.rollout_proxy import RoutingTable

SECRET = b"a property secret of 32 bytes ok"
folders = count()
# Bytes made mostly of pickle opcodes reach deeper into the unpickler than random bytes do.
OPCODES = b"().0123ILFKJMNSUVXabcdeghjklopqrstuz}]\x80\x85\x86\x87\x88\x8a\x8c\x8d\x8e\x94\x95"
pickle_like = st.lists(st.sampled_from(OPCODES) | st.integers(0, 255), max_size=14).map(bytes)
fixture_per_test = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@fixture_per_test
@given(entry=st.binary(max_size=200), mode=st.sampled_from(MODES))
def test_any_bytes_in_an_entry_file_are_a_miss(tmp_path: Path, entry: bytes, mode: str) -> None:
    cache = MigratingCache(tmp_path / f"c{next(folders)}", secret=SECRET, mode=mode)
    (cache.store.folder / SignedFileStore.filename("key")).write_bytes(entry)
    assert cache.get("key") is None, "without the secret no bytes verify"


@fixture_per_test
@given(
    payload=st.one_of(st.binary(max_size=60), st.text(max_size=30).map(str.encode), pickle_like),
    kind=st.sampled_from(sorted(KINDS)),
    mode=st.sampled_from(MODES),
)
# Found by fuzzing the unpickler: it raises more than UnpicklingError on malformed opcodes.
@example(payload=b"NK\xa9Na1p\xe3ttY", kind="pickle", mode="mixed")  # AttributeError
@example(payload=b"\x8dXL\x8eUX0b\x93&", kind="pickle", mode="shadow")  # OverflowError
def test_a_signed_but_undecodable_payload_is_a_miss(
    tmp_path: Path, payload: bytes, kind: str, mode: str
) -> None:
    # What a buggy writer holding the secret could store: verified, then it must still decode.
    cache = MigratingCache(tmp_path / f"c{next(folders)}", secret=SECRET, mode=mode)
    cache.store.put("key", kind, payload)
    cache.get("key")  # a value or None; an exception here fails the property
    assert sum(cache.stats[s] for s in ("misses", "json_hits", "pickle_hits")) == 1


cells = st.text(alphabet=st.sampled_from('/ab,"\n\r x'), max_size=40)


@given(text=st.one_of(cells, cells.map(lambda rest: "prefix,backend,owner\n/,old,o\n" + rest)))
def test_any_routing_text_is_a_table_or_a_value_error(text: str) -> None:
    try:
        table = RoutingTable.parse(text)
    except ValueError:
        return
    for path in ("/", "/a", "/ab/x", "a", "", "/b?q=1"):
        assert table.route(path) in {"old", "new"}
    assert [len(p) for p, _, _ in table.routes] == sorted((len(p) for p, _, _ in table.routes),
                                                         reverse=True)  # fmt: skip
