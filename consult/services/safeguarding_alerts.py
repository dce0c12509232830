"""The safeguarding lead hears at once: an email per flag, and an escalation when nobody reviews it.

- A flag (a possible disclosure, or an answer the screen could not read) is emailed to the
  partnership's safeguarding contacts as soon as the answer is saved: the request that made it
  hands the flag to the background job engine once its commit is done (``safeguarding_alert``).
- A sweep (``safeguarding_sweep``; ``flask safeguarding-escalate``) sends any alert still unsent
  (a job that never ran, a mail server that was down) and escalates each flag nobody reviewed
  within the partnership's ``safeguarding_escalate_minutes`` to its deputies, once. It runs every
  ``SAFEGUARDING_SWEEP_SECONDS`` (30) on a timer thread in each web process, or on Celery beat when
  the jobs run on Celery. Safe to run twice, and in several processes at once: a flag is claimed
  (a guarded update) in the same transaction that records its email.
- Emails carry a link to the flag and nothing of the answer: no text, no category, only "a possible
  disclosure" or "an answer that could not be screened". Logs carry flag ids only.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any

import click
from flask import Flask, current_app
from flask_babel import gettext as _

from .. import uow
from ..data import safeguarding as data
from ..extensions import db
from ..jobs import Progress, enqueue, job
from ..models import SafeguardingFlag
from ..models._base import as_utc, utcnow
from ..urls import external_url
from . import email_templates, mail
from .periodic import PeriodicSweep

log = logging.getLogger(__name__)
DEFAULT_SWEEP_SECONDS = 30


# ---- the emails ------------------------------------------------------------------------------------

def flag_link(flag_id: int) -> str:
    """Return the full address of a flag's page, at Guth's configured external address (GUTH_BASE_URL),
    never the Host header of the respondent's request that made the flag."""
    return external_url("planner.safeguarding_flag", flag_id=flag_id)


def _what(flag: SafeguardingFlag) -> str:
    return _("an answer that could not be screened") if flag.needs_human and not flag.categories \
        else _("a possible disclosure")


def _alert_email(flag: SafeguardingFlag, link: str, minutes: int) -> tuple[str, str]:
    values = {"what": _what(flag), "link": link, "minutes": minutes, "id": flag.id}
    if flag.needs_human and not flag.categories:
        subject = _("Guth safeguarding: an answer that could not be screened (flag %(id)s)", **values)
        opening = _("An answer to a consultation could not be screened: a person must read it, in case it "
                    "tells of harm.", **values)
    else:
        subject = _("Guth safeguarding: a possible disclosure (flag %(id)s)", **values)
        opening = _("An answer to a consultation may be a possible disclosure of harm.", **values)
    body = "\n\n".join([
        opening,
        _("Please review it now:\n%(link)s", **values),
        _("This email holds nothing of what was written. Sign in to Guth to read it.", **values),
        _("If nobody has reviewed it within %(minutes)s minutes, the deputies are told.", **values),
    ]) + "\n"
    return subject, body


def _escalation_email(flag: SafeguardingFlag, link: str, minutes: int) -> tuple[str, str]:
    values = {"what": _what(flag), "link": link, "minutes": minutes, "id": flag.id}
    subject = _("Guth safeguarding: not reviewed after %(minutes)s minutes (flag %(id)s)", **values)
    body = "\n\n".join([
        _("A flag for %(what)s has waited %(minutes)s minutes and nobody has reviewed it yet. You are told "
          "as a deputy safeguarding contact.", **values),
        _("Please review it now:\n%(link)s", **values),
        _("This email holds nothing of what was written. Sign in to Guth to read it.", **values),
    ]) + "\n"
    return subject, body


def _own_wording(partnership_id: int, kind: str, flag: SafeguardingFlag, minutes: int) -> tuple[str, str] | None:
    """Return the partnership's own (subject, body) for a flag's email, or None; it can hold nothing of the answer."""
    return email_templates.compose(partnership_id, kind, {"link": flag_link(flag.id), "minutes": minutes,
                                                          "flag_id": flag.id, "what": _what(flag)})


def _send_all(to: list[str], subject: str, body: str) -> list[str]:
    """Send one email to each address; return those the mail server took (or, with none set, recorded)."""
    sent = []
    for address in to:
        row = mail.send(to=address, subject=subject, body=body)
        if not row.error:
            sent.append(address)
    return sent


