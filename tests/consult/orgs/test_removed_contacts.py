"""Removed contacts: recorded with removed_at, left out of the register, never counted as opting out."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from consult.data import invitations, organisations
from consult.data.evidence import build_report
from consult.extensions import db
from consult.models import Contact, Invitation
from consult.services import invitations as invite_service
from tests.conftest import csrf_from
from tests.consult.planner.downloads import download

from .conftest import path_of

MIGRATION = "8d7d09e34706"


def _contact(org, email: str) -> Contact:  # type: ignore[no-untyped-def]
    return db.session.scalars(select(Contact).where(Contact.organisation_id == org.id, Contact.email == email)).one()


def _remove(client, org, contact) -> None:  # type: ignore[no-untyped-def]
    """Remove a contact through the planner's confirmation page."""
    url = f"/planner/organisations/{org.id}/contacts/{contact.id}/remove"
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True))}).status_code == 302


def _in_good_time(consultation, org) -> None:  # type: ignore[no-untyped-def]
    """Backdate the organisation's invitations to three weeks before opening (enough notice)."""
    early = datetime.combine(consultation.opens_on - timedelta(days=21), datetime.min.time(), tzinfo=UTC)
    for inv in db.session.scalars(select(Invitation).where(Invitation.organisation_id == org.id)):
        inv.sent_at, inv.notice_days = early, 21
    db.session.commit()


def _status(consultation, org) -> invitations.OrgStatus:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return invitations.org_statuses(consultation, [org])[0]


def _row(consultation, name: str):  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return next(r for r in build_report(consultation).rows if r.name == name)


def _status_cell(html: str, name: str) -> str:
    """Return the status tag in an organisation's row of a status list."""
    row = html.split(f">{name}<", 1)[1].split("</tr>", 1)[0]
    return re.search(r'<span class="tag org-status[^"]*">[^<]*</span>', row).group(0)


# ---- status and evidence -----------------------------------------------------------------------

