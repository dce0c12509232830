"""Sending email: every message is recorded in the outbox, and sent by SMTP when MAIL_SERVER is set.

Messages that carry a personal link are recorded with the link replaced by a placeholder once
they have really been sent, so the database never holds a live token (the demo, which sends
nothing, keeps the link so the outbox page can show what would have arrived).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from ..extensions import db
from ..models import OutboxEmail
from ..models._base import utcnow

log = logging.getLogger(__name__)
LINK_PLACEHOLDER = "[personal link removed from this copy]"


def smtp_configured() -> bool:
    """Return True when mail really leaves the server."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send(*, to: str, subject: str, body: str, secrets: tuple[str, ...] = (),
         partnership_id: int | None = None) -> OutboxEmail:
    """Send one plain-text email (or only record it when no server is set); never raises for SMTP faults.

    ``secrets`` are strings in ``body`` (personal links) that must not be stored once sent.
    ``partnership_id`` is the partnership whose outbox lists the email (None: no outbox lists it).
    """
    row = OutboxEmail(to=to, subject=subject[:300], body=body, error="", partnership_id=partnership_id)
    db.session.add(row)
    if smtp_configured():
        try:
            _deliver(to, subject, body)
            row.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            row.error = type(exc).__name__
            log.warning("email not sent: %s", type(exc).__name__)
        stored = body
        for secret in secrets:
            stored = stored.replace(secret, LINK_PLACEHOLDER)
        row.body = stored
    db.session.flush()
    return row


def _deliver(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=cfg["MAIL_FROM"].rpartition("@")[2] or "localhost")
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg.get("MAIL_TIMEOUT", 10)) as smtp:
        if cfg.get("MAIL_USE_STARTTLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        smtp.send_message(msg)


def recent(partnership_id: int | None, limit: int = 200) -> list[OutboxEmail]:
    """Return the latest emails in one partnership's outbox, newest first (none for no partnership)."""
    from sqlalchemy import select

    if partnership_id is None:
        return []
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.partnership_id == partnership_id)
                                   .order_by(OutboxEmail.id.desc()).limit(limit)))


__all__ = ["OutboxEmail", "LINK_PLACEHOLDER", "send", "recent", "smtp_configured"]
