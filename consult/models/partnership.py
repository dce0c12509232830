"""Partnerships (a local authority with its health board), their areas and population counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import created_at_column


class Partnership(db.Model):
    """A children's services planning partnership: one council and one health board."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    local_authority: Mapped[str] = mapped_column(String(200))
    health_board: Mapped[str] = mapped_column(String(200))
    safeguarding_contact: Mapped[str] = mapped_column(Text, default="")
    # Who hears at once of a possible disclosure (emails), who hears when nobody has reviewed it within
    # safeguarding_escalate_minutes, and that time.
    safeguarding_contacts: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    safeguarding_deputies: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    safeguarding_escalate_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # Settings the operator sets per partnership (issue 17): public figures below suppression_threshold
    # are hidden; a consultation with less notice or a shorter response window than the minimums
    # gets a warning ("effective opportunity", guidance para 78); answers are erased retention_days
    # after a consultation closes.
    suppression_threshold: Mapped[int] = mapped_column(Integer, default=5)
    min_notice_days: Mapped[int] = mapped_column(Integer, default=14)
    min_window_days: Mapped[int] = mapped_column(Integer, default=28)
    retention_days: Mapped[int] = mapped_column(Integer, default=730)
    # The languages this partnership consults in (codes from consult.i18n); a consultation offers a subset.
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"], server_default='["en"]')
    # What happens to free text as typed once a response is submitted: "flagged" keeps it only
    # where the safeguarding screen flagged it (for the safeguarding lead), "none" never keeps it.
    original_text_policy: Mapped[str] = mapped_column(String(20), default="flagged")
    # Local names the redactor replaces with [PLACE] / [SCHOOL], besides the areas.
    redact_places: Mapped[list[str]] = mapped_column(JSON, default=list)
    redact_schools: Mapped[list[str]] = mapped_column(JSON, default=list)
    fictional: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()

    areas: Mapped[list[Area]] = relationship(back_populates="partnership", order_by="Area.position")


class Area(db.Model):
    """A coarse area (ward or locality) respondents can choose; never finer than that."""

    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    partnership: Mapped[Partnership] = relationship(back_populates="areas")


class PopulationCount(db.Model):
    """How many people of an audience live in an area, to measure reach against."""

    __table_args__ = (UniqueConstraint("partnership_id", "area_id", "audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    audience: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
