"""Kiosk mode for shared tablets at events: answers clear on finish and after inactivity."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from ..auth.decorators import public_route
from . import flow
from .views import bp


class KioskForm(FlaskForm):
    """Turn kiosk mode on for this device."""

    start = SubmitField(_l("Use this device as a kiosk"))


class ClearForm(FlaskForm):
    """Clear the answers in progress on this device."""

    clear = SubmitField(_l("Clear my answers from this device"))


@bp.route("/c/<slug>/kiosk", methods=["GET", "POST"])
@public_route
def kiosk(slug: str):  # type: ignore[no-untyped-def]
    """Explain kiosk mode to the member of staff setting up a tablet, and turn it on."""
    try:
        consultation = flow.consultation_or_404(slug)
    except flow.Closed as exc:
        return flow.closed_page(exc.consultation)
    form = KioskForm()
    if form.validate_on_submit():
        flow.clear_state()
        from flask import session

        session[flow.KIOSK_KEY] = slug
        return redirect(url_for("respond.audience", slug=slug), code=303)
    return render_template("respond/kiosk.html", consultation=consultation, form=form,
                           minutes=max(1, flow.kiosk_idle_seconds() // 60))


@bp.route("/c/<slug>/kiosk/clear", methods=["POST"])
@public_route
def kiosk_clear(slug: str):  # type: ignore[no-untyped-def]
    """Forget the answers in progress on this device (after inactivity, or when someone asks)."""
    form = ClearForm()
    if form.validate_on_submit():
        flow.clear_state()
    return redirect(url_for("respond.kiosk_cleared", slug=slug), code=303)


@bp.route("/c/<slug>/kiosk/cleared")
@public_route
def kiosk_cleared(slug: str):  # type: ignore[no-untyped-def]
    """Say the device is ready for the next person."""
    return render_template("respond/kiosk_cleared.html", slug=slug)
