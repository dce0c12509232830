"""Planner views: the consultation list, job progress, and helpers the feature modules share."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from ..auth import roles_required
from ..auth.scope import (
    consultation_or_404 as consultation_or_404,  # the one scoped loader (kept importable here)
)
from ..auth.scope import current_partnership_id, scope_blueprint
from ..data import scope as scope_data
from ..i18n import LANGUAGE_NAMES, action_text
from ..jobs import get_job
from ..labels import ACTION_STATUS_LABELS as ACTION_STATUS_LABELS  # re-exported for the feature modules
from ..labels import AUDIENCE_LABELS, AUDIENCE_SHORT_LABELS, CHANNEL_LABELS, GROUP_LABELS, action_status_label
from ..urls import safe_next

bp = Blueprint("planner", __name__, url_prefix="/planner")
scope_blueprint(bp)  # every id in a planner URL must belong to the signed-in user's partnership



def audience_label(code: str) -> str:
    """Return the translated name of an audience."""
    return str(AUDIENCE_LABELS.get(code, code or _l("Not known")))


def audience_short(code: str) -> str:
    """Return a short name for an audience, for crowded tables."""
    return str(AUDIENCE_SHORT_LABELS.get(code, code))


def channel_label(code: str) -> str:
    """Return the translated name of a channel."""
    return str(CHANNEL_LABELS.get(code, code))


def language_label(code: str) -> str:
    """Return a language's own name."""
    return LANGUAGE_NAMES.get(code, code)


def group_label(code: str) -> str:
    """Return the translated name of a tracked group."""
    return str(GROUP_LABELS.get(code, code))


def area_label(name: str) -> str:
    """Return an area's name, or say it was not given."""
    return name or str(_l("Not given"))


LABELS = {"action_text": action_text, "audience_short": audience_short, "area_label": area_label, "audience_label": audience_label, "channel_label": channel_label, "language_label": language_label,
          "group_label": group_label, "action_status_label": action_status_label}


@bp.context_processor
def planner_context() -> dict:
    """Give planner templates the label helpers."""
    return LABELS


@bp.route("/")
@roles_required("planner", "tsi", "moderator", "safeguarding")
def home():  # type: ignore[no-untyped-def]
    """List the partnership's consultations with their response counts."""
    return render_template("planner/home.html", rows=scope_data.summaries_for(current_partnership_id()))


@bp.route("/jobs/<job_id>")
@roles_required("planner")
def job_status(job_id: str):  # type: ignore[no-untyped-def]
    """Show a background job's progress (HTML, or JSON for the progress bar script)."""
    row = get_job(job_id)
    if row is None:
        abort(404)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(state=row.state, progress=row.progress, message=row.message)
    return render_template("planner/job.html", job=row, done_url=safe_next(request.args.get("next")))
