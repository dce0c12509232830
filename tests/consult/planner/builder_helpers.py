"""A partnership's plan and a consultation made from the shipped template, for the builder's tests."""

from __future__ import annotations

from datetime import date

from consult.data import consultations
from consult.extensions import db

PRIORITIES = [
    {"key": "mental_health", "title": "Mental health and wellbeing", "child_title": "Feeling OK",
     "description": "Help with worries."},
    {"key": "safe_places", "title": "Safe places to play", "child_title": "Safe places", "description": "Parks."},
    {"key": "poverty", "title": "Reducing child poverty", "child_title": "Enough money", "description": "Money."},
]


def make_plan(partnership, title: str = "Test plan 2026 to 2029"):  # type: ignore[no-untyped-def]
    """Create and commit a plan with three priorities for the partnership."""
    plan = consultations.create_plan(partnership, title=title, period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="Safe and loved.", priorities=PRIORITIES)
    db.session.commit()
    return plan


def make_consultation(plan, *, audiences=None, languages=None, slug=None):  # type: ignore[no-untyped-def]
    """Create and commit a draft consultation from the shipped template."""
    c = consultations.create_from_template("childrens-services-plan", plan, "Have your say 2026",
                                           opens_on=date(2026, 5, 1), closes_on=date(2026, 6, 30), slug=slug,
                                           audiences=audiences, languages=languages)
    db.session.commit()
    return c
