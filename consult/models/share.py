"""Read-only share links: a signed, expiring, revocable link to a consultation's published figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import UTCDateTime, created_at_column

SHARE_TARGETS = ["pack"]


class ShareLink(db.Model):
    """A link a planner gave out: only its token's hash is kept, so the database cannot rebuild the link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    target: Mapped[str] = mapped_column(String(20), default="pack")
    # The results filter the link shows, as the URL query a planner's own view had ("" for everything).
    filter_query: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation = relationship("Consultation")
    creator = relationship("User")
