"""Two partnerships' worth of data, staff of every role, and quick ways to act as each of them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from consult import clock
from tests.conftest import _empty_tables, _normal, app_on_test_database, csrf_from

STAFF_ROLES = ["admin", "planner", "tsi", "moderator", "safeguarding"]
# A deployment operator signs in too but belongs to no partnership (each side gets one of its own).
SIGNED_IN_ROLES = [*STAFF_ROLES, "operator"]
ROLES = ["anonymous", "respondent", "org_contact", *SIGNED_IN_ROLES]
CANARY_ANSWER = "zq-canary-answer-7731"
# URL parameters whose value build_side gives both partnerships alike (a template's question key, an
# audience, a picture, a static file, a language): a URL made only of these names no partnership's
# object. Every other parameter is an id or key of one partnership's own object.
SHARED_PARAMS = frozenset({"audience", "core", "core_id", "filename", "kind", "lang", "name", "year"})


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Hash test passwords with argon2's smallest costs: these tests make many users, not guesses."""
    from argon2 import PasswordHasher

    from consult.data import users

    real = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = real


@dataclass
class Side:
    """One partnership's objects, and the values the URL map's parameters take for it."""

    key: str
    partnership: int = 0
    consultation: int = 0
    users: dict[str, int] = field(default_factory=dict)
    target_user: int = 0
    params: dict[str, object] = field(default_factory=dict)
    invitation_token: str = ""
    receipt_code: str = ""


@dataclass
class World:
    a: Side
    b: Side


def build_side(key: str) -> Side:
    """Make one partnership with a plan, an open consultation, an organisation, staff and a response."""
    from consult.data import consultations, responses, users
    from consult.data.users import hash_token
    from consult.extensions import db
    from consult.models import (
        Action,
        Contact,
        Invitation,
        Job,
        Organisation,
        SafeguardingFlag,
        ShareLink,
        Theme,
    )
    from consult.services import answers as answers_service
    from forms import AnswerData, list_pictures, load_template

    today = clock.today()  # Scotland's calendar day, as the app decides it, not the machine's
    side = Side(key)
    p = consultations.create_partnership(name=f"Partnership {key}", local_authority=f"Council {key}",
                                         health_board=f"Board {key}", areas=[(f"area-{key}", f"Area {key}")])
    plan = consultations.create_plan(
        p, title=f"Plan {key}", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31), vision="v",
        priorities=[{"key": f"k{i}", "title": f"Priority {i}"} for i in range(3)])
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug=f"csp-{key}",
                                          opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=30),
                                          status="open")
    org = Organisation(partnership_id=p.id, name=f"Org {key}", name_key=f"org {key}", org_type="provides")
    contact = Contact(name=f"Contact {key}", email=f"contact-{key}@example.org")
    org.contacts.append(contact)
    db.session.add(org)
    db.session.flush()
    token = secrets.token_urlsafe(24)
    inv = Invitation(consultation_id=c.id, organisation_id=org.id, contact_id=contact.id,
                     token_hash=hash_token(token), expires_at=datetime.now(UTC) + timedelta(days=30),
                     notice_days=28)
    db.session.add(inv)
    for role in STAFF_ROLES:
        side.users[role] = users.create_user(email=f"{role}-{key}@example.org", name=f"{role} {key}",
                                             password="correct horse battery", roles=[role],
                                             partnership_id=p.id)
    side.users["operator"] = users.create_user(email=f"operator-{key}@example.org", name=f"operator {key}",
                                               password="correct horse battery", roles=["operator"])
    side.target_user = users.create_user(email=f"target-{key}@example.org", name="Target",
                                         password="correct horse battery", roles=["planner"],
                                         partnership_id=p.id)
    variant = consultations.variant_for(c, "young_12_17") or c.variants[0]
    response, code = responses.start_response(c, variant, language="en", channel="online_form")
    free = next(q for q in responses.questions_for(variant) if q.type == "long_text")
    answers_service.save(response, free, AnswerData(value=None, text=f"{CANARY_ANSWER} {key}"))
    answers_service.submit(response)
    theme = Theme(consultation_id=c.id, key=f"theme-{key}", name=f"Theme {key}")
    db.session.add(theme)
    db.session.flush()
    action = Action(consultation_id=c.id, theme_id=theme.id, status="done",
                    texts={"en": {"adult": f"We did {key}", "child": f"We did {key}"}})
    flag = SafeguardingFlag(response_id=response.id, answer_id=response.answers[0].id, categories=["test"])
    db.session.add_all([action, flag])
    job = Job(id=f"job-{key}-{secrets.token_hex(4)}", kind="noop", params={"consultation_id": c.id}, state="done")
    db.session.add(job)
    link = ShareLink(consultation_id=c.id, token_hash=secrets.token_hex(32), target="pack", filter_query="",
                     label=f"Link {key}", expires_at=datetime.now(UTC) + timedelta(days=7), created_by=None)
    db.session.add(link)
    db.session.commit()
    side.partnership, side.consultation = p.id, c.id
    side.users = {role: u.id for role, u in side.users.items()}
    side.target_user = side.target_user.id
    side.invitation_token, side.receipt_code = token, code
    side_params = {
        "slug": c.slug, "consultation_id": c.id, "cid": c.id, "core_id": free.core_id, "core": free.core_id,
        "question_id": free.id, "variant_id": variant.id, "audience": variant.audience,
        "name": list_pictures()[0] if list_pictures() else "safe", "user_id": side.target_user,
        "job_id": job.id, "token": token, "org_id": org.id, "organisation_id": org.id,
        "contact_id": contact.id, "invitation_id": inv.id, "response_id": response.id, "rid": response.id,
        "partnership_id": p.id, "plan_id": plan.id, "code": code, "receipt": code,
        "answer_id": response.answers[0].id, "theme_id": theme.id, "action_id": action.id, "flag_id": flag.id,
        "priority_id": plan.priorities[0].id, "filename": "guth.css", "lang": "en", "year": 2026,
        "kind": "invitation", "link": link.id,
    }
    side.params = side_params
    return side


