"""Framework-agnostic WSGI middleware: wrap any WSGI application, Flask's and Django's alike.

A WSGI application is a callable ``app(environ, start_response)`` returning an iterable of bytes
(PEP 3333). A WSGI middleware is an object that is both: to the server it is an application, to
the application it wraps it is the server. The talk's "wrapping technique" is therefore plain
function composition, and the same middleware wraps a Flask app (``app.wsgi_app``) and a Django
project (``application`` in ``wsgi.py``) unchanged.

Three middleware, written to PEP 3333's letter:

- ``LatencyReporter`` adds a ``Server-Timing`` header (time until the response started).
- ``ExceptionProcessor`` (the talk's example) turns an exception into a ``500`` with a body that
  hides internal details. It also guards the response *body*, because a streamed body runs after
  the application returned; it forwards ``close()``; and it passes ``exc_info`` when it calls
  ``start_response`` a second time, so that the server re-raises when the headers are already
  on the wire (a response cannot change its status after it has been sent).
- ``MigrationDispatcher`` (the talk's Flask-inside-Django migration) asks the new application
  first and falls back to the old one when the new one answers ``404``.

```python
from examples.pycon_us_2022.middleware.wsgi_middleware import ExceptionProcessor, serve_once

def failing_app(environ, start_response):
    raise RuntimeError("database password is hunter2")

raw = serve_once(ExceptionProcessor(failing_app), "/")
assert raw.startswith("HTTP/1.0 500") and "hunter2" not in raw
```
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import IO, Any, TypeAlias
from wsgiref.handlers import SimpleHandler
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from example_support.command_line import run
from examples.pycon_us_2022.middleware.limits import last_logged_error, request_path, route_failed

ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]
StartResponse: TypeAlias = Callable[..., Callable[[bytes], object]]
WSGIApp: TypeAlias = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

ERROR_BODY = b"An error occurred. It has been logged.\n"


def hello_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The smallest WSGI application, as the talk showed it: no framework at all."""
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"Hello, World!\n"]


class ForwardingBody:
    """A response body that passes through another one and always forwards ``close()``.

    PEP 3333: if the iterable the application returned has ``close()``, the server must call it,
    and a middleware that wraps the iterable takes over that duty. A generator would not do:
    closing a generator that never started does not run its ``finally`` block.
    """

    def __init__(
        self,
        body: Iterable[bytes],
        *,
        first: Iterable[bytes] = (),
        on_error: Callable[[ExcInfo], Iterable[bytes]] | None = None,
    ) -> None:
        self._body = body
        self._first = iter(first)
        self._rest = iter(body)
        self._on_error = on_error
        self._replacement: Iterator[bytes] | None = None

    def __iter__(self) -> ForwardingBody:
        return self

    def __next__(self) -> bytes:
        if self._replacement is not None:
            return next(self._replacement)
        for chunk in self._first:
            return chunk
        try:
            return next(self._rest)
        except StopIteration:
            raise
        except Exception:
            if self._on_error is None:
                raise
            self._replacement = iter(self._on_error(sys.exc_info()))  # type: ignore[arg-type]
            return next(self._replacement)

    def close(self) -> None:
        close = getattr(self._body, "close", None)
        if close is not None:
            close()


class LatencyReporter:
    """Add ``Server-Timing: <name>;dur=<ms>``: how long the application took to start answering."""

    def __init__(self, app: WSGIApp, name: str = "wsgi") -> None:
        self.app = app
        self.name = name

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()

        def timed_start_response(status: str, headers: list, *exc_info: Any) -> Callable:
            elapsed_ms = (time.perf_counter() - started) * 1000
            timing = ("Server-Timing", f"{self.name};dur={elapsed_ms:.3f}")
            return start_response(status, [*headers, timing], *exc_info)

        return self.app(environ, timed_start_response)


