"""Quotes: planners propose, the moderator approves; only consenting, unflagged answers get through."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, Response
from tests.conftest import csrf_from


def test_planner_proposes_and_moderator_approves(world, app) -> None:
    consenting = db.session.scalars(select(Answer).join(Response).where(
        Answer.text.like("%number 4"))).one()
    consenting.response.may_quote = True
    db.session.commit()
    from consult.data import users

    for email, role in (("p@example.org", "planner"), ("m@example.org", "moderator")):
        users.create_user(email=email, name="x", password="correct horse battery", roles=[role])
    db.session.commit()
    planner, moderator = app.test_client(), app.test_client()
    for client, email in ((planner, "p@example.org"), (moderator, "m@example.org")):
        token = csrf_from(client.get("/staff/login").get_data(as_text=True))
        client.post("/staff/login", data={"email": email, "password": "correct horse battery", "csrf_token": token})
    url = f"/planner/c/{world.consultation.id}/answers/{consenting.id}"
    html = planner.get(url).get_data(as_text=True)
    assert "Send to the moderator" in html
    planner.post(url, data={"csrf_token": csrf_from(html), "theme": [str(world.places.id)], "quote": "propose"})
    queue = moderator.get("/planner/moderation").get_data(as_text=True)
    assert "number 4" in queue
    assert "LEAKMARKER" not in queue  # flagged answers never reach the moderator's queue
    moderator.post("/planner/moderation", data={"csrf_token": csrf_from(queue), "answer": str(consenting.id),
                                                "decision": "approve"})
    db.session.expire_all()
    assert db.session.get(Answer, consenting.id).quote_status == "approved"
    theme_page = planner.get(f"/planner/c/{world.consultation.id}/themes/{world.places.id}").get_data(as_text=True)
    quotes = theme_page[theme_page.index("Quotes that may be published"):theme_page.index('id="answers"')]
    assert "number 4" in quotes


def test_a_flagged_answer_cannot_be_approved(world, as_role) -> None:
    world.flag.answer.quote_status = "pending"
    db.session.commit()
    client = as_role("moderator")
    html = client.get("/planner/moderation").get_data(as_text=True)
    assert "LEAKMARKER" not in html
    r = client.post("/planner/moderation", data={"csrf_token": csrf_from(html), "answer": str(world.flag.answer_id),
                                                 "decision": "approve"})
    assert r.status_code == 404
