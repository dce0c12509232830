"""Who is answering (in words a child understands), then how: chat or form, and easy read."""

from __future__ import annotations

import time

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.validators import InputRequired

from forms import AUDIENCE_LABELS

from ..auth.decorators import public_route
from ..data import consultations, responses
from ..extensions import db
from ..i18n import current_language
from ..labels import MODE_LABELS
from ..security import HoneypotMixin, submission_limit
from . import flow
from .views import bp


class AudienceForm(HoneypotMixin, FlaskForm):
    """Who is answering."""

    audience = RadioField(_l("Who is answering?"), validators=[InputRequired(_l("Choose who is answering"))])
    continue_ = SubmitField(_l("Continue"))


class HowForm(HoneypotMixin, FlaskForm):
    """Chat or form mode, and easy read."""

    mode = RadioField(_l("How would you like to answer?"), choices=[(k, v) for k, v in MODE_LABELS.items()],
                      validators=[InputRequired(_l("Choose chat or form"))])
    easy_read = BooleanField(_l("Easy read: short sentences and a picture for each question"))
    start = SubmitField(_l("Start"))


def _audience_choices(consultation) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    return [(v.audience, AUDIENCE_LABELS.get(v.audience, v.audience)) for v in consultation.variants]


@bp.route("/c/<slug>/", methods=["GET", "POST"])
@public_route
def audience(slug: str):  # type: ignore[no-untyped-def]
    """Ask who is answering, then go to that audience's variant."""
    try:
        consultation = flow.consultation_or_404(slug)
    except flow.Closed as exc:
        return flow.closed_page(exc.consultation)
    form = AudienceForm()
    form.audience.choices = _audience_choices(consultation)
    if form.validate_on_submit():
        return redirect(url_for("respond.how", slug=slug, audience=form.audience.data), code=303)
    return render_template("respond/audience.html", consultation=consultation, form=form)


@bp.route("/c/<slug>/how", methods=["GET", "POST"])
@public_route
@submission_limit
def how(slug: str):  # type: ignore[no-untyped-def]
    """Choose chat or form (and easy read); starting creates the response."""
    try:
        consultation = flow.consultation_or_404(slug)
    except flow.Closed as exc:
        return flow.closed_page(exc.consultation)
    code = request.args.get("audience", "")
    variant = consultations.variant_for(consultation, code)
    if variant is None:
        return redirect(url_for("respond.audience", slug=slug), code=303)
    form = HowForm()
    if request.method == "GET":
        form.mode.data = "chat" if code in ("child_5_8", "child_8_11") else "form"
    if form.validate_on_submit():
        mode = form.mode.data
        if form.honeypot_filled():  # a robot: start nothing, and answer as if we had
            flow.clear_state()
            if mode == "chat":
                return redirect(url_for("respond.chat", slug=slug), code=303)
            first = responses.questions_for(variant)[0].core_id
            return redirect(url_for("respond.question", slug=slug, core_id=first), code=303)
        kiosk = flow.kiosk_slug() == slug
        response, receipt = responses.start_response(
            consultation, variant, language=current_language(), channel=flow.CHANNEL_FOR_MODE[mode],
            easy_read=bool(form.easy_read.data), kiosk=kiosk)
        db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
        flow.clear_state()
        flow.save_state(rid=response.id, slug=slug, code=receipt, mode=mode, easy=bool(form.easy_read.data),
                        seen=time.time())
        if mode == "chat":
            return redirect(url_for("respond.chat", slug=slug), code=303)
        first = responses.questions_for(variant)[0].core_id
        return redirect(url_for("respond.question", slug=slug, core_id=first), code=303)
    return render_template("respond/how.html", consultation=consultation, variant=variant, form=form,
                           audience_label=AUDIENCE_LABELS.get(code, code))
