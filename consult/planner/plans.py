"""Plans: create or clone a plan, its priorities and outcome indicators; yearly values, progress, annual reviews."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import plans as data
from ..data import trace as trace_data
from ..labels import SHANARRI_LABELS, VERDICT_LABELS
from ..models import SHANARRI
from ..urls import parse_id
from .views import bp, consultation_or_404

PRIORITY_SLOTS = 5
INDICATOR_SLOTS = 2


def parse_number(text: object) -> float | None:
    """Return a typed number ("1,250", "12.5", "40%") as a float, None if blank; ValueError if not a number."""
    cleaned = str(text or "").strip().replace(",", "").rstrip("%").strip()
    return float(cleaned) if cleaned else None


class IndicatorForm(Form):
    """An outcome indicator: its name, unit, baseline, target and which way is better."""

    id = HiddenField()
    name = StringField(_l("Outcome indicator"), validators=[Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Length(max=60)], description=_l("For example %, or children"))
    baseline = StringField(_l("Baseline"), validators=[Length(max=30)])
    target = StringField(_l("Target"), validators=[Length(max=30)])
    direction = SelectField(_l("Better when it"), choices=[("up", _l("goes up")), ("down", _l("goes down"))],
                            default="up")


class PriorityForm(Form):
    """One priority: title, description, SHANARRI indicators and outcome indicators."""

    id = HiddenField()
    title = StringField(_l("Priority"), validators=[Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    shanarri = SelectMultipleField(_l("Wellbeing indicators (SHANARRI)"),
                                   choices=[(k, SHANARRI_LABELS[k]) for k in SHANARRI],
                                   widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())
    indicators = FieldList(FormField(IndicatorForm), min_entries=INDICATOR_SLOTS, max_entries=8)


class PlanForm(FlaskForm):
    """A plan: title, period, vision and 3 to 5 priorities."""

    title = StringField(_l("Plan title"), validators=[DataRequired(_l("Enter the plan's title")), Length(max=300)])
    period_start = DateField(_l("Starts on"), validators=[InputRequired(_l("Enter the date the plan starts"))])
    period_end = DateField(_l("Ends on"), validators=[InputRequired(_l("Enter the date the plan ends"))])
    vision = TextAreaField(_l("Vision"), validators=[Length(max=5000)])
    priorities = FieldList(FormField(PriorityForm), min_entries=PRIORITY_SLOTS, max_entries=12)
    add_priority = SubmitField(_l("Add another priority"))
    submit = SubmitField(_l("Save plan"))


def _fill(form: PlanForm, priorities: list[data.PriorityInput]) -> None:
    """Put priorities into the form's slots (at least PRIORITY_SLOTS, each with spare indicator slots)."""
    while len(form.priorities.entries):
        form.priorities.pop_entry()
    for spec in [*priorities, *[None] * max(0, PRIORITY_SLOTS - len(priorities))]:
        entry = form.priorities.append_entry()
        if spec is None:
            continue
        entry.form.id.data = str(spec.id or "")
        entry.form.title.data, entry.form.description.data = spec.title, spec.description
        entry.form.shanarri.data = list(spec.shanarri)
        while len(entry.form.indicators.entries):
            entry.form.indicators.pop_entry()
        for ind in [*spec.indicators, *[None] * max(1, INDICATOR_SLOTS - len(spec.indicators))]:
            sub = entry.form.indicators.append_entry().form
            if ind is not None:
                sub.id.data = str(ind.id or "")
                sub.name.data, sub.unit.data = ind.name, ind.unit
                sub.baseline.data = _show(ind.baseline)
                sub.target.data = _show(ind.target)
                sub.direction.data = "up" if ind.higher_is_better else "down"


def _show(value: float | None) -> str:
    return "" if value is None else (f"{value:g}")


def _read(form: PlanForm) -> tuple[list[data.PriorityInput], list[tuple[str, str]]]:
    """Return the typed priorities (blank slots dropped) and the errors found, as (field id, message)."""
    out, errors = [], []
    for entry in form.priorities.entries:
        p = entry.form
        indicators = []
        for sub_entry in p.indicators.entries:
            s = sub_entry.form
            if not any((s.name.data or "").strip() or (getattr(s, f).data or "").strip()
                       for f in ("baseline", "target")):
                continue
            values = {}
            for f in ("baseline", "target"):
                try:
                    values[f] = parse_number(getattr(s, f).data)
                except ValueError:
                    msg = _("Enter a number, like 42 or 12.5")
                    getattr(s, f).errors = [msg]
                    errors.append((getattr(s, f).id, msg))
            if not (s.name.data or "").strip():
                msg = _("Name the outcome indicator, or clear its baseline and target")
                s.name.errors = [msg]
                errors.append((s.name.id, msg))
            indicators.append(data.IndicatorInput(
                id=_int(s.id.data), name=(s.name.data or "").strip(), unit=(s.unit.data or "").strip(),
                baseline=values.get("baseline"), target=values.get("target"), higher_is_better=s.direction.data != "down"))
        title = (p.title.data or "").strip()
        if not title:
            if (p.description.data or "").strip() or indicators or p.shanarri.data:
                msg = _("Enter this priority's title, or clear what you wrote for it")
                p.title.errors = [msg]
                errors.append((p.title.id, msg))
            continue
        out.append(data.PriorityInput(id=_int(p.id.data), title=title, description=(p.description.data or "").strip(),
                                      shanarri=list(p.shanarri.data or []), indicators=indicators))
    return out, errors


