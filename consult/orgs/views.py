"""Organisation views."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("orgs", __name__, url_prefix="/org")


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    """Explain how organisations respond: through the personal link in their invitation."""
    return render_template("orgs/index.html")
