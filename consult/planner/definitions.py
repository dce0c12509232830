"""Planners edit a consultation's definition as YAML (power users): export, import, readable errors, readability."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from forms import READABILITY_TARGETS, DefinitionError, dump_definition, load_definition
from forms.locate import Located, locate

from ..auth import roles_required
from ..data import consultations, definitions
from ..data.audit import record
from ..i18n import LANGUAGE_NAMES
from .views import audience_short, bp, consultation_or_404

MAX_DEFINITION_CHARS = 400_000


class DefinitionForm(FlaskForm):
    """The definition as YAML, typed or uploaded."""

    definition = TextAreaField(_l("Consultation definition (YAML)"), validators=[
        Optional(), Length(max=MAX_DEFINITION_CHARS, message=_l("The definition is too long"))],
        render_kw={"spellcheck": "false", "rows": "30", "autocapitalize": "off"})
    upload = FileField(_l("Or import a YAML file"))


def field_words(field: tuple[str | int, ...]) -> str:
    """Name a field by its YAML keys, counting list items from 1 and languages by name: 'options 2 › label › Gàidhlig'."""
    words: list[str] = []
    for token in field:
        if isinstance(token, int):
            if words:
                words[-1] = f"{words[-1]} {token + 1}"
            else:
                words.append(str(token + 1))
        else:
            words.append(LANGUAGE_NAMES.get(token, token) if words else token)
    return " › ".join(words)


def describe(problem: Located) -> str:
    """Say where a problem is in words: the question (number and wording), the field and the line."""
    parts = []
    if problem.question_number is not None:
        if problem.question_text:
            parts.append(_("Question %(n)s (‘%(text)s’)", n=problem.question_number,
                           text=problem.question_text if len(problem.question_text) <= 80
                           else problem.question_text[:79] + "…"))
        else:
            parts.append(_("Question %(n)s", n=problem.question_number))
    if problem.audience:
        parts.append(_("for %(audience)s", audience=audience_short(problem.audience)))
    if problem.field:
        parts.append(_("field ‘%(field)s’", field=field_words(problem.field)))
    if problem.line is not None:
        parts.append(_("line %(n)s", n=problem.line))
    where = " ".join(parts[:2]) if problem.question_number is not None and problem.audience else None
    if where is not None:
        parts = [where, *parts[2:]]
    text = ", ".join(parts)
    if not text:
        return problem.message
    return f"{text[0].upper()}{text[1:]}: {problem.message}"


def refused_change_message(change: definitions.RefusedChange) -> str:
    """Word a change refused because people have answered, named by its path as the definition's problems are."""
    c = change
    if c.code == "audience_removed":
        return _("audiences: %(audience)s cannot be removed because people have answered it", audience=c.audience)
    if c.code == "question_removed":
        return _("audiences[%(i)s].questions: %(core_id)s cannot be removed because people have "
                 "answered it", i=c.i, core_id=c.core_id)
    if c.code == "type_changed":
        return _("audiences[%(i)s].questions[%(j)s].type: cannot change from %(old)s to %(new)s "
                 "because people have answered it", i=c.i, j=c.j, old=c.old, new=c.new)
    raise ValueError(f"no wording for the refused change {c.code!r}")


def problem_messages(errors: list[str | definitions.RefusedChange]) -> list[str]:
    """Return a definition's problems as path-named sentences (the forms package's are worded already)."""
    return [e if isinstance(e, str) else refused_change_message(e) for e in errors]


def readable_problems(text: str, errors: list[str]) -> list[str]:
    """Return each definition problem as a sentence that names the question, field and line."""
    return [describe(p) for p in locate(text, errors)]


@bp.route("/c/<int:consultation_id>/definition.yaml")
@roles_required("planner")
def definition_export(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the consultation's definition as YAML."""
    consultation = consultation_or_404(consultation_id)
    body = dump_definition(consultations.definition_of(consultation))
    return Response(body, mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="{consultation.slug}.yaml"'})


@bp.route("/c/<int:consultation_id>/definition", methods=["GET", "POST"])
@roles_required("planner")
def definition_edit(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the definition as YAML with readability scores; save a valid edit or import."""
    consultation = consultation_or_404(consultation_id)
    current = consultations.definition_of(consultation)
    form = DefinitionForm()
    problems: list[str] = []
    shown = current
    if form.validate_on_submit():
        text = form.definition.data or ""
        upload = form.upload.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read(MAX_DEFINITION_CHARS * 4 + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = ""
                form.upload.errors = [_("The file is not UTF-8 text. Save it as UTF-8 YAML and try again.")]
            if len(text) > MAX_DEFINITION_CHARS:
                text = ""
                form.upload.errors = [_("The definition is too long")]
            form.definition.data = text
        if not text.strip() and not form.upload.errors:
            form.definition.errors = [_("Enter the definition, or choose a YAML file to import")]
        elif text.strip():
            try:
                edited = load_definition(text)
            except DefinitionError as exc:
                problems = readable_problems(text, exc.errors)
            else:
                shown = edited
                applied = definitions.apply_definition(consultation, edited)
                if not applied:
                    record("consultation.definition_edit", user_id=current_user.id, object_type="consultation",
                           object_id=consultation.id)
                    flash(_("Saved the consultation's questions."))
                    return redirect(url_for("planner.definition_edit", consultation_id=consultation.id), code=303)
                problems = readable_problems(text, problem_messages(applied))
    elif not form.is_submitted():
        form.definition.data = dump_definition(current)
    if problems:
        form.definition.errors = list(form.definition.errors) + [
            ngettext("%(num)s problem in the definition; nothing was saved",
                     "%(num)s problems in the definition; nothing was saved", len(problems))]
    has_errors = bool(form.errors)
    return render_template("planner/definition.html", consultation=consultation, form=form, problems=problems,
                           readability=definitions.readability_rows(shown), targets=READABILITY_TARGETS,
                           error_title=has_errors), (400 if has_errors else 200)
