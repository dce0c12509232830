"""The safeguarding queue: flagged responses, for the safeguarding lead only."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Consultation, Plan, Response, SafeguardingFlag
from ..models._base import utcnow


def queue(*, reviewed: bool | None = None, partnership_id: int | None = None) -> list[SafeguardingFlag]:
    """Return safeguarding flags, unreviewed first then newest first; optionally only (un)reviewed ones,
    and only one partnership's."""
    q = select(SafeguardingFlag).order_by(SafeguardingFlag.reviewed_at.is_not(None), SafeguardingFlag.id.desc())
    if partnership_id is not None:
        q = q.where(SafeguardingFlag.response_id.in_(
            select(Response.id).join(Consultation, Response.consultation_id == Consultation.id)
            .join(Plan, Consultation.plan_id == Plan.id).where(Plan.partnership_id == partnership_id)))
    if reviewed is True:
        q = q.where(SafeguardingFlag.reviewed_at.is_not(None))
    elif reviewed is False:
        q = q.where(SafeguardingFlag.reviewed_at.is_(None))
    return list(db.session.scalars(q))


def get_flag(flag_id: int) -> SafeguardingFlag | None:
    """Return a flag by id, or None."""
    return db.session.get(SafeguardingFlag, flag_id)


def flagged_answers(flag: SafeguardingFlag) -> list[Answer]:
    """Return the flagged response's answers with free text, in question order."""
    return [a for a in db.session.scalars(select(Answer).where(Answer.response_id == flag.response_id)
                                          .order_by(Answer.question_id)) if a.text or a.text_original]


def record_review(flag: SafeguardingFlag, *, user_id: int, outcome: str) -> SafeguardingFlag:
    """Record that the safeguarding lead reviewed a flag and what was done."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValueError("outcome")
    flag.reviewed_by_id, flag.reviewed_at, flag.outcome = user_id, utcnow(), outcome[:5000]
    db.session.flush()
    return flag


def flagged_response_ids() -> set[int]:
    """Return the ids of every flagged response (for tests and checks that nothing leaks)."""
    return set(db.session.scalars(select(Response.id).where(Response.safeguarding.is_(True))))
