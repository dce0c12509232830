"""Read-only share links: signed, expiring, revocable, audited.

A link's token is 32 random bytes, signed with the app's secret (itsdangerous), so a made-up or altered
link is refused before the database is asked. Only the token's SHA-256 is stored: a copy of the database
cannot rebuild a working link. A link shows the consultation's pack as a public page shows figures
(suppressed by the one rule), never answers, and every opening is written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..data import audit
from ..data import share as data
from ..models import Consultation, ShareLink
from ..models._base import as_utc, utcnow

SALT = "guth-share-link"
EXPIRY_DAYS = (1, 7, 30, 90)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class Made:
    """A new link and its token (shown once: it is not stored)."""

    link: ShareLink
    token: str


def make(consultation: Consultation, *, days: int, user_id: int | None, filter_query: str = "",
         label: str = "") -> Made:
    """Create a share link for the consultation's pack, working for `days` days (one of EXPIRY_DAYS)."""
    if days not in EXPIRY_DAYS:
        raise ValueError("days")
    raw = secrets.token_urlsafe(32)
    link = data.create_link(consultation, token_hash=_hash(raw), expires_at=utcnow() + timedelta(days=days),
                            created_by=user_id, filter_query=filter_query, label=label.strip()[:200])
    audit.record("share_link.created", user_id=user_id, object_type="share_link", object_id=link.id,
                 consultation_id=consultation.id, days=days)
    return Made(link, _serializer().dumps(raw))


def revoke(link: ShareLink, *, user_id: int | None) -> None:
    """Revoke a link: it stops working at once."""
    data.revoke(link)
    audit.record("share_link.revoked", user_id=user_id, object_type="share_link", object_id=link.id,
                 consultation_id=link.consultation_id)


def state(link: ShareLink) -> str:
    """Return "active", "expired" or "revoked"."""
    if link.revoked_at is not None:
        return "revoked"
    if as_utc(link.expires_at) <= utcnow():
        return "expired"
    return "active"


def open_link(token: str) -> tuple[str, ShareLink | None]:
    """Return ("ok" | "gone" | "bad", link) for a token from a URL; record each opening of a real link."""
    try:
        raw = _serializer().loads(token)
    except BadSignature:
        return "bad", None
    if not isinstance(raw, str):
        return "bad", None
    link = data.by_token_hash(_hash(raw))
    if link is None:
        return "bad", None
    verdict = state(link)
    audit.record("share_link.opened", user_id=None, object_type="share_link", object_id=link.id,
                 consultation_id=link.consultation_id, outcome=verdict)
    return ("ok" if verdict == "active" else "gone"), link

