"""Staff users, passwords and server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import OPERATOR, ROLES, StaffSession, User, UserRole
from ..models._base import utcnow
from . import audit

_hasher = PasswordHasher()
# A real hash to verify against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class UserError(ValueError):
    """A user could not be created or changed as asked; ``code`` says why (views turn it into a message).

    Codes: ``unknown_role`` (``roles`` lists them), ``short_password``, ``email_taken``, ``no_roles``,
    ``own_admin`` (an admin may not take away their own admin role: nobody could give it back).
    """

    _PLAIN = {  # for the command line and logs; pages show their own translated words
        "unknown_role": "Unknown role(s): {roles}. Roles: " + ", ".join(ROLES),
        "short_password": "Password must be at least 10 characters",
        "email_taken": "A user with this email address already exists",
        "no_roles": "Choose at least one role",
        "own_admin": "An admin cannot take away their own admin role",
    }

    def __init__(self, code: str, **details: object) -> None:
        roles = ", ".join(map(str, details.get("roles", ())))  # type: ignore[call-overload]
        super().__init__(self._PLAIN.get(code, code).format(roles=roles))
        self.code = code
        self.details = details


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest used to store tokens and receipt codes."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(*, email: str, name: str, password: str, roles: list[str],
                partnership_id: int | None = None) -> User:
    """Create a staff user with hashed password and roles (not committed)."""
    email = email.strip().lower()
    unknown = [r for r in roles if r not in ROLES and r != OPERATOR]
    if unknown:
        raise UserError("unknown_role", roles=unknown)
    if OPERATOR in roles and (len(set(roles)) > 1 or partnership_id is not None):
        raise UserError("operator_alone")  # an operator belongs to no partnership and holds no other role
    if len(password) < 10:
        raise UserError("short_password")
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise UserError("email_taken")
    user = User(email=email, name=name, password_hash=_hasher.hash(password), partnership_id=partnership_id)
    user.role_rows = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def set_roles(user: User, roles: list[str], *, by_user_id: int | None) -> tuple[list[str], list[str]]:
    """Give a user exactly these roles; return (roles added, roles taken away), each sorted."""
    wanted = list(dict.fromkeys(roles))
    unknown = [r for r in wanted if r not in ROLES]
    if unknown:
        raise UserError("unknown_role", roles=unknown)
    if not wanted:
        raise UserError("no_roles")
    before = set(user.roles)
    if user.id == by_user_id and "admin" in before and "admin" not in wanted:
        raise UserError("own_admin")
    user.role_rows = [row for row in user.role_rows if row.role in wanted]
    user.role_rows.extend(UserRole(role=r) for r in wanted if r not in before)
    db.session.flush()
    return sorted(set(wanted) - before), sorted(before - set(wanted))


def live_sessions(user_id: int) -> list[StaffSession]:
    """Return a user's sessions not ended yet, newest first (some may have gone idle: sign-in checks that)."""
    return list(db.session.scalars(select(StaffSession).where(StaffSession.user_id == user_id,
                                                              StaffSession.revoked.is_(False))
                                   .order_by(StaffSession.last_seen_at.desc(), StaffSession.id.desc())))


def end_one_session(user_id: int, session_id: int, *, by_user_id: int | None) -> bool:
    """End one of a user's sessions (admin action); return False if the user has no such live session."""
    row = db.session.get(StaffSession, session_id)
    if row is None or row.user_id != user_id or row.revoked:
        return False
    row.revoked = True
    audit.record("revoke_session", user_id=by_user_id, object_type="user", object_id=user_id, session=row.id)
    return True


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
        return [u for u in db.session.scalars(q) if OPERATOR not in u.roles]  # operators are no partnership's
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
    """Open a server-side session for a user; return the token for their cookie (the request's unit of work
    stores it)."""
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=hash_token(token), user_id=user.id))
    user.last_login_at = utcnow()
    audit.record("login", user_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()
    return token


def user_for_session(token: str, user_id: int, *, idle: int, absolute: int) -> User | None:
    """Return the user if their session is live (not revoked, idle or too old); touch it.

    Called while Flask-Login loads the user, so it never commits: the touch (and the revocation of a
    session found idle or too old) is stored by the request's unit of work. A request that fails drops
    the touch, which costs nothing, and an expired session is found expired again on the next one.
    """
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == hash_token(token)))
    if row is None or row.revoked or row.user_id != user_id:
        return None
    now = utcnow()
    last_seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=UTC)
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if now - last_seen > timedelta(minutes=idle) or now - created > timedelta(hours=absolute):
        row.revoked = True
        return None
    if now - last_seen > timedelta(seconds=60):  # avoid a write on every request
        row.last_seen_at = now
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def end_session(token: str) -> None:
    """Revoke one session (sign-out)."""
    db.session.execute(
        update(StaffSession).where(StaffSession.token_hash == hash_token(token)).values(revoked=True)
    )


def revoke_sessions(user_id: int, *, by_user_id: int | None) -> int:
    """Revoke every live session of a user (admin action); return how many."""
    result = db.session.execute(
        update(StaffSession).where(StaffSession.user_id == user_id, StaffSession.revoked.is_(False))
        .values(revoked=True)
    )
    audit.record("revoke_sessions", user_id=by_user_id, object_type="user", object_id=user_id)
    return result.rowcount or 0
