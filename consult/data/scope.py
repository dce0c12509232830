"""Which partnership owns an object named in a URL: one place that answers it for every staff route.

``owner_of(param, value)`` takes a URL parameter name (``consultation_id``, ``theme_id``, ``org_id`` …)
and its value and returns the owning partnership's id, or ``None`` if there is no such object. The
staff blueprints call it for every id in the URL (consult.auth.scope) and answer 404 when the
owner is not the signed-in user's partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select

from ..extensions import db
from ..models import (
    Action,
    Answer,
    Consultation,
    Contact,
    Invitation,
    Job,
    Organisation,
    Partnership,
    Plan,
    Priority,
    Response,
    SafeguardingFlag,
    ShareLink,
    Theme,
    User,
)

NOWHERE = -1  # owner_of's answer for an object that does not exist (no partnership has this id)
MAX_ID = 2**31 - 1  # larger ids overflow PostgreSQL's integer columns: treat them as not found (the one spelling)


def as_id(value: object) -> int | None:
    """Return value as a database id (an int, or a string of ASCII digits, from 1 to MAX_ID), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if 0 < number <= MAX_ID else None
    return None


def _consultation(cid: int) -> Select:
    return select(Plan.partnership_id).join(Consultation, Consultation.plan_id == Plan.id).where(Consultation.id == cid)


def _via_consultation(model: Any) -> Callable[[int], Select]:
    def query(oid: int) -> Select:
        return (select(Plan.partnership_id).join(Consultation, Consultation.plan_id == Plan.id)
                .join(model, model.consultation_id == Consultation.id).where(model.id == oid))

    return query


def _via_response(model: Any) -> Callable[[int], Select]:
    def query(oid: int) -> Select:
        return (select(Plan.partnership_id).join(Consultation, Consultation.plan_id == Plan.id)
                .join(Response, Response.consultation_id == Consultation.id)
                .join(model, model.response_id == Response.id).where(model.id == oid))

    return query


def _response(rid: int) -> Select:
    return (select(Plan.partnership_id).join(Consultation, Consultation.plan_id == Plan.id)
            .join(Response, Response.consultation_id == Consultation.id).where(Response.id == rid))


def _contact(contact_id: int) -> Select:
    return (select(Organisation.partnership_id).join(Contact, Contact.organisation_id == Organisation.id)
            .where(Contact.id == contact_id))


_QUERIES: dict[str, Callable[[int], Select]] = {
    "consultation_id": _consultation,
    "cid": _consultation,
    "theme_id": _via_consultation(Theme),
    "action_id": _via_consultation(Action),
    "invitation_id": _via_consultation(Invitation),
    "response_id": _response,
    "rid": _response,
    "answer_id": _via_response(Answer),
    "flag_id": _via_response(SafeguardingFlag),
    "priority_id": lambda oid: select(Plan.partnership_id).join(Priority, Priority.plan_id == Plan.id)
    .where(Priority.id == oid),
    "plan_id": lambda oid: select(Plan.partnership_id).where(Plan.id == oid),
    "org_id": lambda oid: select(Organisation.partnership_id).where(Organisation.id == oid),
    "organisation_id": lambda oid: select(Organisation.partnership_id).where(Organisation.id == oid),
    "contact_id": _contact,
    "partnership_id": lambda oid: select(Partnership.id).where(Partnership.id == oid),
    "link": _via_consultation(ShareLink),
}
SCOPED_PARAMS = frozenset({*_QUERIES, "user_id", "job_id"})
# URL parameters that name no row on their own: an audience code, a language, a question's core id inside
# the consultation the same URL names, an email kind, a plan year. The ids beside them are scoped.
UNSCOPED_WORDS = frozenset({"audience", "lang", "core", "kind", "year"})


def default_partnership_id() -> int | None:
    """Return the partnership of staff who have none recorded: the server's only partnership, if it has one.

    On a server with several partnerships a user without one belongs to none (and sees nothing).
    """
    ids = list(db.session.scalars(select(Partnership.id).order_by(Partnership.id).limit(2)))
    return ids[0] if len(ids) == 1 else None


def partnership_of_user(user: User) -> int | None:
    """Return the partnership a member of staff works for (a deployment operator works for none)."""
    if "operator" in user.roles:
        return None
    return user.partnership_id if user.partnership_id is not None else default_partnership_id()


def owner_of(param: str, value: Any) -> int | None:
    """Return the id of the partnership that owns the object a URL parameter names; NOWHERE if there is
    no such object; None for a member of staff who belongs to no partnership (see partnership_of_user)."""
    if param == "job_id":
        return _job_owner(str(value))
    if param == "user_id":
        if not isinstance(value, int) or as_id(value) is None:
            return NOWHERE
        user = db.session.get(User, value)
        return partnership_of_user(user) if user is not None else NOWHERE
    query = _QUERIES.get(param)
    if query is None:
        raise KeyError(param)
    oid = as_id(value)
    if oid is None:
        return NOWHERE
    owner = db.session.scalar(query(oid))
    return NOWHERE if owner is None else owner


def _job_owner(job_id: str) -> int | None:
    row = db.session.get(Job, job_id[:64])
    if row is None:
        return NOWHERE
    params = row.params or {}
    owners = set()
    if "partnership_id" in params:
        owners.add(params["partnership_id"] if isinstance(params["partnership_id"], int) else None)
    if "consultation_id" in params:
        owners.add(owner_of("consultation_id", params["consultation_id"]))
    if len(owners) != 1 or None in owners:
        return NOWHERE  # a job for no partnership (the nightly retention run), or a confused one: shown to no one
    return owners.pop()


def partnership_for(partnership_id: int | None) -> Partnership | None:
    """Return the partnership with this id, or None."""
    return db.session.get(Partnership, partnership_id) if partnership_id is not None else None


def consultation_for(partnership_id: int | None, consultation_id: object) -> Consultation | None:
    """Return the consultation if it belongs to the partnership, else None (ids out of range too)."""
    cid = as_id(consultation_id)
    if partnership_id is None or cid is None or owner_of("consultation_id", cid) != partnership_id:
        return None
    return db.session.get(Consultation, cid)


def organisation_for(partnership_id: int | None, org_id: object) -> Organisation | None:
    """Return the organisation if it belongs to the partnership, else None (ids out of range too)."""
    oid = as_id(org_id)
    org = db.session.get(Organisation, oid) if partnership_id is not None and oid is not None else None
    return org if org is not None and org.partnership_id == partnership_id else None


def summaries_for(partnership_id: int | None) -> list:
    """Return the partnership's consultations with their response counts (see consultation_summaries)."""
    from .consultations import consultation_summaries

    if partnership_id is None:
        return []
    mine = set(db.session.scalars(select(Consultation.id).join(Plan, Consultation.plan_id == Plan.id)
                                  .where(Plan.partnership_id == partnership_id)))
    return [row for row in consultation_summaries() if row.consultation.id in mine]
