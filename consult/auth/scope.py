"""Partnership scoping for staff routes: an id in the URL from another partnership is a 404.

Every staff blueprint (planner, tsi, admin) registers ``scope_url_values`` as its
url_value_preprocessor. Before any view runs, each known id parameter in the URL
(consultation_id, theme_id, answer_id, org_id, flag_id, job_id, user_id … see
consult.data.scope) is resolved to the partnership that owns it; if that is not the signed-in
member of staff's partnership, or the object does not exist, the request ends with 404 as if the
object did not exist. Admins are scoped to their partnership too. A new route with a new kind of
id must add its resolver to consult.data.scope, or the request fails loudly (KeyError → 500 in
tests) rather than leaking.

Views load what they act on through the one scoped loader here: ``consultation_or_404``,
``organisation_or_404`` and ``partnership_or_404`` return the signed-in user's partnership's object
or end the request with 404 (an id out of range, another partnership's or none at all look the same).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, current_app
from flask_login import current_user

from ..data import scope as data

if TYPE_CHECKING:
    from ..models import Consultation, Organisation, Partnership
from .decorators import access_of

_ID_PARAM = re.compile(r"(^|_)(id|cid|rid)$")


def current_partnership_id() -> int | None:
    """Return the signed-in member of staff's partnership (None if signed out or belonging to none)."""
    if not current_user.is_authenticated:
        return None
    return data.partnership_of_user(current_user)


def partnership_or_404() -> Partnership:
    """Return the signed-in member of staff's partnership, or stop with 404."""
    row = data.partnership_for(current_partnership_id())
    if row is None:
        abort(404)
    return row


def consultation_or_404(consultation_id: object) -> Consultation:
    """Return the signed-in user's partnership's consultation with this id, or stop with 404."""
    row = data.consultation_for(current_partnership_id(), consultation_id)
    if row is None:
        abort(404)
    return row


def organisation_or_404(org_id: object, *, tsi_members_only: bool = False) -> Organisation:
    """Return the signed-in user's partnership's organisation with this id, or stop with 404.

    ``tsi_members_only``: only an organisation the Third Sector Interface coordinates will do.
    """
    row = data.organisation_for(current_partnership_id(), org_id)
    if row is None or (tsi_members_only and not row.tsi_member):
        abort(404)
    return row


def scope_url_values(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Abort with 404 unless every id in the URL belongs to the signed-in user's partnership."""
    if not values or not current_user.is_authenticated or not _let_in(endpoint):
        return  # signed out or the wrong role: the view's own declaration answers (sign in, 403 or 404)
    mine = current_partnership_id()
    for param, value in values.items():
        if param not in data.SCOPED_PARAMS:
            if _ID_PARAM.search(param):
                raise KeyError(f"{endpoint}: no partnership resolver for URL parameter {param!r} "
                               "(add one to consult.data.scope)")
            continue
        owner = data.owner_of(param, value)
        if owner == data.NOWHERE or owner != mine:
            abort(404)  # (staff of no partnership reach only other staff of none: a new server's first admin)


def _let_in(endpoint: str | None) -> bool:
    """Return True if the view's access declaration lets the signed-in user in (so scoping decides next)."""
    kind, roles = access_of(current_app.view_functions.get(endpoint or "", _nothing))
    if kind == "roles":
        return bool(current_user.has_role(*roles))
    if kind == "safeguarding":
        return "safeguarding" in current_user.roles
    return True


def _nothing() -> None:
    return None


def scope_blueprint(bp: Blueprint) -> None:
    """Check the partnership of every id in this blueprint's URLs before its views run."""
    bp.url_value_preprocessor(scope_url_values)
