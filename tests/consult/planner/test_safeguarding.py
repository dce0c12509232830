"""The safeguarding queue: only the safeguarding lead; every view audited; reviews recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, SafeguardingFlag
from tests.conftest import csrf_from


@pytest.mark.parametrize("roles", [(), ("planner",), ("admin",), ("moderator",), ("tsi",), ("admin", "planner")])
def test_everyone_but_the_safeguarding_lead_gets_not_found(world, as_role, client, roles) -> None:
    if roles:
        as_role(*roles)
    assert client.get("/planner/safeguarding").status_code == 404
    assert client.get(f"/planner/safeguarding/{world.flag.id}").status_code == 404
    assert client.post(f"/planner/safeguarding/{world.flag.id}", data={"outcome": "x"}).status_code in (400, 404)
    db.session.expire_all()
    assert db.session.get(SafeguardingFlag, world.flag.id).reviewed_at is None


def test_lead_sees_original_text_and_every_view_is_audited(world, as_role) -> None:
    client = as_role("safeguarding")
    queue = client.get("/planner/safeguarding")
    assert queue.status_code == 200 and "Not yet" in queue.get_data(as_text=True)
    page = client.get(f"/planner/safeguarding/{world.flag.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ORIGINALMARKER something happened at home" in html
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "safeguarding.queue_viewed" in actions and "safeguarding.flag_viewed" in actions
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding.flag_viewed"))
    assert viewed.object_id == world.flag.id and viewed.user_id is not None
    assert "ORIGINALMARKER" not in str(viewed.detail)  # the log never holds answers


def test_review_needs_an_outcome_and_is_recorded(world, as_role) -> None:
    client = as_role("safeguarding")
    url = f"/planner/safeguarding/{world.flag.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    empty = client.post(url, data={"csrf_token": token, "outcome": "  "})
    assert empty.status_code == 400 and "Say what was done" in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SafeguardingFlag, world.flag.id).reviewed_at is None
    done = client.post(url, data={"csrf_token": token, "outcome": "Passed to the duty team."})
    assert done.status_code == 303
    db.session.expire_all()
    flag = db.session.get(SafeguardingFlag, world.flag.id)
    assert flag.reviewed_at is not None and flag.reviewed_by_id is not None
    assert flag.outcome == "Passed to the duty team."
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding.reviewed")) is not None


def test_no_concern_returns_the_answers_to_the_analysis_and_a_concern_keeps_them_out(world, as_role) -> None:
    """A false alarm must not silence a child: the lead's "no concern" puts the response back in the analysis."""
    from consult.data import themes as theme_data
    from consult.models import Response

    client = as_role("safeguarding")
    url = f"/planner/safeguarding/{world.flag.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Is there a safeguarding concern?" in page
    token = csrf_from(page)
    assert client.post(url, data={"csrf_token": token, "outcome": "Read it: about the park.",
                                  "concern": "no"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Response, world.flagged.id).safeguarding is False
    assert db.session.get(SafeguardingFlag, world.flag.id).concern is False
    assert world.flagged.id in {a.response_id for a, _aud in theme_data.analysable_answers(world.consultation)}
    reviewed = client.get(url).get_data(as_text=True)
    assert "back in the analysis" in reviewed
    changed = client.post(url, data={"csrf_token": token, "outcome": "Second look: a concern after all.",
                                     "concern": "yes"})
    assert changed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Response, world.flagged.id).safeguarding is True
    assert world.flagged.id not in {a.response_id for a, _aud in theme_data.analysable_answers(world.consultation)}
