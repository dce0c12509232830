"""Results by question: a chart and a table for every structured question, themes for free text, filtered."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..auth import roles_required
from ..data import results as data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..i18n import current_language
from ..services.suppression import public_count, threshold_for
from .views import bp, consultation_or_404


@bp.route("/c/<int:consultation_id>/results")
@roles_required("planner")
def results(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show every question's answers by audience, filtered by the URL's query; ?view=published suppresses them."""
    consultation = consultation_or_404(consultation_id)
    chosen = ResultFilter.from_args(request.args, consultation)
    published = request.args.get("view") == "published"
    canonical = {**chosen.to_query(), **({"view": "published"} if published else {})}
    if request.args.to_dict() != canonical:  # the form's empty choices, or values ignored: a clean address to keep
        return redirect(url_for("planner.results", consultation_id=consultation.id, **canonical))
    return render_template("planner/results.html", consultation=consultation, filter=chosen,
                           choices=filter_choices(consultation),
                           summaries=data.summaries(consultation, chosen, lang=current_language()),
                           published=published, threshold=threshold_for(consultation.plan.partnership),
                           public_count=public_count,
                           section="results")
