"""Security headers on static files and error pages; cookie flags in the production configuration."""

from __future__ import annotations

import pytest

from tests.conftest import app_on_test_database, csrf_from
from tests.security.test_access_matrix import check_headers


def test_static_and_error_responses_carry_the_headers(client) -> None:  # type: ignore[no-untyped-def]
    for path, status in [("/static/guth.css", 200), ("/no-such-page", 404), ("/healthz", 200)]:
        response = client.get(path)
        assert response.status_code == status
        assert not check_headers(response, path), path
    assert "no-store" not in client.get("/static/guth.css").headers.get("Cache-Control", "")
    wrong_method = client.delete("/help")
    assert wrong_method.status_code == 405
    assert not check_headers(wrong_method, "/help")


def test_no_software_versions_or_stack_traces(app, client) -> None:  # type: ignore[no-untyped-def]
    @app.route("/__boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret detail zq-trace-123")

    response = client.get("/__boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "zq-trace-123" not in body and "Traceback" not in body
    assert response.headers.get("Server") == "Guth"
    assert "X-Powered-By" not in response.headers


@pytest.fixture()
def production_app(_migrated):  # type: ignore[no-untyped-def]
    from consult.config import ProductionConfig
    from tests.conftest import _normal

    class Prod(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = _normal(_migrated)
        SECRET_KEY = "production-test-secret-0123456789abcdef"
        RATELIMIT_ENABLED = False
        RATELIMIT_STORAGE_URI = "memory://"

    with app_on_test_database(Prod) as app:
        yield app


def test_production_cookies_are_secure_httponly_samesite(production_app) -> None:  # type: ignore[no-untyped-def]
    from consult.data import users
    from consult.extensions import db

    users.create_user(email="prod@example.org", name="P", password="correct horse battery", roles=["planner"])
    db.session.commit()
    client = production_app.test_client()
    page = client.get("/staff/login", base_url="https://localhost")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/staff/login", base_url="https://localhost",
                           headers={"Referer": "https://localhost/staff/login"}, data={"email": "prod@example.org", "password": "correct horse battery", "csrf_token": token})
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if not c.split(";")[0].endswith("=")]
    assert cookies, "signing in sets the session cookie"
    for cookie in cookies:
        low = cookie.lower()
        assert cookie.startswith("__Host-guth="), cookie
        assert "; secure" in low and "; httponly" in low and "; samesite=lax" in low, cookie
        assert "domain=" not in low and "path=/" in low, cookie


def test_production_refuses_the_development_secret(_migrated) -> None:  # type: ignore[no-untyped-def]
    from consult import create_app
    from consult.config import ProductionConfig

    class Prod(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = "dev-only-not-secret"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Prod)


def test_development_cookies_are_httponly_samesite(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("planner")
    response = login("planner@example.org")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "session=" in c and "session=;" not in c]
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
