"""Queries behind a consultation's lifecycle: what the sweep looks at, and its guarded claims."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Action, Consultation


def consultations_to_sweep() -> list[Consultation]:
    """Return every consultation past draft (the sweep moves them between scheduled, open and closed)."""
    return list(db.session.scalars(select(Consultation).where(Consultation.status != "draft")
                                   .order_by(Consultation.id)))


def same_plan_others(consultation: Consultation) -> list[Consultation]:
    """Return the other consultations on the same plan, earliest first (to check dates do not overlap)."""
    return list(db.session.scalars(select(Consultation).where(
        Consultation.plan_id == consultation.plan_id, Consultation.id != consultation.id)
        .order_by(Consultation.opens_on)))


def has_actions(consultation_id: int) -> bool:
    """Return True if anything done about what people said is recorded (results need one to publish)."""
    return db.session.scalar(select(Action.id).where(Action.consultation_id == consultation_id).limit(1)) is not None


def set_status(consultation_id: int, old: str, new: str) -> bool:
    """Move a consultation from one answering state to another, if nobody has moved it meanwhile."""
    result = db.session.execute(update(Consultation).where(
        Consultation.id == consultation_id, Consultation.status == old).values(status=new)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)


def claim_reminder(consultation_id: int, today: date) -> bool:
    """Record today as the day the scheduled reminder went; False if another sweep already has."""
    result = db.session.execute(update(Consultation).where(
        Consultation.id == consultation_id, Consultation.remind_on.is_not(None),
        Consultation.remind_on <= today, Consultation.reminded_on.is_(None)).values(reminded_on=today)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)


def claim_publication(consultation_id: int, now: datetime) -> bool:
    """Publish results whose time has come, once: the scheduled time is used up as they go public."""
    result = db.session.execute(update(Consultation).where(
        Consultation.id == consultation_id, Consultation.publish_at.is_not(None),
        Consultation.publish_at <= now).values(publish_at=None, published_at=func.coalesce(Consultation.published_at, now))
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)
