"""Inviting organisations and reminding them: compose the emails, send them, record what was sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ..data import invitations as inv_data
from ..data.organisations import contacts_of, get_organisation
from ..extensions import db
from ..i18n import localised
from ..jobs import Progress, job
from ..models import Consultation, Contact, Invitation, Organisation, Response
from . import email_templates, mail

OPT_OUT_SALT = "guth-org-opt-out"


def _base_url(base_url: str | None = None) -> str:
    """Where links in these emails point: the configured address (GUTH_BASE_URL), never the Host header."""
    from ..urls import external_base_url

    return (base_url or external_base_url()).rstrip("/")


def _path(endpoint: str, **values: Any) -> str:
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def opt_out_token(contact: Contact) -> str:
    """Return the signed, unguessable value in a contact's opt-out link (works after the invitation ends)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT).dumps(contact.id)


def contact_from_opt_out(value: str) -> Contact | None:
    """Return the contact an opt-out link was made for, or None if it was tampered with."""
    try:
        contact_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT).loads(value)
    except BadSignature:
        return None
    return db.session.get(Contact, contact_id) if isinstance(contact_id, int) else None


def _links(contact: Contact, token: str | None, base: str) -> tuple[str | None, str]:
    link = base + _path("orgs.follow", token=token) if token else None
    return link, base + _path("orgs.opt_out", value=opt_out_token(contact))


def _title(consultation: Consultation) -> str:
    return localised(consultation.title, "en")[0]


def _send_invitation_email(invitation: Invitation, token: str, base: str, *, reminder: bool) -> mail.OutboxEmail:
    consultation = db.session.get(Consultation, invitation.consultation_id)
    assert consultation is not None
    contact, org = invitation.contact, invitation.organisation
    link, opt_out = _links(contact, token, base)
    closes = format_date(consultation.closes_on, "d MMMM yyyy")
    values = {"name": contact.name, "org": org.name, "title": _title(consultation), "closes": closes,
              "link": link, "opt_out": opt_out}
    if reminder:
        subject = _("Reminder: respond for %(org)s to %(title)s", **values)
        opening = _("Dear %(name)s,\n\nThis is a reminder that %(org)s is invited to respond to %(title)s. "
                    "The closing date is %(closes)s.", **values)
    else:
        subject = _("Invitation: respond for %(org)s to %(title)s", **values)
        opening = _("Dear %(name)s,\n\n%(org)s is invited to respond to %(title)s. The council and health board "
                    "must ask organisations like yours, and want your views on the draft plan. "
                    "The closing date is %(closes)s.", **values)
    body = "\n\n".join([
        opening,
        _("Your personal link (do not share it outside your organisation; it works until the closing date):\n"
          "%(link)s", **values),
        _("Colleagues you invite can draft the response with you. One of you submits it for %(org)s.", **values),
        _("If you do not want these emails, follow this link:\n%(opt_out)s", **values),
    ]) + "\n"
    custom = email_templates.compose(org.partnership_id, "reminder" if reminder else "invitation", {
        "name": contact.name, "organisation": org.name, "consultation": values["title"], "closing_date": closes,
        "link": link, "opt_out_link": opt_out})
    if custom is not None:  # the partnership's own wording (consult.services.email_templates)
        subject, body = custom
    return mail.send(to=contact.email, subject=subject, body=body, secrets=(token,), partnership_id=org.partnership_id)


@dataclass
class InviteOutcome:
    """What inviting an organisation did."""

    invited: list[Contact] = field(default_factory=list)
    skipped_opted_out: list[Contact] = field(default_factory=list)
    failed: int = 0


