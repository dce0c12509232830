"""Fixtures shared by every test: the app on a migrated database, clients, staff users."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

os.environ.setdefault("GUTH_ENV", "testing")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the test database URL: TEST_DATABASE_URL (PostgreSQL leg) or a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'guth-test.db'}"


@pytest.fixture(scope="session")
def _migrated(database_url: str) -> str:
    """Bring the test database to the newest migration once per session."""
    from flask_migrate import upgrade

    from consult import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": _normal(database_url)})
    with app.app_context():
        upgrade()
    return database_url


def _normal(url: str) -> str:
    from consult.config import normalise_database_url

    return normalise_database_url(url)


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as on a real server.

    Without this, requests reuse the test's app context and `g` (the CSRF token, the signed-in
    user) leaks from one request to the next, hiding real bugs.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            _cv_app.set(None)  # type: ignore[arg-type]
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(run)


def in_one_rate_window(needed: float = 10.0) -> None:
    """Wait, if the clock's minute has less than ``needed`` seconds left, until the next one starts.

    The limits count in a sliding-window counter over clock-aligned minutes: when a minute ends
    between a test's hits, the earlier hits are weighted down and the hit that should be refused gets
    through (three hits at 12:00:59 and a fourth at 12:01:00 count as 2.98, rounded down). A test that
    expects exactly the Nth hit to be refused calls this first, so all its hits fall in one minute.
    """
    import time

    left = 60.0 - time.time() % 60.0
    if left < needed:
        time.sleep(left + 0.05)


# Rate limits on and low enough for a test to pass them: three stored POSTs per browser session a minute.
SUBMIT_LIMITS = {
    "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_SUBMIT_SESSION": "3 per minute",
    "RATELIMIT_SUBMIT_ADDRESS": "100 per minute", "RATELIMIT_ANONYMOUS_POST": "100 per minute",
}


@contextmanager
def app_on_test_database(config) -> Iterator:  # type: ignore[no-untyped-def]
    """Yield create_app(config) with isolated clients, inside its app context; then empty every table.

    config is what create_app takes (a dict or a config class) and names the test database.
    """
    from consult import create_app
    from consult.extensions import db

    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables(db)


@pytest.fixture()
def app(_migrated: str) -> Iterator:
    """Yield an app on the migrated test database, emptied after each test."""
    with app_on_test_database({"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "SERVER_NAME": "localhost"}) as app:
        yield app


def _empty_tables(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    """Return a test client."""
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """Return the CSRF token in a rendered page."""
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


@pytest.fixture()
def partnership(app):  # type: ignore[no-untyped-def]
    """Return the test partnership staff belong to (created on first use)."""
    from consult.data import consultations
    from consult.extensions import db

    existing = consultations.first_partnership()
    if existing is not None:
        return existing
    made = consultations.create_partnership(name="Test partnership", local_authority="Test Council",
                                            health_board="NHS Test", areas=[("north", "North")])
    db.session.commit()
    return made


@pytest.fixture()
def make_user(app, partnership):  # type: ignore[no-untyped-def]
    """Return a function that creates a staff user of the test partnership with roles and returns it."""
    from consult.data import users
    from consult.extensions import db

    def make(*roles: str, email: str | None = None, password: str = "correct horse battery") -> object:
        user = users.create_user(email=email or f"{'-'.join(roles) or 'none'}@example.org", name="Test User",
                                 password=password, roles=list(roles), partnership_id=partnership.id)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def login(client):  # type: ignore[no-untyped-def]
    """Return a function that signs a user in through the real login form."""

    def do(email: str, password: str = "correct horse battery"):  # type: ignore[no-untyped-def]
        page = client.get("/staff/login")
        token = csrf_from(page.get_data(as_text=True))
        return client.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})

    return do


@pytest.fixture()
def world(app):  # type: ignore[no-untyped-def]
    """Return a small consultation with themes, codes, quotes and one flagged response (planner and public pages).

    tests/consult/orgs and tests/security define a `world` of their own, which wins there.
    """
    from tests.consult.planner.world import build_world

    return build_world()


@pytest.fixture()
def as_role(client, make_user, login):  # type: ignore[no-untyped-def]
    """Return a function that signs in a new user holding the roles and returns the client."""

    def sign_in(*roles: str):  # type: ignore[no-untyped-def]
        email = f"{'-'.join(roles)}@example.org"
        make_user(*roles, email=email)
        login(email)
        return client

    return sign_in


ROOT = Path(__file__).resolve().parent.parent
