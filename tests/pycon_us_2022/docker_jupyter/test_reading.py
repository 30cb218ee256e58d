"""How the rules read a Dockerfile's lines: the line numbers are the file's, as BuildKit reads it.

Each test here once failed: dockerfile-parse reads continuations, blank lines and heredocs
differently from BuildKit, and a line-number slip puts a finding on the wrong line.
"""

from __future__ import annotations

import pytest

from examples.pycon_us_2022.docker_jupyter import build_context, dockerfile_rules


def found(text: str, rule: str) -> list[int]:
    return [f.line for f in dockerfile_rules.check(text, [rule])]


def test_a_comment_inside_a_continuation_keeps_the_lines_below_it_in_place() -> None:
    assert found("FROM a:1\nRUN echo a \\\n# c\n  && cd x\n", "workdir-not-cd") == [4]


def test_a_form_feed_is_not_a_line_break() -> None:
    assert found("FROM a:1\nRUN echo a &&\x0c cd x\n", "workdir-not-cd") == [2]


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [
        ("FROM a:1\nCMD jupyter lab \\", "exec-form", 2),
        ("FROM a:1\n...", "known-instructions", 2),  # no newline at the end
    ],
)
def test_the_last_line_of_the_file_is_checked(text: str, rule: str, line: int) -> None:
    assert found(text, rule) == [line]


def test_a_blank_line_inside_a_continuation_is_skipped_as_buildkit_does() -> None:
    text = "FROM a:1\nRUN echo a \\\n\n  && cd x\n"
    assert found(text, "known-instructions") == []
    assert found(text, "workdir-not-cd") == [4]


def test_heredoc_bodies_are_lines_of_their_instruction() -> None:
    text = "FROM a:1\nRUN <<EOF\nset -e\ncd x\nEOF\nCOPY <<-EOF /app/notes\n\tsee # here\n\tEOF\n"
    assert found(text, "known-instructions") == []
    assert found(text, "comments-on-own-line") == []
    assert found(text, "workdir-not-cd") == [4], "a RUN's heredoc is shell the rules read"


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.11 AS build\nFROM build\n",
        "FROM scratch\n",
        "ARG BASE=python:3.11\nFROM ${BASE}\n",
    ],
)
def test_stages_scratch_and_arg_defaults_need_no_tag_of_their_own(text: str) -> None:
    assert found(text, "pinned-base") == []


def test_an_arg_default_without_a_tag_is_still_unpinned() -> None:
    assert found("ARG BASE=python\nFROM $BASE\n", "pinned-base") == [2]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_a_file_with_no_instructions_is_not_a_dockerfile(text: str) -> None:
    with pytest.raises(dockerfile_rules.NoInstructions):
        dockerfile_rules.check(text)


def test_copy_sources_skip_heredocs_and_read_the_json_form() -> None:
    text = 'FROM a:1\nCOPY <<EOF /app/x\nhi\nEOF\nCOPY ["a b.txt", "/app/"]\n'
    assert build_context.copy_sources(text) == [(5, "a b.txt")]


@pytest.mark.parametrize("pattern", ["[z-a]", "[]", "a[\\]", "[^]"])
def test_a_bad_ignore_pattern_is_named_not_a_crash(pattern: str) -> None:
    with pytest.raises(build_context.BadPattern, match=r"line 2: "):
        build_context.read_patterns(f"*.pyc\n{pattern}\n")