def invite_contact(consultation: Consultation, contact: Contact, *, invited_by_id: int | None,
                   base_url: str | None = None) -> mail.OutboxEmail:
    """Invite one contact: record the invitation and email them their personal link.

    Any earlier link of theirs for the consultation stops working. Return the email as recorded in
    the outbox (its ``error`` says why it could not be sent). A contact who opted out or was removed
    from the register gets nothing (ValueError).
    """
    if contact.opted_out or contact.removed_at is not None:
        raise ValueError("this contact gets no email")
    invitation, token = inv_data.create_invitation(consultation, contact, invited_by_id=invited_by_id)
    return _send_invitation_email(invitation, token, _base_url(base_url), reminder=False)


def invite_organisation(consultation: Consultation, org: Organisation, *, invited_by_id: int | None,
                        base_url: str | None = None) -> InviteOutcome:
    """Invite every contact in the register who still gets email; send each their personal link."""
    outcome = InviteOutcome()
    for contact in contacts_of(org):
        if contact.opted_out:
            outcome.skipped_opted_out.append(contact)
            continue
        sent = invite_contact(consultation, contact, invited_by_id=invited_by_id, base_url=base_url)
        outcome.invited.append(contact)
        outcome.failed += bool(sent.error)
    return outcome


def remind(invitation: Invitation, base_url: str | None = None) -> None:
    """Send one reminder with a fresh personal link (the older link stops working) and record it."""
    token = inv_data.rotate_token(invitation)
    _send_invitation_email(invitation, token, _base_url(base_url), reminder=True)
    inv_data.record_reminder(invitation)


def nudge_organisation(consultation: Consultation, org: Organisation, base_url: str | None = None) -> int:
    """Remind every live invitation of a quiet organisation now; return how many were sent."""
    invitations = inv_data.quiet_invitations(consultation, org)
    for invitation in invitations:
        remind(invitation, base_url)
    return len(invitations)


@job("send_org_reminders")
def send_reminders_job(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Remind organisations that have not submitted (at most one reminder a week each; safe to rerun)."""
    consultation = db.session.get(Consultation, int(params["consultation_id"]))
    if consultation is None:
        return {"sent": 0}
    due = inv_data.due_for_reminder(consultation, gap_days=int(params.get("gap_days", inv_data.REMINDER_GAP_DAYS)))
    base = _base_url()  # never a base_url from the job params: those once came from the Host header
    # Emails are written in a request-like context so translations and links work in a worker too.
    with current_app.test_request_context("/", base_url=base):
        for i, invitation in enumerate(due):
            remind(invitation, base)
            db.session.commit()  # a job: each reminder is stored once its email is out, so a rerun skips it
            progress((i + 1) / len(due), f"{i + 1} of {len(due)}")
    return {"sent": len(due)}


def send_copy(response: Response, submitted_by: Contact, base_url: str | None = None) -> int:
    """Email the organisation's contacts a copy of the response it submitted; return how many."""
    from .org_response import response_copy_text

    org = get_organisation(submitted_by.organisation.partnership_id, submitted_by.organisation_id)
    assert org is not None
    consultation = db.session.get(Consultation, response.consultation_id)
    assert consultation is not None
    text = response_copy_text(response)
    sent = 0
    for contact in contacts_of(org):
        if contact.opted_out:
            continue
        _link, opt_out = _links(contact, None, _base_url(base_url))
        values = {"name": contact.name, "org": org.name, "title": _title(consultation), "by": submitted_by.name,
                  "opt_out": opt_out}
        body = "\n\n".join([
            _("Dear %(name)s,\n\n%(by)s submitted the response from %(org)s to %(title)s. This is your copy.", **values),
            text,
            _("If you do not want these emails, follow this link:\n%(opt_out)s", **values),
        ]) + "\n"
        subject = _("Copy of the response from %(org)s to %(title)s", **values)
        custom = email_templates.compose(org.partnership_id, "confirmation", {
            "name": contact.name, "organisation": org.name, "consultation": values["title"],
            "submitted_by": submitted_by.name, "response": text, "opt_out_link": opt_out})
        if custom is not None:
            subject, body = custom
        mail.send(to=contact.email, subject=subject, body=body, partnership_id=org.partnership_id)
        sent += 1
    return sent
