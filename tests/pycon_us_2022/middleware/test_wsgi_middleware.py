"""WSGI middleware to PEP 3333's letter, checked by wsgiref.validate on both sides of each call.

``serve_once`` runs the standard library's server handler (``wsgiref.handlers.SimpleHandler``),
which implements start_response the way PEP 3333 asks: a second call needs ``exc_info``, and
once headers are sent, that call re-raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from examples.pycon_us_2022.middleware.wsgi_middleware import (
    ERROR_BODY,
    ExceptionProcessor,
    ForwardingBody,
    LatencyReporter,
    MigrationDispatcher,
    django_with_flask,
    hello_app,
    serve_once,
    wrapped_django,
    wrapped_flask,
)


class Body:
    """A response body that records whether the server (or a middleware) closed it."""

    def __init__(self, chunks: list[bytes], fail_after: int | None = None) -> None:
        self.chunks = chunks
        self.fail_after = fail_after
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for number, chunk in enumerate(self.chunks):
            if number == self.fail_after:
                raise RuntimeError("secret detail")
            yield chunk
        if self.fail_after == len(self.chunks):
            raise RuntimeError("secret detail")

    def close(self) -> None:
        self.closed = True


def app_returning(body: Body) -> Any:
    def app(environ: dict, start_response: Any) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    return app


def split(raw: str) -> tuple[str, dict[str, str], str]:
    head, _, body = raw.partition("\r\n\r\n")
    status, *lines = head.split("\r\n")
    return status, dict(line.split(": ", 1) for line in lines), body


def test_the_talks_bare_wsgi_app_passes_the_validator() -> None:
    status, _headers, body = split(serve_once(hello_app, "/"))
    assert status == "HTTP/1.0 200 OK"
    assert body == "Hello, World!\n"


def test_latency_reporter_adds_server_timing_and_keeps_the_apps_headers() -> None:
    _, headers, _ = split(serve_once(LatencyReporter(validator(hello_app)), "/"))
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    name, duration = headers["Server-Timing"].split(";dur=")
    assert name == "wsgi"
    assert float(duration) >= 0


def test_exception_in_the_app_call_becomes_a_500_without_details() -> None:
    def failing_app(environ: dict, start_response: Any) -> list[bytes]:
        raise RuntimeError("secret detail")

    processor = ExceptionProcessor(validator(failing_app))
    status, headers, body = split(serve_once(processor, "/"))
    assert status == "HTTP/1.0 500 Internal Server Error"
    assert body.encode() == ERROR_BODY
    assert headers["Content-Length"] == str(len(ERROR_BODY))
    assert processor.errors == ["RuntimeError: secret detail"]


def test_a_streamed_body_passes_through_and_is_closed() -> None:
    body = Body([b"a", b"b", b"c"])
    status, _, text = split(serve_once(ExceptionProcessor(validator(app_returning(body))), "/"))
    assert (status, text, body.closed) == ("HTTP/1.0 200 OK", "abc", True)


def test_exception_before_the_first_chunk_replaces_the_response() -> None:
    body = Body([b"never sent"], fail_after=0)
    processor = ExceptionProcessor(validator(app_returning(body)))
    status, _, text = split(serve_once(processor, "/"))
    assert status == "HTTP/1.0 500 Internal Server Error"
    assert text.encode() == ERROR_BODY
    assert body.closed, "close() is forwarded even when the body failed"


def test_exception_mid_stream_cuts_the_response_and_reaches_the_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = Body([b"first\n", b"second\n"], fail_after=1)
    processor = ExceptionProcessor(validator(app_returning(body)))
    status, _, text = split(serve_once(processor, "/"))
    # The status line was on the wire already: it cannot become a 500.
    assert status == "HTTP/1.0 200 OK"
    assert text == "first\n"
    assert ERROR_BODY.decode() not in text
    assert body.closed
    # start_response(..., exc_info) re-raised the original error, and the server logged it.
    assert "RuntimeError: secret detail" in capsys.readouterr().err


def test_second_start_response_carries_exc_info() -> None:
    calls: list[tuple] = []

    def start_response(status: str, headers: list, exc_info: Any = None) -> Any:
        calls.append((status, exc_info))
        return lambda data: None

    environ: dict = {}
    setup_testing_defaults(environ)
    body = Body([b"x"], fail_after=0)
    result = ExceptionProcessor(app_returning(body))(environ, start_response)
    assert b"".join(result) == ERROR_BODY
    result.close()  # type: ignore[attr-defined]
    assert [status for status, _ in calls] == ["200 OK", "500 Internal Server Error"]
    assert calls[0][1] is None
    assert calls[1][1][0] is RuntimeError, "PEP 3333: a second call must pass exc_info"


def test_forwarding_body_closes_a_body_that_was_never_iterated() -> None:
    body = Body([b"x"])
    ForwardingBody(body).close()
    assert body.closed


def test_the_same_middleware_wraps_flask_and_django_unchanged() -> None:
    for app, path, text in [
        (wrapped_flask(), "/v2/polls/", "bp before 2 -> view"),
        (wrapped_django(), "/polls/", "A -> B -> view"),
    ]:
        status, _headers, body = split(serve_once(app, path))
        assert status == "HTTP/1.0 200 OK"
        assert body.endswith(text)
        assert "wsgi;dur=" in serve_once(app, path)


def test_flask_stream_failing_before_its_first_line_becomes_a_500() -> None:
    status, _, text = split(serve_once(wrapped_flask(), "/stream-boom?after=0"))
    assert status == "HTTP/1.0 500 Internal Server Error"
    assert text.encode() == ERROR_BODY


def test_migration_dispatcher_sends_unknown_paths_to_the_old_app() -> None:
    app = django_with_flask()
    assert split(serve_once(app, "/v2/polls/"))[2].endswith("bp before 2 -> view")  # Flask
    assert split(serve_once(app, "/polls/"))[2] == "A -> B -> view"  # Django
    assert split(serve_once(app, "/neither/"))[0] == "HTTP/1.0 404 Not Found"


def test_migration_dispatcher_closes_the_discarded_404_and_handles_lazy_start() -> None:
    discarded = Body([b"not found"])

    def new_app(environ: dict, start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/lazy":

            def lazily() -> Iterator[bytes]:
                # PEP 3333 allows start_response as late as the first chunk.
                start_response("200 OK", [("Content-Type", "text/plain")])
                yield b"new"

            return lazily()
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return discarded

    dispatcher = MigrationDispatcher(validator(new_app), validator(hello_app))
    assert split(serve_once(dispatcher, "/lazy"))[2] == "new"
    assert split(serve_once(dispatcher, "/old"))[2] == "Hello, World!\n"
    assert discarded.closed


@pytest.mark.parametrize(
    ("app", "path"),
    [
        (wrapped_flask, "/stream?lines=99999999999999999999"),
        (wrapped_django, "/stream/?lines=99999999999999999999"),
        (django_with_flask, "/stream/?lines=-1"),  # Django's route, behind Flask's 404
    ],
)
def test_every_wsgi_stack_answers_a_400_beyond_the_cap(app: Any, path: str) -> None:
    status, _, body = split(serve_once(app(), path))
    assert status.startswith("HTTP/1.0 400")
    assert "must be a whole number" in body
