"""Paper and event responses: staff enter them one by one, or import a CSV/XLSX of them (all or nothing)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from forms import AUDIENCE_LABELS, QUESTION_TYPES, AnswerData, build_form

from ..auth import roles_required
from ..data import consultations, paper
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..labels import CHANNEL_LABELS
from ..services import paper_import as importer
from .views import bp, consultation_or_404


class StartForm(FlaskForm):
    """Which audience's paper form, how it was collected and in which language."""

    class Meta:
        csrf = False  # a GET form that only chooses what to show

    audience = SelectField(_l("Who answered"))
    channel = SelectField(_l("How it was collected"), choices=[(c, CHANNEL_LABELS[c]) for c in paper.PAPER_CHANNELS])
    language = SelectField(_l("Language of the form"))


class TokenForm(FlaskForm):
    """Carries the CSRF token for pages whose fields are built per question."""


def _consultation(consultation_id: int):  # type: ignore[no-untyped-def]
    return consultation_or_404(consultation_id)


def _start_form(consultation) -> StartForm:  # type: ignore[no-untyped-def]
    form = StartForm(request.args)
    form.audience.choices = [(v.audience, AUDIENCE_LABELS.get(v.audience, v.audience)) for v in consultation.variants]
    form.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in consultation.languages]
    return form


@bp.route("/c/<int:consultation_id>/paper")
@roles_required("planner")
def paper_home(consultation_id: int):  # type: ignore[no-untyped-def]
    """Choose to enter one paper response or import a file of them."""
    consultation = _consultation(consultation_id)
    definition = consultations.definition_of(consultation)
    columns = {a.audience: importer.columns_for(a) for a in definition.audiences}
    return render_template("planner/paper.html", consultation=consultation, start=_start_form(consultation),
                           token=TokenForm(), columns=columns, errors=[], channels=paper.PAPER_CHANNELS)


@bp.route("/c/<int:consultation_id>/paper/enter", methods=["GET", "POST"])
@roles_required("planner")
def paper_enter(consultation_id: int):  # type: ignore[no-untyped-def]
    """Type in one paper response: every question on one page, checked like the online form."""
    consultation = _consultation(consultation_id)
    start = _start_form(consultation)
    if not start.validate():
        return redirect(url_for("planner.paper_home", consultation_id=consultation.id))
    definition = consultations.definition_of(consultation)
    audience = definition.audience(start.audience.data)
    areas = paper.area_options(consultation)
    token = TokenForm()
    posted = request.method == "POST"
    forms = []
    for q in audience.questions:
        cls = build_form(q, start.language.data, area_options=areas)
        forms.append(cls(request.form if posted else None, prefix=f"{q.core_id}-"))
    if posted and token.validate_on_submit():
        answers, ok = {}, True
        for q, form in zip(audience.questions, forms, strict=True):
            if QUESTION_TYPES[q.type].is_empty(form):
                answers[q.core_id] = AnswerData(skipped=True)  # left blank on paper
            elif form.validate():
                answers[q.core_id] = form.answer_data()
            else:
                ok = False
        if ok:
            _response, flagged = importer.enter_response(consultation, audience.audience, channel=start.channel.data,
                                                         language=start.language.data, answers=answers,
                                                         user_id=current_user.id)
            flash(_("Saved. You can enter the next one."))
            if flagged:
                flash(_("Something written on this form may mean someone is not safe. It has gone to the "
                        "safeguarding lead."))
            return redirect(request.full_path, code=303)
    has_errors = any(f.errors for f in forms) or bool(token.errors)
    return render_template("planner/paper_enter.html", consultation=consultation, start=start, forms=forms,
                           token=token, audience_label=AUDIENCE_LABELS.get(audience.audience),
                           channel_label=CHANNEL_LABELS[start.channel.data], error_title=has_errors), (
        400 if has_errors else 200)


@bp.route("/c/<int:consultation_id>/paper/import", methods=["POST"])
@roles_required("planner")
def paper_import(consultation_id: int):  # type: ignore[no-untyped-def]
    """Import a CSV or XLSX of paper responses: every row is checked first; any problem imports none."""
    consultation = _consultation(consultation_id)
    token = TokenForm()
    errors: list[str] = []
    if token.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        if not data:
            errors = [_("Choose a CSV or XLSX file to import.")]
        else:
            try:
                rows = importer.read_table(upload.filename or "", data)
                result = importer.import_rows(consultation, rows, user_id=current_user.id)
            except importer.TableError as exc:
                errors = [str(exc)]
            else:
                if result.ok:
                    flash(_("Imported %(n)s responses.", n=result.created))
                    if result.flagged:
                        flash(_("%(n)s of them may mean someone is not safe and have gone to the safeguarding "
                                "lead.", n=result.flagged))
                    return redirect(url_for("planner.paper_home", consultation_id=consultation.id), code=303)
                db.session.rollback()
                errors = result.errors
    definition = consultations.definition_of(consultation)
    columns = {a.audience: importer.columns_for(a) for a in definition.audiences}
    return render_template("planner/paper.html", consultation=consultation, start=_start_form(consultation),
                           token=token, columns=columns, errors=errors, channels=paper.PAPER_CHANNELS,
                           error_title=bool(errors)), 400
