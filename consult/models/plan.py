"""Children's Services Plans, their priorities and the actions that deliver them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import created_at_column

SHANARRI = ["safe", "healthy", "achieving", "nurtured", "active", "respected", "responsible", "included"]


class Plan(db.Model):
    """A three-year Children's Services Plan (from 1 April)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    vision: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    partnership = relationship("Partnership")
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="plan", order_by="Priority.position", cascade="all, delete-orphan"
    )


class Priority(db.Model):
    """One of the plan's 3–5 priorities, linked to SHANARRI indicators and outcome indicators."""

    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    child_title: Mapped[str] = mapped_column(String(300), default="")
    shanarri: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome_indicators: Mapped[list[str]] = mapped_column(JSON, default=list)

    plan: Mapped[Plan] = relationship(back_populates="priorities")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="priority", order_by="PlanAction.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[OutcomeIndicator]] = relationship(
        back_populates="priority", order_by="OutcomeIndicator.position", cascade="all, delete-orphan"
    )


class PlanAction(db.Model):
    """A SMART action in the plan that delivers a priority."""

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    lead: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date)

    priority: Mapped[Priority] = relationship(back_populates="actions")


class OutcomeIndicator(db.Model):
    """A measurable outcome a priority is judged by: where it started (baseline) and where it should get to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    # False when the indicator should fall (waiting times, exclusions): progress is measured downwards.
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)

    priority: Mapped[Priority] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", order_by="IndicatorValue.year", cascade="all, delete-orphan"
    )


class IndicatorValue(db.Model):
    """An outcome indicator's value for one plan year (year = the year the April-to-March year starts)."""

    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("outcome_indicator.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)

    indicator: Mapped[OutcomeIndicator] = relationship(back_populates="values")


class PlanReview(db.Model):
    """A plan year's review consultation, and the consultation it was cloned from (compared year on year)."""

    __table_args__ = (UniqueConstraint("plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), unique=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    created_at: Mapped[datetime] = created_at_column()

    plan: Mapped[Plan] = relationship()
    consultation = relationship("Consultation", foreign_keys=[consultation_id])
    previous = relationship("Consultation", foreign_keys=[previous_id])
