"""Share links: a planner makes a read-only link to the pack; it shows suppressed figures, is audited, and
stops at once when revoked or expired (410); another partnership's planner cannot touch it."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, ShareLink
from consult.models._base import utcnow


def _make(client, consultation_id: int, **form: str) -> str:  # type: ignore[no-untyped-def]
    page = f"/planner/c/{consultation_id}/share"
    html = client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    data = {"days": "7", "label": "Integration joint board", **form}
    if token:
        data["csrf_token"] = token.group(1)
    r = client.post(page, data=data)
    assert r.status_code == 201, r.get_data(as_text=True)[:500]
    return re.search(r'id="made-url"[^>]*value="([^"]+)"', r.get_data(as_text=True)).group(1)


def test_a_share_link_shows_the_pack_suppressed_and_is_audited(world, as_role, app) -> None:
    planner = as_role("planner")
    url = _make(planner, world.consultation.id)
    path = url.split("://", 1)[1].split("/", 1)[1]
    link = db.session.scalar(select(ShareLink))
    assert link.token_hash not in url and len(link.token_hash) == 64  # only the token's hash is kept
    visitor = app.test_client()
    r = visitor.get("/" + path)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert "Places to play" in html and "fewer than 5" in html and "LEAKMARKER" not in html
    assert "NOCONSENT" not in html and "Waiting lists" not in html  # figures and approved quotes, no answers
    assert not re.search(r'class="numeric">\s*[1-4]\s*<', html)
    opened = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "share_link.opened")).all()
    assert [e.object_id for e in opened] == [link.id]
    # A made-up or altered token is simply not found.
    assert visitor.get("/" + path[:-3] + "abc").status_code == 404


def test_revoked_and_expired_links_say_so_with_410(world, as_role, app) -> None:
    planner = as_role("planner")
    first, second = _make(planner, world.consultation.id), _make(planner, world.consultation.id, label="")
    visitor = app.test_client()
    links = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
    page = planner.get(f"/planner/c/{world.consultation.id}/share").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    r = planner.post(f"/planner/c/{world.consultation.id}/share/{links[0].id}/revoke",
                     data={"csrf_token": csrf.group(1)} if csrf else {})
    assert r.status_code == 303
    gone = visitor.get("/" + first.split("://", 1)[1].split("/", 1)[1])
    assert gone.status_code == 410 and "This link no longer works" in gone.get_data(as_text=True)
    links[1].expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = visitor.get("/" + second.split("://", 1)[1].split("/", 1)[1])
    assert expired.status_code == 410 and "Places to play" not in expired.get_data(as_text=True)
    outcomes = [e.detail.get("outcome") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "share_link.opened").order_by(AuditEvent.id))]
    assert outcomes == ["revoked", "expired"]  # refused openings are recorded too
    listed = planner.get(f"/planner/c/{world.consultation.id}/share").get_data(as_text=True)
    assert "Revoked on" in listed and "Expired" in listed


def test_choosing_no_expiry_is_a_clear_error_and_keeps_the_name(world, as_role) -> None:
    planner = as_role("planner")
    page = f"/planner/c/{world.consultation.id}/share"
    html = planner.get(page).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    r = planner.post(page, data={"days": "365", "label": "Board", **({"csrf_token": csrf.group(1)} if csrf else {})})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Choose how long the link works for." in body and 'value="Board"' in body
    assert db.session.scalar(select(ShareLink)) is None


def test_another_partnerships_links_are_not_found(world, as_role) -> None:
    planner = as_role("planner")
    _make(planner, world.consultation.id)
    link = db.session.scalar(select(ShareLink))
    other = world.consultation.id + 999
    assert planner.post(f"/planner/c/{other}/share/{link.id}/revoke").status_code in (400, 404)


def test_a_filtered_share_link_keeps_its_filter_and_hides_small_counts(world, as_role, app) -> None:
    planner = as_role("planner")
    url = _make(planner, world.consultation.id, filters="language=gd")
    html = app.test_client().get("/" + url.split("://", 1)[1].split("/", 1)[1]).get_data(as_text=True)
    assert "Language: Gàidhlig" in html and "Buses and transport" not in html
    assert "fewer than 5" in html and not re.search(r'class="numeric">\s*[1-4]\s*<', html)
    assert not re.search(r'class="figure">\s*[1-4]\s*<', html)
