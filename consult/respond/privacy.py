"""A privacy notice for each age band, in plain words."""

from __future__ import annotations

from flask import abort, render_template

from forms import AUDIENCES

from ..auth.decorators import public_route
from .views import bp

BANDS = {"child_5_8": "young", "child_8_11": "child", "young_12_17": "teen"}


@bp.route("/privacy/<audience>")
@public_route
def privacy(audience: str):  # type: ignore[no-untyped-def]
    """Show the privacy notice written for this audience."""
    if audience not in AUDIENCES:
        abort(404)
    return render_template("respond/privacy.html", band=BANDS.get(audience, "adult"), audience=audience)
