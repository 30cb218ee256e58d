"""The single-file Django project: MIDDLEWARE order, function and class middleware, exceptions."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from examples.pycon_us_2022.middleware import django_project
from examples.pycon_us_2022.middleware.limits import MAX_LINES

TALK_VERSION = [*django_project.MIDDLEWARE[:-1], f"{django_project.__name__}.TryExceptMiddleware"]


def client() -> Client:
    return Client(raise_request_exception=False)


def test_the_settings_are_the_modules_middleware_list() -> None:
    assert settings.MIDDLEWARE == django_project.MIDDLEWARE
    assert django_project.__name__ == settings.ROOT_URLCONF


def test_first_entry_sees_the_request_first_and_the_response_last() -> None:
    response = client().get("/polls/")
    assert response.status_code == 200
    assert response.content.decode() == "A -> B -> view"
    assert response["X-Trail"] == "B, A"


def test_reordering_the_list_reorders_the_layers() -> None:
    reordered = [django_project.MIDDLEWARE[1], django_project.MIDDLEWARE[0]]
    with override_settings(MIDDLEWARE=reordered):
        response = client().get("/polls/")
    assert response.content.decode() == "B -> A -> view"
    assert response["X-Trail"] == "A, B"


def test_function_based_latency_reporter_times_the_view() -> None:
    response = client().get("/polls/")
    name, duration = response["Server-Timing"].split(";dur=")
    assert name == "django"
    assert float(duration) >= 0


def test_process_exception_sees_the_views_exception() -> None:
    response = client().get("/boom/")
    assert response.status_code == 500
    assert response["X-Handled-By"] == "process_exception"
    assert response.json() == {"error": "an internal error occurred"}


def test_try_except_around_get_response_never_sees_the_views_exception() -> None:
    with override_settings(MIDDLEWARE=TALK_VERSION):
        response = client().get("/boom/")
    assert response.status_code == 500
    assert "X-Handled-By" not in response, "the except branch did not run"
    assert b"Server Error (500)" in response.content, "Django's own 500 page"
    # The layers outside still get a response, not an exception.
    assert response["X-Trail"] == "B, A"


def test_the_test_client_reraises_an_unhandled_view_exception() -> None:
    # Django's test client re-raises (by default) what no process_exception handled: a signal
    # for tests, not what a server does. Handled exceptions are not re-raised.
    with override_settings(MIDDLEWARE=TALK_VERSION), pytest.raises(RuntimeError):
        Client().get("/boom/")
    assert Client().get("/boom/")["X-Handled-By"] == "process_exception"


def test_streaming_response_passes_through_the_middleware() -> None:
    response = client().get("/stream/?lines=2")
    assert response.streaming
    assert b"".join(response.streaming_content) == b"line 0\nline 1\n"
    assert response["X-Trail"] == "B, A"


@pytest.mark.parametrize("value", [str(MAX_LINES + 1), "99999999999999999999", "-1", "x"])
def test_a_lines_count_beyond_the_cap_or_not_a_count_is_a_400(value: str) -> None:
    response = client().get(f"/stream/?lines={value}")
    assert response.status_code == 400
    assert f"must be a whole number from 0 to {MAX_LINES}" in response.content.decode()
    assert response["X-Trail"] == "B, A", "the answer still passes through the middleware"
