"""Retention: free text is erased once a partnership's retention period has passed.

After ``Partnership.retention_days`` from a response's last change (its submission, or its last
save when it was never submitted), every answer's free text goes: the text as typed
(``Answer.text_original``), the redacted text (``Answer.text``) and the co-drafting history of an
organisation's answer (``DraftEdit.text``). Choices, scales and the area stay, so counts and
themes already coded survive without anyone's words.

One exception: an answer the safeguarding screen flagged and nobody has reviewed yet is held until
the safeguarding lead has — a child's safety comes before erasure. It is counted as "held".

Runs as the ``retention`` job (daily under Celery beat when Celery is configured; ``flask
retention`` by hand or from cron otherwise). Safe to run twice: it only touches text still there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from ..data import audit
from ..extensions import db
from ..jobs import Progress, job
from ..models import Answer, Consultation, DraftEdit, Partnership, Plan, Response, SafeguardingFlag
from ..models._base import utcnow


@dataclass
class RetentionResult:
    """What one partnership's retention run did."""

    partnership_id: int
    cutoff: str
    answers_erased: int = 0
    draft_edits_erased: int = 0
    held_for_safeguarding: int = 0


def _responses_past(partnership: Partnership, cutoff: datetime):  # type: ignore[no-untyped-def]
    """Select the ids of the partnership's responses last changed before the cutoff."""
    last_change = func.coalesce(Response.submitted_at, Response.updated_at)
    return (select(Response.id)
            .join(Consultation, Consultation.id == Response.consultation_id)
            .join(Plan, Plan.id == Consultation.plan_id)
            .where(Plan.partnership_id == partnership.id, last_change < cutoff))


def _unreviewed_flagged_answers():  # type: ignore[no-untyped-def]
    return select(SafeguardingFlag.answer_id).where(SafeguardingFlag.answer_id.is_not(None),
                                                    SafeguardingFlag.reviewed_at.is_(None))


def apply_retention(partnership: Partnership, *, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Erase free text past the partnership's retention period (not committed); return the counts."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(partnership.retention_days))
    result = RetentionResult(partnership.id, cutoff.isoformat(timespec="seconds"))
    old = _responses_past(partnership, cutoff)
    has_text = or_(Answer.text.is_not(None), Answer.text_original.is_not(None))
    held = and_(Answer.response_id.in_(old), has_text, Answer.id.in_(_unreviewed_flagged_answers()))
    erasable = and_(Answer.response_id.in_(old), has_text, Answer.id.not_in(_unreviewed_flagged_answers()))
    result.held_for_safeguarding = db.session.scalar(select(func.count(Answer.id)).where(held)) or 0
    answer_ids = select(Answer.id).where(Answer.response_id.in_(old), Answer.id.not_in(_unreviewed_flagged_answers()))
    drafts = and_(DraftEdit.answer_id.in_(answer_ids), DraftEdit.text.is_not(None))
    if dry_run:
        result.answers_erased = db.session.scalar(select(func.count(Answer.id)).where(erasable)) or 0
        result.draft_edits_erased = db.session.scalar(select(func.count(DraftEdit.id)).where(drafts)) or 0
        return result
    result.draft_edits_erased = db.session.execute(
        update(DraftEdit).where(drafts).values(text=None).execution_options(synchronize_session=False)).rowcount or 0
    result.answers_erased = db.session.execute(
        update(Answer).where(erasable).values(text=None, text_original=None)
        .execution_options(synchronize_session=False)).rowcount or 0
    if result.answers_erased or result.draft_edits_erased:
        audit.record("retention", user_id=None, object_type="partnership", object_id=partnership.id,
                     answers=result.answers_erased, draft_edits=result.draft_edits_erased,
                     held=result.held_for_safeguarding)
    db.session.flush()
    return result


def apply_retention_everywhere(*, now: datetime | None = None, dry_run: bool = False,
                               progress: Progress | None = None) -> list[RetentionResult]:
    """Run retention for every partnership, committing after each one."""
    partnerships = list(db.session.scalars(select(Partnership).order_by(Partnership.id)))
    results = []
    for i, partnership in enumerate(partnerships):
        results.append(apply_retention(partnership, now=now, dry_run=dry_run))
        if not dry_run:
            db.session.commit()
        if progress:
            progress((i + 1) / len(partnerships), "")
    return results


@job("retention")
def run_retention(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """The scheduled retention job: erase free text past each partnership's retention period."""
    results = apply_retention_everywhere(dry_run=bool(params.get("dry_run")), progress=progress)
    return {"partnerships": [asdict(r) for r in results]}


# ---- Celery beat ---------------------------------------------------------------------------------

BEAT_ENTRY = "guth-retention-daily"


def _register_beat() -> None:
    """Add the daily retention run to Celery beat's schedule (used only when a beat process runs)."""
    import os

    from celery.schedules import crontab

    from ..celery_app import celery

    @celery.task(name="guth.retention")
    def retention_task() -> str:
        """Record and run the retention job inside the Flask app."""
        from .. import celery_app, create_app
        from ..jobs import enqueue

        app = celery_app._app or create_app()
        with app.app_context():
            return enqueue("retention").id

    hour = int(os.environ.get("RETENTION_HOUR_UTC", "2"))
    schedule = dict(celery.conf.beat_schedule or {})
    schedule[BEAT_ENTRY] = {"task": "guth.retention", "schedule": crontab(hour=hour, minute=15)}
    celery.conf.beat_schedule = schedule


_register_beat()
