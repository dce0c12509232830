"""Themes, codings, theme–priority evidence and "we did" actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import created_at_column

THEME_SOURCES = ["codebook", "emergent", "planner"]
THEME_STATUSES = ["active", "proposed", "merged", "rejected"]
CODING_SOURCES = ["machine", "human"]
ACTION_STATUSES = ["done", "will_do", "cannot_do"]


class Theme(db.Model):
    """A theme in a consultation's codebook."""

    __table_args__ = (UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    child_name: Mapped[str] = mapped_column(String(200), default="")
    # The names public pages show in other languages: {"gd": {"name": ..., "child_name": ...}}; English is above.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict, server_default="{}")
    description: Mapped[str] = mapped_column(Text, default="")
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20), default="codebook")
    status: Mapped[str] = mapped_column(String(20), default="active")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    # An emergent proposal's member answers (answer ids), so the proposal opens on every one of them.
    member_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = created_at_column()


class Coding(db.Model):
    """A theme assigned to an answer, by the machine (with confidence) or by a person."""

    __table_args__ = (UniqueConstraint("answer_id", "theme_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    # For human codings: True means "this theme applies", False records a rejection of the machine's code.
    present: Mapped[bool] = mapped_column(default=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()

    theme = relationship("Theme")


class ThemePriority(db.Model):
    """How strongly a theme bears on a plan priority, and the evidence behind it."""

    __table_args__ = (UniqueConstraint("theme_id", "priority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence_count: Mapped[int] = mapped_column(Integer, default=0)
    audiences: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class LinkDecision(db.Model):
    """A planner's confirmation (linked) or rejection of a theme ↔ priority link; it outlives analysis runs."""

    __table_args__ = (UniqueConstraint("theme_id", "priority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"), index=True)
    linked: Mapped[bool] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()


class Action(db.Model):
    """What the partnership did, will do, or cannot do about a theme or priority ("we did")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"))
    plan_action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id"))
    status: Mapped[str] = mapped_column(String(20))
    # Per language: {"en": {"adult": ..., "child_5_8": ..., "child_8_11": ..., "young_12_17": ...}, "gd": {...}};
    # "child" is the one child text of entries made before texts were written per age band.
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme = relationship("Theme")
    priority = relationship("Priority")
