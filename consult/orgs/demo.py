"""The organisations part of the Glenbrae demo: contacts, invitations, reminders, drafts, a sector response.

Called once from ``consult.demo.load_demo`` after the responses are generated. Everything is made up.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from forms import AnswerData

from ..data import invitations, org_responses, responses, sector
from ..data.organisations import audience_for
from ..extensions import db
from ..models import Consultation, Contact, Invitation, Organisation, Response
from ..services import answers as answers_service

FIRST = ["Aileen", "Calum", "Fiona", "Iain", "Kirsty", "Lewis", "Mairi", "Neil", "Rhona", "Stuart", "Yusuf",
         "Oksana", "Priya", "Ewan", "Catriona", "Dougie", "Shona", "Ruaridh"]
LAST = ["MacLeod", "Campbell", "Fraser", "Grant", "Ross", "Munro", "Stewart", "Ahmed", "Kowalska", "Reid"]
ROLES = ["Manager", "Chief officer", "Development worker", "Chair", "Policy lead", "Volunteer coordinator"]
NEVER_INVITED = {"Little Acorns Nursery", "Glenbrae Community Council", "Islands Housing Co-operative"}
INVITED_LATE = {"New Scots Welcome Glenbrae", "Scottish Fire and Rescue Glenbrae"}
SUBMITTED = ["Glenbrae Young Carers", "Kilmorie Family Centre", "Glenbrae Disability Forum",
             "Brae Housing Association", "Police Scotland Glenbrae", "Inverbrae Food Share"]
DRAFTING = ["Strathallan Youth Club", "Glenbrae Advocacy for Children"]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _fill_outbox(issued: list[tuple[Invitation, str]]) -> None:
    """Write the invitation emails to the outbox (never sent: the demo's addresses are made up)."""
    from flask import current_app

    from ..services import invitations as invite_service
    from ..services.mail import smtp_configured

    if smtp_configured():
        return
    base = current_app.config.get("MAIL_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base):
        for invitation, token in issued:
            row = invite_service._send_invitation_email(invitation, token, base, reminder=False)
            row.created_at = invitation.sent_at


def load_org_demo(consultation: Consultation, today: date, seed: int = 2026) -> list[str]:
    """Add contacts, invitations (some late, some never), reminders, two drafts and a TSI sector response."""
    rng = random.Random(seed + 4)
    partnership_id = consultation.plan.partnership_id
    orgs = list(db.session.scalars(select(Organisation).where(Organisation.partnership_id == partnership_id)
                                   .order_by(Organisation.id)))
    by_name = {o.name: o for o in orgs}
    for org in orgs:
        for _i in range(rng.choice([1, 2, 2, 3])):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{name.split()[0].lower()}@{_slug(org.name)}.example"
            if any(c.email == email for c in org.contacts):
                continue
            org.contacts.append(Contact(name=name, email=email, role=rng.choice(ROLES)))
    db.session.flush()
    # One contact at the Sports Trust has asked for no more email.
    if "Glenbrae Sports Trust" in by_name:
        by_name["Glenbrae Sports Trust"].contacts[0].opted_out = True

    # The generator tied made-up organisation answers to random organisations. Give one of them (of
    # the right audience) to each organisation that responds in the story; the rest stay unattributed.
    kept: dict[int, Response] = {}
    pool = list(db.session.scalars(select(Response).where(
        Response.consultation_id == consultation.id, Response.status == "submitted",
        Response.audience.in_(["organisation", "social_landlord", "other_provider"])).order_by(Response.id)))
    for r in pool:
        r.organisation_id = None
    for name in SUBMITTED:
        org = by_name.get(name)
        match = next((r for r in pool if org is not None and r.audience == audience_for(org)
                      and r.organisation_id is None), None)
        if match is not None and org is not None:
            match.organisation_id = org.id
            kept[org.id] = match
    db.session.flush()

    sent = 0
    issued: list[tuple[Invitation, str]] = []
    for org in orgs:
        if org.name in NEVER_INVITED:
            continue
        day = today - timedelta(days=3) if org.name in INVITED_LATE else consultation.opens_on - timedelta(days=21)
        for contact in org.contacts:
            invitation, token = invitations.create_invitation(consultation, contact, invited_by_id=None,
                                                              sent_at=_at(day))
            issued.append((invitation, token))
            sent += 1
            if org.name in SUBMITTED or org.name in DRAFTING:
                invitation.opened_at = _at(consultation.opens_on + timedelta(days=rng.randint(1, 10)), 14)
            if org.name not in SUBMITTED and org.name not in INVITED_LATE and not contact.opted_out:
                invitations.record_reminder(invitation, sent_at=_at(today - timedelta(days=14), 9))

    _fill_outbox(issued)

    # Submitted responses: named contacts, submitted after the invitation was opened.
    for org_id, response in kept.items():
        org = next(o for o in orgs if o.id == org_id)
        response.submitted_by_contact_id = org.contacts[0].id
        response.submitted_at = response.created_at = _at(today - timedelta(days=rng.randint(2, 20)), 15)

    # Two drafts in progress, written by two colleagues.
    drafts = 0
    for name in DRAFTING:
        org = by_name.get(name)
        if org is None or not org.contacts:
            continue
        response = org_responses.get_or_start(consultation, org, audience_for(org))
        questions = {q.core_id: q for q in responses.questions_for(response.variant)}
        writers = org.contacts[:2]
        if "priority_mental_health" in questions:
            answers_service.save_org_part(response, questions["priority_mental_health"],
                                    AnswerData(value="partly", text="Young people wait too long for help, and "
                                               "school counsellors need youth work alongside them."),
                                    contact=writers[0], expected_version=0)
        if "org_gaps" in questions:
            answers_service.save_org_part(response, questions["org_gaps"],
                                    AnswerData(text="The plan says little about transport to services for "
                                               "young people in the villages."),
                                    contact=writers[-1], expected_version=0)
        for answer in response.answers:
            answer.text_original = None  # made-up text with nothing to redact: keep only one copy
        drafts += 1

    # The TSI has drawn the sector response from members' submitted responses and not yet submitted it.
    members = [o.id for o in orgs if o.tsi_member]
    draft = sector.get_or_create(consultation)
    sector.replace_points(draft, sector.draft_points(
        consultation, org_responses.submitted_responses(consultation.id, members),
        {"agree": "agree", "partly": "partly agree", "disagree": "disagree"}))
    draft.summary = ("Member organisations broadly back the four priorities. They ask for faster mental health "
                     "support, help with the cost of the school day and transport for rural families.")
    db.session.commit()  # the demo loader runs from the CLI: it commits itself
    return [f"Organisations: {sent} invitations ({len(INVITED_LATE)} organisations invited late, "
            f"{len(NEVER_INVITED)} never), {len(kept)} submitted responses, {drafts} drafts, "
            f"a draft sector response with {len(draft.points)} points."]
