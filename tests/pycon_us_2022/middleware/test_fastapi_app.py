"""FastAPI: add_middleware order, @app.middleware("http"), caching, lifespan, WebSocket, Flask."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from examples.pycon_us_2022.middleware.asgi_middleware import TrailMiddleware
from examples.pycon_us_2022.middleware.fastapi_app import app_from_environment, create_app
from site_tools.paths import REPO_ROOT


def test_the_middleware_added_last_is_the_outermost() -> None:
    app = FastAPI()

    @app.get("/")
    async def view(request: Request) -> list[str]:
        return [*request.scope["trail"], "view"]

    app.add_middleware(TrailMiddleware, name="added first")
    app.add_middleware(TrailMiddleware, name="added second")

    @app.middleware("http")
    async def decorated(request: Request, call_next):
        request.scope.setdefault("trail", []).append("decorated third")
        return await call_next(request)

    response = TestClient(app).get("/")
    assert response.json() == ["decorated third", "added second", "added first", "view"]
    assert response.headers["x-trail"] == "added first, added second"


def test_expensive_endpoint_is_computed_once() -> None:
    with TestClient(create_app(expensive_seconds=0)) as client:
        answers = [client.get("/expensive") for _ in range(3)]
        assert [r.headers["x-cache"] for r in answers] == ["miss", "hit", "hit"]
        assert {r.json()["computations"] for r in answers} == {1}
        assert client.get("/health").json()["computations"] == 1


def test_lifespan_runs_through_the_middleware_stack() -> None:
    app = create_app(expensive_seconds=0)
    with TestClient(app) as client:
        assert client.get("/health").json()["lifespan"] == "started"
    assert app.state.lifespan == "stopped"


def test_websocket_passes_through_every_middleware() -> None:
    with TestClient(create_app()) as client, client.websocket_connect("/chat") as chat:
        chat.send_text("hello")
        assert chat.receive_text() == "echo: hello"


def test_rate_limit_applies_to_every_http_path() -> None:
    with TestClient(create_app(expensive_seconds=0, rate_limit=2)) as client:
        statuses = [client.get("/health").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_flask_is_mounted_under_v1_with_its_script_name() -> None:
    with TestClient(create_app()) as client:
        hello = client.get("/v1/")
        polls = client.get("/v1/v2/polls/")
    assert hello.text == "Hello from Flask (SCRIPT_NAME='/v1')"
    assert polls.text.endswith("bp before 2 -> view")
    # The ASGI middleware wrap the WSGI app too: Flask's trail comes first, then the ASGI one.
    assert polls.headers["x-trail"].endswith("app after 1, trail")


def test_starlettes_own_wsgi_adapter_is_deprecated() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import fastapi.middleware.wsgi"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "StarletteDeprecationWarning" in result.stderr
    assert "a2wsgi" in result.stderr


def test_the_mounted_flask_stream_caps_lines_with_a_400() -> None:
    with TestClient(create_app(expensive_seconds=0)) as client:
        refused = client.get("/v1/stream", params={"lines": "99999999999999999999"})
        served = client.get("/v1/stream", params={"lines": 2})
    assert refused.status_code == 400
    assert served.text == "line 0\nline 1\n"


@pytest.mark.parametrize("seconds", [math.inf, math.nan, -1.0, 3600.0])
def test_the_expensive_endpoint_refuses_a_cost_out_of_range(seconds: float) -> None:
    with pytest.raises(ValueError, match="expensive_seconds"):
        create_app(expensive_seconds=seconds)


@pytest.mark.parametrize(
    ("name", "value"),
    [("MIDDLEWARE_EXPENSIVE_SECONDS", "inf"), ("MIDDLEWARE_RATE_LIMIT", "-1")],
)
def test_the_server_factory_refuses_bad_environment_values(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        app_from_environment()
