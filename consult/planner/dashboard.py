"""The consultation dashboard: who answered, how, where, and reach against the population."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..auth import roles_required
from ..data import dashboard as data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..models import AUDIENCES
from .views import audience_label, bp, consultation_or_404


class PopulationForm(FlaskForm):
    """One population count."""

    audience = SelectField(_l("Who"), validators=[InputRequired()])
    area = SelectField(_l("Area"))
    count = IntegerField(_l("How many people"), validators=[InputRequired(message=_l("Enter how many people")),
                                                            NumberRange(min=0, max=10_000_000)],
                         render_kw={"type": "text", "inputmode": "numeric", "spellcheck": "false"})


class PopulationImportForm(FlaskForm):
    """Many population counts as CSV."""

    population_csv = TextAreaField(_l("Population counts (CSV)"), validators=[Optional()])


@bp.route("/c/<int:consultation_id>/")
@roles_required("planner")
def dashboard(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the consultation's dashboard."""
    consultation = consultation_or_404(consultation_id)
    chosen = ResultFilter.from_args(request.args, consultation)
    return render_template("planner/dashboard.html", consultation=consultation,
                           board=data.dashboard(consultation, chosen), filter=chosen,
                           choices=filter_choices(consultation), section="dashboard")


def _population_forms(consultation):  # type: ignore[no-untyped-def]
    form = PopulationForm()
    form.audience.choices = [(a, audience_label(a)) for a in AUDIENCES]
    form.area.choices = [("", _("The whole partnership"))] + [
        (str(a.id), a.name) for a in consultation.plan.partnership.areas]
    return form, PopulationImportForm()


@bp.route("/c/<int:consultation_id>/population", methods=["GET", "POST"])
@roles_required("planner")
def population(consultation_id: int):  # type: ignore[no-untyped-def]
    """Enter or import how many people of each audience live in each area."""
    consultation = consultation_or_404(consultation_id)
    partnership = consultation.plan.partnership
    form, import_form = _population_forms(consultation)
    import_error = None
    if request.method == "POST" and "population_csv" in request.form:
        if import_form.validate_on_submit():
            try:
                rows = data.parse_population_csv(import_form.population_csv.data or "", partnership.areas)
            except data.PopulationImportError as exc:
                import_error = (_("Nothing was imported. Line %(line)s: %(problem)s", line=exc.line,
                                  problem=_import_problem(exc.problem)) if exc.line else
                                _("Nothing was imported: the CSV had no counts in it."))
                import_form.population_csv.errors = [import_error]
            else:
                for audience, area_id, count in rows:
                    data.set_population(partnership.id, audience=audience, area_id=area_id, count=count)
                flash(_("Imported %(n)s population counts.", n=len(rows)))
                return redirect(url_for("planner.population", consultation_id=consultation.id), code=303)
    elif request.method == "POST" and form.validate_on_submit():
        area_id = int(form.area.data) if form.area.data else None
        if area_id is not None and area_id not in {a.id for a in partnership.areas}:
            form.area.errors = [_("Choose an area from the list")]
        else:
            data.set_population(partnership.id, audience=form.audience.data, area_id=area_id, count=form.count.data)
            flash(_("Population count saved."))
            return redirect(url_for("planner.population", consultation_id=consultation.id), code=303)
    areas = {a.id: a.name for a in partnership.areas}
    return render_template("planner/population.html", consultation=consultation, form=form,
                           import_form=import_form, counts=data.population_counts(partnership.id), areas=areas,
                           section="dashboard")


def _import_problem(code: str) -> str:
    return {"columns": _("each line needs three values: audience, area code, count"),
            "audience": _("the audience is not one Guth knows"),
            "area": _("the area code is not one of the partnership's areas"),
            "count": _("the count must be a whole number"),
            "rows": _("there are too many lines: enter at most 5,000"),
            "malformed": _("the CSV is malformed (check for a stray quote mark or line break inside a value)")}.get(code, code)
