"""Responses, answers and safeguarding flags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import UTCDateTime, created_at_column, utcnow

CHANNELS = ["online_form", "online_chat", "paper", "event", "group"]
RESPONSE_STATUSES = ["in_progress", "submitted", "withdrawn"]


class Response(db.Model):
    """One person's (or one organisation's) response; anonymous, reachable only by receipt code."""

    # Covering indexes so the planner dashboard aggregates 100,000 responses without reading the table.
    __table_args__ = (
        Index("ix_response_breakdown", "consultation_id", "status", "audience", "language", "channel", "area_id",
              "safeguarding"),
        Index("ix_response_submitted_day", "consultation_id", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("audience_variant.id"), index=True)
    audience: Mapped[str] = mapped_column(String(40), index=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    channel: Mapped[str] = mapped_column(String(20), default="online_form")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    # Only a hash of the receipt code is kept; the code itself is shown once to the respondent.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    may_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    kiosk: Mapped[bool] = mapped_column(Boolean, default=False)
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    submitted_by_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    entered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")
    variant = relationship("AudienceVariant")
    area = relationship("Area")


class Answer(db.Model):
    """An answer to one question; stored the same way whether given in chat or form mode."""

    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    core_id: Mapped[str] = mapped_column(String(80), index=True)
    value: Mapped[object | None] = mapped_column(JSON)
    # Redacted free text: the only text analysis, themes, quotes and exports ever see.
    text: Mapped[str | None] = mapped_column(Text)
    # The text as typed, kept only where partnership policy allows; readable by the safeguarding lead.
    text_original: Mapped[str | None] = mapped_column(Text)
    # A chat follow-up reply ("Can you tell me a bit more?"), redacted and screened like ``text``, kept
    # apart from it: None when none was asked or answered, "" when the person skipped it.
    follow_up: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    sentiment: Mapped[str | None] = mapped_column(String(20))
    quote_status: Mapped[str] = mapped_column(String(20), default="none")  # none/pending/approved/rejected
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    response: Mapped[Response] = relationship(back_populates="answers")
    question = relationship("Question")


class SafeguardingFlag(db.Model):
    """A possible disclosure of harm, for the safeguarding lead only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why: [{"sentence", "category", "score", "start", "end"}], offsets into the answer as typed.
    evidence: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    # The language the screen detected (ISO code), and whether it could not read the answer at all
    # (needs_human: "not screened", with its reason: "language", "uncertain" or "error").
    language: Mapped[str] = mapped_column(String(10), default="", server_default="")
    needs_human: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = created_at_column()
    # The email to the partnership's safeguarding contacts, and the escalation to its deputies (once).
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alerted_to: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_to: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(Text, default="")
    # The lead's decision on review: True a concern (the response stays out of the analysis), False none
    # (its answers return to the analysis once no flag on the response holds them), None not decided.
    concern: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    response = relationship("Response")
    answer = relationship("Answer")
