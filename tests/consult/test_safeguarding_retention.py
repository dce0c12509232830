"""Retention erases a safeguarding flag's copy of the words (its evidence sentences and triggers) with the answer."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.security.test_retention import _age, _answered, _consultation

DISCLOSURE = "The park is fine. My dad hits me when he is drunk and I am scared to go home."


def _flagged_response(retention_days: int):  # type: ignore[no-untyped-def]
    _p, c = _consultation(retention_days)
    response, _code = _answered(c, DISCLOSURE)
    return response


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
