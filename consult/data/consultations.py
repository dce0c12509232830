"""Plans, consultations, variants and questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import Consultation, Response


@dataclass(frozen=True)
class ConsultationSummary:
    """A consultation with its counts, for lists."""

    consultation: Consultation
    submitted: int
    in_progress: int


def get_by_slug(slug: str) -> Consultation | None:
    """Return a consultation by its public slug."""
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def get(consultation_id: int) -> Consultation | None:
    """Return a consultation by id."""
    return db.session.get(Consultation, consultation_id)


def is_open(consultation: Consultation, today: date | None = None) -> bool:
    """Return True if people can answer the consultation today."""
    today = today or date.today()
    return consultation.status == "open" and consultation.opens_on <= today <= consultation.closes_on


def open_consultations(today: date | None = None) -> list[Consultation]:
    """Return consultations open for answers today, soonest closing first."""
    rows = db.session.scalars(select(Consultation).where(Consultation.status == "open")
                              .order_by(Consultation.closes_on))
    return [c for c in rows if is_open(c, today)]


def published_consultations() -> list[Consultation]:
    """Return consultations whose "You said, we did" page is published."""
    return list(db.session.scalars(select(Consultation).where(Consultation.status == "published")
                                   .order_by(Consultation.published_at.desc())))


def consultation_summaries() -> list[ConsultationSummary]:
    """Return every consultation with submitted and in-progress counts, in two queries."""
    consultations = list(db.session.scalars(select(Consultation).order_by(Consultation.opens_on.desc())))
    counts = db.session.execute(
        select(Response.consultation_id, Response.status, func.count()).group_by(
            Response.consultation_id, Response.status)
    ).all()
    by = {(cid, status): n for cid, status, n in counts}
    return [ConsultationSummary(c, by.get((c.id, "submitted"), 0), by.get((c.id, "in_progress"), 0))
            for c in consultations]
