"""Share a read-only view of the evidence pack: create, list and revoke signed, expiring links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import roles_required
from ..data import share as data
from ..services import share_links
from ..urls import external_url
from .views import bp, consultation_or_404


def _page(consultation, *, made: share_links.Made | None = None, error: str = "", days: str = "7",  # type: ignore[no-untyped-def]
          label: str = "", status: int = 200):
    links = [(link, share_links.state(link)) for link in data.links_for(consultation)]
    return render_template("planner/share.html", consultation=consultation, links=links, made=made, error=error,
                           days=days, label=label, choices=share_links.EXPIRY_DAYS, section="pack",
                           made_url=external_url("shared.view", token=made.token) if made else ""
                           ), status


@bp.route("/c/<int:consultation_id>/share", methods=["GET", "POST"])
@roles_required("planner")
def share_links_page(consultation_id: int):  # type: ignore[no-untyped-def]
    """List the pack's share links; make a new one (its address is shown once, here)."""
    consultation = consultation_or_404(consultation_id)
    if request.method == "GET":
        return _page(consultation)
    days, label = request.form.get("days", ""), request.form.get("label", "")
    if not days.isdecimal() or int(days) not in share_links.EXPIRY_DAYS:
        return _page(consultation, error=_("Choose how long the link works for."), days=days, label=label,
                     status=400)
    if len(label) > 200:
        return _page(consultation, error=_("Enter a name of 200 characters or fewer."), days=days,
                     label=label, status=400)
    made = share_links.make(consultation, days=int(days), user_id=current_user.id, label=label,
                            filter_query=request.form.get("filters", "")[:2000])
    return _page(consultation, made=made, status=201)


@bp.route("/c/<int:consultation_id>/share/<int:link>/revoke", methods=["POST"])
@roles_required("planner")
def share_link_revoke(consultation_id: int, link: int):  # type: ignore[no-untyped-def]
    """Revoke a share link: it stops working at once."""
    consultation = consultation_or_404(consultation_id)
    row = data.get_link(consultation, link)
    if row is None:
        abort(404)
    share_links.revoke(row, user_id=current_user.id)
    flash(_("The link is revoked: anyone who opens it now sees that it has gone."))
    return redirect(url_for("planner.share_links_page", consultation_id=consultation.id), code=303)