class ExceptionProcessor:
    """Answer ``500`` with a neutral body when the wrapped application raises (the talk's example).

    ``errors`` collects what was caught, standing in for the logging a real one would do.
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.errors: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def error_response(exc_info: ExcInfo) -> list[bytes]:
            self.errors.append(f"{exc_info[0].__name__}: {exc_info[1]}")
            headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(ERROR_BODY))),
            ]
            # With exc_info, a second start_response is allowed; if the headers have already been
            # sent, the server re-raises the original exception here and it propagates: the
            # response is cut short, since its status line can no longer change.
            start_response("500 Internal Server Error", headers, exc_info)
            return [ERROR_BODY]

        try:
            body = self.app(environ, start_response)
        except Exception:
            return error_response(sys.exc_info())  # type: ignore[arg-type]
        # A streamed body runs after the application returned: guard it as well.
        return ForwardingBody(body, on_error=error_response)


class MigrationDispatcher:
    """Ask ``new_app`` first; when it answers ``404``, let ``old_app`` answer instead.

    The new application's response is held back until its status is known, which is why its
    ``start_response`` is captured rather than passed through.
    """

    def __init__(self, new_app: WSGIApp, old_app: WSGIApp) -> None:
        self.new_app = new_app
        self.old_app = old_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started: list[tuple] = []
        held: list[bytes] = []

        def capture(status: str, headers: list, exc_info: ExcInfo | None = None) -> Callable:
            started.append((status, headers, exc_info))
            return held.append  # legacy write(): nothing is sent yet, so hold its bytes too

        body = self.new_app(environ, capture)
        chunks = iter(body)
        # PEP 3333 lets an application call start_response as late as its first chunk.
        while not started:
            chunk = next(chunks, None)
            if chunk is None:
                break
            held.append(chunk)
        if not started or started[-1][0].startswith("404"):
            ForwardingBody(body).close()
            return self.old_app(environ, start_response)
        start_response(*[arg for arg in started[-1] if arg is not None])
        return ForwardingBody(body, first=held)


def wrapped_flask() -> WSGIApp:
    """The Flask app with both middleware, wrapped the talk's way: around ``app.wsgi_app``."""
    from examples.pycon_us_2022.middleware.flask_app import create_app

    app = create_app()
    app.wsgi_app = ExceptionProcessor(LatencyReporter(app.wsgi_app))  # type: ignore[method-assign]
    return app


def wrapped_django() -> WSGIApp:
    """The Django project with the same two middleware, wrapped around its ``application``."""
    from examples.pycon_us_2022.middleware.django_project import application

    return ExceptionProcessor(LatencyReporter(application))


def django_with_flask() -> WSGIApp:
    """Flask (new) in front of Django (old): ``/v2/polls/`` is Flask's, ``/polls/`` Django's."""
    from examples.pycon_us_2022.middleware.django_project import application
    from examples.pycon_us_2022.middleware.flask_app import create_app

    return ExceptionProcessor(MigrationDispatcher(create_app(), application))


APPS: dict[str, Callable[[], WSGIApp]] = {
    "hello": lambda: ExceptionProcessor(LatencyReporter(hello_app)),
    "flask": wrapped_flask,
    "django": wrapped_django,
    "migration": django_with_flask,
}


def serve_once(
    app: WSGIApp, path: str, *, check: bool = True, errors: IO[str] | None = None
) -> str:
    """One request through the standard library's WSGI server handler; the raw HTTP response.

    ``wsgiref.validate`` checks both sides of the call (server and application) against PEP 3333
    unless ``check`` is false. The server's error log (a traceback, if the response broke off),
    which is also the application's ``wsgi.errors``, goes to ``errors``, or else to stderr.
    """
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {"SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    out = io.BytesIO()
    log = sys.stderr if errors is None else errors
    handler = SimpleHandler(io.BytesIO(), out, log, environ, multithread=False)
    handler.run(validator(app) if check else app)
    return out.getvalue().decode("latin-1")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="wsgi_middleware",
        description="Send one request through WSGI middleware (wsgiref's server handler, with "
        "wsgiref.validate) and print the raw HTTP response.",
    )
    parser.add_argument("app", choices=sorted(APPS), help="which application to wrap")
    parser.add_argument("path", nargs="?", default="/", help="request path (default: /)")
    args = parser.parse_args()
    path = request_path(args.path)
    log = io.StringIO()  # what the server and the app logged: reported in one line below
    raw = serve_once(APPS[args.app](), path, errors=log)
    for line in raw.splitlines():
        name = line.split(":", 1)[0].lower()
        if name in {"date", "server"}:
            continue  # change on every run
        if name == "server-timing":
            line = line.split(";dur=")[0] + ";dur=…"
        print(line)
    failure = last_logged_error(log.getvalue())
    status = raw.split("\r\n", 1)[0].partition(" ")[2]  # e.g. "404 Not Found"
    if failure is None and status.startswith("4"):
        failure = status
    return route_failed("wsgi_middleware", path, failure) if failure else 0


if __name__ == "__main__":
    run(main, prog="wsgi_middleware")
