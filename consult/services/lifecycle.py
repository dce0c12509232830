"""A consultation's lifecycle: draft → scheduled → open → closed → results published, run on a schedule.

- ``Consultation.status`` stores the answering state. A draft stays a draft until a planner
  schedules it; from then on its dates decide: before ``opens_on`` it is scheduled, from ``opens_on``
  to ``closes_on`` (Scottish calendar days, ``consult.clock``) open, after that closed. Changing the
  dates re-decides at once, so moving the closing date on re-opens a closed consultation.
- Whether the results ("You said, we did") are public is separate: ``published_at`` is set while
  they are. Publishing never closes answering, and taking the pages down changes nothing else.
- The sweep (``sweep``; ``flask lifecycle-sweep``) opens and closes consultations as their dates
  come, sends the scheduled reminder to organisations that have not answered (``remind_on``, once),
  and publishes the results at ``publish_at`` (once: a planner who takes them down later is not
  overruled). It runs every ``LIFECYCLE_SWEEP_SECONDS`` (60) on a timer thread in each web process,
  or on Celery beat when jobs run on Celery. Safe to run twice and in several processes at once:
  every step is a guarded update.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import click
from flask import Flask, current_app
from flask_babel import format_date
from flask_babel import gettext as _

from .. import clock
from ..data import lifecycle as data
from ..extensions import db
from ..jobs import Progress, job
from ..models import Consultation, Partnership
from ..models._base import as_utc
from .periodic import PeriodicSweep

log = logging.getLogger(__name__)
DEFAULT_SWEEP_SECONDS = 60
# The scheduled reminder skips an organisation invited or reminded less than a day before.
REMINDER_GAP_DAYS = 1


# ---- the state -------------------------------------------------------------------------------------

def answering_state(consultation: Consultation, today: date | None = None) -> str:
    """Return "draft", "scheduled", "open" or "closed": the answering state its dates give today."""
    if consultation.status == "draft":
        return "draft"
    today = today or clock.today()
    if today < consultation.opens_on:
        return "scheduled"
    if today > consultation.closes_on:
        return "closed"
    return "open"


def state_of(consultation: Consultation, today: date | None = None) -> str:
    """Return the lifecycle state to show: the answering state, or "published" once closed with results public."""
    state = answering_state(consultation, today)
    return "published" if state == "closed" and consultation.published_at is not None else state


def refresh(consultation: Consultation, today: date | None = None) -> str:
    """Store the answering state the consultation's dates give (after its dates or schedule change)."""
    consultation.status = answering_state(consultation, today)
    db.session.flush()
    return consultation.status


def schedule(consultation: Consultation, today: date | None = None) -> str:
    """Take a draft out of draft: from now on its dates open and close it."""
    if consultation.status == "draft":
        consultation.status = "scheduled"
    return refresh(consultation, today)


def return_to_draft(consultation: Consultation) -> None:
    """Put a scheduled consultation back to draft (it will not open until scheduled again)."""
    consultation.status = "draft"
    db.session.flush()


# ---- checking a schedule ----------------------------------------------------------------------------

@dataclass
class Schedule:
    """The dates and times a planner sets."""

    opens_on: date
    closes_on: date
    remind_on: date | None = None
    publish_at: datetime | None = None


