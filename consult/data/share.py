"""Share links: store (a token's hash only), list, revoke, and find one by its token's hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Consultation, ShareLink
from ..models._base import utcnow


def create_link(consultation: Consultation, *, token_hash: str, expires_at: datetime, created_by: int | None,
                target: str = "pack", filter_query: str = "", label: str = "") -> ShareLink:
    """Add a share link (flushed, so it has an id; committed with the request)."""
    link = ShareLink(consultation_id=consultation.id, token_hash=token_hash, target=target,
                     filter_query=filter_query, label=label, expires_at=expires_at, created_by=created_by)
    db.session.add(link)
    db.session.flush()
    return link


def links_for(consultation: Consultation) -> list[ShareLink]:
    """Return the consultation's share links, newest first."""
    return list(db.session.scalars(select(ShareLink).where(ShareLink.consultation_id == consultation.id)
                                   .order_by(ShareLink.id.desc())))


def get_link(consultation: Consultation, link_id: int) -> ShareLink | None:
    """Return one of the consultation's share links, or None."""
    link = db.session.get(ShareLink, link_id)
    return link if link is not None and link.consultation_id == consultation.id else None


def revoke(link: ShareLink) -> ShareLink:
    """Revoke a link now (revoking twice keeps the first time)."""
    if link.revoked_at is None:
        link.revoked_at = utcnow()
    return link


def by_token_hash(token_hash: str) -> ShareLink | None:
    """Return the link with this token hash, or None."""
    return db.session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash))
