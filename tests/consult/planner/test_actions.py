"""You said, we did: recording actions, the readability check, publishing."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Action, Consultation
from tests.conftest import csrf_from

CHILD = "We fixed the swings. You can play on them now."
BANDS = ("child_5_8", "child_8_11", "young_12_17")


def _child(text: str, lang: str = "en") -> dict[str, str]:
    """Return the same child text for every age band's field."""
    return {f"text-{lang}-{band}": text for band in BANDS}


def _post(client, world, **fields):  # type: ignore[no-untyped-def]
    url = f"/planner/c/{world.consultation.id}/we-did"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def test_publishing_with_no_actions_is_refused(world, as_role) -> None:
    client = as_role("planner")
    html = client.get(f"/planner/c/{world.consultation.id}/we-did").get_data(as_text=True)
    r = client.post(f"/planner/c/{world.consultation.id}/publish",
                    data={"csrf_token": csrf_from(html), "decision": "publish"}, follow_redirects=True)
    assert "Nothing was published: record at least one thing" in r.get_data(as_text=True)
    db.session.expire_all()
    c = db.session.get(Consultation, world.consultation.id)
    assert c.status == "closed" and c.published_at is None
    assert client.get("/results/testbrae-2026").status_code == 404


def test_action_needs_english_texts_and_a_reason_when_it_cannot_be_done(world, as_role) -> None:
    client = as_role("planner")
    r = _post(client, world, target=f"t{world.buses.id}", status="cannot_do", **{"text-en-adult": "No."})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "<title>Error:" in html
    assert "Say why it cannot be done" in html
    for ages in ("ages 5 to 8", "ages 8 to 11", "ages 12 to 17"):
        assert f"Write what was done for {ages}, in English" in html
    assert 'value="cannot_do" checked' in html or "checked" in html
    assert ">No.</textarea>" in html  # what they typed stays
    assert db.session.scalars(select(Action)).all() == []


def test_record_action_shows_child_readability_and_publishes(world, as_role) -> None:
    client = as_role("planner")
    plan_action = world.consultation.plan.priorities[1].actions[0]
    r = _post(client, world, target=f"t{world.places.id}", status="done", plan_action=str(plan_action.id),
              **{"text-en-adult": "We refurbished the play parks in every ward.", **_child(CHILD),
                 "text-gd-adult": "Chàraich sinn na pàircean-cluiche.",
                 **_child("Chàraich sinn na dreallagan.", "gd")})
    assert r.status_code == 303
    action = db.session.scalars(select(Action)).one()
    assert action.plan_action_id == plan_action.id and action.created_by_id is not None
    assert action.texts["gd"]["child_8_11"] == "Chàraich sinn na dreallagan."
    html = client.get(f"/planner/c/{world.consultation.id}/we-did").get_data(as_text=True)
    for ages in ("ages 5 to 8", "ages 8 to 11", "ages 12 to 17"):
        assert f"Easy to read for {ages}" in html
    assert "Too hard for" not in html and "reading ease" in html
    pub = client.post(f"/planner/c/{world.consultation.id}/publish",
                      data={"csrf_token": csrf_from(html), "decision": "publish"})
    assert pub.status_code == 303
    db.session.expire_all()
    assert db.session.get(Consultation, world.consultation.id).published_at is not None
    assert client.get("/results/testbrae-2026").status_code == 200
