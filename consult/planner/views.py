"""Planner views: the consultation list, job progress, and helpers the feature modules share."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from ..auth import roles_required
from ..auth.scope import current_partnership_id, scope_blueprint
from ..data import scope as scope_data
from ..i18n import LANGUAGE_NAMES
from ..jobs import get_job
from ..labels import AUDIENCE_LABELS, CHANNEL_LABELS, GROUP_LABELS
from ..models import Consultation
from ..urls import safe_next

bp = Blueprint("planner", __name__, url_prefix="/planner")
scope_blueprint(bp)  # every id in a planner URL must belong to the signed-in user's partnership

AUDIENCE_SHORT = {
    "child_5_8": _l("Age 5–8"), "child_8_11": _l("Age 8–11"), "young_12_17": _l("Age 12–17"),
    "parent_carer": _l("Parents"), "organisation": _l("Organisations"), "social_landlord": _l("Landlords"),
    "other_provider": _l("Other services"),
}
ACTION_STATUS_LABELS = {"done": _l("Done"), "will_do": _l("We will do this"), "cannot_do": _l("We cannot do this")}


def audience_label(code: str) -> str:
    """Return the translated name of an audience."""
    return str(AUDIENCE_LABELS.get(code, code or _l("Not known")))


def audience_short(code: str) -> str:
    """Return a short name for an audience, for crowded tables."""
    return str(AUDIENCE_SHORT.get(code, code))


def channel_label(code: str) -> str:
    """Return the translated name of a channel."""
    return str(CHANNEL_LABELS.get(code, code))


def language_label(code: str) -> str:
    """Return a language's own name."""
    return LANGUAGE_NAMES.get(code, code)


def group_label(code: str) -> str:
    """Return the translated name of a tracked group."""
    return str(GROUP_LABELS.get(code, code))


def action_status_label(code: str) -> str:
    """Return the translated name of an action's status."""
    return str(ACTION_STATUS_LABELS.get(code, code))


def area_label(name: str) -> str:
    """Return an area's name, or say it was not given."""
    return name or str(_l("Not given"))


def action_text(action, register: str = "adult", lang: str | None = None) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """Return an action's text in a register ("adult" or "child") and language, and whether it fell back."""
    from ..i18n import localised

    return localised({k: v.get(register, "") for k, v in (action.texts or {}).items() if v.get(register)}, lang)


LABELS = {"action_text": action_text, "audience_short": audience_short, "area_label": area_label, "audience_label": audience_label, "channel_label": channel_label, "language_label": language_label,
          "group_label": group_label, "action_status_label": action_status_label}


@bp.context_processor
def planner_context() -> dict:
    """Give planner templates the label helpers."""
    return LABELS


def consultation_or_404(consultation_id: int) -> Consultation:
    """Return the signed-in user's partnership's consultation, or stop with 404."""
    row = scope_data.consultation_for(current_partnership_id(), consultation_id)
    if row is None:
        abort(404)
    return row


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
