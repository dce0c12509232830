"""The fictional Glenbrae demo: a partnership, its plan, one consultation and ~2,000 made-up responses.

Everything is generated from hand-written material (material.yaml) with a fixed seed, through the
same data functions the live app uses, so the demo exercises redaction, screening and analysis.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from flask import current_app

from forms import DONT_KNOW, PREFER_NOT_TO_SAY, AnswerData, load_template

from .. import clock
from ..data import consultations, responses, users
from ..extensions import db
from ..jobs import enqueue
from ..models import Organisation, Response
from ..orgs.demo import load_org_demo
from ..services import answers as answers_service

MATERIAL = Path(__file__).with_name("material.yaml")
SLUG = "glenbrae-csp-2026"
PASSWORD = "guth-demo-2026"
STAFF = [
    ("admin@glenbrae.example", "Alasdair Admin", ["admin"]),
    ("planner@glenbrae.example", "Morag Planner", ["planner"]),
    ("tsi@glenbrae.example", "Eilidh TSI", ["tsi"]),
    ("safeguarding@glenbrae.example", "Sam Safeguarding", ["safeguarding"]),
    ("deputy.safeguarding@glenbrae.example", "Rona Deputy", ["safeguarding"]),
    ("moderator@glenbrae.example", "Niamh Moderator", ["moderator"]),
]
AREAS = [("glenbrae-town", "Glenbrae Town"), ("kilmorie", "Kilmorie"), ("strathallan", "Strathallan"),
         ("inverbrae", "Inverbrae"), ("ardlochy", "Ardlochy"), ("balnagask-islands", "Balnagask Islands")]
AREA_WEIGHTS = [30, 20, 15, 15, 12, 8]
PRIORITIES = [
    {"key": "mental_health", "title": "Children and young people's mental health and wellbeing",
     "child_title": "Feeling OK and getting help with worries",
     "description": "Help for children and young people with anxiety, stress and low mood early, in schools and "
                    "communities, and shorter waits for specialist support.",
     "shanarri": ["healthy", "nurtured", "included"],
     "outcome_indicators": ["Wait for specialist mental health support under 18 weeks",
                            "Share of pupils reporting good wellbeing"],
     "actions": [{"title": "Counsellor in every secondary school and cluster of primaries", "lead": "Education"},
                 {"title": "Cut waits for child and adolescent mental health services", "lead": "NHS Glenbrae"}]},
    {"key": "poverty", "title": "Reducing the impact of child poverty",
     "child_title": "Making sure no family goes without",
     "description": "Income maximisation for families, free school meals and uniform grants, cost of the school day, "
                    "help with food, fuel and money worries.",
     "shanarri": ["healthy", "achieving", "included"],
     "outcome_indicators": ["Families helped to claim benefits", "Children in relative poverty"],
     "actions": [{"title": "Money advice in every health visitor team and school", "lead": "Council"}]},
    {"key": "safe_places", "title": "Safe places to play, meet and travel",
     "child_title": "Safe places to play and hang out, and safe ways to get there",
     "description": "Parks, play areas, youth spaces and safe active travel routes across towns, villages and islands.",
     "shanarri": ["safe", "active", "included"],
     "outcome_indicators": ["Play areas refurbished", "Young people who feel safe in their area"],
     "actions": [{"title": "Refurbish play parks in every ward", "lead": "Council"}]},
    {"key": "family_support", "title": "Help for families early on",
     "child_title": "Help for families when things get hard",
     "description": "Whole-family support before problems grow: parenting support, health visiting, family centres "
                    "and support for young carers and care-experienced young people.",
     "shanarri": ["nurtured", "safe", "responsible"],
     "outcome_indicators": ["Families getting early help", "Children who become looked after"],
     "actions": [{"title": "Open family centres in Kilmorie and Ardlochy", "lead": "Social work"}]},
]
ORGANISATIONS = [
    ("Glenbrae Young Carers", "represents", True), ("Kilmorie Family Centre", "provides", True),
    ("Strathallan Youth Club", "provides", True), ("Balnagask Gaelic Parents", "represents", True),
    ("Glenbrae Disability Forum", "represents", True), ("Inverbrae Food Share", "provides", True),
    ("Ardlochy Playgroup", "provides", True), ("Glenbrae Advocacy for Children", "represents", True),
    ("New Scots Welcome Glenbrae", "represents", True), ("Glenbrae Sports Trust", "provides", False),
    ("Brae Housing Association", "social_landlord", False), ("Glenbrae Council Housing", "social_landlord", False),
    ("Islands Housing Co-operative", "social_landlord", False),
    ("Police Scotland Glenbrae", "other_provider", False), ("Scottish Fire and Rescue Glenbrae", "other_provider", False),
    ("Children's Reporter Glenbrae", "other_provider", False), ("Little Acorns Nursery", "private_provider", False),
    ("Glenbrae Community Council", "community_group", False),
]
AUDIENCE_WEIGHTS = {"child_5_8": 12, "child_8_11": 22, "young_12_17": 26, "parent_carer": 28,
                    "organisation": 6, "social_landlord": 3, "other_provider": 3}
ORG_AUDIENCE_TYPES = {"organisation": ["represents", "provides", "private_provider", "community_group"],
                      "social_landlord": ["social_landlord"], "other_provider": ["other_provider"]}


def load_demo(*, responses: int = 2000, seed: int = 2026, analyse: bool = True,
              today: date | None = None) -> list[str]:
    """Load the demo unless it is there already; return lines to print."""
    lines = _logins()
    if consultations.get_by_slug(SLUG) is not None:
        return ["The Glenbrae demo is already loaded.", *lines]
    today = today or clock.today()
    material = yaml.safe_load(MATERIAL.read_text(encoding="utf-8"))
    rng = random.Random(seed)

    partnership = consultations.create_partnership(
        name="Glenbrae Children's Services Partnership (fictional)", local_authority="Glenbrae Council",
        health_board="NHS Glenbrae", areas=AREAS, fictional=True,
        safeguarding_contact="Glenbrae child protection duty team (fictional): 01632 960000",
        # Told at once of every flag; the deputy when nobody has reviewed one within the hour.
        safeguarding_contacts=["safeguarding@glenbrae.example"],
        safeguarding_deputies=["deputy.safeguarding@glenbrae.example"], safeguarding_escalate_minutes=60,
        redact_schools=["Kilmorie Primary", "Glenbrae Academy", "Strathallan High", "Ardlochy Primary",
                        "Inverbrae Primary", "Balnagask Gaelic School"])
    for email, name, roles in STAFF:
        users.create_user(email=email, name=name, password=PASSWORD, roles=roles, partnership_id=partnership.id)
    orgs = [Organisation(partnership_id=partnership.id, name=n, name_key=n.lower(), org_type=t, tsi_member=m,
                         area=rng.choice(AREAS)[1]) for n, t, m in ORGANISATIONS]
    db.session.add_all(orgs)
    plan = consultations.create_plan(
        partnership, title="Glenbrae Children's Services Plan 2026–2029", period_start=date(2026, 4, 1),
        period_end=date(2029, 3, 31),
        vision="Every child in Glenbrae grows up loved, safe and respected, and able to reach their potential.",
        priorities=PRIORITIES)
    definition = load_template("childrens-services-plan")
    consultation = consultations.create_consultation(
        plan, definition, slug=SLUG, opens_on=today - timedelta(days=50), closes_on=today + timedelta(days=40),
        status="open")
    db.session.commit()  # the demo loader runs from the CLI: it commits itself

    generator = _Generator(rng, material, consultation, orgs, today)
    for i in range(responses):
        generator.make_response()
        if i % 200 == 199:
            db.session.commit()  # the demo loader runs from the CLI: it commits itself
    db.session.commit()  # the demo loader runs from the CLI: it commits itself
    out = [f"Loaded the fictional Glenbrae demo: {responses} responses to '{consultation.title['en']}'.",
           f"Safeguarding flags: {generator.flagged} responses (visible only to the safeguarding lead)."]
    if analyse:
        # Run it here and now: a background thread would die with the command that started it.
        mode = current_app.config["JOBS_MODE"]
        current_app.config["JOBS_MODE"] = "sync"
        try:
            row = enqueue("analyse_consultation", consultation_id=consultation.id)
        finally:
            current_app.config["JOBS_MODE"] = mode
        db.session.refresh(row)
        out.append(f"Analysis: {row.state} ({row.result.get('answers', 0)} answers themed).")
    out += load_org_demo(consultation, today, seed)  # contacts, invitations, drafts, the sector response
    out += _load_second_partnership(material, today, seed, max(20, responses // 10))
    return out + lines


# A second, smaller fictional partnership on the same server: its staff must see none of Glenbrae's
# answers, organisations, emails or jobs, and Glenbrae's staff none of its (issue 15: isolation).
SECOND_SLUG = "lochmore-csp-2026"
OPERATOR_EMAIL = "operator@guth.example"
SECOND_STAFF = [
    ("planner@lochmore.example", "Morag Lochmore (planner)", ["planner"]),
    ("safeguarding@lochmore.example", "Iain Lochmore (safeguarding lead)", ["safeguarding"]),
]
SECOND_AREAS = [("lochmore-town", "Lochmore Town"), ("eilean-mor", "Eilean Mòr")]
SECOND_ORGANISATIONS = [("Lochmore Youth Project", "represents", True), ("Lochmore Housing Co-operative",
                                                                        "social_landlord", False)]


def _load_second_partnership(material: dict[str, Any], today: date, seed: int, count: int) -> list[str]:
    rng = random.Random(seed + 100)
    partnership = consultations.create_partnership(
        name="Lochmore Children's Services Partnership (fictional)", local_authority="Lochmore Council",
        health_board="NHS Lochmore", areas=SECOND_AREAS, fictional=True,
        safeguarding_contact="Lochmore duty social work team (fictional): 01632 960111",
        safeguarding_contacts=["safeguarding@lochmore.example"])
    for email, name, roles in SECOND_STAFF:
        users.create_user(email=email, name=name, password=PASSWORD, roles=roles, partnership_id=partnership.id)
    # The deployment operator, of no partnership: sets up partnerships and their first planner (/operator/).
    users.create_user(email=OPERATOR_EMAIL, name="Demo Operator", password=PASSWORD, roles=["operator"])
    orgs = [Organisation(partnership_id=partnership.id, name=n, name_key=n.lower(), org_type=t, tsi_member=m,
                         area=SECOND_AREAS[0][1]) for n, t, m in SECOND_ORGANISATIONS]
    db.session.add_all(orgs)
    plan = consultations.create_plan(
        partnership, title="Lochmore Children's Services Plan 2026–2029", period_start=date(2026, 4, 1),
        period_end=date(2029, 3, 31), vision="Every child in Lochmore is safe, healthy and heard.",
        priorities=PRIORITIES[:3])
    consultation = consultations.create_consultation(
        plan, load_template("childrens-services-plan"), slug=SECOND_SLUG, opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=30), status="open")
    db.session.commit()  # the demo loader runs from the CLI: it commits itself
    generator = _Generator(rng, material, consultation, orgs, today)
    for _i in range(count):
        generator.make_response()
    db.session.commit()  # the demo loader runs from the CLI: it commits itself
    return [f"Loaded a second, smaller fictional partnership (Lochmore): {count} responses."]


def _logins() -> list[str]:
    lines = [f"Demo staff sign-in (password for all: {PASSWORD}):"]
    lines += [f"  {email:34} {', '.join(roles)}" for email, _, roles in STAFF]
    lines += [f"  {email:34} {', '.join(roles)} (Lochmore)" for email, _, roles in SECOND_STAFF]
    lines.append(f"  {OPERATOR_EMAIL:34} operator (sets up partnerships; sees no answers)")
    return lines


class _Generator:
    """Make realistic fictional responses from the material, reproducibly."""

    def __init__(self, rng: random.Random, material: dict[str, Any], consultation, orgs, today: date) -> None:  # type: ignore[no-untyped-def]
        self.rng, self.material, self.consultation, self.today = rng, material, consultation, today
        self.variants = {v.audience: v for v in consultation.variants}
        self.questions = {v.audience: responses.questions_for(v) for v in consultation.variants}
        self.areas = consultation.plan.partnership.areas
        self.orgs = orgs
        self.safeguarding = list(material.get("safeguarding", []))
        self.pii = list(material.get("pii", []))
        self.flagged = 0

    def pick_audience(self) -> str:
        names = [a for a in AUDIENCE_WEIGHTS if a in self.variants]
        return self.rng.choices(names, weights=[AUDIENCE_WEIGHTS[a] for a in names])[0]

    def make_response(self) -> Response:
        rng = self.rng
        audience = self.pick_audience()
        is_org = audience in ORG_AUDIENCE_TYPES
        language = "en" if is_org else rng.choices(["en", "gd", "ar", "pl", "uk"], [86, 6, 3, 3, 2])[0]
        if audience.startswith("child") or audience == "young_12_17":
            channel = rng.choices(["online_form", "online_chat", "event", "paper", "group"], [40, 30, 12, 10, 8])[0]
        elif is_org:
            channel = "online_form"
        else:
            channel = rng.choices(["online_form", "online_chat", "paper", "event"], [70, 10, 15, 5])[0]
        org_id = None
        if is_org:
            fits = [o for o in self.orgs if o.org_type in ORG_AUDIENCE_TYPES[audience]]
            org_id = rng.choice(fits).id if fits else None
        response, _code = responses.start_response(self.consultation, self.variants[audience], language=language,
                                                   channel=channel, organisation_id=org_id,
                                                   easy_read=audience == "child_5_8" and rng.random() < 0.3)
        special = rng.random()
        flagged = False
        for question in self.questions[audience]:
            data = self.answer(question, audience, language)
            if question.type == "long_text" and question.core_id == "anything_else" and not is_org:
                if special < 0.006 and self.safeguarding:
                    data = AnswerData(text=self.safeguarding.pop(0)["text"])
                elif special > 0.99 and self.pii:
                    data = AnswerData(text=self.pii.pop(0)["text"])
            # Through the answers' one door, as every channel: the area question records the coarse area too.
            flagged = answers_service.save(response, question, data).alert or flagged
        self.flagged += flagged
        response.may_quote = rng.random() < 0.35
        answers_service.submit(response)
        opened = datetime.combine(self.consultation.opens_on, datetime.min.time(), tzinfo=UTC)
        span = max(1.0, (datetime.combine(self.today, datetime.min.time(), tzinfo=UTC) - opened).total_seconds())
        # Most answers arrive early (launch) and just after reminders: a skewed spread.
        offset = span * (rng.random() ** 1.6)
        response.submitted_at = response.created_at = opened + timedelta(seconds=offset)
        return response

    def answer(self, question, audience: str, language: str) -> AnswerData:  # type: ignore[no-untyped-def]
        rng = self.rng
        if rng.random() < 0.05:
            return AnswerData(skipped=True)
        spec = question.spec
        values = [o["value"] for o in spec.get("options") or []]
        kind = question.type
        if kind == "face_scale":
            return AnswerData(value=rng.choices([1, 2, 3, 4, 5], [6, 12, 25, 32, 25])[0])
        if kind == "yes_no":
            return AnswerData(value=rng.choices(["yes", "no", "not_sure"], [45, 25, 30])[0])
        if kind == "area":
            if rng.random() < 0.06:
                return AnswerData(value=DONT_KNOW)
            return AnswerData(value=rng.choices([a.code for a in self.areas], AREA_WEIGHTS[: len(self.areas)])[0])
        multiple = kind == "multiple_choice" or (kind == "picture_choice" and spec.get("multiple"))
        if kind in ("single_choice", "picture_choice") and values and not multiple:
            return AnswerData(value=rng.choice(values))
        if multiple and values:
            if question.core_id == "groups" and rng.random() < 0.6:
                return AnswerData(value=[PREFER_NOT_TO_SAY]) if rng.random() < 0.2 else AnswerData(skipped=True)
            return AnswerData(value=sorted(rng.sample(values, k=rng.randint(1, min(3, len(values))))))
        if kind == "rank_top3" and len(values) >= 3:
            return AnswerData(value=rng.sample(values, k=3))
        if kind == "agree_priority":
            choice = rng.choices(["agree", "partly", "disagree"], [60, 28, 12])[0]
            whys = self.material["answers"].get("priority_why", {}).get(spec.get("priority"), {}).get(choice, [])
            why = rng.choice(whys) if whys and rng.random() < 0.7 else None
            return AnswerData(value=choice, text=why)
        if kind in ("long_text", "short_text"):
            text = self.free_text(question.core_id, audience, language)
            return AnswerData(text=text) if text else AnswerData(skipped=True)
        return AnswerData(skipped=True)

    def free_text(self, core_id: str, audience: str, language: str) -> str | None:
        rng = self.rng
        translated = self.material.get("translations", {}).get(language, {}).get(core_id)
        if translated and rng.random() < 0.8:
            return rng.choice(translated)
        pool = self.material["answers"].get(core_id)
        if isinstance(pool, dict):
            pool = pool.get(audience)
        if not pool or (core_id == "anything_else" and rng.random() < 0.4):
            return None
        return rng.choice(pool)
