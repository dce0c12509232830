"""Retention erases a safeguarding flag's copy of the words (its evidence sentences and triggers) with the answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from forms import AnswerData, load_template

DISCLOSURE = "The park is fine. My dad hits me when he is drunk and I am scared to go home."


def _flagged_response(retention_days: int):  # type: ignore[no-untyped-def]
    from consult.data import consultations, responses
    from consult.services import answers as answers_service

    p = consultations.create_partnership(name="Ret", local_authority="C", health_board="B", areas=[("a", "Area")],
                                         retention_days=retention_days)
    plan = consultations.create_plan(p, title="Plan", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31),
                                     vision="v", priorities=[{"key": f"k{i}", "title": f"P{i}"} for i in range(3)])
    today = date.today()
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug="ret",
                                          opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5),
                                          status="open")
    variant = consultations.variant_for(c, "young_12_17")
    response, _code = responses.start_response(c, variant, language="en", channel="online_form")
    free = [q for q in responses.questions_for(variant) if q.type == "long_text"][0]
    answers_service.save(response, free, AnswerData(value=None, text=DISCLOSURE))
    answers_service.submit(response)
    return response


def _age(response, days: int) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db

    then = datetime.now(UTC) - timedelta(days=days)
    db.session.execute(update(type(response)).where(type(response).id == response.id)
                       .values(updated_at=then, submitted_at=then))


def test_retention_clears_the_evidence_sentences_of_a_reviewed_flag(app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer, SafeguardingFlag
    from consult.services.retention import apply_retention_everywhere

    response = _flagged_response(retention_days=10)
    _age(response, 11)
    db.session.commit()
    flags = db.session.scalars(select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id)).all()
    assert flags, "the screen flags the disclosure"
    assert any("hits me" in ev.get("sentence", "") for f in flags for ev in f.evidence), "the flag quotes it"

    # Not yet reviewed: the answer and the flag's sentences are both held for the safeguarding lead.
    held = apply_retention_everywhere()[0]
    assert held.held_for_safeguarding == 1 and held.flags_cleared == 0
    db.session.expire_all()
    assert all(f.evidence for f in db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id)))

    for flag in flags:
        flag.reviewed_at = datetime.now(UTC)
        flag.outcome = "Spoke to the school's named person."
    db.session.commit()
    assert apply_retention_everywhere(dry_run=True)[0].flags_cleared == len(flags)
    result = apply_retention_everywhere()[0]
    db.session.commit()
    assert result.answers_erased >= 1 and result.flags_cleared == len(flags)

    db.session.expire_all()
    assert db.session.get(Answer, flags[0].answer_id).text_original is None
    for flag in db.session.scalars(select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id)):
        assert flag.evidence == [] and flag.triggers == [], "no sentence or matched word of the answer is left"
        assert flag.categories and flag.reviewed_at is not None, "the record that a lead acted stays"
        assert flag.outcome == "Spoke to the school's named person."
    assert apply_retention_everywhere()[0].flags_cleared == 0, "running twice changes nothing more"
