"""A partnership's own wording for the emails Guth sends, one row per kind and language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import UTCDateTime, created_at_column, utcnow

EMAIL_KINDS = ["invitation", "reminder", "confirmation", "safeguarding_alert", "safeguarding_escalation"]


class EmailTemplate(db.Model):
    """The subject and body of one kind of email in one language, with {placeholders}."""

    __table_args__ = (UniqueConstraint("partnership_id", "kind", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_at: Mapped[datetime] = created_at_column()
