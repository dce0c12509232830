"""An organisation's draft and submit: rate limits (429 with a clear page) and the honeypot."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import OutboxEmail, Response
from tests.conftest import SUBMIT_LIMITS, _normal, app_on_test_database, csrf_from, in_one_rate_window


@pytest.fixture()
def app(_migrated) -> Iterator:  # type: ignore[no-untyped-def]
    """The usual test app, with the rate limits on: three stored POSTs per browser session per minute."""
    config = {"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "SERVER_NAME": "localhost", **SUBMIT_LIMITS}
    with app_on_test_database(config) as app:
        yield app


def _link(address: str) -> str:
    body = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == address, OutboxEmail.body.like("%/org/i/%"))
                              .order_by(OutboxEmail.id.desc())).first().body
    return re.search(r"https?://\S+/org/i/\S+", body).group(0)


def _blocked(page) -> None:  # type: ignore[no-untyped-def]
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert "Too many tries" in html and "Please wait a minute" in html


def test_submitting_again_and_again_gets_429_with_a_clear_page(world, invite, open_link) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    invite(world["consultation"], world["orgs"]["Family Hub"])
    ann, draft = open_link(_link("ann@fh.example"))
    token = csrf_from(ann.get(f"{draft}/submit").get_data(as_text=True))
    for _ in range(3):  # the first submits; a second press changes nothing
        assert ann.post(f"{draft}/submit", data={"csrf_token": token}).status_code == 302
    _blocked(ann.post(f"{draft}/submit", data={"csrf_token": token}))
    assert ann.get(f"{draft}/done").status_code == 200  # reading is never limited


def test_saving_a_part_again_and_again_is_limited(world, invite, open_link) -> None:  # type: ignore[no-untyped-def]
    in_one_rate_window()  # every hit in one clock minute: the Nth is refused, however slow
    invite(world["consultation"], world["orgs"]["Family Hub"])
    ann, draft = open_link(_link("ann@fh.example"))
    url = f"{draft}/part/org_gaps"
    token = csrf_from(ann.get(url).get_data(as_text=True))
    for _ in range(3):
        assert ann.post(url, data={"csrf_token": token}).status_code < 400
    _blocked(ann.post(url, data={"csrf_token": token, "answer": "More youth workers.", "version": "0"}))
    db.session.expire_all()
    assert "More youth workers." not in ann.get(draft).get_data(as_text=True)  # the blocked save stored nothing


def test_filled_honeypot_on_submit_submits_nothing_but_confirms(world, invite, open_link) -> None:  # type: ignore[no-untyped-def]
    invite(world["consultation"], world["orgs"]["Family Hub"])
    ann, draft = open_link(_link("ann@fh.example"))
    html = ann.get(f"{draft}/submit").get_data(as_text=True)
    assert 'name="website"' in html and "Leave this empty" in html
    emails = len(db.session.scalars(select(OutboxEmail)).all())
    page = ann.post(f"{draft}/submit", data={"csrf_token": csrf_from(html), "website": "http://spam.example"})
    assert page.status_code == 200 and "Response submitted" in page.get_data(as_text=True)
    db.session.expire_all()
    response = db.session.scalars(select(Response)).one()
    assert response.status == "in_progress" and response.submitted_by_contact_id is None
    assert len(db.session.scalars(select(OutboxEmail)).all()) == emails  # nobody was sent a copy
