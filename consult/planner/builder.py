"""Planners create a consultation without YAML: from a shipped template or a copy of another one.

The question editor (question_editor.py) and the preview (preview.py) are registered from here too,
so the planner package imports this one module for the whole builder.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length, ValidationError

from forms import AUDIENCES, SUPPORTED_LANGUAGES, list_templates, load_template

from .. import clock
from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import consultations
from ..data.audit import record
from ..i18n import LANGUAGE_NAMES, localised
from .views import audience_label, bp

TEMPLATE_NAMES = {"childrens-services-plan": _l("Children's Services Plan consultation (every audience, five languages)")}


class Checkboxes(SelectMultipleField):
    """A list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NewConsultationForm(FlaskForm):
    """What a new consultation starts from, who it asks, in which languages, and when."""

    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter a title")),
                                                 Length(max=200, message=_l("Title must be 200 characters or fewer"))])
    start_from = RadioField(_l("Start from"), validators=[InputRequired(_l("Choose a template or a consultation to copy"))])
    plan = SelectField(_l("Plan"), validators=[InputRequired(_l("Choose the plan this consultation is for"))])
    audiences = Checkboxes(_l("Audiences"), choices=[(a, "") for a in AUDIENCES])
    languages = Checkboxes(_l("Languages"), choices=[(lang, LANGUAGE_NAMES[lang]) for lang in SUPPORTED_LANGUAGES])
    opens_on = DateField(_l("Opening date"), validators=[InputRequired(_l("Enter the opening date"))],
                         format="%Y-%m-%d")
    closes_on = DateField(_l("Closing date"), validators=[InputRequired(_l("Enter the closing date"))],
                          format="%Y-%m-%d")

    def validate_closes_on(self, field: DateField) -> None:  # noqa: D102 - WTForms' inline validator
        if self.opens_on.data and field.data and field.data <= self.opens_on.data:
            raise ValidationError(_("The closing date must be after the opening date"))


def _fill_choices(form: NewConsultationForm, mine: list, plans: list) -> None:
    form.start_from.choices = (
        [(f"template:{name}", str(TEMPLATE_NAMES.get(name, name))) for name in list_templates()]
        + [(f"copy:{c.id}", _("A copy of ‘%(title)s’", title=localised(c.title).text)) for c in mine])
    form.plan.choices = [(str(p.id), p.title) for p in plans]
    form.audiences.choices = [(a, audience_label(a)) for a in AUDIENCES]


def _date_error(field: DateField) -> None:
    """Replace WTForms' 'Not a valid date value' with a message a planner can act on."""
    if field.raw_data and field.raw_data[0] and field.data is None:
        field.errors = [_("%(label)s must be a real date, for example 2027-03-31", label=field.label.text)]


@bp.route("/consultations/new", methods=["GET", "POST"])
@roles_required("planner")
def consultation_new():  # type: ignore[no-untyped-def]
    """Create a draft consultation from a template or a copy, with its audiences, languages and dates."""
    partnership_id = current_partnership_id()
    mine = consultations.consultations_of(partnership_id)
    plans = consultations.plans_of(partnership_id)
    form = NewConsultationForm()
    _fill_choices(form, mine, plans)
    if not form.is_submitted():
        form.start_from.data = form.start_from.choices[0][0] if form.start_from.choices else None
        form.plan.data = str(plans[0].id) if plans else None
        form.audiences.data = list(AUDIENCES)
        form.languages.data = ["en"]
    valid = form.validate_on_submit()
    for f in (form.opens_on, form.closes_on):
        _date_error(f)
    if form.is_submitted():
        if not form.audiences.data:
            form.audiences.errors = [_("Choose at least one audience")]
            valid = False
        if "en" not in (form.languages.data or []):
            form.languages.data = ["en", *(form.languages.data or [])]
    if valid:
        plan = next(p for p in plans if str(p.id) == form.plan.data)
        kind, _sep, name = (form.start_from.data or "").partition(":")
        options = {"opens_on": form.opens_on.data, "closes_on": form.closes_on.data,
                   "audiences": list(form.audiences.data), "languages": list(form.languages.data)}
        try:
            if kind == "copy":
                source = next(c for c in mine if str(c.id) == name)
                made = consultations.clone_consultation(source, form.title.data.strip(), plan=plan, **options)
            else:
                made = consultations.create_from_template(name, plan, form.title.data.strip(), **options)
        except consultations.AudienceNotInSource as exc:
            form.audiences.errors = [_("What you chose to start from has no version for: %(audiences)s",
                                       audiences=", ".join(audience_label(a) for a in exc.missing))]
        else:
            record("consultation.create", user_id=current_user.id, object_type="consultation", object_id=made.id)
            flash(_("Created the consultation as a draft. Check its questions next."))
            return redirect(url_for("planner.questions", consultation_id=made.id), code=303)
    status = 400 if form.errors else 200
    source_audiences = _source_audiences(mine)
    return render_template("planner/consultation_new.html", form=form, plans=plans, today=clock.today(),
                           source_audiences=source_audiences, error_title=bool(form.errors)), status


def _source_audiences(mine: list) -> dict[str, list[str]]:
    """Return, for each choice of what to start from, the audiences it has (shown as a hint)."""
    out = {f"template:{name}": load_template(name).audience_codes for name in list_templates()}
    for c in mine:
        out[f"copy:{c.id}"] = [v.audience for v in c.variants]
    return out


from . import preview, question_editor  # noqa: E402,F401  (the question editor and the preview)
