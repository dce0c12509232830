"""Queries behind the "what will be deleted and when" page (the erasing itself: consult/services/retention.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Answer, Consultation, Plan, Response


@dataclass
class TextStillHeld:
    """One consultation's responses whose words are still stored: how many, and their first and last change."""

    consultation: Consultation
    responses: int
    first_change: datetime
    last_change: datetime


def text_still_held(partnership_id: int) -> list[TextStillHeld]:
    """Return, per consultation of the partnership, the responses that still hold free text, soonest first."""
    last_change = func.coalesce(Response.submitted_at, Response.updated_at)
    has_text = select(Answer.response_id).where(or_(Answer.text.is_not(None), Answer.text_original.is_not(None),
                                                    Answer.follow_up.is_not(None)))
    rows = db.session.execute(
        select(Response.consultation_id, func.count(Response.id), func.min(last_change), func.max(last_change))
        .join(Consultation, Consultation.id == Response.consultation_id)
        .join(Plan, Plan.id == Consultation.plan_id)
        .where(Plan.partnership_id == partnership_id, Response.id.in_(has_text))
        .group_by(Response.consultation_id)).all()
    consultations = {c.id: c for c in db.session.scalars(
        select(Consultation).where(Consultation.id.in_([r[0] for r in rows])))} if rows else {}
    out = [TextStillHeld(consultations[cid], int(n), first, last) for cid, n, first, last in rows]
    return sorted(out, key=lambda r: r.first_change)


def set_retention_days(partnership_id: int, days: int) -> None:
    """Change how long the partnership keeps people's words."""
    from ..models import Partnership

    partnership = db.session.get(Partnership, partnership_id)
    if partnership is not None:
        partnership.retention_days = days
        db.session.flush()
