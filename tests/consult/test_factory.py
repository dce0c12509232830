"""The app factory, config selection and the pages every visitor shares."""

from __future__ import annotations

import pytest

from consult import create_app
from consult.config import (
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_for,
    normalise_database_url,
)


def test_config_is_chosen_by_environment_name() -> None:
    assert config_for(None) is DevelopmentConfig
    assert config_for("testing") is TestingConfig
    assert config_for("PRODUCTION") is ProductionConfig
    with pytest.raises(ValueError, match="Unknown GUTH_ENV"):
        config_for("staging")


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_factory_applies_overrides_and_registers_every_audience_blueprint(monkeypatch) -> None:
    monkeypatch.setenv("GUTH_ENV", "production")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert {"respond", "orgs", "tsi", "planner", "public", "auth", "admin", "core"} <= set(app.blueprints)


def test_database_url_selects_postgres(monkeypatch) -> None:
    import importlib

    import consult.config as config

    monkeypatch.setenv("DATABASE_URL", "postgresql://guth@127.0.0.1/guth")
    reloaded = importlib.reload(config)
    try:
        assert reloaded.Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://guth@127.0.0.1/guth"
    finally:
        monkeypatch.delenv("DATABASE_URL")
        importlib.reload(config)


def test_start_page_is_accessible_shape(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "Worried about something? Get help now" in html
    assert "https://" not in html.split("<body")[0], "no external resources in <head>"


def test_help_page_gives_childline(client) -> None:
    html = client.get("/help").get_data(as_text=True)
    assert "0800 1111" in html


def test_unknown_url_gives_a_clear_404_page(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<title>Error: Page not found – Guth</title>" in html
    assert "Traceback" not in html


def test_missing_csrf_token_gives_a_clear_400_page(client) -> None:
    response = client.post("/lang", data={"lang": "gd"})
    assert response.status_code == 400
    assert "Your session timed out" in response.get_data(as_text=True)


def test_health_check_reaches_the_database(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_security_headers_on_pages(client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Werkzeug" not in response.headers.get("Server", "")


def test_database_going_away_in_any_form_is_please_try_again(app) -> None:
    import psycopg
    from sqlalchemy.exc import InterfaceError, OperationalError, PendingRollbackError

    raised = {
        "/boom/operational": OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed")),
        "/boom/interface": InterfaceError("SELECT 1", {}, psycopg.InterfaceError("connection already closed")),
        "/boom/pending": PendingRollbackError("a previous flush failed"),
    }
    for path, exc in raised.items():
        def view(exc=exc):  # type: ignore[no-untyped-def]
            raise exc
        app.add_url_rule(path, endpoint=path, view_func=view)
    app.add_url_rule("/boom/other", endpoint="other", view_func=lambda: 1 / 0)
    client = app.test_client()
    for path in raised:
        response = client.get(path)
        assert response.status_code == 503, path
        assert "please try again" in response.get_data(as_text=True).lower()
    assert client.get("/boom/other").status_code == 500
