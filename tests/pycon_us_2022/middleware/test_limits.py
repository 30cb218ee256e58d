"""Bounds on outside input: query parameters, command-line numbers, request paths."""

from __future__ import annotations

import argparse
import math

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from example_support.command_line import UsageError
from examples.pycon_us_2022.middleware import django_project  # noqa: F401  (its URLs)
from examples.pycon_us_2022.middleware.flask_app import create_app
from examples.pycon_us_2022.middleware.limits import (
    MAX_LINES,
    BadParameter,
    bounded,
    count_parameter,
    request_path,
)

# What a query string can carry once decoded (a lone surrogate cannot be sent).
QUERY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=25) | st.integers(
    -(10**25), 10**25
).map(str)


@given(raw=QUERY_TEXT)
def test_count_parameter_property_a_count_within_bounds_or_a_bad_parameter(raw: str) -> None:
    if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_LINES):
        with pytest.raises(
            BadParameter, match=f"^lines must be a whole number from 0 to {MAX_LINES}$"
        ):
            count_parameter(raw, "lines", default=3)
        return
    assert count_parameter(raw, "lines", default=3) == int(raw)


@given(value=st.integers(0, MAX_LINES))
def test_count_parameter_property_every_count_up_to_the_cap_is_accepted(value: int) -> None:
    assert count_parameter(str(value), "lines", default=3) == value


@given(
    text=st.text(max_size=30)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.integers().map(str)
)
def test_bounded_property_finite_in_range_or_an_argparse_error(text: str) -> None:
    for parse, low, high in [(bounded(int, 1, 100), 1, 100), (bounded(float, 0.0, 60.0), 0, 60)]:
        try:
            value = parse(text)
        except argparse.ArgumentTypeError as error:
            message = str(error)
        else:
            assert math.isfinite(value)
            assert low <= value <= high
            continue
        assert "\n" not in message, "one line"
        assert len(message) < 100, "a short one, however long the input"


@given(text=st.text(max_size=30))
def test_request_path_property_returns_a_sendable_path_or_a_usage_error(text: str) -> None:
    try:
        path = request_path(text)
    except UsageError:
        return
    assert path == text
    assert path.startswith("/")
    path.encode("utf-8")  # no undecodable bytes left in it
    assert all(ord(char) >= 0x20 and ord(char) != 0x7F for char in path)


def body_lines(status: int, text: str) -> int:
    assert status in (200, 400), f"never a {status}: the route answers or refuses"
    return text.count("\n") if status == 200 else 0


@settings(max_examples=30)  # each example is a request through a framework
@given(raw=QUERY_TEXT)
def test_flask_stream_property_never_fails_and_never_exceeds_the_cap(raw: str) -> None:
    response = create_app().test_client().get("/stream", query_string={"lines": raw})
    assert body_lines(response.status_code, response.text) <= MAX_LINES


@settings(max_examples=30)
@given(raw=QUERY_TEXT)
def test_django_stream_property_never_fails_and_never_exceeds_the_cap(raw: str) -> None:
    response = Client(raise_request_exception=False).get("/stream/", {"lines": raw})
    text = b"".join(response.streaming_content) if response.streaming else response.content
    assert body_lines(response.status_code, text.decode()) <= MAX_LINES


@pytest.mark.parametrize("raw", ["", "+3", " 3", "3 ", "1_000", "0x10", "3.0"])
def test_count_parameter_takes_plain_digits_only(raw: str) -> None:
    with pytest.raises(BadParameter):
        count_parameter(raw, "lines", default=3)
