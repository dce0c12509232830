"""Check your answers, send them (a double click stores one response), and the receipt code."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from forms import AnswerData

from ..auth.decorators import respondent_route
from ..extensions import db
from ..security import HoneypotMixin, submission_limit
from ..services import answers as answers_service
from . import flow
from .views import bp

MANY_CHOICE_TYPES = {"multiple_choice", "picture_choice"}  # shown as a list; a ranking keeps its numbers


class SendForm(HoneypotMixin, FlaskForm):
    """Send the answers; quoting is off unless the person ticks it."""

    may_quote = BooleanField(_l("You may quote my words (without my name) in reports about this plan"))
    send = SubmitField(_l("Send my answers"))


@bp.route("/c/<slug>/check", methods=["GET", "POST"])
@respondent_route
@submission_limit
def check(slug: str):  # type: ignore[no-untyped-def]
    """Show every answer with a Change link; sending makes the response final."""
    f, instead = flow.load(slug)
    if f is None:
        return instead
    form = SendForm()
    if form.validate_on_submit():
        if form.honeypot_filled():  # a robot: send nothing, and thank it as if we had
            flow.clear_state()
            return render_template("respond/done.html", f=f, receipt_code=None, kiosk=False)
        answers_service.submit(f.response, may_quote=bool(form.may_quote.data))  # a second click sends nothing more
        db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
        return redirect(url_for("respond.done", slug=slug), code=303)
    if not form.is_submitted():
        form.may_quote.data = f.state.may_quote
    answers = f.answers()
    follow_ups = answers_service.follow_ups_of(f.state.id)
    rows = [(q, f.qdef(q.core_id), f.display(q.core_id, answers.get(q.core_id)), chosen(f, q.core_id, answers),
             follow_ups.get(q.core_id) or None) for q in f.questions]
    return render_template("respond/check.html", f=f, form=form, rows=rows, show_help=flow.pop_help())


def chosen(f: flow.Flow, core_id: str, answers: dict[str, AnswerData]) -> list[str] | None:
    """Return each choice of a several-choice answer on its own (labels may hold commas), else None."""
    answer = answers.get(core_id)
    if answer is None or answer.skipped or not isinstance(answer.value, list) or len(answer.value) < 2:
        return None
    if f.qdef(core_id).type not in MANY_CHOICE_TYPES:
        return None
    return [f.display(core_id, AnswerData(value=[v])) for v in answer.value]


@bp.route("/c/<slug>/done")
@respondent_route
def done(slug: str):  # type: ignore[no-untyped-def]
    """Thank the person and show their receipt code; a kiosk forgets them straight away."""
    f, instead = flow.load(slug, kiosk=False)
    if f is None:
        return instead
    if f.state.status != "submitted":
        return flow.not_started(slug)
    kiosk = flow.kiosk_slug() == slug
    if kiosk:
        flow.clear_state()
    return render_template("respond/done.html", f=f, receipt_code=f.receipt_code, kiosk=kiosk)
