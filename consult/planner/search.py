"""Search across the redacted answers: a query box, the results filters, paged results to code in bulk."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..auth import roles_required
from ..data import search as data
from ..data import themes as theme_data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..i18n import current_language
from ..models import Answer
from .coding import bulk_form
from .views import bp, consultation_or_404

SEARCH_ERRORS = {
    "empty": _l("Enter a word to search for, like bus or park"),
    "long": _l("Search for %(n)s characters or fewer", n=data.MAX_QUERY_CHARS),
}


def _filters(consultation, args: MultiDict):  # type: ignore[no-untyped-def]
    """Return the results filter named in the query, and what the filter form offers."""
    return ResultFilter.from_args(args, consultation), filter_choices(consultation)


def search_page(consultation, args: MultiDict, *, bulk=None, ticked=(), status: int = 200):  # type: ignore[no-untyped-def]
    """Render the search page for these query arguments (the bulk form's errors and ticks, if given)."""
    query = args.get("q", "")
    page_number = args.get("page", "1")
    page = int(page_number) if page_number.isascii() and page_number.isdigit() and len(page_number) < 7 else 1
    chosen, offered = _filters(consultation, args)
    # ?question=CORE_ID (from the results page): that question's answers, with or without words to look for.
    core_id = args.get("question", "")
    question = data.question_text(consultation, core_id, current_language()) if 0 < len(core_id) <= 64 else None
    conditions = tuple(chosen.clauses()) + ((Answer.core_id == core_id,) if question is not None else ())
    error, results = None, None
    if query.strip() or question is not None:
        try:
            results = data.search_answers(consultation, query if query.strip() else None, conditions=conditions,
                                           page=max(1, page))
        except data.SearchError as exc:
            error = str(SEARCH_ERRORS[str(exc)])
            status = 400 if status == 200 else status
    kept = [(k, v) for k, v in args.items(multi=True) if k not in ("page", "csrf_token")
            and (k != "question" or question is not None)]
    here = request.path + ("?" + urlencode(kept + [("page", str(results.page))]) if results else "")
    names = {t.id: t.name for t in theme_data.themes_for(consultation, statuses=("active", "proposed", "merged"))}
    without_question = [(k, v) for k, v in kept if k != "question"]
    return render_template("planner/search.html", consultation=consultation, query=query, error=error,
                           question=question, question_id=core_id if question is not None else None,
                           without_question=without_question, results=results, filter=chosen, choices=offered, names=names, kept=kept, here=here,
                           bulk=bulk or bulk_form(consultation), ticked=set(ticked),
                           section="search"), status


@bp.route("/c/<int:consultation_id>/search")
@roles_required("planner")
def search(consultation_id: int):  # type: ignore[no-untyped-def]
    """Search the consultation's answers for words, with the results filters; tick answers to code them."""
    consultation = consultation_or_404(consultation_id)
    return search_page(consultation, request.args)
