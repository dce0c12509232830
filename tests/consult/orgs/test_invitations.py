"""Invitations by real email to a local SMTP server, personal links, notice, reminders, opting out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Contact, Invitation, OutboxEmail, Reminder
from tests.conftest import csrf_from

from .conftest import OPT_OUT_RE, path_of


def test_invitation_email_arrives_and_its_link_opens_the_draft(world, smtp, invite, open_link, app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    page = invite(consultation, hub)
    assert page.status_code == 302
    messages = smtp.to("ann@fh.example")
    assert len(messages) == 1 and len(smtp.to("bob@fh.example")) == 1
    message = messages[0]
    assert "Family Hub" in message["Subject"] and message["From"] == "guth@testshire.example"
    link = smtp.link_for("ann@fh.example")
    # Only a hash of the token is stored, and the stored copy of the email has no live link.
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 40
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.token_hash == token)) == 0
    stored = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == "ann@fh.example")).one()
    assert token not in stored.body and stored.sent_at is not None
    # Following the link: GET shows who you are and changes nothing; Continue opens the draft.
    client = app.test_client()
    landing = client.get(path_of(link))
    assert "Ann fh" in landing.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.opened_at).where(Invitation.contact_id == hub.contacts[0].id)) is None
    client, location = open_link(link, client)
    draft = client.get(location)
    assert draft.status_code == 200
    html = draft.get_data(as_text=True)
    assert "Your organisation&#39;s draft response" in html or "Your organisation's draft response" in html
    assert "What needs does the draft plan miss?" in html
    db.session.expire_all()
    assert db.session.scalar(select(Invitation.opened_at).where(Invitation.contact_id == hub.contacts[0].id))


def test_social_landlord_gets_its_own_questions(world, smtp, invite, open_link) -> None:
    invite(world["consultation"], world["orgs"]["Hill Housing"])
    client, location = open_link(smtp.link_for("ann@hh.example"))
    html = client.get(location).get_data(as_text=True)
    assert "What housing issues affect children and families in your homes?" in html


def test_without_a_mail_server_the_email_goes_only_to_the_outbox(world, invite, staff) -> None:
    invite(world["consultation"], world["orgs"]["Youth Voice"])
    rows = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [r.to for r in rows] == ["ann@yv.example", "bob@yv.example"]
    assert all(r.sent_at is None and "/org/i/" in r.body for r in rows)
    outbox = staff("planner@t.example").get("/planner/outbox").get_data(as_text=True)
    assert "ann@yv.example" in outbox and "would have been sent" in outbox


def test_short_notice_is_warned_about_and_recorded(world, staff) -> None:
    consultation = world["consultation"]
    page = staff("planner@t.example").get(f"/planner/consultations/{consultation.id}/invite")
    html = page.get_data(as_text=True)
    # The consultation opened five days ago: no advance notice is possible today.
    assert "0 days&#39; notice" in html or "0 days' notice" in html
    assert "minimum notice is 14 days" in html
    assert "leave 40 days to respond" not in html  # 40 days is more than the 28-day minimum window


def test_a_tampered_unknown_expired_or_replaced_link_is_refused_clearly(world, smtp, invite, app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    link = smtp.link_for("ann@fh.example")
    client = app.test_client()
    tampered = client.get(path_of(link)[:-3] + "AAA")
    assert tampered.status_code == 404 and "We do not recognise this link" in tampered.get_data(as_text=True)
    invitation = db.session.scalars(select(Invitation).where(Invitation.contact_id == hub.contacts[0].id)).one()
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(path_of(link))
    assert expired.status_code == 410 and "This link has expired" in expired.get_data(as_text=True)
    # Inviting again sends a new link; the old one is replaced.
    invitation.expires_at = datetime.now(UTC) + timedelta(days=3)
    db.session.commit()
    invite(consultation, hub)
    old = client.get(path_of(link))
    assert old.status_code == 410 and "This link has been replaced" in old.get_data(as_text=True)
    assert client.get(path_of(smtp.link_for("ann@fh.example"))).status_code == 200


def test_reminders_go_only_to_those_who_have_not_responded(world, smtp, invite, open_link, app) -> None:
    from consult.jobs import enqueue

    consultation = world["consultation"]
    hub, voice = world["orgs"]["Family Hub"], world["orgs"]["Youth Voice"]
    invite(consultation, hub, voice)
    # Youth Voice submits.
    client, location = open_link(smtp.link_for("ann@yv.example"))
    page = client.get(location.rstrip("/") + "/submit")
    client.post(location.rstrip("/") + "/submit", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    # A week passes.
    for inv in db.session.scalars(select(Invitation)):
        inv.sent_at = inv.sent_at - timedelta(days=8)
    db.session.commit()
    before = len(smtp.messages)
    job = enqueue("send_org_reminders", consultation_id=consultation.id, base_url="http://localhost")
    assert job.state == "done" and job.result == {"sent": 2}
    reminders = smtp.messages[before:]
    assert sorted(m["To"] for m in reminders) == ["ann@fh.example", "bob@fh.example"]
    assert all(m["Subject"].strip().startswith("Reminder") for m in reminders)
    # Safe to run again: nobody is reminded twice in a week.
    again = enqueue("send_org_reminders", consultation_id=consultation.id)
    assert again.result == {"sent": 0}
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
    # The reminder's fresh link works.
    _client, location = open_link(smtp.link_for("ann@fh.example"))
    assert "/org/r/" in location


def test_a_contact_opts_out_through_the_link_in_the_email(world, smtp, invite, app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    body = smtp.body(smtp.to("bob@fh.example")[0])
    opt_out = OPT_OUT_RE.search(body).group(0)
    link = smtp.link_for("bob@fh.example")
    client = app.test_client()
    ask = client.get(path_of(opt_out))
    assert ask.status_code == 200 and "bob@fh.example" in ask.get_data(as_text=True)
    assert not db.session.scalar(select(Contact.opted_out).where(Contact.email == "bob@fh.example"))
    done = client.post(path_of(opt_out), data={"csrf_token": csrf_from(ask.get_data(as_text=True))})
    assert "no more emails" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Contact.opted_out).where(Contact.email == "bob@fh.example"))
    assert client.get(path_of(link)).status_code == 410
    # Invited again: only Ann gets an email.
    before = len(smtp.messages)
    invite(consultation, hub)
    assert [m["To"] for m in smtp.messages[before:]] == ["ann@fh.example"]
    # A tampered opt-out link is refused.
    assert client.get(path_of(opt_out) + "x").status_code == 404


def test_an_smtp_failure_is_recorded_not_a_crash(world, staff, app) -> None:
    from tests.conftest import csrf_from

    from .conftest import _free_port

    planner = staff("planner@t.example")
    url = f"/planner/consultations/{world['consultation'].id}/invite"
    token = csrf_from(planner.get(url).get_data(as_text=True))
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nothing listens there
    try:
        page = planner.post(url, data={"csrf_token": token, "org": [str(world["orgs"]["Fire Service"].id)]})
    finally:
        app.config["MAIL_SERVER"] = None
    assert page.status_code == 302
    told = planner.get(page.headers["Location"]).get_data(as_text=True)
    assert "2 emails could not be sent. They are in the outbox with the reason." in told
    rows = db.session.scalars(select(OutboxEmail)).all()
    assert len(rows) == 2 and all(r.error and r.sent_at is None for r in rows)
    assert all("[personal link removed from this copy]" in r.body for r in rows)
