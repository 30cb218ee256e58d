"""Properties of the rule checker, the listing and the ignore file, on text nobody wrote.

The lines come from the pieces that trip Dockerfile readers: continuations, comments, blank
lines, heredocs, parser directives, form feeds and carriage returns, very long lines.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from example_support.command_line import UsageError
from examples.pycon_us_2022.docker_jupyter import build_context, dockerfile_rules, spot_the_bug
from examples.pycon_us_2022.docker_jupyter.dockerfile_text import (
    parse,
    physical_lines,
    read_dockerfile,
)
from tests.pycon_us_2022.docker_jupyter.support import HERE

PIECES = [
    "FROM", "from", "RUN", "CMD", "COPY", "ADD", "USER", "LABEL", "ARG", "WORKDIR", "AS",
    "a:1", "jupyter/x:latest", "scratch", "${B}", "B=a:1", "root", '["a"]', "x", "...",
    "\\", "`", "#", "# escape=`", "# syntax=docker/dockerfile:1", "<<EOF", "<<-EOF", "EOF",
    "\tEOF", "&&", ";", "cd x", "git clone r", "pip install y", "http//:h", "--chown=1:1",
    "\r", "\x0c", "\u2028", "é", "x" * 5000,
]  # fmt: skip
LINE = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=6).map(" ".join)
DOCKERFILE_TEXT = st.lists(LINE, max_size=12).map("\n".join) | st.text()


def lines_of(text: str) -> int:
    return len(physical_lines(text))


@given(DOCKERFILE_TEXT)
def test_findings_are_on_lines_of_the_file_once_each_and_rule_by_rule(text: str) -> None:
    """Catches line-number slips, crashes on odd text, duplicate and rule-entangled findings."""
    if not parse(text):
        return  # check() raises NoInstructions: test_reading.py
    findings = dockerfile_rules.check(text)
    assert all(1 <= f.line <= lines_of(text) for f in findings), findings
    assert len(set(findings)) == len(findings), "each violation is reported once"
    for rule in dockerfile_rules.RULES:
        assert dockerfile_rules.check(text, [rule]) == [f for f in findings if f.rule == rule]


@given(st.lists(st.sampled_from(["", "# a note", "#", "  "]), min_size=1, max_size=5))
def test_comments_and_blank_lines_between_instructions_only_move_findings(
    inserted: list[str],
) -> None:
    """Catches a rule that reads comments or blank lines, or counts lines from the wrong place."""
    fixed = (HERE / "Dockerfile").read_text()
    padded = "\n".join([*inserted, fixed])
    assert dockerfile_rules.check(padded) == [], "the fixed Dockerfile stays fixed"
    notes = (HERE / "notes.Dockerfile").read_text()
    before = [(f.rule, f.line + len(inserted)) for f in dockerfile_rules.check(notes)]
    after = [(f.rule, f.line) for f in dockerfile_rules.check("\n".join([*inserted, notes]))]
    assert sorted(after) == sorted(before)


@settings(max_examples=15)  # each example runs hadolint (once or twice)
@given(DOCKERFILE_TEXT)
def test_the_listing_shows_every_problem_under_its_line(text: str) -> None:
    """Catches a problem the header counts but no line of the listing shows."""
    if not parse(text):
        return
    listing = spot_the_bug.report(text, "Dockerfile")
    shown = [row for row in listing[1:] if row.startswith("       ")]
    assert len(shown) == len(spot_the_bug.problems(text))
    assert len(listing) - len(shown) - 1 == lines_of(text), "every line of the file, once"


@given(st.binary(max_size=200))
def test_any_bytes_are_a_dockerfile_or_a_usage_error(tmp_path_factory, data: bytes) -> None:
    """Catches a traceback (a decode error, a parser crash) where a one-line error belongs."""
    path = tmp_path_factory.mktemp("bytes") / "Dockerfile"
    path.write_bytes(data)
    try:
        text = read_dockerfile(path)
    except UsageError:
        return
    assert all(1 <= f.line <= lines_of(text) for f in dockerfile_rules.check(text))


@given(st.text(max_size=60), st.lists(st.text("ab/*?[]!.\\-^", max_size=6), max_size=4))
def test_an_ignore_file_is_patterns_or_a_bad_pattern_error(text: str, paths: list[str]) -> None:
    """Catches a glob that compiles to a bad regex and crashes instead of naming its line."""
    try:
        patterns = build_context.read_patterns(text)
    except build_context.BadPattern as error:
        refused = str(error)
    else:
        refused = ""
    if refused:
        assert refused.startswith("line "), refused
        return
    for path in paths:
        assert build_context.is_ignored(path, patterns) in (True, False)