def _int(value: object) -> int | None:
    return parse_id(str(value or ""))  # "²" is a digit to str.isdigit() but not to int(): it was a 500


def _plan_or_404(plan_id: int):  # type: ignore[no-untyped-def]
    plan = data.get_plan(plan_id)  # another partnership's plan is already a 404 (consult.auth.scope)
    if plan is None or plan.partnership_id != current_partnership_id():
        abort(404)
    return plan


def _plan_error(exc: data.PlanError) -> str:
    if exc.code == "priority_count":
        n = exc.details.get("count", 0)
        return _("A plan has 3 to 5 priorities. You have written %(n)d: %(advice)s", n=n,
                 advice=_("add another") if n < data.MIN_PRIORITIES else _("merge or remove some"))
    if exc.code == "ends_before_start":
        return _("The plan must end after it starts")
    return _("This period overlaps “%(other)s” (%(start)s to %(end)s). Plans of one partnership cannot overlap.",
             other=exc.details.get("other", ""), start=exc.details.get("start"), end=exc.details.get("end"))


def _edit(form: PlanForm, plan=None):  # type: ignore[no-untyped-def]
    """Handle a plan form POST; return a redirect, or the errors to show with the form."""
    errors: list[tuple[str, str]] = [(f.id, e) for f in (form.title, form.period_start, form.period_end, form.vision)
                                     for e in f.errors]
    priorities, more = _read(form)
    errors += more
    if form.csrf_token.errors:
        errors.append((form.csrf_token.id, _("This form has expired. Send it again.")))
    if not errors and form.period_start.data and form.period_end.data and form.title.data:
        try:
            saved = data.save_plan(current_partnership_id() or 0, title=form.title.data.strip(),
                                   period_start=form.period_start.data, period_end=form.period_end.data,
                                   vision=(form.vision.data or "").strip(), priorities=priorities, plan=plan,
                                   by_user_id=current_user.id)
        except data.PlanError as exc:
            target = {"priorities": "priorities-fieldset"}.get(exc.field, getattr(form, exc.field).id)
            msg = _plan_error(exc)
            if exc.field != "priorities":
                getattr(form, exc.field).errors = [*getattr(form, exc.field).errors, msg]
            else:
                form.priority_count_error = msg  # type: ignore[attr-defined]
            errors.append((target, msg))
        else:
            flash(_("Plan saved."))
            return redirect(url_for("planner.plan", plan_id=saved.id), code=303), []
    return None, errors


@bp.route("/plans")
@roles_required("planner")
def plans():  # type: ignore[no-untyped-def]
    """List the partnership's plans."""
    return render_template("planner/plans.html", plans=data.plans_of(current_partnership_id()),
                           year_label=data.year_label)


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required("planner")
def plan_new():  # type: ignore[no-untyped-def]
    """Write a new plan, or start from a copy of the last one (?clone=last)."""
    form = PlanForm()
    errors: list[tuple[str, str]] = []
    last = next(iter(data.plans_of(current_partnership_id())), None)
    if request.method == "GET":
        if request.args.get("clone") == "last" and last is not None:
            start = data.clone_input(last)
            form.title.data, form.vision.data = start["title"], start["vision"]
            form.period_start.data, form.period_end.data = start["period_start"], start["period_end"]
            _fill(form, start["priorities"])
        else:
            year = clock.today().year
            form.period_start.data, form.period_end.data = date(year, 4, 1), date(year + 3, 3, 31)
            _fill(form, [])
    elif form.add_priority.data:
        form.priorities.append_entry()  # only a new blank slot: nothing checked or saved yet
    else:
        form.validate_on_submit()
        done, errors = _edit(form)
        if done is not None:
            return done
    return render_template("planner/plan_form.html", form=form, plan=None, last=last, errors=errors,
                           shanarri_labels=SHANARRI_LABELS), (400 if errors else 200)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required("planner")
