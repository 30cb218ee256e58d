"""Flask's before_request / after_request handlers: the order Flask really calls them in."""

from __future__ import annotations

import pytest
from flask import Flask, g

from examples.pycon_us_2022.middleware import flask_app
from examples.pycon_us_2022.middleware.flask_app import create_app
from examples.pycon_us_2022.middleware.limits import MAX_LINES


def test_before_handlers_run_app_first_then_blueprint_in_registration_order() -> None:
    response = create_app().test_client().get("/v2/polls/")
    assert response.status_code == 200
    assert response.text.split(" -> ") == [
        "app before 1",
        "app before 2",
        "bp before 1",
        "bp before 2",
        "view",
    ]


def test_after_handlers_run_blueprint_first_then_app_in_reverse_order() -> None:
    response = create_app().test_client().get("/v2/polls/")
    assert response.headers["X-Trail"].split(", ") == [
        "bp after 2",
        "bp after 1",
        "app after 2",
        "app after 1",
    ]


def test_blueprint_handlers_do_not_run_outside_the_blueprint() -> None:
    response = create_app().test_client().get("/")
    assert response.headers["X-Trail"] == "app after 2, app after 1"
    assert response.text.startswith("Hello from Flask")


def test_latency_is_reported_by_the_handler_registered_first() -> None:
    response = create_app().test_client().get("/v2/polls/")
    name, duration = response.headers["Server-Timing"].split(";dur=")
    assert name == "app"
    assert float(duration) >= 0


def test_latency_measurement_includes_every_after_handler(monkeypatch) -> None:
    # Log each clock read and each trail handler: report_latency must read the clock after all
    # the other after_request handlers have run (Flask runs them in reverse registration order).
    events: list[str] = []

    class LoggingClock:
        @staticmethod
        def perf_counter() -> float:
            events.append("clock read")
            return 0.0

    monkeypatch.setattr(flask_app, "time", LoggingClock)
    monkeypatch.setattr(flask_app, "_add_to_trail", lambda response, name: events.append(name))
    assert flask_app.create_app().test_client().get("/v2/polls/").status_code == 200
    assert events == [
        "clock read",
        "bp after 2",
        "bp after 1",
        "app after 2",
        "app after 1",
        "clock read",
    ]


def test_a_before_handler_that_returns_a_response_skips_the_view_but_not_after_handlers() -> None:
    app = Flask(__name__)
    calls: list[str] = []

    @app.before_request
    def refuse() -> tuple[str, int]:
        calls.append("refuse")
        return "no", 403

    @app.before_request
    def never() -> None:
        calls.append("never")

    @app.after_request
    def after(response):
        calls.append("after")
        return response

    @app.route("/")
    def view() -> str:
        calls.append("view")
        return "yes"

    response = app.test_client().get("/")
    assert (response.status_code, calls) == (403, ["refuse", "after"])


def test_streamed_response_is_produced_after_the_view_returned() -> None:
    client = create_app().test_client()
    assert client.get("/stream?lines=2").text == "line 0\nline 1\n"
    # Without PROPAGATE_EXCEPTIONS, Flask turns a view's exception into its own 500 page.
    assert client.get("/boom").status_code == 500


def test_g_is_per_request() -> None:
    app = create_app()
    with app.test_request_context("/"):
        app.preprocess_request()
        assert g.trail == ["app before 1", "app before 2"]


@pytest.mark.parametrize("route", ["/stream?lines", "/stream-boom?after"])
@pytest.mark.parametrize("value", [str(MAX_LINES + 1), "99999999999999999999", "-1", "x", "١٢"])
def test_a_count_beyond_the_cap_or_not_a_count_is_a_400(route: str, value: str) -> None:
    response = create_app().test_client().get(f"{route}={value}")
    assert response.status_code == 400
    assert f"must be a whole number from 0 to {MAX_LINES}" in response.text


def test_the_cap_itself_is_served_in_full() -> None:
    response = create_app().test_client().get(f"/stream?lines={MAX_LINES}")
    assert response.status_code == 200
    assert response.text.count("\n") == MAX_LINES
