"""Flask's own middleware: ``before_request`` and ``after_request`` handlers, app and blueprint.

The talk's first framework. Flask has no middleware class; it calls the functions you register
with ``before_request`` before the view and those registered with ``after_request`` after it. This
app registers two of each on the application and two of each on a blueprint, and records the order
Flask really calls them in: the request phase in the response body, the response phase in the
``X-Trail`` header. It also measures page-rendering latency, the talk's use case, with ``flask.g``,
and has a streamed page and two failing pages for the WSGI middleware to handle.

```python
from examples.pycon_us_2022.middleware.flask_app import create_app

response = create_app().test_client().get("/v2/polls/")
assert response.text.endswith("bp before 2 -> view")
assert response.headers["X-Trail"].startswith("bp after 2")
```
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, g, request, stream_with_context

from example_support.command_line import run
from examples.pycon_us_2022.middleware.limits import (
    BadParameter,
    count_parameter,
    exception_line,
    last_logged_error,
    request_path,
    route_failed,
)


def _add_to_trail(response: Response, name: str) -> None:
    """Append one handler's name to the X-Trail header (a comma-separated list, in call order)."""
    trail = response.headers.get("X-Trail")
    response.headers["X-Trail"] = f"{trail}, {name}" if trail else name


def _register_trail_handlers(target: Flask | Blueprint, label: str) -> None:
    """Two before_request and two after_request handlers on ``target``, registered 1 then 2."""

    @target.before_request
    def before_request_handler_1() -> None:
        g.trail.append(f"{label} before 1")

    @target.before_request
    def before_request_handler_2() -> None:
        g.trail.append(f"{label} before 2")

    @target.after_request
    def after_request_handler_1(response: Response) -> Response:
        _add_to_trail(response, f"{label} after 1")
        return response

    @target.after_request
    def after_request_handler_2(response: Response) -> Response:
        _add_to_trail(response, f"{label} after 2")
        return response


def create_app() -> Flask:
    """The Flask application: latency reporting, trail handlers, a ``polls`` blueprint."""
    app = Flask(__name__)

    # Both timing handlers are registered before any other handler of the app. Flask calls
    # before_request handlers in registration order, so start_timer runs first; it calls
    # after_request handlers in reverse registration order, so report_latency runs last. The
    # measurement therefore includes every other handler, the blueprint's included.
    @app.before_request
    def start_timer() -> None:
        g.request_start = time.perf_counter()
        g.trail = []

    @app.after_request
    def report_latency(response: Response) -> Response:
        elapsed_ms = (time.perf_counter() - g.request_start) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.3f}"
        return response

    _register_trail_handlers(app, "app")

    polls = Blueprint("polls", __name__, url_prefix="/v2/polls")
    _register_trail_handlers(polls, "bp")

    @polls.route("/")
    def index() -> str:
        return " -> ".join([*g.trail, "view"])

    app.register_blueprint(polls)

    @app.errorhandler(BadParameter)
    def bad_parameter(error: BadParameter) -> tuple[str, int, dict[str, str]]:
        return f"{error}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.route("/")
    def hello() -> str:
        return f"Hello from Flask (SCRIPT_NAME={request.script_root!r})"

    @app.route("/stream")
    def stream() -> Response:
        lines = count_parameter(request.args.get("lines"), "lines", default=3)

        def generate() -> Iterator[str]:
            for number in range(lines):
                yield f"line {number}\n"

        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("the view failed before any byte was sent")

    @app.route("/stream-boom")
    def stream_boom() -> Response:
        lines = count_parameter(request.args.get("after"), "after", default=1)

        # A generator runs only when the server iterates the response, after the view returned:
        # with after=0 it fails before the first byte, otherwise after some lines were sent.
        def generate() -> Iterator[str]:
            for number in range(lines):
                yield f"line {number}\n"
            raise RuntimeError("the view failed in the middle of its response")

        return Response(generate(), mimetype="text/plain")

    return app


# What gunicorn serves: ``gunicorn examples.pycon_us_2022.middleware.flask_app:app``.
app = create_app()


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="flask_app",
        description="Request one page of the Flask app (through its test client) and show in "
        "which order the before_request and after_request handlers ran.",
    )
    parser.add_argument("path", nargs="?", default="/v2/polls/", help="default: /v2/polls/")
    path = request_path(parser.parse_args().path)
    # Flask logs a view's exception (a traceback) to wsgi.errors: keep it for a one-line report.
    log = io.StringIO()
    try:
        response = create_app().test_client().get(path, environ_overrides={"wsgi.errors": log})
    except Exception as error:  # Werkzeug reads the first chunk at once: it failed, no response
        return route_failed("flask_app", path, exception_line(error))
    received: list[bytes] = []
    failure = None
    try:
        # The rest of a streamed body runs only now, after the view returned; it may fail too.
        received.extend(response.iter_encoded())
    except Exception as error:
        failure = exception_line(error)
    finally:
        response.close()
    print(f"GET {path} -> {response.status}")
    print(f"body:     {b''.join(received).decode('utf-8', 'replace').strip()}")
    print(f"X-Trail:  {response.headers.get('X-Trail')}")
    print(f"latency:  {'measured' if 'Server-Timing' in response.headers else 'missing'}")
    failure = failure or last_logged_error(log.getvalue())
    if failure is None and 400 <= response.status_code < 500:
        failure = response.status
    return route_failed("flask_app", path, failure) if failure else 0


if __name__ == "__main__":
    run(main, prog="flask_app")