@dataclass
class ScheduleCheck:
    """Field errors (the schedule cannot be saved) and warnings (it can, but think again)."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _day(d: date) -> str:
    return format_date(d, "d MMMM yyyy")


def check_schedule(consultation: Consultation, proposed: Schedule, partnership: Partnership,
                   today: date | None = None) -> ScheduleCheck:
    """Check a proposed schedule: errors name the field; warnings hold the partnership's minimums.

    The minimums are the "effective opportunity" of the statutory guidance (para 78): advance notice of
    when people can take part, and enough time to do it.
    """
    today = today or clock.today()
    out = ScheduleCheck()
    if proposed.closes_on < proposed.opens_on:
        out.errors["closes_on"] = _("The closing date must be on or after the opening date (%(day)s)",
                                    day=_day(proposed.opens_on))
    else:
        for other in data.same_plan_others(consultation):
            if other.opens_on <= proposed.closes_on and proposed.opens_on <= other.closes_on:
                from ..i18n import localised

                out.errors["opens_on"] = _(
                    "These dates overlap “%(title)s” (%(start)s to %(end)s), another consultation on this plan. "
                    "Choose dates that do not overlap it.", title=localised(other.title)[0],
                    start=_day(other.opens_on), end=_day(other.closes_on))
                break
    if proposed.remind_on is not None and not (proposed.opens_on <= proposed.remind_on <= proposed.closes_on):
        out.errors["remind_on"] = _("Choose a reminder date while the consultation is open (%(start)s to %(end)s)",
                                    start=_day(proposed.opens_on), end=_day(proposed.closes_on))
    if proposed.publish_at is not None and \
            proposed.publish_at.astimezone(clock.LOCAL_ZONE).date() <= proposed.opens_on:
        out.errors["publish_at"] = _("Choose a publishing date after the consultation opens (%(day)s)",
                                     day=_day(proposed.opens_on))
    if out.errors:
        return out
    window = (proposed.closes_on - proposed.opens_on).days + 1
    if window < partnership.min_window_days:
        out.warnings.append(_(
            "People have %(n)s days to respond. Your partnership's minimum is %(min)s days: give people enough "
            "time to take part (“effective opportunity”, statutory guidance para 78).",
            n=window, min=partnership.min_window_days))
    if consultation.status in ("draft", "scheduled"):  # once open, the notice people had is history
        notice = (proposed.opens_on - today).days
        if notice < partnership.min_notice_days:
            out.warnings.append(_(
                "It opens %(n)s days from today. Your partnership's minimum notice is %(min)s days: tell people "
                "in advance when they can take part (“effective opportunity”, statutory guidance para 78).",
                n=max(notice, 0), min=partnership.min_notice_days))
    return out


def apply_schedule(consultation: Consultation, proposed: Schedule, today: date | None = None) -> str:
    """Store a checked schedule; re-decide the answering state (a closed one re-opens if its dates say so)."""
    if proposed.remind_on != consultation.remind_on:
        consultation.reminded_on = None  # a new reminder date is a new reminder
    moved = proposed.closes_on != consultation.closes_on
    consultation.opens_on, consultation.closes_on = proposed.opens_on, proposed.closes_on
    if moved:  # links already sent work until the closing date, whichever it now is
        from ..data import invitations as inv_data

        inv_data.follow_closing_date(consultation)
    # Stored in UTC: SQLite keeps a time's wall-clock figures and drops its zone.
    publish_at = proposed.publish_at.astimezone(UTC) if proposed.publish_at else None
    consultation.remind_on, consultation.publish_at = proposed.remind_on, publish_at
    return refresh(consultation, today)


# ---- the sweep --------------------------------------------------------------------------------------

def _send_reminders(consultation: Consultation, now: datetime) -> int:
    from ..data import invitations as inv_data
    from . import invitations

    due = inv_data.due_for_reminder(consultation, now=now, gap_days=REMINDER_GAP_DAYS)
    base = invitations._base_url()
    with current_app.test_request_context("/", base_url=base):
        for invitation in due:
            invitations.remind(invitation, base)
    return len(due)


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Open, close, remind and publish whatever is due; commit each consultation's step; return counts."""
    now = as_utc(now).astimezone(UTC) if now else clock.now()
    today = now.astimezone(clock.LOCAL_ZONE).date()
    counts = {"opened": 0, "closed": 0, "reopened": 0, "reminded": 0, "reminders_sent": 0, "published": 0}
    ids = [c.id for c in data.consultations_to_sweep()]
    for cid in ids:
        consultation = db.session.get(Consultation, cid)
        if consultation is None or consultation.status == "draft":
            continue
        old, new = consultation.status, answering_state(consultation, today)
        if new != old and data.set_status(cid, old, new):
            key = "opened" if new == "open" and old == "scheduled" else "reopened" if new == "open" else new
            counts[key] = counts.get(key, 0) + 1
            log.info("consultation %s: %s -> %s", cid, old, new)
        if new == "open" and consultation.remind_on is not None and consultation.remind_on <= today \
                and consultation.reminded_on is None and data.claim_reminder(cid, today):
            counts["reminded"] += 1
            counts["reminders_sent"] += _send_reminders(consultation, now)
        if consultation.publish_at is not None and as_utc(consultation.publish_at) <= now:
            if data.has_actions(cid) and data.claim_publication(cid, now):
                counts["published"] += 1
                log.info("consultation %s: results published on schedule", cid)
        db.session.commit()  # a job or the sweep: each consultation's step is stored as it is done
        db.session.expire_all()
    return counts


def publication_overdue(consultation: Consultation, now: datetime | None = None) -> bool:
    """Return True if the results were due to publish but could not (nothing done is recorded yet)."""
    now = now or clock.now()
    return consultation.publish_at is not None and as_utc(consultation.publish_at) <= now


@job("lifecycle_sweep")
def sweep_job(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Open, close, remind and publish what is due (safe to rerun)."""
    return sweep()


TIMER = PeriodicSweep("lifecycle-sweep", "LIFECYCLE_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS, lambda: sweep())


@click.command("lifecycle-sweep")
def sweep_command() -> None:
    """Open, close, remind and publish consultations whose time has come (safe to rerun)."""
    r = sweep()
    click.echo(f"Lifecycle: {r['opened']} opened, {r['closed']} closed, {r['reopened']} re-opened, "
               f"{r['reminders_sent']} reminder(s) sent for {r['reminded']} consultation(s), "
               f"{r['published']} published.")


def init_app(app: Flask) -> None:
    """Wire the lifecycle into an app: the command, the template helpers, and the sweep's timer."""
    app.cli.add_command(sweep_command)

    @app.context_processor
    def _lifecycle_helpers() -> dict[str, Any]:
        return {"lifecycle_state": state_of}

    seconds = float(app.config.get("LIFECYCLE_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
    if seconds > 0:
        @app.before_request
        def _start_sweep() -> None:
            if app.config.get("JOBS_MODE") == "thread" and TIMER.pid != os.getpid():
                TIMER.start(app)


# ---- Celery beat -------------------------------------------------------------------------------------

BEAT_ENTRY = "guth-lifecycle-sweep"


def _register_beat() -> None:
    """Add the sweep to Celery beat's schedule (used only when a beat process runs)."""
    from ..celery_app import celery

    @celery.task(name="guth.lifecycle_sweep")
    def lifecycle_sweep_task() -> dict[str, int]:
        """Run the sweep inside the Flask app (no Job row: it runs every minute)."""
        from .. import celery_app, create_app

        app = celery_app._app or create_app()
        with app.app_context():
            return sweep()

    seconds = float(os.environ.get("LIFECYCLE_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
    schedule_ = dict(celery.conf.beat_schedule or {})
    schedule_[BEAT_ENTRY] = {"task": "guth.lifecycle_sweep", "schedule": max(seconds, 10.0)}
    celery.conf.beat_schedule = schedule_


_register_beat()