def plan_edit(plan_id: int):  # type: ignore[no-untyped-def]
    """Change a plan: its period, vision, priorities and outcome indicators."""
    plan = _plan_or_404(plan_id)
    form = PlanForm()
    errors: list[tuple[str, str]] = []
    if request.method == "GET":
        form.title.data, form.vision.data = plan.title, plan.vision
        form.period_start.data, form.period_end.data = plan.period_start, plan.period_end
        _fill(form, data.as_input(plan))
    elif form.add_priority.data:
        form.priorities.append_entry()  # only a new blank slot: nothing checked or saved yet
    else:
        form.validate_on_submit()
        done, errors = _edit(form, plan)
        if done is not None:
            return done
    return render_template("planner/plan_form.html", form=form, plan=plan, last=None, errors=errors,
                           shanarri_labels=SHANARRI_LABELS), (400 if errors else 200)


class ReviewForm(FlaskForm):
    """Start a plan year's review consultation."""

    year = SelectField(_l("Plan year"), coerce=int)
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(_l("Enter the date it opens"))])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(_l("Enter the date it closes"))])
    submit = SubmitField(_l("Start the annual review"))


def _review_form(plan) -> ReviewForm:  # type: ignore[no-untyped-def]
    form = ReviewForm()
    reviews = data.reviews_of(plan)
    form.year.choices = [(y, data.year_label(y)) for y in data.plan_years(plan) if y not in reviews]
    if request.method == "GET" and form.year.choices:
        first = form.year.choices[0][0]
        form.year.data = first
        form.opens_on.data = max(clock.today() + timedelta(days=14), date(first + 1, 1, 10))
        form.closes_on.data = form.opens_on.data + timedelta(days=42)
    return form


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@roles_required("planner")
def plan(plan_id: int):  # type: ignore[no-untyped-def]
    """Show a plan: priorities, the themes that evidence them, indicators and each year's review."""
    plan = _plan_or_404(plan_id)
    form = _review_form(plan)
    if request.method == "POST" and form.validate_on_submit():
        if form.closes_on.data <= form.opens_on.data:
            form.closes_on.errors = [_("The review must close after it opens")]
        else:
            try:
                review = data.start_review(plan, form.year.data, opens_on=form.opens_on.data,
                                           closes_on=form.closes_on.data, by_user_id=current_user.id)
            except data.ReviewError as exc:
                form.year.errors = [{"exists": _("This year already has its review"),
                                     "nothing_to_clone": _("This plan has no consultation to copy the questions "
                                                           "from yet: create its consultation first")}
                                    .get(exc.code, _("Choose one of the plan's years"))]
            else:
                flash(_("The %(year)s review is ready as a draft, with last year's questions. Check them, then "
                        "schedule it.", year=data.year_label(review.year)))
                return redirect(url_for("planner.dashboard", consultation_id=review.consultation_id), code=303)
    return render_template("planner/plan.html", plan=plan, form=form, reviews=data.reviews_of(plan),
                           years=data.plan_years(plan), year_label=data.year_label,
                           themes=data.evidencing_themes(plan, trace_data.LINK_THRESHOLD),
                           progress={p.indicator.id: p for p in data.progress(plan)},
                           source=data.last_consultation_before(plan, form.year.choices[0][0])
                           if form.year.choices else None,
                           shanarri_labels=SHANARRI_LABELS, verdict_labels=VERDICT_LABELS, show=_show), \
        (400 if form.errors else 200)


@bp.route("/plans/<int:plan_id>/values/<int:year>", methods=["GET", "POST"])
@roles_required("planner")
def plan_values(plan_id: int, year: int):  # type: ignore[no-untyped-def]
    """Record the plan's outcome indicator values for one plan year."""
    plan = _plan_or_404(plan_id)
    if year not in data.plan_years(plan):
        abort(404)
    indicators = data.indicators_of(plan)

    class ValuesForm(FlaskForm):
        submit = SubmitField(_l("Save values"))

    for ind in indicators:
        setattr(ValuesForm, f"v{ind.id}", StringField(ind.name, validators=[Optional(), Length(max=30)]))
    form = ValuesForm()
    errors = []
    if request.method == "GET":
        for ind in indicators:
            found = next((v.value for v in ind.values if v.year == year), None)
            getattr(form, f"v{ind.id}").data = _show(found)
    elif form.validate_on_submit():
        values: dict[int, float | None] = {}
        for ind in indicators:
            field = getattr(form, f"v{ind.id}")
            try:
                values[ind.id] = parse_number(field.data)
            except ValueError:
                field.errors = [_("Enter a number, like 42 or 12.5")]
                errors.append((field.id, field.errors[0]))
        if not errors:
            n = data.record_values(plan, year, values, by_user_id=current_user.id)
            flash(_("Saved %(n)d value(s) for %(year)s.", n=n, year=data.year_label(year)))
            return redirect(url_for("planner.plan_progress", plan_id=plan.id), code=303)
    return render_template("planner/plan_values.html", plan=plan, year=year, form=form, errors=errors,
                           rows=[(ind, getattr(form, f"v{ind.id}")) for ind in indicators],
                           year_label=data.year_label, show=_show), (400 if errors else 200)


