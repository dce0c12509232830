"""Respondent pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..data import consultations

bp = Blueprint("respond", __name__)


@bp.route("/")
def start():  # type: ignore[no-untyped-def]
    """Show the consultations open now."""
    return render_template("respond/start.html", consultations=consultations.open_consultations())
