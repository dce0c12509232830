"""Organisations consulted, their contacts, invitations and the TSI's sector response."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import UTCDateTime, created_at_column

ORG_TYPES = [
    "represents",  # represents the interests of people who use services
    "provides",  # provides a children's or related service
    "social_landlord",
    "other_provider",  # other service provider under s.7(1)
    "community_group",
    "private_provider",
]


class Organisation(db.Model):
    """An organisation in the consultee register."""

    __table_args__ = (UniqueConstraint("partnership_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    # Lower-cased, space-folded name used to de-duplicate imports.
    name_key: Mapped[str] = mapped_column(String(300))
    org_type: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(200), default="")
    themes_of_interest: Mapped[list[str]] = mapped_column(JSON, default=list)
    tsi_member: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()

    contacts: Mapped[list[Contact]] = relationship(back_populates="organisation", cascade="all, delete-orphan")


class Contact(db.Model):
    """A person at an organisation who can be invited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(200), default="")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the contact was taken out of the register. A removed contact stays only as a record
    # (named by an invitation, a draft edit, a file or a submission): name kept, address erased.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


class Invitation(db.Model):
    """An invitation for one contact to respond to a consultation for their organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notice_days: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation = relationship("Organisation")
    contact = relationship("Contact")
    reminders: Mapped[list[Reminder]] = relationship(back_populates="invitation", cascade="all, delete-orphan")


class Reminder(db.Model):
    """A reminder sent for an invitation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    sent_at: Mapped[datetime] = created_at_column()

    invitation: Mapped[Invitation] = relationship(back_populates="reminders")


class DraftEdit(db.Model):
    """Who changed which part of an organisation's draft, and when (the co-drafting history)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    value: Mapped[object | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()


class SectorResponse(db.Model):
    """The combined third-sector response assembled by the TSI."""

    __table_args__ = (UniqueConstraint("consultation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()

    points: Mapped[list[SectorPoint]] = relationship(
        back_populates="sector_response", order_by="SectorPoint.position", cascade="all, delete-orphan"
    )


class SectorPoint(db.Model):
    """One point in the sector response, with the organisations that support it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sector_response_id: Mapped[int] = mapped_column(ForeignKey("sector_response.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    supporting_org_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    sector_response: Mapped[SectorResponse] = relationship(back_populates="points")


class OutboxEmail(db.Model):
    """An email Guth sent (or, in the demo, would have sent).

    ``partnership_id`` is the partnership whose business it is: its outbox lists it, no other does
    (an email with none is in nobody's outbox).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    to: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(Text, default="")


class EvidenceFile(db.Model):
    """A small file an organisation attached to its response, stored outside the web root."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    # The name the organisation gave it (shown back to them), and the random name on disk.
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    created_at: Mapped[datetime] = created_at_column()
