"""Properties of the talk's parsers of outside input: wheel file names, a built wheel's WHEEL
metadata, and saved results files. Each agrees with the standard (packaging, the email header
format WHEEL uses) or, given anything at all, answers with a result or one ``UsageError``.
"""

from __future__ import annotations

import email.parser
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.tags import sys_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from example_support.benchmark_results import show_saved
from example_support.command_line import UsageError
from examples.pycon_us_2022.binary_extensions import (
    bench_build,
    bench_kernels,
    bench_overhead,
    build_wheel,
    wheel_tags,
)

ACCEPTED = list(sys_tags())
TAG_PART = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789_"), min_size=1, max_size=8)
# Any text, surrogates (non-UTF-8 bytes from argv) included, or something shaped like a wheel name.
WHEEL_NAMES = st.one_of(
    st.text(st.characters(codec=None), max_size=40),
    st.builds(
        "demo-1.0-{}-{}-{}.whl".format,
        st.one_of(TAG_PART, st.sampled_from([t.interpreter for t in ACCEPTED])),
        st.one_of(TAG_PART, st.sampled_from([t.abi for t in ACCEPTED])),
        st.one_of(TAG_PART, st.sampled_from([t.platform for t in ACCEPTED])),
    ),
)


@given(name=WHEEL_NAMES)
def test_rank_agrees_with_packaging(name: str) -> None:
    """A name packaging refuses is a UsageError; one it accepts ranks by pip's tag order."""
    try:
        tags = parse_wheel_filename(name)[3]
    except InvalidWheelFilename:
        with pytest.raises(UsageError, match="not a wheel file name"):
            wheel_tags.rank(name)
        return
    ranks = [ACCEPTED.index(tag) + 1 for tag in tags if tag in ACCEPTED]
    assert wheel_tags.rank(name) == (min(ranks) if ranks else None)


@given(index=st.integers(0, len(ACCEPTED) - 1))
def test_a_wheel_made_for_an_accepted_tag_ranks_where_the_tag_does(index: int) -> None:
    tag = ACCEPTED[index]
    assert wheel_tags.rank(f"demo-1.0-{tag}.whl") == ACCEPTED.index(tag) + 1


OTHER_HEADERS = ["Generator", "Root-Is-Purelib", "Build"]
HEADER_VALUE = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Zl", "Zp"]))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tags=st.lists(st.builds("{}-{}-{}".format, TAG_PART, TAG_PART, TAG_PART), min_size=1),
    others=st.dictionaries(
        st.sampled_from(["Generator", "Root-Is-Purelib", "Build"]), HEADER_VALUE
    ),
)
def test_wheel_tag_reads_the_first_tag_like_an_email_parser(
    tags: list[str], others: dict[str, str], tmp_path: Path
) -> None:
    """WHEEL is an email-style header block: the backend's first Tag line is the wheel's tag."""
    headers = ["Wheel-Version: 1.0", *(f"{k}: {v.strip()}" for k, v in others.items())]
    text = "\n".join([*headers, *(f"Tag: {tag}" for tag in tags)]) + "\n"
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo-1.0.dist-info/WHEEL", text)
    assert build_wheel.wheel_tag(wheel) == email.parser.Parser().parsestr(text).get_all("Tag")[0]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
# Each benchmark's table and the keys it reads under "results".
READERS = [
    (bench_kernels.report, ["kernels"]),
    (bench_overhead.report, ["ns_per_operation"]),
    (bench_build.report, ["modules"]),
]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=40),
        JSON.map(lambda value: json.dumps(value).encode()),
        JSON.map(lambda value: json.dumps({"results": value}).encode()),
        st.builds(
            lambda key, value: json.dumps({"results": {key: value}}).encode(),
            st.sampled_from(["kernels", "ns_per_operation", "modules"]),
            JSON,
        ),
    ),
    reader=st.sampled_from(READERS),
)
def test_any_saved_file_is_a_table_or_one_usage_error(
    content: bytes, reader: tuple, tmp_path: Path
) -> None:
    """Whatever a results file holds, --saved prints a table or one clear line: never a crash."""
    render, keys = reader
    saved = tmp_path / "saved.json"
    saved.write_bytes(content)
    try:
        shown, refused = show_saved(saved, render, *keys), ""
    except UsageError as error:
        shown, refused = "", str(error)
    assert isinstance(shown, str)
    assert not refused or refused.startswith("saved.json is not a saved results file")
