"""Planner views."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template

from ..auth import roles_required
from ..data import consultations
from ..jobs import get_job

bp = Blueprint("planner", __name__, url_prefix="/planner")


@bp.route("/")
@roles_required("planner", "tsi", "moderator", "safeguarding")
def home():  # type: ignore[no-untyped-def]
    """List the partnership's consultations with their response counts."""
    return render_template("planner/home.html", rows=consultations.consultation_summaries())


@bp.route("/jobs/<job_id>")
@roles_required("planner")
def job_status(job_id: str):  # type: ignore[no-untyped-def]
    """Show a background job's progress (HTML, or JSON for the progress bar script)."""
    row = get_job(job_id)
    if row is None:
        abort(404)
    from flask import request

    if request.accept_mimetypes.best == "application/json":
        return jsonify(state=row.state, progress=row.progress, message=row.message)
    return render_template("planner/job.html", job=row)
