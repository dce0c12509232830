"""A consultation's schedule and lifecycle: dates, reminder, publishing time; schedule it or put it back to draft.

Also wires the lifecycle into the app (``services.lifecycle.init_app``: the sweep's timer, the
``flask lifecycle-sweep`` command and the template helper).
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField
from wtforms.validators import InputRequired, Optional

from .. import clock
from ..auth import roles_required
from ..data import audit
from ..services import lifecycle
from .themes import EmptyForm
from .views import bp, consultation_or_404

bp.record_once(lambda state: lifecycle.init_app(state.app))

STEPS = [("draft", _l("Draft")), ("scheduled", _l("Scheduled")), ("open", _l("Open for answers")),
         ("closed", _l("Closed")), ("published", _l("Results published"))]
_DATE_HINT = _l("Enter a real date, like 2027-03-01")


class ScheduleForm(FlaskForm):
    """The dates a consultation runs on, its reminder and when its results are published."""

    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=_l("Enter the opening date"))],
                         invalid_value_message=_DATE_HINT)
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(message=_l("Enter the closing date"))],
                          invalid_value_message=_DATE_HINT)
    remind_on = DateField(_l("Remind organisations that have not answered on"), validators=[Optional()],
                          invalid_value_message=_DATE_HINT)
    publish_at = DateTimeLocalField(_l("Publish the results at"), validators=[Optional()],
                                    invalid_value_message=_l("Enter a real date and time, like 2027-06-01 09:00"))


def _proposed(form: ScheduleForm) -> lifecycle.Schedule:
    publish_at = form.publish_at.data
    if isinstance(publish_at, datetime) and publish_at.tzinfo is None:
        publish_at = publish_at.replace(tzinfo=clock.LOCAL_ZONE)  # as typed: Scottish time
    return lifecycle.Schedule(form.opens_on.data, form.closes_on.data, form.remind_on.data, publish_at)


def _stored(consultation) -> lifecycle.Schedule:  # type: ignore[no-untyped-def]
    return lifecycle.Schedule(consultation.opens_on, consultation.closes_on, consultation.remind_on,
                              consultation.publish_at)


@bp.route("/c/<int:consultation_id>/schedule", methods=["GET", "POST"])
@roles_required("planner")
def lifecycle_page(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show where the consultation is in its lifecycle; change its schedule; schedule a draft."""
    consultation = consultation_or_404(consultation_id)
    partnership = consultation.plan.partnership
    form = ScheduleForm()
    if request.method == "GET":
        form.opens_on.data, form.closes_on.data = consultation.opens_on, consultation.closes_on
        form.remind_on.data = consultation.remind_on
        if consultation.publish_at is not None:
            form.publish_at.data = clock.as_local(consultation.publish_at).replace(tzinfo=None)
    status = 200
    if request.method == "POST":
        valid = form.validate_on_submit()
        if form.opens_on.data and form.closes_on.data:  # check what parsed, so every problem shows at once
            proposed = _proposed(form)
            checked = lifecycle.check_schedule(consultation, proposed, partnership)
            for name, message in checked.errors.items():
                if not getattr(form, name).errors:
                    getattr(form, name).errors = [*getattr(form, name).errors, message]
            if valid and not checked.errors:
                before = lifecycle.state_of(consultation)
                lifecycle.apply_schedule(consultation, proposed)
                if request.form.get("action") == "schedule":
                    lifecycle.schedule(consultation)
                after = lifecycle.state_of(consultation)
                audit.record("consultation.schedule_changed", user_id=current_user.id, object_type="consultation",
                             object_id=consultation.id, before=before, after=after)
                flash(_("Saved. The consultation is now: %(state)s.", state=dict(STEPS)[after]))
                for warning in checked.warnings:
                    flash(warning)
                return redirect(url_for("planner.lifecycle_page", consultation_id=consultation.id), code=303)
        status = 400
    warnings = [] if status == 400 else lifecycle.check_schedule(consultation, _stored(consultation),
                                                                 partnership).warnings
    return render_template(
        "planner/lifecycle.html", consultation=consultation, form=form, steps=STEPS, warnings=warnings,
        state=lifecycle.state_of(consultation), answering=lifecycle.answering_state(consultation),
        overdue=lifecycle.publication_overdue(consultation), today=clock.today(),
        publish_at_local=clock.as_local(consultation.publish_at) if consultation.publish_at else None,
        button_form=EmptyForm(), section="schedule"), status


@bp.route("/c/<int:consultation_id>/schedule/draft", methods=["POST"])
@roles_required("planner")
def lifecycle_to_draft(consultation_id: int):  # type: ignore[no-untyped-def]
    """Put a scheduled consultation that has not opened back to draft."""
    consultation = consultation_or_404(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if lifecycle.answering_state(consultation) != "scheduled":
        flash(_("Only a consultation that has not opened yet can go back to draft."))
    else:
        lifecycle.return_to_draft(consultation)
        flash(_("Back to draft. It will not open until you schedule it again."))
    return redirect(url_for("planner.lifecycle_page", consultation_id=consultation.id), code=303)
