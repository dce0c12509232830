"""Consultations, their audience variants and questions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import forms

from ..extensions import db
from ._base import UTCDateTime, created_at_column

# The stored answering state: a draft is not yet scheduled; the lifecycle sweep (consult/services/lifecycle.py)
# moves a scheduled consultation to open and closed as its dates come. Whether the results are published is
# separate (published_at), so publishing never closes answering and taking the pages down changes nothing else.
STATUSES = ["draft", "scheduled", "open", "closed"]
# The audience codes belong to the consultation definitions; the app uses the same lists.
AUDIENCES = list(forms.AUDIENCES)
CHILD_AUDIENCES = [a for a in AUDIENCES if a in forms.CHILD_AUDIENCES]
ORG_AUDIENCES = [a for a in AUDIENCES if a in forms.ORGANISATION_AUDIENCES]


class Consultation(db.Model):
    """One consultation on a plan, run with several audiences."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    purpose: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"])
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Set while the "You said, we did" pages are public; cleared when they are taken down.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The schedule the lifecycle sweep runs: when to publish the results, and the day organisations
    # that have not answered get a reminder (reminded_on records the day it was sent, once).
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remind_on: Mapped[date | None] = mapped_column(Date)
    reminded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()
    # Bumped whenever planners edit the definition (variants, questions, wording), so a cached copy
    # of the validated definition is never used after a change.
    definition_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    plan = relationship("Plan")
    variants: Mapped[list[AudienceVariant]] = relationship(
        back_populates="consultation", order_by="AudienceVariant.position", cascade="all, delete-orphan"
    )


class AudienceVariant(db.Model):
    """The version of a consultation written for one audience."""

    __table_args__ = (UniqueConstraint("consultation_id", "audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    audience: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    intro: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    consultation: Mapped[Consultation] = relationship(back_populates="variants")
    questions: Mapped[list[Question]] = relationship(
        back_populates="variant", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """A question in one audience variant; core_id makes answers comparable across variants."""

    __table_args__ = (UniqueConstraint("variant_id", "core_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("audience_variant.id"), index=True)
    core_id: Mapped[str] = mapped_column(String(80), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(40))
    text: Mapped[dict[str, str]] = mapped_column(JSON)
    # The full question definition (options, pictures, help, follow-up) as the forms package reads it.
    spec: Mapped[dict] = mapped_column(JSON, default=dict)
    # Bumped on every change to the question's wording or settings: the editor's optimistic lock, so a
    # second planner saving over an edit they did not see is told, not silently overwritten.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    variant: Mapped[AudienceVariant] = relationship(back_populates="questions")
