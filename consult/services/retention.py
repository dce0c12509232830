"""Retention: free text, evidence files and sent mail are erased once the retention period has passed.

After ``Partnership.retention_days`` from a response's last change (its submission, or its last
save when it was never submitted), every answer's free text goes: the text as typed
(``Answer.text_original``), the redacted text (``Answer.text``) and the co-drafting history of an
organisation's answer (``DraftEdit.text``). Choices, scales and the area stay, so counts and
themes already coded survive without anyone's words. The evidence files an organisation attached
to that response (``EvidenceFile``) go too: the file is removed from the upload folder and its row
(with the name it was uploaded under) deleted.

One exception: an answer the safeguarding screen flagged and nobody has reviewed yet is held until
the safeguarding lead has — a child's safety comes before erasure. It is counted as "held"; so are
the evidence files of a response with such an answer. Once reviewed, the flag's own copy of the words
goes with the answer's text: its evidence (the sentences that raised it) and its triggers (the words
matched) are emptied, while its categories, dates, review and outcome stay (``flags_cleared``).

Emails in the outbox (``OutboxEmail``: addresses, names, and, where no mail server is set, the
personal links) belong to no partnership, so they are deleted once the shortest retention period
of any partnership on the server has passed since they were recorded (``OutboxRetentionResult``).

Runs as the ``retention`` job (daily under Celery beat when Celery is configured; ``flask
retention`` by hand or from cron otherwise). Safe to run twice: it only touches text, rows and
files still there. Files are removed from disk before the rows are deleted, so a run that stops
half way leaves rows whose files are gone, which the next run deletes (never a file on disk that
no row points to). ``dry_run`` counts what would go and changes nothing, on disk or in the database.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from ..data import audit
from ..extensions import db
from ..jobs import Progress, job
from ..models import (
    Answer,
    Consultation,
    DraftEdit,
    EvidenceFile,
    OutboxEmail,
    Partnership,
    Plan,
    Response,
    SafeguardingFlag,
)
from ..models._base import utcnow

log = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 730  # Partnership.retention_days' default: the outbox's period with no partnership


@dataclass
class RetentionResult:
    """What one partnership's retention run did."""

    partnership_id: int
    cutoff: str
    answers_erased: int = 0
    draft_edits_erased: int = 0
    held_for_safeguarding: int = 0
    evidence_files_deleted: int = 0
    flags_cleared: int = 0
    evidence_files_held: int = 0


@dataclass
class OutboxRetentionResult:
    """What a retention run did to the outbox (shared by every partnership on the server)."""

    retention_days: int
    cutoff: str
    emails_deleted: int = 0


class RetentionRun(list):  # type: ignore[type-arg]
    """Each partnership's RetentionResult, in order; ``outbox`` holds the outbox's result."""

    outbox: OutboxRetentionResult


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


def _responses_with_unreviewed_flags():  # type: ignore[no-untyped-def]
    return select(SafeguardingFlag.response_id).where(SafeguardingFlag.reviewed_at.is_(None))


def _upload_dir() -> Path:
    from .org_response import upload_dir

    return upload_dir()


def _remove_stored_files(files: list[tuple[int, str]]) -> list[int]:
    """Remove evidence files (id, stored name) from the upload folder; return the ids now gone from disk.

    A file already gone counts as removed. One that cannot be removed is logged and left with its
    row, so the next run (and its dry-run count) still sees it.
    """
    if not files:
        return []
    folder = _upload_dir()
    removed = []
    for file_id, name in files:
        try:
            (folder / Path(name).name).unlink(missing_ok=True)  # a bare name: never outside the folder
        except OSError as exc:
            log.warning("evidence file %s not removed: %s", file_id, type(exc).__name__)
            continue
        removed.append(file_id)
    return removed


