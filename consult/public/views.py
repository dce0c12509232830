"""Public pages: published 'You said, we did' pages, for adults and for children."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file

from forms import picture_path

from ..auth.decorators import public_route
from ..data import consultations
from ..data import public as data
from ..labels import AUDIENCE_LABELS
from .figures import public_count

bp = Blueprint("public", __name__, url_prefix="/results")



@bp.context_processor
def public_context() -> dict:
    """Give public templates the suppression helper and labels."""
    from ..planner.views import action_status_label, action_text

    return {"public_count": public_count, "audience_label": lambda a: str(AUDIENCE_LABELS.get(a, a)),
            "action_status_label": action_status_label, "action_text": action_text}


@bp.route("/")
@public_route
def index():  # type: ignore[no-untyped-def]
    """List published "You said, we did" pages."""
    return render_template("public/index.html", consultations=consultations.published_consultations())


def _page(slug: str, *, quotes: bool) -> data.PublicPage:
    consultation = data.published(slug)
    if consultation is None:
        abort(404)
    return data.page(consultation, quotes=quotes)


@bp.route("/<slug>")
@public_route
def consultation(slug: str):  # type: ignore[no-untyped-def]
    """The adult 'You said, we did' page."""
    return render_template("public/consultation.html", page=_page(slug, quotes=True))


@bp.route("/<slug>/children")
@public_route
def consultation_child(slug: str):  # type: ignore[no-untyped-def]
    """The child-friendly 'You said, we did' page: short words and pictures."""
    return render_template("public/consultation_child.html", page=_page(slug, quotes=False))


@bp.route("/pictures/<name>")
@public_route
def picture(name: str):  # type: ignore[no-untyped-def]
    """Serve one of the shipped pictures."""
    path = picture_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/svg+xml", max_age=86400)