def chart(progress: data.Progress, width: int = 420, height: int = 210) -> dict:
    """Return an indicator's line chart as SVG coordinates: baseline, yearly values and the target."""
    ind = progress.indicator
    labels = [_("Baseline"), *[data.year_label(y) for y in progress.years]]
    series = [ind.baseline, *progress.values]
    known = [v for v in [*series, ind.target] if v is not None]
    if not known:
        return {}
    low, high, step = nice_scale(min(known), max(known))
    left, right, top, bottom = 44, 36, 22, 34
    step_x = (width - left - right) / max(1, len(labels) - 1)

    def y(v: float) -> float:
        return round(top + (high - v) / (high - low) * (height - top - bottom), 1)

    points = [(round(left + i * step_x, 1), y(v), labels[i], v) for i, v in enumerate(series) if v is not None]
    ticks = [low + step * k for k in range(round((high - low) / step) + 1)]
    return {"width": width, "height": height, "left": left, "right": width - right, "top": top,
            "bottom": height - bottom, "points": points, "path": " ".join(f"{x},{yy}" for x, yy, _l2, _v in points),
            "target": None if ind.target is None else y(ind.target),
            "xlabels": [(round(left + i * step_x, 1), label) for i, label in enumerate(labels)],
            "ticks": [(y(t), f"{t:g}") for t in ticks]}


def nice_scale(low: float, high: float, most_ticks: int = 5) -> tuple[float, float, float]:
    """Return an axis from low to high in round steps (1, 2, 2.5 or 5 times a power of ten): (start, end, step)."""
    import math

    if low == high:
        low, high = low - 1, high + 1
    rough = (high - low) / (most_ticks - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    if start == low and (start - step >= 0 or low < 0):
        start -= step  # room below the lowest point for its label
    if end == high:
        end += step
    return start, end, step


def describe(progress: data.Progress) -> str:
    """Return the chart's words: where the indicator started, where it is, the target and the verdict."""
    ind, unit = progress.indicator, progress.indicator.unit
    parts = []
    if ind.baseline is not None:
        parts.append(_("Baseline %(value)s%(unit)s.", value=_show(ind.baseline), unit=unit and f" {unit}"))
    for year, value in zip(progress.years, progress.values, strict=True):
        if value is not None:
            parts.append(_("%(year)s: %(value)s%(unit)s.", year=data.year_label(year), value=_show(value),
                           unit=unit and f" {unit}"))
    if ind.target is not None:
        parts.append(_("Target %(value)s%(unit)s.", value=_show(ind.target), unit=unit and f" {unit}"))
    parts.append(str(VERDICT_LABELS[progress.verdict]) + ".")
    if progress.verdict == "better" and progress.share_of_way is not None:
        parts.append(_("%(percent)d%% of the way from the baseline to the target.",
                       percent=round(progress.share_of_way * 100)))
    return " ".join(parts)


@bp.route("/plans/<int:plan_id>/progress")
@roles_required("planner")
def plan_progress(plan_id: int):  # type: ignore[no-untyped-def]
    """Show each outcome indicator's progress: a chart with words, and a table of every value."""
    plan = _plan_or_404(plan_id)
    rows = [(p, chart(p), describe(p)) for p in data.progress(plan)]
    return render_template("planner/plan_progress.html", plan=plan, rows=rows, years=data.plan_years(plan),
                           year_label=data.year_label, verdict_labels=VERDICT_LABELS, show=_show)


@bp.route("/c/<int:consultation_id>/year-on-year")
@roles_required("planner")
def year_on_year(consultation_id: int):  # type: ignore[no-untyped-def]
    """Compare an annual review with the consultation it was cloned from: reach, structured answers, themes."""
    consultation = consultation_or_404(consultation_id)
    review = data.review_of_consultation(consultation)
    previous = review.previous if review is not None else None
    result = data.year_on_year(consultation, previous) if previous is not None else None
    return render_template("planner/year_on_year.html", consultation=consultation, review=review,
                           previous=previous, result=result, year_label=data.year_label, section="pack")