def send_alert(flag_id: int, *, now: datetime | None = None) -> bool:
    """Tell the partnership's safeguarding contacts of one flag, once; commit. True if this call told them.

    When every email fails (the mail server is down) nothing is recorded, so the next sweep tries again.
    """
    now = now or utcnow()
    flag = db.session.get(SafeguardingFlag, flag_id)
    if flag is None or flag.reviewed_at is not None or flag.alerted_at is not None:
        return False
    partnership = data.partnership_of_flag(flag)
    if partnership is None or not data.claim_alert(flag_id, now):
        db.session.rollback()
        return False
    to = data.contacts_for(partnership)
    minutes = int(data.escalate_after(partnership).total_seconds() // 60)
    with current_app.test_request_context("/"):
        subject, body = _own_wording(partnership.id, "safeguarding_alert", flag, minutes) or \
            _alert_email(flag, flag_link(flag_id), minutes)
    sent = _send_all(to, subject, body)
    if to and not sent:
        db.session.rollback()
        log.warning("safeguarding flag %s: alert not sent (mail server refused); will retry", flag_id)
        return False
    if not to:
        log.warning("safeguarding flag %s: partnership %s names no safeguarding contact", flag_id, partnership.id)
    data.record_sent(flag_id, alerted_to=sent)
    db.session.commit()  # a job or the sweep: the alert is recorded as sent only after the email left
    log.info("safeguarding flag %s: alert sent to %s contact(s)", flag_id, len(sent))
    return True


def escalate(flag: SafeguardingFlag, *, now: datetime | None = None) -> bool:
    """Tell the deputies of a flag nobody reviewed in time, once; commit. True if this call told them."""
    now = now or utcnow()
    partnership = data.partnership_of_flag(flag)
    if partnership is None:
        return False
    wait = data.escalate_after(partnership)
    if as_utc(flag.created_at) + wait > now or not data.claim_escalation(flag.id, now):
        db.session.rollback()
        return False
    to = data.deputies_for(partnership)
    minutes = int(wait.total_seconds() // 60)
    with current_app.test_request_context("/"):
        subject, body = _own_wording(partnership.id, "safeguarding_escalation", flag, minutes) or \
            _escalation_email(flag, flag_link(flag.id), minutes)
    sent = _send_all(to, subject, body)
    if to and not sent:
        db.session.rollback()
        log.warning("safeguarding flag %s: escalation not sent (mail server refused); will retry", flag.id)
        return False
    data.record_sent(flag.id, escalated_to=sent)
    db.session.commit()  # a job or the sweep: the escalation is recorded as sent only after the email left
    log.info("safeguarding flag %s: escalated to %s deputy contact(s)", flag.id, len(sent))
    return True


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send every alert not yet sent and escalate every flag that waited too long; return the counts."""
    now = now or utcnow()
    alerted = sum(send_alert(flag_id, now=now) for flag_id in data.flags_to_alert())
    escalated = 0
    for flag_id in [f.id for f in data.flags_waiting(now)]:
        flag = db.session.get(SafeguardingFlag, flag_id)
        if flag is not None and flag.reviewed_at is None and flag.escalated_at is None:
            escalated += escalate(flag, now=now)
    return {"alerted": alerted, "escalated": escalated}


# ---- on the background job engine ------------------------------------------------------------------

@job("safeguarding_alert")
def alert_job(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Email the safeguarding contacts of new flags (safe to rerun: each flag is told of once)."""
    ids = [int(i) for i in params.get("flag_ids", [])]
    told = sum(send_alert(i) for i in ids)
    return {"alerted": told}


@job("safeguarding_sweep")
def sweep_job(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Send unsent alerts and escalate flags nobody reviewed in time (safe to rerun)."""
    return sweep()


def _after_request(response):  # type: ignore[no-untyped-def]
    """Once the request that made a flag is over, hand its alert to the job engine (never fail the request)."""
    # The answer POST's quick way never makes a session: do not make one here either.
    if not db.session.registry.has() or not db.session.info.get(data.NEW_FLAGS):
        return response
    try:
        # The flags must be stored before a job looks for them: end the request's unit of work first
        # (it commits a successful request's work, a staff paper import say, and rolls back a failed one's).
        uow.finish_request(response)
        ids = data.take_new_flag_ids()
        if ids:
            enqueue("safeguarding_alert", flag_ids=ids)
    except Exception as exc:  # the sweep sends it within SAFEGUARDING_SWEEP_SECONDS
        db.session.rollback()
        log.error("safeguarding alert not started (%s); the sweep will send it", type(exc).__name__)
    return response


TIMER = PeriodicSweep("safeguarding-sweep", "SAFEGUARDING_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS, lambda: sweep())


@click.command("safeguarding-escalate")
def escalate_command() -> None:
    """Send safeguarding alerts not yet sent, and escalate flags nobody reviewed in time (safe to rerun)."""
    result = sweep()
    click.echo(f"Safeguarding: {result['alerted']} alert(s) sent, {result['escalated']} flag(s) escalated.")


def init_app(app: Flask) -> None:
    """Wire the alerts into an app: the command, the hand-off after each request, and the sweep's timer."""
    app.cli.add_command(escalate_command)
    app.after_request(_after_request)
    seconds = float(app.config.get("SAFEGUARDING_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
    if seconds > 0:
        @app.before_request
        def _start_sweep() -> None:
            if app.config.get("JOBS_MODE") == "thread" and TIMER.pid != os.getpid():
                TIMER.start(app)


# ---- Celery beat -------------------------------------------------------------------------------------

BEAT_ENTRY = "guth-safeguarding-sweep"


def _register_beat() -> None:
    """Add the sweep to Celery beat's schedule (used only when a beat process runs)."""
    from ..celery_app import celery

    @celery.task(name="guth.safeguarding_sweep")
    def safeguarding_sweep_task() -> dict[str, int]:
        """Run the sweep inside the Flask app (no Job row: it runs every half minute)."""
        from .. import celery_app, create_app

        app = celery_app._app or create_app()
        with app.app_context():
            return sweep()

    seconds = float(os.environ.get("SAFEGUARDING_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
    schedule = dict(celery.conf.beat_schedule or {})
    schedule[BEAT_ENTRY] = {"task": "guth.safeguarding_sweep", "schedule": max(seconds, 5.0)}
    celery.conf.beat_schedule = schedule


_register_beat()
