"""Themes: run the analysis, review themes and emergent proposals, drill in, re-code, agreement."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from ..auth import roles_required
from ..data import coding as coding_data
from ..data import themes as data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..extensions import db
from ..jobs import enqueue
from ..models import AUDIENCES
from ..urls import parse_id, parse_ids
from .views import bp, consultation_or_404

THEME_ERRORS = {
    "empty": _l("Enter a name for the theme"),
    "long": _l("The name must be 200 characters or fewer"),
    "taken": _l("Another theme already has that name. Choose a different name, or merge the two themes"),
    "self": _l("A theme cannot be merged into itself. Choose a different theme"),
    "inactive": _l("Only active themes can be merged"),
    "none": _l("Choose at least one answer to move to the new theme"),
    "not_proposed": _l("That theme has already been reviewed"),
}


class RenameForm(FlaskForm):
    """Rename a theme."""

    name = StringField(_l("New name"), validators=[InputRequired(message=_l("Enter a name for the theme")),
                                                   Length(max=200)])


class MergeForm(FlaskForm):
    """Merge a theme into another."""

    target = SelectField(_l("Merge into"), validators=[InputRequired(message=_l("Choose a theme to merge into"))])


class SplitForm(FlaskForm):
    """Move some answers to a new theme."""

    new_name = StringField(_l("Name of the new theme"), validators=[
        InputRequired(message=_l("Enter a name for the new theme")), Length(max=200)])
    description = StringField(_l("What the new theme is about"), validators=[
        Length(max=2000, message=_l("The description must be 2,000 characters or fewer"))])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons."""


def _theme_or_404(consultation, theme_id: int):  # type: ignore[no-untyped-def]
    theme = data.get_theme(consultation, theme_id)
    if theme is None:
        abort(404)
    return theme


@bp.route("/c/<int:consultation_id>/themes")
@roles_required("planner")
def themes(consultation_id: int):  # type: ignore[no-untyped-def]
    """List themes with counts by audience, emergent proposals, and machine–human agreement."""
    consultation = consultation_or_404(consultation_id)
    chosen = ResultFilter.from_args(request.args, consultation)
    codes = data.codes_of(consultation)  # read once for the table and the agreement figure
    table = data.theme_table(consultation, tuple(chosen.clauses()), codes=codes)
    present = {a for _t, _n, per in table for a in per}
    audiences = [a for a in AUDIENCES if a in present]
    last = data.latest_analysis(consultation)
    proposals = data.themes_for(consultation, statuses=("proposed",))
    return render_template("planner/themes.html", consultation=consultation, table=table, audiences=audiences,
                           proposals=proposals, members=data.proposal_members(consultation, proposals),
                           evaluation=data.agreement(consultation, codes=codes), last=last, form=EmptyForm(),
                           key_names={t.key: t.name for t, _n, _p in table},
                           filter=chosen, choices=filter_choices(consultation), section="themes")