def test_an_organisation_whose_contacts_were_all_removed_is_invited_with_no_contact(world, invite, staff,
                                                                                    app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    _in_good_time(consultation, hub)
    planner = staff("planner@t.example")
    for email in ("ann@fh.example", "bob@fh.example"):
        _remove(planner, hub, _contact(hub, email))

    status = _status(consultation, hub)
    assert status.status == "no_contact" and status.status != "opted_out"
    with app.test_request_context("/"):
        assert status.label == "Invited, no contact"
    assert not status.quiet  # nobody there to nudge
    assert len(status.invitations) == 2 and status.first_invited is not None

    report = build_report(consultation)
    row = next(r for r in report.rows if r.name == "Family Hub")
    assert row.status == "no_contact" and row.opportunity == "yes"
    assert row.first_invited is not None and row.contacts_invited == 2
    assert report.total.invited == 1 and [r.name for r in report.no_contact] == ["Family Hub"]
    assert row not in report.no_opportunity

    evidence = f"/planner/consultations/{consultation.id}/evidence"
    table = list(csv.DictReader(io.StringIO(download(planner, evidence, evidence + ".csv").get_data(as_text=True))))
    hub_row = next(r for r in table if r["organisation"] == "Family Hub")
    assert hub_row["status"] == "no_contact" and hub_row["effective_opportunity"] == "yes"
    assert hub_row["contacts_invited"] == "2"
    html = planner.get(evidence).get_data(as_text=True)
    assert "Opted out" not in html.split('<th scope="row">Family Hub', 1)[1].split("</tr>", 1)[0]

    # The planner's invitation list and the TSI's dashboard say so too, never "Opted out".
    for client, url in ((planner, f"/planner/consultations/{consultation.id}/invite"),
                        (staff("tsi@t.example"), f"/tsi/c/{consultation.id}")):
        page = client.get(url)
        assert page.status_code == 200, url
        cell = _status_cell(page.get_data(as_text=True), "Family Hub")
        assert "org-status-no_contact" in cell and "Opted out" not in cell, url


def test_a_real_opt_out_still_counts_as_opted_out(world, invite, app) -> None:
    consultation, voice = world["consultation"], world["orgs"]["Youth Voice"]
    invite(consultation, voice)
    _in_good_time(consultation, voice)
    for contact in organisations.contacts_of(voice):
        invitations.opt_out(contact)
    db.session.commit()
    status = _status(consultation, voice)
    assert status.status == "opted_out"
    with app.test_request_context("/"):
        assert status.label == "Opted out"
    row = _row(consultation, "Youth Voice")
    assert row.status == "opted_out" and row.opportunity == "opted_out"


def test_removed_contacts_neither_make_nor_spoil_an_opt_out(world, invite, staff) -> None:
    consultation, orgs = world["consultation"], world["orgs"]
    housing, fire = orgs["Hill Housing"], orgs["Fire Service"]
    invite(consultation, housing, fire)
    planner = staff("planner@t.example")
    # Hill Housing: Ann is removed, Bob (the only contact left) opts out. The organisation opted out.
    _remove(planner, housing, _contact(housing, "ann@hh.example"))
    invitations.opt_out(_contact(housing, "bob@hh.example"))
    db.session.commit()
    assert _status(consultation, housing).status == "opted_out"
    # Fire Service: Ann is removed, Bob still gets email. Still invited.
    _remove(planner, fire, _contact(fire, "ann@fs.example"))
    assert _status(consultation, fire).status == "invited"


def test_an_organisation_without_contacts_that_was_never_invited_is_not_invited(world, staff) -> None:
    consultation, voice = world["consultation"], world["orgs"]["Youth Voice"]
    planner = staff("planner@t.example")
    for email in ("ann@yv.example", "bob@yv.example"):  # never invited: deleted outright
        _remove(planner, voice, _contact(voice, email))
    assert organisations.contacts_of(voice) == []
    assert _status(consultation, voice).status == "not_invited"
    assert _row(consultation, "Youth Voice").opportunity == "never"


# ---- the removed contact's record ---------------------------------------------------------------

def test_a_removed_contact_keeps_its_name_and_when_but_not_its_address(world, smtp, invite, staff, app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    link = smtp.link_for("bob@fh.example")
    bob = _contact(hub, "bob@fh.example")
    bob_id = bob.id
    before = datetime.now(UTC)
    _remove(staff("planner@t.example"), hub, bob)
    db.session.expire_all()
    kept = db.session.get(Contact, bob_id)
    removed_at = kept.removed_at if kept.removed_at.tzinfo else kept.removed_at.replace(tzinfo=UTC)
    assert before - timedelta(seconds=5) <= removed_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert kept.name == "Bob fh" and kept.email == "" and not kept.opted_out
    assert organisations.is_removed(kept)
    assert [c.name for c in organisations.contacts_of(hub)] == ["Ann fh"]
    assert organisations.get_contact(hub, bob_id) is None
    assert organisations.live_invitations(kept) == []
    assert app.test_client().get(path_of(link)).status_code == 410
    invitation = db.session.scalars(select(Invitation).where(Invitation.contact_id == bob_id)).one()
    with pytest.raises(invitations.LinkProblem):
        invitations.usable(invitation)
    # Inviting the organisation again reaches only the contacts in the register.
    sent = len(smtp.messages)
    with app.test_request_context("/"):
        outcome = invite_service.invite_organisation(consultation, hub, invited_by_id=None)
    db.session.commit()
    assert [c.name for c in outcome.invited] == ["Ann fh"] and outcome.skipped_opted_out == []
    assert [m["To"] for m in smtp.messages[sent:]] == ["ann@fh.example"]


# ---- inviting one contact -----------------------------------------------------------------------

def test_invite_contact_sends_one_personal_link_and_replaces_the_old_one(world, smtp, invite, app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    old_link = smtp.link_for("ann@fh.example")
    ann = _contact(hub, "ann@fh.example")
    with app.test_request_context("/"):
        email = invite_service.invite_contact(consultation, ann, invited_by_id=None)
    db.session.commit()
    assert email.error == "" and email.to == "ann@fh.example"
    new_link = smtp.link_for("ann@fh.example")
    assert new_link != old_link and smtp.body(smtp.to("ann@fh.example")[-1]).startswith("Dear Ann fh")
    client = app.test_client()
    assert client.get(path_of(old_link)).status_code == 410
    assert client.get(path_of(new_link)).status_code == 200
    live = organisations.live_invitations(ann)
    assert len(live) == 1 and live[0].consultation_id == consultation.id


def test_invite_contact_refuses_contacts_who_get_no_email(world, smtp, invite, staff) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    ann, bob = _contact(hub, "ann@fh.example"), _contact(hub, "bob@fh.example")
    invitations.opt_out(ann)
    db.session.commit()
    _remove(staff("planner@t.example"), hub, bob)
    db.session.expire_all()
    sent = len(smtp.messages)
    for contact in (ann, bob):
        with pytest.raises(ValueError):
            invite_service.invite_contact(consultation, contact, invited_by_id=None, base_url="http://localhost")
    assert len(smtp.messages) == sent


# ---- the migration ------------------------------------------------------------------------------

def test_the_migration_marks_contacts_removed_before_it_and_downgrades_to_the_old_convention(world, invite,
                                                                                             app) -> None:
    """Contacts with an erased address get removed_at (from the audit log when it knows); down and back up."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade

    invite(world["consultation"], world["orgs"]["Family Hub"])  # invitations refer to the contacts
    previous = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_revision(
        MIGRATION).down_revision
    hub, fire = world["orgs"]["Family Hub"], world["orgs"]["Fire Service"]
    ids = {email: _contact(org, email).id for org, email in ((hub, "ann@fh.example"), (hub, "bob@fh.example"),
                                                             (fire, "ann@fs.example"))}
    db.session.commit()
    db.session.remove()
    contact = sa.table("contact", sa.column("id", sa.Integer), sa.column("email", sa.String),
                       sa.column("opted_out", sa.Boolean), sa.column("removed_at", sa.DateTime(timezone=True)))
    audit = sa.table("audit_event", sa.column("at", sa.DateTime(timezone=True)), sa.column("action", sa.String),
                     sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
                     sa.column("detail", sa.JSON))
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    try:
        downgrade(revision=previous)
        assert "removed_at" not in {c["name"] for c in sa.inspect(db.engine).get_columns("contact")}
        with db.engine.begin() as conn:
            # Removed the old way (address erased, opted out): Bob with an audit event, Ann at the Fire Service without.
            conn.execute(contact.update().where(contact.c.id.in_([ids["bob@fh.example"], ids["ann@fs.example"]]))
                         .values(email="", opted_out=True))
            conn.execute(audit.insert().values(at=when, action="contact.remove", object_type="contact",
                                               object_id=ids["bob@fh.example"], detail={}))
        started = datetime.now(UTC)
        upgrade()
        with db.engine.connect() as conn:
            got = dict(conn.execute(select(contact.c.id, contact.c.removed_at)).all())
        aware = {k: v if v is None or v.tzinfo else v.replace(tzinfo=UTC) for k, v in got.items()}
        assert aware[ids["ann@fh.example"]] is None
        assert aware[ids["bob@fh.example"]] == when
        assert started - timedelta(seconds=5) <= aware[ids["ann@fs.example"]] <= datetime.now(UTC) + timedelta(seconds=5)
        # Removed the new way (opted_out untouched), then downgraded: the old code's convention holds.
        with db.engine.begin() as conn:
            conn.execute(contact.update().where(contact.c.id == ids["ann@fh.example"])
                         .values(email="", opted_out=False, removed_at=when))
        downgrade(revision=previous)
        old = sa.table("contact", sa.column("id", sa.Integer), sa.column("email", sa.String),
                       sa.column("opted_out", sa.Boolean))
        with db.engine.connect() as conn:
            rows = {r.id: (r.email, r.opted_out) for r in conn.execute(select(old))}
        assert rows[ids["ann@fh.example"]] == ("", True)
    finally:
        upgrade()
    assert "removed_at" in {c["name"] for c in sa.inspect(db.engine).get_columns("contact")}
