"""Invitations to organisations: personal expiring links, notice, reminders, opt-outs, member status."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update

from .. import clock
from ..extensions import db
from ..labels import org_status_label
from ..models import Consultation, Contact, Invitation, Organisation, Reminder, Response
from ..models._base import utcnow
from .users import hash_token

TOKEN_BYTES = 32
REMINDER_GAP_DAYS = 7


class LinkProblem(Exception):
    """A personal link that cannot be used; ``reason`` is expired, unknown, revoked or closed."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason, self.invitation = reason, invitation


def new_token() -> str:
    """Return a fresh unguessable token for a personal link (only its hash is stored)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def as_date(moment: datetime) -> date:
    """Return the UTC calendar date of a stored moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def notice_days(consultation: Consultation, on: date) -> int:
    """Return the advance notice an invitation sent on ``on`` gives: days before the consultation opens."""
    return max(0, (consultation.opens_on - on).days)


def respond_days(consultation: Consultation, on: date) -> int:
    """Return the time to respond an invitation sent on ``on`` leaves: days from then (or opening) to closing."""
    return max(0, (consultation.closes_on - max(on, consultation.opens_on)).days)


def window_days(consultation: Consultation) -> int:
    """Return how many days the consultation is open for answers."""
    return (consultation.closes_on - consultation.opens_on).days


def is_late(consultation: Consultation, sent_on: date) -> bool:
    """Return True if an invitation sent then gives less notice or less time than the partnership's minimums."""
    partnership = consultation.plan.partnership
    return notice_days(consultation, sent_on) < partnership.min_notice_days or \
        respond_days(consultation, sent_on) < partnership.min_window_days


@dataclass(frozen=True)
class NoticeCheck:
    """Notice and time to respond an invitation sent today would give, and the partnership's minimums."""

    notice_days: int
    respond_days: int
    window_days: int
    min_notice_days: int
    min_window_days: int

    @property
    def short_notice(self) -> bool:
        return self.notice_days < self.min_notice_days

    @property
    def short_window(self) -> bool:
        return self.respond_days < self.min_window_days


def check_notice(consultation: Consultation, on: date | None = None) -> NoticeCheck:
    """Return the notice and time to respond an invitation sent on ``on`` gives, against the minimums."""
    partnership = consultation.plan.partnership
    on = on or clock.today()
    return NoticeCheck(notice_days(consultation, on), respond_days(consultation, on), window_days(consultation),
                       partnership.min_notice_days, partnership.min_window_days)


def link_expiry(consultation: Consultation) -> datetime:
    """Return when links for this consultation stop working: the end of its closing day (UTC)."""
    return datetime.combine(consultation.closes_on + timedelta(days=1), time.min, tzinfo=UTC)


def follow_closing_date(consultation: Consultation) -> int:
    """Move every live invitation's expiry to the consultation's (new) closing day; return how many moved.

    A link "works until the closing date" (the invitation email says so): when a planner extends the
    consultation, links already sent keep working to the new date, and an earlier closing ends them sooner.
    """
    expiry = link_expiry(consultation)
    result = db.session.execute(update(Invitation).where(
        Invitation.consultation_id == consultation.id, Invitation.revoked.is_(False),
        Invitation.expires_at != expiry).values(expires_at=expiry))
    return int(result.rowcount or 0)


def create_invitation(consultation: Consultation, contact: Contact, *, invited_by_id: int | None,
                      sent_at: datetime | None = None) -> tuple[Invitation, str]:
    """Record an invitation for one contact; return it with the token for the link (shown once).

    An earlier invitation for the same contact and consultation is revoked, so only the newest
    link works.
    """
    sent_at = sent_at or utcnow()
    for old in db.session.scalars(select(Invitation).where(Invitation.consultation_id == consultation.id,
                                                           Invitation.contact_id == contact.id,
                                                           Invitation.revoked.is_(False))):
        old.revoked = True
    token = new_token()
    invitation = Invitation(consultation_id=consultation.id, organisation_id=contact.organisation_id,
                            contact_id=contact.id, token_hash=hash_token(token), invited_by_id=invited_by_id,
                            sent_at=sent_at, expires_at=link_expiry(consultation),
                            notice_days=notice_days(consultation, as_date(sent_at)))
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def rotate_token(invitation: Invitation) -> str:
    """Give an invitation a new link (for a reminder); the old link stops working."""
    token = new_token()
    invitation.token_hash = hash_token(token)
    db.session.flush()
    return token


