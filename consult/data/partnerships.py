"""Partnerships as a deployment operator sets them up: settings, areas, languages and the first planner."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Area, Consultation, Partnership, Plan, PopulationCount, Response, User
from . import audit, users
from .safeguarding import set_contacts

# The settings an operator edits, with the bounds the form and the command both keep to.
SETTING_BOUNDS = {
    "retention_days": (30, 3650),
    "min_notice_days": (0, 180),
    "min_window_days": (1, 365),
    "suppression_threshold": (1, 100),
    "safeguarding_escalate_minutes": (5, 1440),
}
DEFAULTS = {"retention_days": 730, "min_notice_days": 14, "min_window_days": 28, "suppression_threshold": 5,
            "safeguarding_escalate_minutes": 60}


class PartnershipError(ValueError):
    """A partnership could not be saved as asked; ``code`` says why, ``field`` which field (views word it).

    Codes: ``name_taken``, ``no_areas``, ``area_in_use`` (``area`` is its name), ``out_of_range``.
    """

    def __init__(self, code: str, field: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.field, self.details = code, field, details


@dataclass(frozen=True)
class PartnershipRow:
    """A partnership in the operator's list, with how many staff and consultations it has."""

    partnership: Partnership
    staff: int
    consultations: int


def list_partnerships() -> list[PartnershipRow]:
    """Return every partnership by name, with its staff and consultation counts (three queries)."""
    rows = list(db.session.scalars(select(Partnership).order_by(Partnership.name)))
    staff = dict(db.session.execute(select(User.partnership_id, func.count(User.id))
                                    .group_by(User.partnership_id)).all())
    cons = dict(db.session.execute(select(Plan.partnership_id, func.count(Consultation.id))
                                   .join(Consultation, Consultation.plan_id == Plan.id)
                                   .group_by(Plan.partnership_id)).all())
    return [PartnershipRow(p, staff.get(p.id, 0), cons.get(p.id, 0)) for p in rows]


def get(partnership_id: int) -> Partnership | None:
    """Return a partnership by id."""
    return db.session.get(Partnership, partnership_id)


def staff_of(partnership_id: int) -> list[User]:
    """Return a partnership's staff, by email."""
    return list(db.session.scalars(select(User).where(User.partnership_id == partnership_id).order_by(User.email)))


def _code(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                  .decode().lower()).strip("-")[:60] or "area"


def _set_areas(partnership: Partnership, names: list[str]) -> None:
    """Make the partnership's areas these, in this order; keep the rows of areas kept (answers point at them)."""
    by_code = {a.code: a for a in partnership.areas}
    wanted: list[Area] = []
    seen: set[str] = set()
    for name in names:
        code = _code(name)
        if code in seen:
            continue
        seen.add(code)
        row = by_code.get(code) or Area(code=code, name=name)
        row.name, row.position = name, len(wanted)
        wanted.append(row)
    gone = [a for a in partnership.areas if a.code not in seen and a.id is not None]
    for area in gone:
        used = db.session.scalar(select(func.count(Response.id)).where(Response.area_id == area.id)) or 0
        used += db.session.scalar(select(func.count(PopulationCount.id)).where(PopulationCount.area_id == area.id)) or 0
        if used:
            raise PartnershipError("area_in_use", "areas", area=area.name)
    for area in gone:
        db.session.delete(area)
    partnership.areas = wanted


def save_partnership(partnership: Partnership | None = None, *, name: str, local_authority: str, health_board: str,
                     areas: list[str], languages: list[str], safeguarding_contacts: list[str] | None = None,
                     safeguarding_deputies: list[str] | None = None, by_user_id: int | None = None,
                     **settings: int | None) -> Partnership:
    """Create a partnership or change one (not committed); raise PartnershipError.

    ``settings`` are SETTING_BOUNDS' names; a None or missing one keeps its value (a new partnership's default).
    """
    name = " ".join(name.split())
    clash = db.session.scalar(select(Partnership.id).where(func.lower(Partnership.name) == name.lower(),
                                                           Partnership.id != (partnership.id if partnership else 0)))
    if clash is not None:
        raise PartnershipError("name_taken", "name")
    area_names = [" ".join(a.split()) for a in areas if a.strip()]
    if not area_names:
        raise PartnershipError("no_areas", "areas")
    for key, value in settings.items():
        low, high = SETTING_BOUNDS[key]
        if value is not None and not low <= value <= high:
            raise PartnershipError("out_of_range", key, low=low, high=high)
    created = partnership is None
    if partnership is None:
        partnership = Partnership(name=name, local_authority=local_authority, health_board=health_board,
                                  **{k: v for k, v in DEFAULTS.items() if k != "safeguarding_escalate_minutes"})
        db.session.add(partnership)
    partnership.name, partnership.local_authority, partnership.health_board = name, local_authority, health_board
    partnership.languages = ["en", *[lang for lang in dict.fromkeys(languages) if lang != "en"]]
    for key, value in settings.items():
        if value is not None and key != "safeguarding_escalate_minutes":
            setattr(partnership, key, value)
    _set_areas(partnership, area_names)
    db.session.flush()
    minutes = settings.get("safeguarding_escalate_minutes")
    set_contacts(partnership,
                 contacts=partnership.safeguarding_contacts if safeguarding_contacts is None else safeguarding_contacts,
                 deputies=partnership.safeguarding_deputies if safeguarding_deputies is None else safeguarding_deputies,
                 escalate_minutes=minutes if minutes is not None else
                 (partnership.safeguarding_escalate_minutes or DEFAULTS["safeguarding_escalate_minutes"]))
    audit.record("partnership.create" if created else "partnership.change", user_id=by_user_id,
                 object_type="partnership", object_id=partnership.id, areas=len(area_names),
                 languages=partnership.languages)
    return partnership


def create_first_planner(partnership: Partnership, *, name: str, email: str, password: str, admin: bool = True,
                         by_user_id: int | None = None) -> User:
    """Create a planner for the partnership (and its admin, by default), audited; raise users.UserError."""
    roles = ["planner", "admin"] if admin else ["planner"]
    user = users.create_user(email=email, name=name, password=password, roles=roles, partnership_id=partnership.id)
    audit.record("user.create", user_id=by_user_id, object_type="user", object_id=user.id, roles=sorted(roles),
                 partnership=partnership.id, by="operator")
    return user
