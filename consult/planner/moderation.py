"""The moderator's queue: quotes people allowed, waiting for approval before anything is published."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import audit
from ..data import scope as scope_data
from ..data import themes as data
from ..urls import parse_id
from .themes import EmptyForm
from .views import bp


@bp.route("/moderation", methods=["GET", "POST"])
@roles_required("moderator")
def moderation():  # type: ignore[no-untyped-def]
    """List pending quotes; approve or reject one."""
    form = EmptyForm()
    if request.method == "POST":
        decision = request.form.get("decision")
        answer_id = parse_id(request.form.get("answer", ""))
        if not form.validate_on_submit() or decision not in ("approve", "reject"):
            abort(400)
        if answer_id is None or scope_data.owner_of("answer_id", answer_id) != current_partnership_id():
            abort(404)
        answer = data.moderate_quote(answer_id, approve=decision == "approve")
        if answer is None:
            abort(404)
        audit.record(f"quote.{decision}d", user_id=current_user.id, object_type="answer", object_id=answer.id)
        flash(_("Quote approved.") if decision == "approve" else _("Quote rejected."))
        return redirect(url_for("planner.moderation"), code=303)
    return render_template("planner/moderation.html", rows=data.moderation_queue(partnership_id=current_partnership_id() or 0), form=form)