def find_by_token(token: str) -> Invitation | None:
    """Return the invitation whose link carries ``token``, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def usable(invitation: Invitation | None, *, now: datetime | None = None) -> Invitation:
    """Return the invitation if its link may be used now, else raise LinkProblem saying why."""
    if invitation is None:
        raise LinkProblem("unknown")
    if invitation.revoked:
        raise LinkProblem("revoked", invitation)
    expires = invitation.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if (now or utcnow()) >= expires:
        raise LinkProblem("expired", invitation)
    if invitation.contact.removed_at is not None:  # removing revokes the links; this is a second lock
        raise LinkProblem("revoked", invitation)
    if invitation.contact.opted_out:
        raise LinkProblem("opted_out", invitation)
    return invitation


def mark_opened(invitation: Invitation) -> None:
    """Record the first time the link was followed."""
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()
        db.session.flush()


def get_invitation(invitation_id: int) -> Invitation | None:
    """Return an invitation by id."""
    return db.session.get(Invitation, invitation_id)


def invitations_for(consultation_id: int, *, organisation_id: int | None = None) -> list[Invitation]:
    """Return a consultation's invitations, oldest first."""
    q = select(Invitation).where(Invitation.consultation_id == consultation_id).order_by(Invitation.sent_at,
                                                                                         Invitation.id)
    if organisation_id is not None:
        q = q.where(Invitation.organisation_id == organisation_id)
    return list(db.session.scalars(q))


def org_response(consultation_id: int, organisation_id: int) -> Response | None:
    """Return the organisation's response to the consultation (its shared draft), or None."""
    return db.session.scalar(select(Response).where(Response.consultation_id == consultation_id,
                                                    Response.organisation_id == organisation_id,
                                                    Response.status != "withdrawn")
                             .order_by(Response.id.desc()).limit(1))


def opt_out(contact: Contact) -> None:
    """Stop all email to a contact; their open invitations are revoked."""
    contact.opted_out = True
    for inv in db.session.scalars(select(Invitation).where(Invitation.contact_id == contact.id)):
        inv.revoked = True
    db.session.flush()


# ---- member status ---------------------------------------------------------------------------

# no_contact: invited, but every contact has since been removed from the register, so nobody there
# holds a link or gets reminders. The organisation did not opt out.
STATUSES = ["not_invited", "invited", "opened", "no_contact", "drafting", "submitted", "opted_out"]


@dataclass
class OrgStatus:
    """Where one organisation has got to with a consultation."""

    organisation: Organisation
    status: str
    invitations: list[Invitation]
    response: Response | None

    @property
    def first_invited(self) -> datetime | None:
        return min((i.sent_at for i in self.invitations), default=None)

    @property
    def reminders(self) -> list[Reminder]:
        return sorted((r for i in self.invitations for r in i.reminders), key=lambda r: r.sent_at)

    @property
    def quiet(self) -> bool:
        return self.status in ("invited", "opened")

    @property
    def label(self) -> str:
        return org_status_label(self.status)


def org_statuses(consultation: Consultation, organisations: list[Organisation]) -> list[OrgStatus]:
    """Return each organisation's status for the consultation (invited, opened, drafting, ...).

    Contacts removed from the register do not count: an organisation is opted out only if the
    contacts it has now all opted out, and one invited whose contacts were all removed since has
    no contact (it was invited; it did not opt out).
    """
    invitations: dict[int, list[Invitation]] = {}
    for inv in invitations_for(consultation.id):
        invitations.setdefault(inv.organisation_id, []).append(inv)
    responses = {r.organisation_id: r for r in db.session.scalars(
        select(Response).where(Response.consultation_id == consultation.id, Response.organisation_id.is_not(None),
                               Response.status != "withdrawn").order_by(Response.id))}
    out = []
    for org in organisations:
        invs = invitations.get(org.id, [])
        response = responses.get(org.id)
        contacts = [c for c in org.contacts if c.removed_at is None]
        if response is not None and response.status == "submitted":
            status = "submitted"
        elif response is not None and response.answers:
            status = "drafting"
        elif contacts and all(c.opted_out for c in contacts):
            status = "opted_out"
        elif invs and not contacts:
            status = "no_contact"
        elif any(i.opened_at for i in invs):
            status = "opened"
        elif invs:
            status = "invited"
        else:
            status = "not_invited"
        out.append(OrgStatus(org, status, invs, response))
    return out


def quiet_invitations(consultation: Consultation, organisation: Organisation) -> list[Invitation]:
    """Return the organisation's live invitations whose contacts still get email."""
    now = utcnow()
    out = []
    for inv in invitations_for(consultation.id, organisation_id=organisation.id):
        try:
            usable(inv, now=now)
        except LinkProblem:
            continue
        out.append(inv)
    return out


def due_for_reminder(consultation: Consultation, *, now: datetime | None = None,
                     gap_days: int = REMINDER_GAP_DAYS) -> list[Invitation]:
    """Return live invitations of organisations that have not submitted, not reminded in ``gap_days``."""
    now = now or utcnow()
    submitted = set(db.session.scalars(select(Response.organisation_id).where(
        Response.consultation_id == consultation.id, Response.status == "submitted",
        Response.organisation_id.is_not(None))))
    out = []
    for inv in invitations_for(consultation.id):
        if inv.organisation_id in submitted:
            continue
        try:
            usable(inv, now=now)
        except LinkProblem:
            continue
        last = max([inv.sent_at, *(r.sent_at for r in inv.reminders)])
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        if now - last >= timedelta(days=gap_days):
            out.append(inv)
    return out


def record_reminder(invitation: Invitation, *, sent_at: datetime | None = None) -> Reminder:
    """Record that a reminder went to an invitation's contact."""
    reminder = Reminder(invitation_id=invitation.id, sent_at=sent_at or utcnow())
    db.session.add(reminder)
    db.session.flush()
    return reminder
