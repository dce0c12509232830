"""Coding at scale: bulk add, remove and move; the coding history and undo; answers needing a person."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, SelectMultipleField

from ..auth import roles_required
from ..data import coding as data
from ..data import themes as theme_data
from ..labels import KIND_LABELS, NEEDS_REASON_LABELS
from ..urls import parse_id, parse_ids, safe_next
from .views import bp, consultation_or_404

THEME_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 25
BULK_ACTIONS = ("add", "remove", "move")
CODING_ERRORS = {
    "none": _l("Tick at least one answer"),
    "theme": _l("Choose a theme"),
    "same": _l("Choose a different theme from the one the answers are leaving"),
    "undone": _l("That change has already been undone"),
}


def kind_label(kind: str) -> str:
    """Return the translated name of a kind of coding change."""
    return str(KIND_LABELS.get(kind, kind))


def describe(batch, names: dict[int, str]) -> str:  # type: ignore[no-untyped-def]
    """Return what a batch did, in words, for the history page."""
    theme, target = names.get(batch.theme_id or 0, ""), names.get(batch.target_theme_id or 0, "")
    if batch.kind == "undo":
        undone = kind_label(str((batch.details or {}).get("kind", "")))
        return _("Undid change %(n)s (%(what)s)", n=batch.undoes_id, what=undone.lower())
    if batch.kind in ("move", "merge") and theme and target:
        return _("%(what)s from “%(a)s” to “%(b)s”", what=kind_label(batch.kind), a=theme, b=target)
    if batch.kind == "move" and target:
        return _("Moved answers to “%(b)s”", b=target)
    if batch.kind == "split" and target:
        return _("Split “%(a)s”: answers moved to the new theme “%(b)s”", a=theme, b=target)
    if theme or target:
        return _("%(what)s: “%(a)s”", what=kind_label(batch.kind), a=theme or target)
    return kind_label(batch.kind)


class BulkForm(FlaskForm):
    """Do one thing to the ticked answers: add a theme, remove a theme, or move them to a theme."""

    answer = SelectMultipleField(_l("Answers"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    from_theme = HiddenField()
    back = HiddenField()


class UndoForm(FlaskForm):
    """Undo one batch (the batch id is in the form, checked against the consultation)."""

    batch = HiddenField()


def page_arg(name: str = "page") -> int:
    """Return the page number in the query string (1 for anything that is not a sensible page)."""
    number = parse_id(request.args.get(name, "1"))
    return number if number is not None and number <= 100_000 else 1


def bulk_form(consultation, *, exclude: int | None = None, formdata=None) -> BulkForm:  # type: ignore[no-untyped-def]
    """Return the bulk form with the consultation's active themes to choose from."""
    form = BulkForm(formdata=formdata) if formdata is not None else BulkForm(formdata=None)
    form.theme.choices = [("", _("Choose a theme"))] + [
        (str(t.id), t.name) for t in theme_data.themes_for(consultation) if t.id != exclude]
    return form


@bp.route("/c/<int:consultation_id>/coding/bulk", methods=["POST"])
@roles_required("planner")
def bulk_code(consultation_id: int):  # type: ignore[no-untyped-def]
    """Add a theme to, remove one from, or move the ticked answers; then go back to the list they came from."""
    consultation = consultation_or_404(consultation_id)
    form = bulk_form(consultation, formdata=request.form)
    action = request.form.get("action", "")
    if not form.validate_on_submit() or action not in BULK_ACTIONS:
        abort(400)
    ids = parse_ids(request.form.getlist("answer"))
    from_theme = theme_data.get_theme(consultation, parse_id(form.from_theme.data) or 0)
    theme = theme_data.get_theme(consultation, parse_id(form.theme.data) or 0)
    try:
        if action in ("add", "move") or from_theme is None:
            if theme is None:
                raise data.CodingError("theme")
        batch = data.bulk_change(consultation, action, ids, theme=theme, from_theme=from_theme,
                                 user_id=current_user.id)
    except data.CodingError as exc:
        key = str(exc)
        (form.answer if key == "none" else form.theme).errors = [str(CODING_ERRORS.get(key, CODING_ERRORS["theme"]))]
        return _back_with_errors(consultation, form, from_theme, ids)
    names = {"add": _("Added “%(theme)s” to %(n)s answers.", theme=theme.name if theme else "", n=batch.answers),
             "remove": _("Removed “%(theme)s” from %(n)s answers.",
                         theme=(from_theme or theme).name if (from_theme or theme) else "", n=batch.answers),
             "move": _("Moved %(n)s answers to “%(theme)s”.", theme=theme.name if theme else "", n=batch.answers)}
    flash(names[action])
    return redirect(safe_next(form.back.data) or url_for("planner.coding_history", consultation_id=consultation.id),
                    code=303)


