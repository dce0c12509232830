"""Come back with a receipt code: carry on, change answers or delete them until the consultation closes."""

from __future__ import annotations

import time

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..auth.decorators import public_route, respondent_route
from ..data import consultations, responses
from ..extensions import db
from ..services import answers as answers_service
from . import flow
from .views import bp


class ReceiptForm(FlaskForm):
    """The receipt code someone was given."""

    code = StringField(_l("Your receipt code"), validators=[
        InputRequired(_l("Enter your receipt code")), Length(max=40, message=_l("Enter your receipt code"))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})
    find = SubmitField(_l("Continue"))


class DeleteForm(FlaskForm):
    """Confirm deleting one's answers."""

    delete = SubmitField(_l("Yes, delete my answers"))


@bp.route("/receipt", methods=["GET", "POST"])
@public_route
def receipt():  # type: ignore[no-untyped-def]
    """Find someone's answers by receipt code and take them to check their answers."""
    form = ReceiptForm()
    if form.validate_on_submit():
        code = responses.normalise_receipt_code(form.code.data or "")
        response = responses.find_by_receipt(code) if code else None
        if response is None or response.status == "withdrawn":
            form.code.errors.append(_("We could not find answers with that code. Check the code and try again."))
        else:
            consultation = consultations.get(response.consultation_id)
            if consultation is None or not consultations.is_open(consultation):
                form.code.errors.append(
                    _("This consultation has closed, so answers can no longer be changed or deleted."))
            else:
                flow.clear_state()
                mode = "chat" if response.channel == "online_chat" else "form"
                flow.save_state(rid=response.id, slug=consultation.slug, code=code, mode=mode,
                                easy=response.easy_read, seen=time.time())
                f, _instead = flow.load(consultation.slug, kiosk=False)
                where = f.resume_url() if f is not None else url_for("respond.check", slug=consultation.slug)
                return redirect(where, code=303)
    return render_template("respond/receipt.html", form=form)


@bp.route("/c/<slug>/save")
@respondent_route
def save_for_later(slug: str):  # type: ignore[no-untyped-def]
    """Show the receipt code so the person can come back later (answers are already saved)."""
    f, instead = flow.load(slug, kiosk=False)
    if f is None:
        return instead
    return render_template("respond/save.html", f=f, receipt_code=f.receipt_code)


@bp.route("/c/<slug>/delete", methods=["GET", "POST"])
@respondent_route
def delete(slug: str):  # type: ignore[no-untyped-def]
    """Ask once, then delete this person's answers."""
    f, instead = flow.load(slug, kiosk=False)
    if f is None:
        return instead
    form = DeleteForm()
    if form.validate_on_submit():
        answers_service.delete(f.response)
        db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
        flow.clear_state()
        return redirect(url_for("respond.deleted"), code=303)
    return render_template("respond/delete.html", f=f, form=form)


@bp.route("/deleted")
@public_route
def deleted():  # type: ignore[no-untyped-def]
    """Confirm the answers were deleted."""
    return render_template("respond/deleted.html")
