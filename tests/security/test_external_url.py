"""Links in emails point at the configured address (GUTH_BASE_URL, else SERVER_NAME), never at the Host header.

Issue 15, finding 6: email links were built from the request's Host header, so a spoofed Host put a
foreign domain into the emails sent to an organisation's colleagues.
"""

from __future__ import annotations

import pytest

from tests.conftest import _normal, app_on_test_database

EVIL = "evil.example"


@pytest.fixture()
def base_app(_migrated):  # type: ignore[no-untyped-def]
    with app_on_test_database({"SQLALCHEMY_DATABASE_URI": _normal(_migrated),
                               "GUTH_BASE_URL": "https://guth.example.org/"}) as app:
        yield app


def _one_of_each(app):  # type: ignore[no-untyped-def]
    from tests.security.conftest import build_side

    return build_side("x")


def test_an_invitation_sent_during_a_spoofed_request_links_to_the_configured_address(base_app) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations
    from consult.extensions import db
    from consult.models import Contact
    from consult.services import invitations

    side = _one_of_each(base_app)
    contact = db.session.get(Contact, side.params["contact_id"])
    with base_app.test_request_context("/planner/", headers={"Host": EVIL, "X-Forwarded-Host": EVIL}):
        email = invitations.invite_contact(consultations.get(side.consultation), contact, invited_by_id=None)
    assert "https://guth.example.org/org/" in email.body
    assert EVIL not in email.body


def test_the_reminder_job_links_to_the_configured_address_whatever_its_params_say(base_app) -> None:  # type: ignore[no-untyped-def]
    """Reminder jobs once carried the Host of the request that started them (base_url=request.host_url)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Invitation, OutboxEmail
    from consult.services.invitations import send_reminders_job

    side = _one_of_each(base_app)
    db.session.execute(Invitation.__table__.update().values(sent_at=datetime.now(UTC) - timedelta(days=20)))
    db.session.commit()
    with base_app.test_request_context("/", headers={"Host": EVIL}):
        result = send_reminders_job({"consultation_id": side.consultation, "base_url": f"http://{EVIL}/"},
                                    lambda *_a, **_k: None)
    assert result["sent"] == 1
    bodies = list(db.session.scalars(select(OutboxEmail.body)))
    assert bodies and all(EVIL not in body and "https://guth.example.org/org/" in body for body in bodies)


def test_no_view_hands_the_host_header_to_an_email() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "consult"
    mine = [p for p in root.rglob("*.py") if "safeguarding" not in p.name]  # alerts: MAIL_BASE_URL comes first there
    assert [str(p.relative_to(root)) for p in mine if "host_url" in p.read_text()] == []


def test_the_base_url_comes_from_configuration(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from flask import Flask

    from consult.urls import configure_base_url

    def settled(**cfg):  # type: ignore[no-untyped-def]
        app = Flask("x")
        app.config.update(ENV_NAME="development", **cfg)
        configure_base_url(app)
        return app.config["GUTH_BASE_URL"], app.config["MAIL_BASE_URL"]

    assert settled(GUTH_BASE_URL="https://a.example/") == ("https://a.example", "https://a.example")
    assert settled(SERVER_NAME="b.example", PREFERRED_URL_SCHEME="https")[0] == "https://b.example"
    assert settled(MAIL_BASE_URL="https://c.example")[0] == "https://c.example"
    assert settled()[0] == "http://127.0.0.1:5000"
    with pytest.raises(RuntimeError, match="GUTH_BASE_URL"):
        settled(GUTH_BASE_URL="javascript:alert(1)")


def test_the_demo_sets_its_own_address() -> None:
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "GUTH_BASE_URL=http://127.0.0.1:$(PORT)" in makefile
