"""Django's own middleware, in a complete single-file Django project: settings, URLs, views.

Django middleware is a factory: it receives ``get_response`` (the next middleware, or in the end
the view) and returns a callable that takes a request and returns a response. A function or a
class both qualify, and both are shown. They are switched on by their dotted paths in the
``MIDDLEWARE`` list of the settings, in order: the first entry is the outermost layer.

The class-based ``ExceptionHandlingMiddleware`` shows the trap of the talk's example: a
``try``/``except`` around ``get_response`` never sees the view's exception, because Django wraps
every layer in ``convert_exception_to_response`` and hands the middleware a finished ``500``
response instead. The hook that does see it is ``process_exception``.

```python
from django.test import Client
from examples.pycon_us_2022.middleware import django_project

response = Client(raise_request_exception=False).get("/boom/")
assert response.status_code == 500 and response["X-Handled-By"] == "process_exception"
```
"""

from __future__ import annotations

import argparse
import json
import secrets
import time
from collections.abc import Callable, Iterator

from django.conf import settings

from example_support.command_line import run
from examples.pycon_us_2022.middleware.limits import (
    BadParameter,
    count_parameter,
    exception_line,
    request_path,
    route_failed,
)

# The settings live here, so the list of middleware below is this project's real MIDDLEWARE.
MIDDLEWARE = [
    f"{__name__}.MiddlewareA",
    f"{__name__}.MiddlewareB",
    f"{__name__}.latency_reporter",
    f"{__name__}.ExceptionHandlingMiddleware",
]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        # A fresh key per process: nothing here signs anything that must outlive it.
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )

import django  # noqa: E402  (settings must be configured first)
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import (  # noqa: E402
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import path  # noqa: E402

django.setup()

GetResponse = Callable[[HttpRequest], HttpResponse]


def _add_to_trail(response: HttpResponse, name: str) -> None:
    trail = response.get("X-Trail")
    response["X-Trail"] = f"{trail}, {name}" if trail else name


class TrailMiddleware:
    """Class-based middleware: note the request on the way in, the response on the way out."""

    name = "trail"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.trail = [*getattr(request, "trail", []), self.name]  # type: ignore[attr-defined]
        response = self.get_response(request)
        _add_to_trail(response, self.name)
        return response


class MiddlewareA(TrailMiddleware):
    name = "A"


class MiddlewareB(TrailMiddleware):
    name = "B"


def latency_reporter(get_response: GetResponse) -> GetResponse:
    """Function-based middleware (the talk's): time everything inside it, the view included."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request_begin = time.perf_counter()
        response = get_response(request)
        elapsed_ms = (time.perf_counter() - request_begin) * 1000
        # The talk printed it; a real one would push it to a monitoring system.
        response["Server-Timing"] = f"django;dur={elapsed_ms:.3f}"
        return response

    return middleware


class TryExceptMiddleware:
    """The talk's class-based middleware: a ``try``/``except`` around ``get_response``.

    It looks right and never fires for a view's exception: ``get_response`` is Django's wrapper,
    which has already turned the exception into a finished ``500`` response.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except Exception:
            response = JsonResponse({"error": "an internal error occurred"}, status=500)
            response["X-Handled-By"] = "__call__"
            return response


class ExceptionHandlingMiddleware(TryExceptMiddleware):
    """The same, plus the hook Django calls with the view's exception: ``process_exception``."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        # A response returned here replaces Django's 500; returning None lets Django go on.
        response = JsonResponse({"error": "an internal error occurred"}, status=500)
        response["X-Handled-By"] = "process_exception"
        return response


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(" -> ".join([*getattr(request, "trail", []), "view"]))


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view failed")


def stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    try:
        lines = count_parameter(request.GET.get("lines"), "lines", default=3)
    except BadParameter as error:
        return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")

    def generate() -> Iterator[str]:
        for number in range(lines):
            yield f"line {number}\n"

    return StreamingHttpResponse(generate(), content_type="text/plain")


urlpatterns = [
    path("polls/", index),
    path("boom/", boom),
    path("stream/", stream),
]

# What gunicorn serves: ``gunicorn examples.pycon_us_2022.middleware.django_project:application``.
application = get_wsgi_application()


def main() -> int:
    from django.test import Client, override_settings

    parser = argparse.ArgumentParser(
        prog="django_project",
        description="Request one page of the single-file Django project and show what its "
        "MIDDLEWARE did.",
    )
    parser.add_argument("path", nargs="?", default="/polls/", help="default: /polls/")
    parser.add_argument(
        "--talk-version",
        action="store_true",
        help="use the talk's TryExceptMiddleware instead of ExceptionHandlingMiddleware",
    )
    args = parser.parse_args()
    path_ = request_path(args.path)
    middleware = list(MIDDLEWARE)
    if args.talk_version:
        middleware[-1] = f"{__name__}.TryExceptMiddleware"
    with override_settings(MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get(path_)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(f"GET {path_} -> {response.status_code}")
    print(f"MIDDLEWARE: {', '.join(entry.rsplit('.', 1)[1] for entry in middleware)}")
    text = body.decode().strip()
    if response.get("Content-Type") == "application/json":
        text = json.dumps(json.loads(text))
    text = " ".join(text.split())  # one line, even for Django's HTML error pages
    if len(text) > 60:
        text = text[:57] + "..."
    print(f"body:         {text}")
    for header in ("X-Trail", "X-Handled-By"):
        if header in response:
            print(f"{header + ':':<13} {response[header]}")
    print(f"latency:      {'measured' if 'Server-Timing' in response else 'missing'}")
    # The test client keeps the exception no middleware handled (the talk version's case).
    if response.exc_info is not None:
        return route_failed("django_project", path_, exception_line(response.exc_info[1]))
    if 400 <= response.status_code < 500:
        return route_failed(
            "django_project", path_, f"{response.status_code} {response.reason_phrase}"
        )
    return 0


if __name__ == "__main__":
    run(main, prog="django_project")
