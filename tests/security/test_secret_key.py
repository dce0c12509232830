"""SECRET_KEY: development and the demo make their own random key once per instance; published keys are refused.

Issue 15, finding 1: every `make demo` signed sessions with the public key `dev-only-not-secret`, so a
forged cookie opened any answer, draft or contact on a demo or pilot server.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dev_app(monkeypatch, instance: Path, **settings):  # type: ignore[no-untyped-def]
    from consult import create_app
    from consult.config import DevelopmentConfig

    monkeypatch.setenv("GUTH_ENV", "development")
    monkeypatch.setenv("GUTH_INSTANCE_PATH", str(instance))

    class Dev(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = None
        JOBS_MODE = "sync"

    for name, value in settings.items():
        setattr(Dev, name, value)
    return create_app(Dev)


def test_development_makes_a_random_key_once_per_instance(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from consult.config import KNOWN_DEFAULT_SECRETS

    first = _dev_app(monkeypatch, tmp_path / "one")
    key = first.config["SECRET_KEY"]
    assert key and key not in KNOWN_DEFAULT_SECRETS and len(key) >= 40
    stored = tmp_path / "one" / "secret_key"
    assert stored.read_text().strip() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600, "only the app's user may read the key"
    assert _dev_app(monkeypatch, tmp_path / "one").config["SECRET_KEY"] == key, "the same instance keeps its key"
    assert _dev_app(monkeypatch, tmp_path / "two").config["SECRET_KEY"] != key, "two demos never share one"


@pytest.mark.parametrize("key", ["dev-only-not-secret", "testing-secret", "  dev-only-not-secret "])
def test_development_refuses_a_published_key(monkeypatch, tmp_path, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _dev_app(monkeypatch, tmp_path, SECRET_KEY=key)


def test_production_refuses_a_missing_or_published_key(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from consult import create_app
    from consult.config import ProductionConfig

    monkeypatch.setenv("GUTH_ENV", "production")
    monkeypatch.setenv("GUTH_INSTANCE_PATH", str(tmp_path))
    for key in (None, "", "testing-secret", "dev-only-not-secret"):
        class Prod(ProductionConfig):
            SQLALCHEMY_DATABASE_URI = "sqlite://"
            SECRET_KEY = key

        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(Prod)
    assert not (tmp_path / "secret_key").exists(), "production never makes a key of its own"


def test_the_key_is_never_printed(tmp_path) -> None:
    """What `make demo` runs before gunicorn (`flask db upgrade`, then `flask demo`) prints no key at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "TESTING")}
    env.update(GUTH_ENV="development", GUTH_DEMO="1", GUTH_INSTANCE_PATH=str(tmp_path), LOG_FORMAT="text",
               LOG_LEVEL="DEBUG", DATABASE_URL=f"sqlite:///{tmp_path / 'guth.db'}", JOBS_MODE="sync",
               FLASK_APP="consult")
    printed = ""
    for command in (["db", "upgrade"], ["demo", "--responses", "12", "--no-analyse"]):
        run = subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        printed += run.stdout + run.stderr
    assert "Loaded the fictional Glenbrae demo" in printed, "the demo was loaded"
    key = (tmp_path / "secret_key").read_text().strip()
    assert key and key not in printed
    assert "dev-only-not-secret" not in printed and "testing-secret" not in printed, "no published key either"


def test_the_demo_uses_the_instance_key_and_the_key_is_not_committed() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "dev-only-not-secret" not in makefile
    assert "instance/" in (ROOT / ".gitignore").read_text().splitlines()
    config = (ROOT / "consult" / "config.py").read_text()
    assert 'os.environ.get("SECRET_KEY", "' not in config, "no default key in the configuration"


def test_a_cookie_forged_with_the_old_demo_key_opens_nobodys_answers(app, client, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The attack itself: a respondent's state signed with `dev-only-not-secret` opens no answers on a demo.

    The same state signed with the instance's own key does open them (so the cookie is the right shape),
    which is why that key must be random and never printed.
    """
    from flask import Flask

    from consult import create_app
    from consult.config import DevelopmentConfig
    from consult.extensions import db
    from consult.models import Response
    from tests.consult.respond.conftest import Respondent, make_consultation

    make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    r = Respondent(client, "csp")
    r.start()
    r.answer("good_things", {"answer": "zq-forged-cookie-canary my football club", "continue_": "1"})
    rid = db.session.scalars(db.select(Response.id)).one()

    monkeypatch.setenv("GUTH_ENV", "development")
    monkeypatch.setenv("GUTH_INSTANCE_PATH", str(tmp_path))

    class Demo(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SECRET_KEY = None
        JOBS_MODE = "sync"
        DEMO = True

    demo = create_app(Demo)
    state = {"respond": {"slug": "csp", "rid": rid, "mode": "form"}}
    attacker = Flask("attacker")
    attacker.secret_key = "dev-only-not-secret"
    seen = {}
    for who, signer in (("attacker", attacker), ("the demo itself", demo)):
        cookie = demo.session_interface.get_signing_serializer(signer).dumps(state)
        visitor = demo.test_client()
        visitor.set_cookie("session", cookie)
        seen[who] = "zq-forged-cookie-canary" in visitor.get("/c/csp/check").get_data(as_text=True)
    assert seen == {"attacker": False, "the demo itself": True}
