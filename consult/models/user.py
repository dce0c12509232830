"""Staff users, their roles, sessions and the audit log."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import UTCDateTime, created_at_column

ROLES = ["admin", "planner", "tsi", "safeguarding", "moderator"]
# A deployment operator sets up partnerships on one Guth. The role belongs to no partnership, is held alone,
# is never implied by admin and cannot be given from a partnership's staff page: operators see no answers.
OPERATOR = "operator"


class User(UserMixin, db.Model):
    """A member of staff who signs in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> set[str]:
        """Return the names of this user's roles."""
        return {r.role for r in self.role_rows}

    def has_role(self, *names: str) -> bool:
        """Return True if the user holds any of the named roles (admins hold them all but safeguarding)."""
        held = self.roles
        return any(n in held for n in names) or ("admin" in held and not {"safeguarding", OPERATOR} & set(names))

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active


class UserRole(db.Model):
    """A role held by a user."""

    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))


class StaffSession(db.Model):
    """A signed-in staff session, stored server-side so it can expire and be revoked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = created_at_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(db.Model):
    """Something a member of staff did that must be accountable; never holds answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
