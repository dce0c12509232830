"""TSI views."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth import roles_required
from ..data import consultations

bp = Blueprint("tsi", __name__, url_prefix="/tsi")


@bp.route("/")
@roles_required("tsi")
def home():  # type: ignore[no-untyped-def]
    """The TSI coordinator's home: consultations to coordinate."""
    return render_template("tsi/home.html", rows=consultations.consultation_summaries())
