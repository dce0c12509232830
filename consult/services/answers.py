"""Answers: the follow-up reply of a chat answer, kept apart from the answer's own words.

A follow-up reply ("Can you tell me a bit more?") is redacted and screened once, like the answer it
follows, and stored in ``Answer.follow_up``: ``None`` when none was asked or answered, ``""`` when the
person skipped it. Analysis reads both parts through ``text_for_analysis``.
"""

from __future__ import annotations

from sqlalchemy import select, update

from forms.text import normalise_text

from ..data import safeguarding as safeguarding_data
from ..extensions import db
from ..models import Answer, Response
from ..models._base import utcnow
from ..text import clean_text
from .screening import check_text


def follow_ups_of(response_id: int) -> dict[str, str]:
    """Return the follow-up replies of a response by core id ("" for a skipped follow-up)."""
    a = Answer.__table__.c
    rows = db.session.connection().execute(select(a.core_id, a.follow_up).where(
        a.response_id == response_id, a.follow_up.is_not(None)))
    return {core_id: reply for core_id, reply in rows}


def record_follow_up(*, response_id: int, question_id: int, audience: str, reply: str | None, partnership: object,
                     text_policy: str, language_hint: str | None = None) -> bool:
    """Store the follow-up reply to an answer already stored (redacted, screened once); True if flagged.

    ``reply`` None clears it (the answer was changed to a skip); "" records a skipped follow-up. A reply
    the screen flags, or could not read, goes to the safeguarding lead like a flagged answer.
    """
    db.session.flush()
    text = clean_text(normalise_text(reply)) or ""  # this update bypasses the ORM's text hygiene: apply it here
    checked = check_text(text, audience=audience, partnership=partnership,  # type: ignore[arg-type]
                         language_hint=language_hint) if text else None
    stored = None if reply is None else (checked.redacted if checked else "")
    a = Answer.__table__.c
    now = utcnow()
    answer_id = db.session.execute(update(Answer.__table__).where(
        a.response_id == response_id, a.question_id == question_id).values(
        follow_up=stored, updated_at=now).returning(a.id)).scalar_one_or_none()
    if answer_id is None or checked is None or not checked.alert:
        return False
    db.session.execute(update(Response.__table__).where(Response.__table__.c.id == response_id)
                       .values(safeguarding=True))
    safeguarding_data.create_flag(response_id=response_id, answer_id=answer_id, checked=checked,
                                  keep_sentences=text_policy != "none", now=now)
    return bool(checked.flagged)


def text_for_analysis(answer: Answer) -> str:
    """Return what analysis reads of an answer: its own redacted words, then the follow-up reply."""
    return "\n\n".join(part for part in (answer.text, answer.follow_up) if part and part.strip())
