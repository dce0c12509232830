"""Staff users, passwords and server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import ROLES, StaffSession, User, UserRole
from ..models._base import utcnow
from . import audit

_hasher = PasswordHasher()
# A real hash to verify against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class UserError(ValueError):
    """A user could not be created as asked."""


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest used to store tokens and receipt codes."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(*, email: str, name: str, password: str, roles: list[str],
                partnership_id: int | None = None) -> User:
    """Create a staff user with hashed password and roles (not committed)."""
    email = email.strip().lower()
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UserError(f"Unknown role(s): {', '.join(unknown)}. Roles: {', '.join(ROLES)}")
    if len(password) < 10:
        raise UserError("Password must be at least 10 characters")
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise UserError(f"A user with email {email} already exists")
    user = User(email=email, name=name, password_hash=_hasher.hash(password), partnership_id=partnership_id)
    user.role_rows = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def get_user(user_id: int) -> User | None:
    """Return a user by id."""
    return db.session.get(User, user_id)


def list_users(*, partnership_id: int | None = None) -> list[User]:
    """Return every staff user, by email; only one partnership's if given (staff with none count as the
    server's only partnership's)."""
    q = select(User).order_by(User.email)
    if partnership_id is not None:
        from .scope import default_partnership_id

        if partnership_id == default_partnership_id():
            q = q.where((User.partnership_id == partnership_id) | User.partnership_id.is_(None))
        else:
            q = q.where(User.partnership_id == partnership_id)
    return list(db.session.scalars(q))


def count_users() -> int:
    """Return how many staff users exist."""
    return db.session.scalar(select(func.count(User.id))) or 0


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this email and password, or None."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    return user


def start_session(user: User) -> str:
    """Open a server-side session for a user; return the token for their cookie. Commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=hash_token(token), user_id=user.id))
    user.last_login_at = utcnow()
    audit.record("login", user_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()
    return token


def user_for_session(token: str, user_id: int, *, idle: int, absolute: int) -> User | None:
    """Return the user if their session is live (not revoked, idle or too old); touch it."""
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == hash_token(token)))
    if row is None or row.revoked or row.user_id != user_id:
        return None
    now = utcnow()
    last_seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=UTC)
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if now - last_seen > timedelta(minutes=idle) or now - created > timedelta(hours=absolute):
        row.revoked = True
        db.session.commit()
        return None
    if now - last_seen > timedelta(seconds=60):  # avoid a write on every request
        row.last_seen_at = now
        db.session.commit()
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def end_session(token: str) -> None:
    """Revoke one session (sign-out). Commits."""
    db.session.execute(
        update(StaffSession).where(StaffSession.token_hash == hash_token(token)).values(revoked=True)
    )
    db.session.commit()


def revoke_sessions(user_id: int, *, by_user_id: int | None) -> int:
    """Revoke every live session of a user (admin action); return how many. Commits."""
    result = db.session.execute(
        update(StaffSession).where(StaffSession.user_id == user_id, StaffSession.revoked.is_(False))
        .values(revoked=True)
    )
    audit.record("revoke_sessions", user_id=by_user_id, object_type="user", object_id=user_id)
    db.session.commit()
    return result.rowcount or 0