def apply_retention(partnership: Partnership, *, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Erase free text and evidence files past the partnership's retention period; return the counts.

    Database changes are not committed (the caller commits); evidence files are removed from disk
    at once, since they are past their period whatever happens to the transaction.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=int(partnership.retention_days))
    result = RetentionResult(partnership.id, cutoff.isoformat(timespec="seconds"))
    old = _responses_past(partnership, cutoff)
    has_text = or_(Answer.text.is_not(None), Answer.text_original.is_not(None), Answer.follow_up.is_not(None))
    held = and_(Answer.response_id.in_(old), has_text, Answer.id.in_(_unreviewed_flagged_answers()))
    erasable = and_(Answer.response_id.in_(old), has_text, Answer.id.not_in(_unreviewed_flagged_answers()))
    result.held_for_safeguarding = db.session.scalar(select(func.count(Answer.id)).where(held)) or 0
    answer_ids = select(Answer.id).where(Answer.response_id.in_(old), Answer.id.not_in(_unreviewed_flagged_answers()))
    drafts = and_(DraftEdit.answer_id.in_(answer_ids), DraftEdit.text.is_not(None))
    files_held = and_(EvidenceFile.response_id.in_(old),
                      EvidenceFile.response_id.in_(_responses_with_unreviewed_flags()))
    files_due = and_(EvidenceFile.response_id.in_(old),
                     EvidenceFile.response_id.not_in(_responses_with_unreviewed_flags()))
    result.evidence_files_held = db.session.scalar(select(func.count(EvidenceFile.id)).where(files_held)) or 0
    # A reviewed flag on an answer whose text goes, or on the response as a whole, quotes those words too.
    flags_due = and_(SafeguardingFlag.response_id.in_(old), SafeguardingFlag.reviewed_at.is_not(None),
                     or_(SafeguardingFlag.answer_id.in_(answer_ids),
                         and_(SafeguardingFlag.answer_id.is_(None),
                              SafeguardingFlag.response_id.not_in(_responses_with_unreviewed_flags()))))
    flag_ids = [fid for fid, evidence, triggers in db.session.execute(
        select(SafeguardingFlag.id, SafeguardingFlag.evidence, SafeguardingFlag.triggers).where(flags_due))
        if evidence or triggers]
    if dry_run:
        result.flags_cleared = len(flag_ids)
        result.answers_erased = db.session.scalar(select(func.count(Answer.id)).where(erasable)) or 0
        result.draft_edits_erased = db.session.scalar(select(func.count(DraftEdit.id)).where(drafts)) or 0
        result.evidence_files_deleted = db.session.scalar(select(func.count(EvidenceFile.id)).where(files_due)) or 0
        return result
    files = db.session.execute(select(EvidenceFile.id, EvidenceFile.stored_name).where(files_due)).all()
    removed = _remove_stored_files([(file_id, stored) for file_id, stored in files])
    if removed:
        result.evidence_files_deleted = db.session.execute(
            delete(EvidenceFile).where(EvidenceFile.id.in_(removed))
            .execution_options(synchronize_session=False)).rowcount or 0
    result.draft_edits_erased = db.session.execute(
        update(DraftEdit).where(drafts).values(text=None).execution_options(synchronize_session=False)).rowcount or 0
    result.answers_erased = db.session.execute(
        update(Answer).where(erasable).values(text=None, text_original=None, follow_up=None)
        .execution_options(synchronize_session=False)).rowcount or 0
    if flag_ids:
        result.flags_cleared = db.session.execute(
            update(SafeguardingFlag).where(SafeguardingFlag.id.in_(flag_ids)).values(evidence=[], triggers=[])
            .execution_options(synchronize_session=False)).rowcount or 0
    if result.answers_erased or result.draft_edits_erased or result.evidence_files_deleted or result.flags_cleared:
        audit.record("retention", user_id=None, object_type="partnership", object_id=partnership.id,
                     answers=result.answers_erased, draft_edits=result.draft_edits_erased,
                     evidence_files=result.evidence_files_deleted, flags_cleared=result.flags_cleared,
                     held=result.held_for_safeguarding,
                     evidence_files_held=result.evidence_files_held)
    db.session.flush()
    return result


def outbox_retention_days() -> int:
    """Return how long outbox emails are kept: the shortest retention period of any partnership."""
    days = db.session.scalar(select(func.min(Partnership.retention_days)))
    return int(days if days is not None else DEFAULT_RETENTION_DAYS)


def apply_outbox_retention(*, now: datetime | None = None, dry_run: bool = False) -> OutboxRetentionResult:
    """Delete outbox emails recorded before the outbox's retention period (not committed); return the count."""
    now = now or utcnow()
    days = outbox_retention_days()
    cutoff = now - timedelta(days=days)
    result = OutboxRetentionResult(days, cutoff.isoformat(timespec="seconds"))
    due = OutboxEmail.created_at < cutoff
    if dry_run:
        result.emails_deleted = db.session.scalar(select(func.count(OutboxEmail.id)).where(due)) or 0
        return result
    result.emails_deleted = db.session.execute(
        delete(OutboxEmail).where(due).execution_options(synchronize_session=False)).rowcount or 0
    if result.emails_deleted:
        audit.record("retention", user_id=None, object_type="outbox", object_id=None,
                     emails=result.emails_deleted, retention_days=days)
    db.session.flush()
    return result


def apply_retention_everywhere(*, now: datetime | None = None, dry_run: bool = False,
                               progress: Progress | None = None) -> RetentionRun:
    """Run retention for every partnership, then for the outbox, committing after each step.

    Returns the partnerships' results as a list (``RetentionRun``) whose ``outbox`` attribute
    holds the outbox's result.
    """
    partnerships = list(db.session.scalars(select(Partnership).order_by(Partnership.id)))
    results = RetentionRun()
    steps = len(partnerships) + 1
    for i, partnership in enumerate(partnerships):
        results.append(apply_retention(partnership, now=now, dry_run=dry_run))
        if not dry_run:
            db.session.commit()  # a job: each partnership's erasure is stored as it finishes
        if progress:
            progress((i + 1) / steps, "")
    results.outbox = apply_outbox_retention(now=now, dry_run=dry_run)
    if not dry_run:
        db.session.commit()  # a job: the outbox's erasure is stored
    if progress:
        progress(1.0, "")
    return results


@job("retention")
def run_retention(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """The scheduled retention job: erase free text, evidence files and outbox emails past their period."""
    results = apply_retention_everywhere(dry_run=bool(params.get("dry_run")), progress=progress)
    return {"partnerships": [asdict(r) for r in results], "outbox": asdict(results.outbox)}


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