@pytest.fixture(scope="module")
def world_app(_migrated: str) -> Iterator:
    """An app with two partnerships' data, kept for the whole module (building it is slow)."""
    from consult.extensions import db

    with app_on_test_database({"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "SERVER_NAME": "localhost"}) as app:
        _empty_tables(db)
        app.guth_world = World(build_side("a"), build_side("b"))  # type: ignore[attr-defined]
        db.session.remove()
        yield app


@pytest.fixture(scope="module")
def world(world_app) -> World:  # type: ignore[no-untyped-def]
    return world_app.guth_world


def sign_in(client, user_id: int) -> None:  # type: ignore[no-untyped-def]
    """Sign a user in the way the login view does, without paying for a password hash each time."""
    from flask_login.utils import _create_identifier

    from consult.data import users
    from consult.extensions import db

    user = users.get_user(user_id)
    token = users.start_session(user)
    db.session.commit()  # outside a request there is no unit of work to store the session
    with client.application.test_request_context(environ_base=dict(client.environ_base)):
        ident = _create_identifier()
    with client.session_transaction() as sess:
        sess["staff_token"] = token
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
        sess["_id"] = ident


def act_as(app, side: Side, role: str):  # type: ignore[no-untyped-def]
    """Return a fresh client acting as a role in a side's partnership."""
    from consult.data import consultations, responses

    client = app.test_client()
    if role in SIGNED_IN_ROLES:
        sign_in(client, side.users[role])
    elif role == "respondent":
        c = consultations.get(side.consultation)
        variant = consultations.variant_for(c, "young_12_17") or c.variants[0]
        response, code = responses.start_response(c, variant, language="en", channel="online_form")
        from consult.extensions import db

        db.session.commit()
        with client.session_transaction() as sess:
            sess["respond"] = {"slug": c.slug, "rid": response.id, "code": code, "mode": "form"}
    elif role == "org_contact":
        client.guth_token = side.invitation_token  # the contact holds their link; nothing else
    return client


def csrf_token_for(client) -> str:  # type: ignore[no-untyped-def]
    """Return a CSRF token valid for this client's session (taken from the sign-in page)."""
    return csrf_from(client.get("/staff/login").get_data(as_text=True))


def app_with_limited_routes(storage_uri: str):  # type: ignore[no-untyped-def]
    """Return an app whose routes /__submit (GET gives the browser session its secret) and /__other
    carry ``@submission_limit``: 2 POSTs a minute per session, 3 per address, counted in ``storage_uri``."""
    from flask import session

    from consult import create_app
    from consult.security import submission_limit

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": storage_uri, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_SUBMIT_SESSION": "2 per minute", "RATELIMIT_SUBMIT_ADDRESS": "3 per minute"})

    @app.route("/__submit", methods=["GET", "POST"])
    @submission_limit
    def submit():  # type: ignore[no-untyped-def]
        session["csrf_token"] = session.get("csrf_token") or secrets.token_hex(8)
        return "ok"

    @app.route("/__other", methods=["POST"])
    @submission_limit
    def other():  # type: ignore[no-untyped-def]
        return "ok"

    return app
