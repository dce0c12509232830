"""A small consultation built straight in the database, with one flagged response full of markers.

Markers let tests prove what never leaks: LEAKMARKER (the flagged response's redacted text) and
ORIGINALMARKER (its text as typed) must never reach themes, quotes, exports or public pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from consult.data import consultations
from consult.extensions import db
from consult.models import Answer, Coding, Consultation, Response, SafeguardingFlag, Theme, ThemePriority
from forms import load_template

PRIORITIES = [
    {"key": "mental_health", "title": "Mental health and wellbeing", "child_title": "Feeling OK",
     "description": "Help with worries, anxiety and low mood.",
     "actions": [{"title": "Counsellor in every school", "lead": "Education"}]},
    {"key": "safe_places", "title": "Safe places to play", "child_title": "Safe places to play",
     "description": "Parks, play areas and youth spaces.",
     "actions": [{"title": "Refurbish play parks", "lead": "Council"}]},
    {"key": "poverty", "title": "Reducing child poverty", "child_title": "No family goes without",
     "description": "Money advice and free school meals."},
]
LEAK = "LEAKMARKER"
ORIGINAL = "ORIGINALMARKER"


@dataclass
class World:
    """Handles to what was built."""

    consultation: Consultation
    places: Theme
    worries: Theme
    buses: Theme
    flagged: Response
    flag: SafeguardingFlag
    quote: Answer


_counter = [0]


def _response(c: Consultation, audience: str, *, text: str, area_id: int | None, language: str = "en",
              may_quote: bool = False, flagged: bool = False, day: int = 0) -> tuple[Response, Answer]:
    variant = next(v for v in c.variants if v.audience == audience)
    question = next(q for q in variant.questions if q.core_id == "change_one_thing")
    _counter[0] += 1
    when = datetime(2026, 5, 1, tzinfo=UTC) + timedelta(days=day)
    r = Response(consultation_id=c.id, variant_id=variant.id, audience=audience, language=language,
                 channel="online_form", area_id=area_id, status="submitted", may_quote=may_quote,
                 safeguarding=flagged, receipt_hash=hashlib.sha256(f"r{_counter[0]}".encode()).hexdigest(),
                 submitted_at=when)
    db.session.add(r)
    db.session.flush()
    a = Answer(response_id=r.id, question_id=question.id, core_id="change_one_thing", text=text)
    db.session.add(a)
    db.session.flush()
    return r, a


def build_world(*, places_count: int = 12, worries_count: int = 3) -> World:
    """Build the consultation: many answers about places to play, a few about worries, one flagged."""
    partnership = consultations.create_partnership(
        name="Testbrae Partnership", local_authority="Testbrae Council", health_board="NHS Testbrae",
        areas=[("north", "North"), ("south", "South")])
    plan = consultations.create_plan(partnership, title="Testbrae plan", period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="Loved, safe, respected.",
                                     priorities=PRIORITIES)
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug="testbrae-2026",
                                          opens_on=date(2026, 5, 1), closes_on=date(2026, 6, 30), status="closed")
    north, south = partnership.areas
    places = Theme(consultation_id=c.id, key="places_to_play", name="Places to play", child_name="Places to play")
    worries = Theme(consultation_id=c.id, key="mental_health", name="Worries and mental health")
    buses = Theme(consultation_id=c.id, key="transport", name="Buses and transport")
    db.session.add_all([places, worries, buses])
    db.session.flush()
    quote = None
    for i in range(places_count):
        aud = "child_8_11" if i % 2 else "young_12_17"
        _r, a = _response(c, aud, text=f"The swings in the park are broken number {i}", area_id=north.id,
                          may_quote=i == 0, day=i % 5)
        db.session.add(Coding(answer_id=a.id, theme_id=places.id, source="machine", confidence=0.9))
        if i == 0:
            a.quote_status, quote = "approved", a
        if i == 1:  # approved but its author did not allow quoting: never published
            a.text, a.quote_status = "NOCONSENT swings are broken", "approved"
    for i in range(worries_count):
        _r, a = _response(c, "parent_carer", text=f"Waiting lists for help with worries are long {i}",
                          area_id=south.id, language="gd", day=i)
        db.session.add(Coding(answer_id=a.id, theme_id=worries.id, source="machine", confidence=0.8))
    # Transport: raised often, covered by no priority: a gap.
    for i in range(11):
        _r, a = _response(c, "young_12_17", text=f"The bus only comes twice a day {i}", area_id=None, day=2)
        db.session.add(Coding(answer_id=a.id, theme_id=buses.id, source="machine", confidence=0.7))
    flagged, fa = _response(c, "young_12_17", text=f"{LEAK} the swings in the park are broken", area_id=north.id,
                            may_quote=True, flagged=True, day=1)
    fa.text_original, fa.quote_status = f"{ORIGINAL} something happened at home", "approved"
    db.session.add(Coding(answer_id=fa.id, theme_id=places.id, source="machine", confidence=0.99))
    flag = SafeguardingFlag(response_id=flagged.id, answer_id=fa.id, categories=["abuse"], triggers=["hits me"])
    db.session.add(flag)
    priorities = {p.key: p for p in plan.priorities}
    db.session.add_all([
        ThemePriority(theme_id=places.id, priority_id=priorities["safe_places"].id, score=0.8,
                      evidence_count=places_count, audiences={"child_8_11": places_count // 2,
                                                              "young_12_17": places_count - places_count // 2}),
        ThemePriority(theme_id=worries.id, priority_id=priorities["mental_health"].id, score=0.7,
                      evidence_count=worries_count, audiences={"parent_carer": worries_count}),
        ThemePriority(theme_id=buses.id, priority_id=priorities["safe_places"].id, score=0.1, evidence_count=0,
                      audiences={}),
    ])
    db.session.commit()
    assert quote is not None
    return World(c, places, worries, buses, flagged, flag, quote)
