"""Planners edit a consultation's definition (YAML) in the app, with path-named errors and readability."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from forms import READABILITY_TARGETS, DefinitionError, dump_definition, load_definition

from ..auth import roles_required
from ..data import consultations, definitions
from ..data.audit import record
from ..extensions import db
from .views import bp, consultation_or_404

MAX_DEFINITION_CHARS = 400_000


class DefinitionForm(FlaskForm):
    """The definition as YAML."""

    definition = TextAreaField(_l("Consultation definition (YAML)"), validators=[
        InputRequired(_l("Enter the definition")),
        Length(max=MAX_DEFINITION_CHARS, message=_l("The definition is too long"))],
        render_kw={"spellcheck": "false", "rows": "30", "autocapitalize": "off"})


@bp.route("/c/<int:consultation_id>/definition", methods=["GET", "POST"])
@roles_required("planner")
def definition_edit(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the definition as YAML with readability scores; save a valid edit."""
    consultation = consultation_or_404(consultation_id)
    current = consultations.definition_of(consultation)
    form = DefinitionForm()
    problems: list[str] = []
    shown = current
    if form.validate_on_submit():
        try:
            edited = load_definition(form.definition.data or "")
        except DefinitionError as exc:
            problems = exc.errors
        else:
            shown = edited
            problems = definitions.apply_definition(consultation, edited)
            if not problems:
                record("consultation.definition_edit", user_id=current_user.id, object_type="consultation",
                       object_id=consultation.id)
                flash(_("Saved the consultation's questions."))
                return redirect(url_for("planner.definition_edit", consultation_id=consultation.id), code=303)
            db.session.rollback()
    elif not form.is_submitted():
        form.definition.data = dump_definition(current)
    if problems:
        form.definition.errors = list(form.definition.errors) + [
            _("%(n)s problems in the definition; nothing was saved", n=len(problems))]
    has_errors = bool(form.errors)
    return render_template("planner/definition.html", consultation=consultation, form=form, problems=problems,
                           readability=definitions.readability_rows(shown), targets=READABILITY_TARGETS,
                           error_title=has_errors), (400 if has_errors else 200)