def _back_with_errors(consultation, form: BulkForm, from_theme, ids: list[int]):  # type: ignore[no-untyped-def]
    """Show the page the form came from again, with the errors and the ticks kept."""
    back = safe_next(form.back.data) or ""
    if from_theme is not None:
        from . import themes as theme_views

        return theme_views._theme_page(consultation, from_theme, theme_views.RenameForm(name=from_theme.name),
                                       theme_views._merge_form(consultation, from_theme), theme_views.SplitForm(),
                                       400, bulk=form, ticked=ids)
    from .search import search_page

    query = back.split("?", 1)[1] if "?" in back else ""
    from urllib.parse import parse_qsl

    return search_page(consultation, MultiDict(parse_qsl(query)), bulk=form, ticked=ids, status=400)


@bp.route("/c/<int:consultation_id>/coding/history")
@roles_required("planner")
def coding_history(consultation_id: int):  # type: ignore[no-untyped-def]
    """List every coding change, newest first, with who made it and when; each can be undone."""
    consultation = consultation_or_404(consultation_id)
    page = page_arg()
    rows, total = data.history(consultation, page=page, per_page=HISTORY_PAGE_SIZE)
    names = {t.id: t.name for t in theme_data.themes_for(consultation, statuses=("active", "proposed", "merged",
                                                                                 "rejected"))}
    return render_template("planner/coding_history.html", consultation=consultation, rows=rows, total=total,
                           page=page, pages=max(1, -(-total // HISTORY_PAGE_SIZE)), names=names,
                           form=UndoForm(), describe=describe, section="themes")


@bp.route("/c/<int:consultation_id>/coding/undo", methods=["POST"])
@roles_required("planner")
def coding_undo(consultation_id: int):  # type: ignore[no-untyped-def]
    """Undo one batch of coding changes."""
    consultation = consultation_or_404(consultation_id)
    form = UndoForm()
    if not form.validate_on_submit():
        abort(400)
    batch = data.get_batch(consultation, parse_id(form.batch.data))
    if batch is None:
        abort(404)
    try:
        done = data.undo(consultation, batch, user_id=current_user.id)
    except data.CodingError as exc:
        flash(str(CODING_ERRORS.get(str(exc), CODING_ERRORS["undone"])))
    else:
        message = _("Undone: the codes of %(n)s answers are back as they were.", n=done.answers)
        if done.skipped:
            message += " " + _("%(n)s answers were changed again since, and were left as they are now.",
                               n=done.skipped_answers)
        flash(message)
    return redirect(url_for("planner.coding_history", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/coding/needs-a-person")
@roles_required("planner")
def needs_person(consultation_id: int):  # type: ignore[no-untyped-def]
    """List answers no person has reviewed that the machine could not theme well: by reason, paged."""
    consultation = consultation_or_404(consultation_id)
    reason = request.args.get("reason", "unthemed")
    if reason not in NEEDS_REASON_LABELS:
        reason = "unthemed"
    last = theme_data.latest_analysis(consultation)
    result = (last.result or {}) if last is not None and last.state == "done" else {}
    languages = {int(k): v for k, v in (result.get("needs_human_languages") or {}).items() if parse_id(k)}
    import analysis

    not_themed = [i for i, lang in languages.items() if lang not in analysis.language.SUPPORTED and lang != "und"]
    page = page_arg()
    counts = {r: data.needs_person(consultation, reason=r, per_page=1, language_ids=not_themed)[1]
              for r in NEEDS_REASON_LABELS}
    rows, total = data.needs_person(consultation, reason=reason, page=page, per_page=THEME_PAGE_SIZE,
                                    language_ids=not_themed)
    return render_template("planner/needs_person.html", consultation=consultation, rows=rows, total=total,
                           reason=reason, reasons=NEEDS_REASON_LABELS, counts=counts, page=page,
                           answer_languages=languages, analysed=bool(result),
                           pages=max(1, -(-total // THEME_PAGE_SIZE)), section="themes")