@bp.route("/c/<int:consultation_id>/themes/run", methods=["POST"])
@roles_required("planner")
def run_analysis(consultation_id: int):  # type: ignore[no-untyped-def]
    """Start the analysis (or retraining) in the background and show its progress."""
    consultation = consultation_or_404(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    job = enqueue("analyse_consultation", consultation_id=consultation.id)
    return redirect(url_for("planner.job_status", job_id=job.id,
                            next=url_for("planner.themes", consultation_id=consultation.id)), code=303)


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>", methods=["GET"])
@roles_required("planner")
def theme(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Show a theme's answers, with rename, merge and split."""
    consultation = consultation_or_404(consultation_id)
    row = _theme_or_404(consultation, theme_id)
    return _theme_page(consultation, row, RenameForm(name=row.name), _merge_form(consultation, row), SplitForm())


def _merge_form(consultation, theme):  # type: ignore[no-untyped-def]
    form = MergeForm()
    form.target.choices = [("", _("Choose a theme"))] + [(str(t.id), t.name) for t in data.themes_for(consultation)
                                                          if t.id != theme.id]
    return form


def _theme_page(consultation, theme, rename, merge, split, status=200, bulk=None, ticked=()):  # type: ignore[no-untyped-def]
    from .coding import THEME_PAGE_SIZE, bulk_form, page_arg

    names = {t.id: t.name for t in data.themes_for(consultation, statuses=("active", "proposed", "merged"))}
    chosen = ResultFilter.from_args(request.args, consultation)
    answers, total = (data.answers_for_theme_page(consultation, theme, page=page_arg(), per_page=THEME_PAGE_SIZE,
                                                  conditions=tuple(chosen.clauses()))
                      if theme.status in ("active", "proposed") else ([], 0))
    return render_template("planner/theme.html", consultation=consultation, theme=theme, answers=answers,
                           total=total, names=names, rename=rename, merge=merge, split=split,
                           filter=chosen, choices=filter_choices(consultation),
                           page=page_arg(), pages=max(1, -(-total // THEME_PAGE_SIZE)),
                           bulk=bulk or bulk_form(consultation, exclude=theme.id), ticked=set(ticked),
                           quotes=data.quotes_for_theme(consultation, theme, limit=5), section="themes"), status


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>/rename", methods=["POST"])
@roles_required("planner")
def rename_theme(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Rename a theme (never to a name another theme has)."""
    consultation = consultation_or_404(consultation_id)
    row = _theme_or_404(consultation, theme_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            data.rename_theme(consultation, row, form.name.data)
        except data.ThemeError as exc:
            db.session.rollback()
            form.name.errors = [str(THEME_ERRORS[str(exc)])]
        else:
            flash(_("Theme renamed."))
            return redirect(url_for("planner.theme", consultation_id=consultation.id, theme_id=row.id), code=303)
    return _theme_page(consultation, row, form, _merge_form(consultation, row), SplitForm(), 400)


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>/merge", methods=["POST"])
@roles_required("planner")
def merge_theme(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Merge a theme into another (never into itself)."""
    consultation = consultation_or_404(consultation_id)
    row = _theme_or_404(consultation, theme_id)
    form = _merge_form(consultation, row)
    form.target.choices.append((str(row.id), row.name))  # validated below, with a clear message
    if form.validate_on_submit():
        target = data.get_theme(consultation, int(form.target.data))
        try:
            if target is None:
                raise data.ThemeError("inactive")
            coding_data.merge(consultation, row, target, user_id=current_user.id)
        except data.ThemeError as exc:
            db.session.rollback()
            form.target.errors = [str(THEME_ERRORS[str(exc)])]
        else:
            flash(_("Merged “%(a)s” into “%(b)s”.", a=row.name, b=target.name))
            return redirect(url_for("planner.theme", consultation_id=consultation.id, theme_id=target.id), code=303)
    form.target.choices.pop()
    return _theme_page(consultation, row, RenameForm(name=row.name), form, SplitForm(), 400)


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>/split", methods=["POST"])
@roles_required("planner")
def split_theme(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Move the chosen answers from this theme to a new one."""
    consultation = consultation_or_404(consultation_id)
    row = _theme_or_404(consultation, theme_id)
    form = SplitForm()
    if form.validate_on_submit():
        ids = parse_ids(request.form.getlist("answer"))
        try:
            _batch, new = coding_data.split(consultation, row, form.new_name.data, ids, user_id=current_user.id,
                                            description=form.description.data or "")
        except data.ThemeError as exc:
            db.session.rollback()
            form.new_name.errors = [str(THEME_ERRORS[str(exc)])]
        else:
            flash(_("Moved %(n)s answers to the new theme “%(name)s”.", n=len(ids), name=new.name))
            return redirect(url_for("planner.theme", consultation_id=consultation.id, theme_id=new.id), code=303)
    return _theme_page(consultation, row, RenameForm(name=row.name), _merge_form(consultation, row), form, 400)


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>/review", methods=["POST"])
@roles_required("planner")
def review_proposal(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Accept or reject an emergent theme."""
    consultation = consultation_or_404(consultation_id)
    row = _theme_or_404(consultation, theme_id)
    if not EmptyForm().validate_on_submit() or request.form.get("decision") not in ("accept", "reject"):
        abort(400)
    accept = request.form["decision"] == "accept"
    try:
        data.review_proposal(consultation, row, accept=accept)
    except data.ThemeError as exc:
        db.session.rollback()
        flash(str(THEME_ERRORS[str(exc)]))
    else:
        flash(_("Theme “%(name)s” added.", name=row.name) if accept else _("Proposal “%(name)s” set aside.",
                                                                         name=row.name))
    return redirect(url_for("planner.themes", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/answers/<int:answer_id>", methods=["GET", "POST"])
@roles_required("planner")
def code_answer(consultation_id: int, answer_id: int):  # type: ignore[no-untyped-def]
    """Re-code one answer: tick the themes that apply (a person's codes override the machine's)."""
    consultation = consultation_or_404(consultation_id)
    found = data.get_answer(consultation, answer_id)
    if found is None:
        abort(404)
    answer, audience = found
    active = data.themes_for(consultation)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen = set(parse_ids(request.form.getlist("theme")))
        # Saving confirms the ticked themes and records a removal for each one no longer ticked (in the history).
        coding_data.recode_answer(consultation, answer, chosen, user_id=current_user.id)
        if request.form.get("quote") == "propose":
            data.propose_quote(consultation, answer)
        flash(_("Codes saved. Agreement is updated on the themes page."))
        back = request.form.get("back", "")
        back_id = parse_id(back)
        if back_id is not None and data.get_theme(consultation, back_id):
            return redirect(url_for("planner.theme", consultation_id=consultation.id, theme_id=back_id), code=303)
        if back == "next":
            return redirect(url_for("planner.code_next", consultation_id=consultation.id), code=303)
        if back == "needs":
            return redirect(url_for("planner.needs_person", consultation_id=consultation.id), code=303)
        return redirect(url_for("planner.code_answer", consultation_id=consultation.id, answer_id=answer.id),
                        code=303)
    machine, effective, human = data.answer_codes(answer.id)
    return render_template("planner/answer.html", consultation=consultation, answer=answer, audience=audience,
                           active=active, machine=machine, effective=effective, human=human, form=form,
                           question=coding_data.question_text(answer),
                           back=request.args.get("back", ""), section="themes")


@bp.route("/c/<int:consultation_id>/code-next")
@roles_required("planner")
def code_next(consultation_id: int):  # type: ignore[no-untyped-def]
    """List the answers that would teach the model most, from the last analysis run."""
    consultation = consultation_or_404(consultation_id)
    last = data.latest_analysis(consultation)
    key = "needs_human_ids" if request.args.get("list") == "needs_human" else "suggest"
    ids = [int(i) for i in ((last.result or {}).get(key) or [])] if last and last.state == "done" else []
    reviewed = set(data.reviewed_labels(consultation))
    rows = [(a, aud) for a, aud in data.answers_by_ids(consultation, ids)]
    return render_template("planner/code_next.html", consultation=consultation, rows=rows, reviewed=reviewed,
                           last=last, form=EmptyForm(), section="themes")
