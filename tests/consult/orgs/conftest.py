"""Fixtures for the organisations tests: a small partnership, a real local SMTP server, helpers."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from consult import clock
from forms import load_template

LINK_RE = re.compile(r"https?://\S+/org/i/[A-Za-z0-9_\-]+")
OPT_OUT_RE = re.compile(r"https?://\S+/org/opt-out/\S+")
PRIORITIES = [
    {"key": "mental_health", "title": "Mental health and wellbeing"},
    {"key": "poverty", "title": "Reducing child poverty"},
    {"key": "safe_places", "title": "Safe places to play"},
    {"key": "family_support", "title": "Help for families early on"},
]


@pytest.fixture()
def world(app, make_user):  # type: ignore[no-untyped-def]
    """A partnership with areas, an open consultation, four organisations with contacts, and staff."""
    from consult.data import consultations, organisations, users
    from consult.extensions import db

    today = clock.today()  # Scotland's calendar day, as the app decides it, not the machine's
    p = consultations.create_partnership(name="Testshire", local_authority="Testshire Council",
                                         health_board="NHS Testshire",
                                         areas=[("north", "North"), ("south", "South")])
    plan = consultations.create_plan(p, title="Plan", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31),
                                     vision="Vision", priorities=PRIORITIES)
    consultation = consultations.create_consultation(
        plan, load_template("childrens-services-plan"), opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=40), status="open", slug="test-csp")
    orgs = {}
    for name, kind, area, tsi in [("Youth Voice", "represents", "North", True),
                                  ("Family Hub", "provides", "South", True),
                                  ("Hill Housing", "social_landlord", "North", False),
                                  ("Fire Service", "other_provider", "South", False)]:
        orgs[name] = organisations.create_organisation(partnership_id=p.id, name=name, org_type=kind, area=area,
                                                       tsi_member=tsi)
    slug = {"Youth Voice": "yv", "Family Hub": "fh", "Hill Housing": "hh", "Fire Service": "fs"}
    for name, org in orgs.items():
        organisations.add_contact(org, name=f"Ann {slug[name]}", email=f"ann@{slug[name]}.example")
        organisations.add_contact(org, name=f"Bob {slug[name]}", email=f"bob@{slug[name]}.example")
    users.create_user(email="planner@t.example", name="Pat Planner", password="correct horse battery",
                      roles=["planner"], partnership_id=p.id)
    users.create_user(email="tsi@t.example", name="Tia TSI", password="correct horse battery", roles=["tsi"],
                      partnership_id=p.id)
    users.create_user(email="mod@t.example", name="Mo", password="correct horse battery", roles=["moderator"],
                      partnership_id=p.id)
    db.session.commit()
    for org in orgs.values():
        db.session.refresh(org)
    return {"partnership": p, "consultation": consultation, "orgs": orgs}


class Inbox:
    """Messages a local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_for(self, address: str, index: int = -1) -> str:
        body = self.body(self.to(address)[index])
        match = LINK_RE.search(body)
        assert match, body
        return match.group(0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp(app) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    """Start a real SMTP server (aiosmtpd) on 127.0.0.1 and point the app's mail settings at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
            with inbox.lock:
                inbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="guth@testshire.example")
    try:
        yield inbox
    finally:
        controller.stop()
        app.config["MAIL_SERVER"] = None


def path_of(url: str) -> str:
    """Return the path of a link from an email, for the test client."""
    return "/" + url.split("/", 3)[3]


@pytest.fixture()
def staff(app):  # type: ignore[no-untyped-def]
    """Return a function giving a test client signed in as a member of staff."""
    from tests.conftest import csrf_from

    def sign_in(email: str):  # type: ignore[no-untyped-def]
        client = app.test_client()
        page = client.get("/staff/login")
        client.post("/staff/login", data={"email": email, "password": "correct horse battery",
                                          "csrf_token": csrf_from(page.get_data(as_text=True))})
        return client

    return sign_in


@pytest.fixture()
def invite(staff):  # type: ignore[no-untyped-def]
    """Return a function: the planner invites organisations through the page; returns the response."""
    from tests.conftest import csrf_from

    def run(consultation, *orgs):  # type: ignore[no-untyped-def]
        planner = staff("planner@t.example")
        url = f"/planner/consultations/{consultation.id}/invite"
        page = planner.get(url)
        token = csrf_from(page.get_data(as_text=True))
        return planner.post(url, data={"csrf_token": token, "org": [str(o.id) for o in orgs]})

    return run


@pytest.fixture()
def open_link(app):  # type: ignore[no-untyped-def]
    """Return a function: a fresh browser follows a personal link and presses Continue; returns (client, page)."""
    from tests.conftest import csrf_from

    def run(link: str, client=None):  # type: ignore[no-untyped-def]
        client = client or app.test_client()
        landing = client.get(path_of(link))
        assert landing.status_code == 200, landing.get_data(as_text=True)[:500]
        done = client.post(path_of(link), data={"csrf_token": csrf_from(landing.get_data(as_text=True))})
        assert done.status_code == 302
        return client, done.headers["Location"]

    return run
