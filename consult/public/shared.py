"""A read-only share link: the evidence pack as a public page shows figures, for whoever holds the link."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..auth.decorators import public_route
from ..data import pack as pack_data
from ..data.filters import ResultFilter
from ..errors import render_error
from ..services import pack_export, share_links
from ..uow import commit_now

bp = Blueprint("shared", __name__, url_prefix="/shared")

GONE_TITLE = _l("This link no longer works")
GONE_BODY = _l("The person who shared it has revoked it, or it has expired. Ask them for a new link.")


@bp.route("/<token>")
@public_route
def view(token: str):  # type: ignore[no-untyped-def]
    """Show the pack a share link names, suppressed like a public page; 410 once revoked or expired."""
    verdict, link = share_links.open_link(token)
    if verdict == "bad" or link is None:
        abort(404)
    if verdict == "gone":
        commit_now()  # the audit of a refused opening must outlive the 410's rollback
        body, status = render_error(410, GONE_TITLE, GONE_BODY)
        return body, status, _HEADERS
    chosen = ResultFilter.from_args(MultiDict(parse_qsl(link.filter_query or "")), link.consultation)
    try:
        built = pack_data.build(link.consultation, chosen)
    except pack_data.EmptyConsultation:
        built = None
    tables = pack_export.pack_tables(link.consultation, built, filters=pack_export.filter_labels(
        link.consultation, chosen), result_filter=chosen) if built is not None else None
    return render_template("public/shared.html", tables=tables, link=link), 200, _HEADERS


# The token is in the address: no page it leads to learns it, no cache or search engine keeps it.
_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}  # Referrer-Policy: same-origin (security.py)
