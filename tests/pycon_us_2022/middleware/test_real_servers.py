"""The middleware under real servers: gunicorn for the WSGI apps, uvicorn for the ASGI app.

Each server runs in its own process on a free 127.0.0.1 port, is hit by a real HTTP client
(httpx), and is stopped afterwards; the tests check that its port is free again.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from examples.pycon_us_2022.middleware.wsgi_middleware import ERROR_BODY
from site_tools.paths import REPO_ROOT
from tests.support.servers import LOOPBACK, free_port, serving

pytestmark = pytest.mark.slow

MODULE = "examples.pycon_us_2022.middleware"


def gunicorn(target: str, port: int) -> list[str]:
    # One sync worker: enough for sequential requests, and quick to start and stop.
    return [
        sys.executable, "-m", "gunicorn", "--bind", f"{LOOPBACK}:{port}",
        "--workers", "1", "--graceful-timeout", "2", f"{MODULE}.{target}",
    ]  # fmt: skip


def uvicorn(target: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "--factory", f"{MODULE}.{target}",
        "--host", LOOPBACK, "--port", str(port), "--lifespan", "on", "--no-access-log",
    ]  # fmt: skip


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((LOOPBACK, port)) != 0


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start the server named by the test's parameter; yield (base URL, log path)."""
    kind, target = request.param
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    command = gunicorn(target, port) if kind == "gunicorn" else uvicorn(target, port)
    env = {"MIDDLEWARE_EXPENSIVE_SECONDS": "0.3", "PYTHONUNBUFFERED": "1"}
    base = f"http://{LOOPBACK}:{port}"
    with serving(command, port, cwd=REPO_ROOT, env=env, log=log, ready_url=f"{base}/"):
        yield base, log
    assert port_is_free(port), "the server is stopped and its port released"


FLASK = ("gunicorn", "wsgi_middleware:wrapped_flask()")
DJANGO = ("gunicorn", "wsgi_middleware:wrapped_django()")
MIGRATION = ("gunicorn", "wsgi_middleware:django_with_flask()")
FASTAPI = ("uvicorn", "fastapi_app:app_from_environment")


@pytest.mark.parametrize("server", [FLASK], indirect=True)
def test_gunicorn_flask_handlers_and_wsgi_middleware(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(f"{base}/v2/polls/")
    assert response.status_code == 200
    assert response.text.split(" -> ")[:3] == ["app before 1", "app before 2", "bp before 1"]
    assert response.headers["x-trail"] == "bp after 2, bp after 1, app after 2, app after 1"
    timings = [value.split(";")[0] for value in response.headers.get_list("server-timing")]
    assert timings == ["app", "wsgi"], "Flask's handler, then the WSGI middleware around it"


@pytest.mark.parametrize("server", [FLASK], indirect=True)
def test_gunicorn_stream_failing_before_first_byte_is_a_500(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(f"{base}/stream-boom", params={"after": 0})
    assert response.status_code == 500
    assert response.content == ERROR_BODY


@pytest.mark.parametrize("server", [FLASK], indirect=True)
def test_gunicorn_stream_failing_mid_body_is_cut_short(server: tuple[str, Path]) -> None:
    base, log = server
    received: list[bytes] = []
    statuses: list[int] = []

    def read_all() -> None:
        with httpx.stream("GET", f"{base}/stream-boom", params={"after": 2}) as response:
            statuses.append(response.status_code)
            received.extend(response.iter_bytes())

    with pytest.raises(httpx.RemoteProtocolError):
        read_all()
    assert statuses == [200], "the status line was sent before the error"
    assert b"".join(received) == b"line 0\nline 1\n"
    assert "the view failed in the middle of its response" in log.read_text()
    # The server still works for the next request.
    assert httpx.get(f"{base}/stream", params={"lines": 2}).text == "line 0\nline 1\n"


@pytest.mark.parametrize("server", [DJANGO], indirect=True)
def test_gunicorn_django_middleware_list_and_wsgi_middleware(server: tuple[str, Path]) -> None:
    base, _ = server
    polls = httpx.get(f"{base}/polls/")
    assert (polls.text, polls.headers["x-trail"]) == ("A -> B -> view", "B, A")
    timings = [value.split(";")[0] for value in polls.headers.get_list("server-timing")]
    assert timings == ["django", "wsgi"]
    boom = httpx.get(f"{base}/boom/")
    assert boom.status_code == 500
    assert boom.headers["x-handled-by"] == "process_exception"
    assert httpx.get(f"{base}/stream/", params={"lines": 2}).text == "line 0\nline 1\n"


@pytest.mark.parametrize("server", [MIGRATION], indirect=True)
def test_gunicorn_flask_in_front_of_django(server: tuple[str, Path]) -> None:
    base, _ = server
    assert httpx.get(f"{base}/v2/polls/").text.endswith("bp before 2 -> view")
    assert httpx.get(f"{base}/polls/").text == "A -> B -> view"
    assert httpx.get(f"{base}/nowhere/").status_code == 404


@pytest.mark.parametrize("server", [FASTAPI], indirect=True)
def test_uvicorn_fastapi_middleware_stack(server: tuple[str, Path]) -> None:
    base, _ = server
    with httpx.Client(base_url=base) as client:
        assert client.get("/health").json()["lifespan"] == "started"
        first, second = client.get("/expensive"), client.get("/expensive")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert first.json() == second.json() == {"result": 42, "computations": 1}
        assert first.headers["server-timing"].startswith("asgi;dur=")
        assert client.get("/trail").json() == ["trail", "@app.middleware", "view"]


@pytest.mark.parametrize("server", [FASTAPI], indirect=True)
def test_uvicorn_runs_the_mounted_flask_app(server: tuple[str, Path]) -> None:
    base, _ = server
    hello = httpx.get(f"{base}/v1/")
    assert hello.text == "Hello from Flask (SCRIPT_NAME='/v1')"
    assert "server-timing" in hello.headers, "the ASGI middleware wrap the WSGI app too"


@pytest.mark.parametrize("server", [FASTAPI], indirect=True)
def test_uvicorn_websocket_passes_through_every_middleware(server: tuple[str, Path]) -> None:
    """The pure ASGI middleware pass the websocket scope on; an HTTP-only one would break it."""
    base, _ = server
    with connect(base.replace("http://", "ws://") + "/chat", open_timeout=10) as chat:
        for word in ("hello", "middleware"):
            chat.send(word)
            assert chat.recv(timeout=10) == f"echo: {word}"
