"""Traceability: themes × priorities, each priority's evidence, the gaps, and a CSV export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import roles_required
from ..data import trace as data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..services.signed_links import signed_link_required
from .pack import csv_response
from .themes import EmptyForm
from .views import bp, consultation_or_404


@bp.route("/c/<int:consultation_id>/trace")
@roles_required("planner")
def trace(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the themes × priorities matrix and the gaps."""
    consultation = consultation_or_404(consultation_id)
    chosen = ResultFilter.from_args(request.args, consultation)
    conditions = tuple(chosen.clauses())
    return render_template("planner/trace.html", consultation=consultation,
                           matrix=data.matrix(consultation, conditions),
                           gaps=data.gaps(consultation, conditions=conditions), min_count=data.GAP_MIN_COUNT,
                           filter=chosen, choices=filter_choices(consultation), section="trace")


@bp.route("/c/<int:consultation_id>/trace.csv")
@roles_required("planner")
@signed_link_required
def trace_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the matrix as CSV."""
    consultation = consultation_or_404(consultation_id)
    conditions = tuple(ResultFilter.from_args(request.args, consultation).clauses())
    return csv_response(data.csv_rows(consultation, conditions), f"{consultation.slug}-traceability.csv")


@bp.route("/c/<int:consultation_id>/priorities/<int:priority_id>")
@roles_required("planner")
def priority(consultation_id: int, priority_id: int):  # type: ignore[no-untyped-def]
    """Show the themes and quotes that support one priority."""
    consultation = consultation_or_404(consultation_id)
    row = data.get_priority(consultation, priority_id)
    if row is None:
        abort(404)
    return render_template("planner/priority.html", consultation=consultation, priority=row,
                           rows=data.supporting(consultation, row), others=data.not_linked(consultation, row),
                           form=EmptyForm(), section="trace")


_DECISIONS = {"confirm": True, "reject": False, "clear": None}


@bp.route("/c/<int:consultation_id>/priorities/<int:priority_id>/links/<int:theme_id>", methods=["POST"])
@roles_required("planner")
def decide_link(consultation_id: int, priority_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Confirm or reject a theme ↔ priority link, or leave it to the analysis again."""
    consultation = consultation_or_404(consultation_id)
    row = data.get_priority(consultation, priority_id)
    theme = data.get_theme(consultation, theme_id)
    if row is None or theme is None:
        abort(404)
    choice = request.form.get("decision")
    if not EmptyForm().validate_on_submit() or choice not in _DECISIONS:
        abort(400)
    data.decide_link(consultation, theme, row, _DECISIONS[choice], user_id=current_user.id)
    flash({"confirm": _("Linked “%(theme)s” to this priority. The analysis will keep your choice.", theme=theme.name),
           "reject": _("Unlinked “%(theme)s” from this priority. The analysis will keep your choice.", theme=theme.name),
           "clear": _("The analysis decides the link of “%(theme)s” again.", theme=theme.name)}[choice])
    return redirect(url_for("planner.priority", consultation_id=consultation.id, priority_id=row.id), code=303)
