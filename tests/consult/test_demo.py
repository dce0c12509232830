"""The Glenbrae demo loader: reproducible, idempotent, exercises redaction, screening and analysis."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.demo import load_demo
from consult.extensions import db
from consult.models import (
    Answer,
    Coding,
    Consultation,
    Partnership,
    Response,
    SafeguardingFlag,
    ThemePriority,
    User,
)


def _fingerprint() -> list[tuple]:
    return list(db.session.execute(
        select(Response.audience, Response.language, Response.channel, Answer.core_id, Answer.value, Answer.text)
        .join(Answer).order_by(Response.id, Answer.id)).all())


def test_demo_loads_a_fictional_partnership_with_every_audience(app) -> None:
    lines = load_demo(responses=120, seed=11)
    partnership = db.session.scalar(select(Partnership).order_by(Partnership.id))
    assert partnership.fictional and "fictional" in partnership.name
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == "glenbrae-csp-2026"))
    assert consultation.status == "open"
    assert len(consultation.plan.priorities) == 4
    assert {v.audience for v in consultation.variants} == {
        "child_5_8", "child_8_11", "young_12_17", "parent_carer", "organisation", "social_landlord", "other_provider"}
    assert db.session.scalar(select(func.count(Response.id)).where(
        Response.status == "submitted", Response.consultation_id == consultation.id)) == 120
    assert {r for (r,) in db.session.execute(select(Response.channel).distinct())} >= {"online_form", "paper"}
    assert {u.email for u in db.session.scalars(select(User))} >= {"planner@glenbrae.example",
                                                                    "safeguarding@glenbrae.example"}
    assert any("planner@glenbrae.example" in line for line in lines)


def test_demo_analysis_themes_answers_and_links_priorities(app) -> None:
    load_demo(responses=120, seed=11)
    assert db.session.scalar(select(func.count(Coding.id)).where(Coding.source == "machine")) > 50
    assert db.session.scalar(select(func.count(ThemePriority.id)).where(ThemePriority.evidence_count > 0)) > 0


def test_loading_twice_changes_nothing(app) -> None:
    load_demo(responses=60, seed=5, analyse=False)
    first = _fingerprint()
    again = load_demo(responses=60, seed=5, analyse=False)
    assert "already loaded" in again[0]
    assert _fingerprint() == first


def test_same_seed_gives_the_same_demo(app) -> None:
    from tests.conftest import _empty_tables

    load_demo(responses=60, seed=5, analyse=False)
    first = _fingerprint()
    db.session.remove()
    _empty_tables(db)
    load_demo(responses=60, seed=5, analyse=False)
    assert _fingerprint() == first
    db.session.remove()
    _empty_tables(db)
    load_demo(responses=60, seed=6, analyse=False)
    assert _fingerprint() != first


def test_demo_free_text_is_redacted_and_originals_dropped_unless_flagged(app) -> None:
    load_demo(responses=150, seed=3, analyse=False)
    flagged_answers = {aid for (aid,) in db.session.execute(select(SafeguardingFlag.answer_id))}
    kept = db.session.scalars(select(Answer).where(Answer.text_original.is_not(None))).all()
    assert {a.id for a in kept} <= flagged_answers
    texts = " ".join(t for (t,) in db.session.execute(select(Answer.text).where(Answer.text.is_not(None))))
    assert "@example" not in texts


def test_the_demo_has_a_second_smaller_partnership_with_staff_of_its_own(app) -> None:
    """Two partnerships on one server, so the demo shows (and tests) that neither sees the other's data."""
    lines = load_demo(responses=60, seed=5, analyse=False)
    partnerships = db.session.scalars(select(Partnership).order_by(Partnership.id)).all()
    assert len(partnerships) == 2 and all(p.fictional for p in partnerships)
    first, second = partnerships
    counts = [db.session.scalar(select(func.count(Response.id)).join(Consultation).where(
        Consultation.slug == slug)) for slug in ("glenbrae-csp-2026", "lochmore-csp-2026")]
    assert counts[0] >= 60 and 0 < counts[1] < counts[0]
    staff = {u.email: u.partnership_id for u in db.session.scalars(select(User))}
    assert staff["planner@lochmore.example"] == second.id and staff["planner@glenbrae.example"] == first.id
    assert any("planner@lochmore.example" in line for line in lines)
    # and an operator of neither, who can sign in to set up a third
    assert "operator@guth.example" in staff and staff["operator@guth.example"] is None
    assert any("operator@guth.example" in line for line in lines)
