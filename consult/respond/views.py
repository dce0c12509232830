"""Respondent pages: the blueprint and the list of open consultations.

Feature modules (audience, form_mode, chat, check, receipt, privacy, kiosk, pictures) add their
routes to ``bp``; shared helpers live in ``flow``.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.decorators import public_route
from ..data import consultations

bp = Blueprint("respond", __name__)


@bp.route("/")
@public_route
def start():  # type: ignore[no-untyped-def]
    """Show the consultations open now."""
    return render_template("respond/start.html", consultations=consultations.open_consultations())


@bp.context_processor
def respondent_context() -> dict:
    """Tell respondent pages whether this device is a kiosk (they add the clear-answers form)."""
    from .flow import kiosk_idle_seconds, kiosk_slug

    return {"kiosk_slug": kiosk_slug(), "kiosk_idle": kiosk_idle_seconds()}
