"""The audit log: who did what to which object (never the content of answers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent


def record(action: str, *, user_id: int | None, object_type: str = "", object_id: int | None = None,
           **detail: Any) -> AuditEvent:
    """Add an audit event to the session (committed with the request's one commit)."""
    event = AuditEvent(action=action, user_id=user_id, object_type=object_type, object_id=object_id,
                       detail=detail)
    db.session.add(event)
    return event


def events(*, action: str | None = None, object_type: str | None = None, object_id: int | None = None,
           limit: int = 200) -> list[AuditEvent]:
    """Return recent audit events, newest first, optionally filtered."""
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        q = q.where(AuditEvent.action == action)
    if object_type:
        q = q.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        q = q.where(AuditEvent.object_id == object_id)
    return list(db.session.scalars(q))
