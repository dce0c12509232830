"""Rate limits (429 with the clear page) and the honeypot field."""

from __future__ import annotations

import pytest

from tests.conftest import _normal, app_on_test_database, csrf_from, in_one_rate_window


@pytest.fixture()
def limited_app(_migrated):  # type: ignore[no-untyped-def]
    """An app with the rate limits on and small enough to reach in a test."""
    with app_on_test_database({
        "SQLALCHEMY_DATABASE_URI": _normal(_migrated), "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_LOGIN_ADDRESS": "4 per minute",
        "RATELIMIT_LOGIN_ACCOUNT": "3 per minute", "RATELIMIT_ANONYMOUS_POST": "8 per minute",
    }) as app:
        yield app


def _try_login(client, email: str, password: str = "wrong password!"):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    return client.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})


def test_login_attempts_per_account_answer_429_with_a_clear_page(limited_app) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    client = limited_app.test_client()
    statuses = [_try_login(client, "someone@example.org").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    blocked = _try_login(client, "someone@example.org")
    assert blocked.status_code == 429
    body = blocked.get_data(as_text=True)
    assert "Too many tries" in body and "Please wait a minute" in body
    assert blocked.headers.get("Retry-After")
    assert blocked.headers.get("Cache-Control") == "no-store"
    # Another account from the same address still gets its own tries, up to the address limit.
    assert _try_login(client, "other@example.org").status_code == 200
    assert _try_login(client, "third@example.org").status_code == 429


def test_login_page_itself_is_never_limited(limited_app) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    for _ in range(10):
        assert client.get("/staff/login").status_code == 200


def test_every_anonymous_post_counts_towards_the_site_wide_limit(limited_app) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    client = limited_app.test_client()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    statuses = [client.post("/lang", data={"lang": "gd", "csrf_token": token}).status_code for _ in range(9)]
    assert statuses[:8] == [303] * 8
    assert statuses[8] == 429


def test_submission_limit_decorator_limits_per_session() -> None:
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    from tests.security.conftest import app_with_limited_routes

    app = app_with_limited_routes("memory://")
    one, two = app.test_client(), app.test_client()
    one.get("/__submit"), two.get("/__submit")  # each browser session gets its secret
    assert [one.post("/__submit").status_code for _ in range(3)] == [200, 200, 429]
    blocked = one.post("/__submit")
    assert "Too many tries" in blocked.get_data(as_text=True)
    assert 1 <= int(blocked.headers["Retry-After"]) <= 61  # when this minute's window lets them in again
    assert one.get("/__submit").status_code == 200  # reading is never limited
    assert two.post("/__submit").status_code == 200  # another session has its own count...
    assert two.post("/__submit").status_code == 429  # ...but the address ceiling is shared


def test_limits_are_off_in_tests_by_default(client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        assert _try_login(client, "x@example.org").status_code == 200


# ---- honeypot -----------------------------------------------------------------------------------

def test_login_page_has_a_honeypot_people_never_see(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/staff/login").get_data(as_text=True)
    assert '<div class="visually-hidden"><label for="website">Leave this empty</label>' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html


def test_filled_honeypot_on_login_signs_nobody_in(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("planner")
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"email": "planner@example.org", "password": "correct horse battery",
                                                 "website": "http://spam.example", "csrf_token": token})
    assert response.status_code == 200
    assert "Email address or password is not right" in response.get_data(as_text=True)
    assert client.get("/planner/").status_code == 302  # still not signed in
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    ok = client.post("/staff/login", data={"email": "planner@example.org", "password": "correct horse battery",
                                           "website": "", "csrf_token": token})
    assert ok.status_code == 302


def test_honeypot_helpers_for_templates_without_wtforms(app) -> None:  # type: ignore[no-untyped-def]
    from consult.security import honeypot_field, honeypot_tripped

    with app.test_request_context("/"):
        html = str(honeypot_field())
    assert 'name="website"' in html and "Leave this empty" in html
    with app.test_request_context("/", method="POST", data={"website": "  "}):
        assert not honeypot_tripped()
    with app.test_request_context("/", method="POST", data={"website": "buy now"}):
        assert honeypot_tripped()
    with app.test_request_context("/"):
        rendered = app.jinja_env.from_string("<form>{{ honeypot_field() }}</form>").render()
    assert 'id="website"' in rendered
