"""The safeguarding queue: only the safeguarding lead sees it, and every view is audited.

The queue lists the most urgent first (``analysis.urgency_rank``: the category, answers the screen could
not read with the most urgent), then the one waiting longest. The blueprint's setup also wires the
alerts into the app (``services.safeguarding_alerts.init_app``: emails, escalation, the command).
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from .. import uow
from ..auth import safeguarding_required
from ..auth.scope import current_partnership_id
from ..data import audit
from ..data import safeguarding as data
from ..labels import not_screened_reason_label, safeguarding_category_label
from ..services import safeguarding_alerts
from .views import bp

bp.record_once(lambda state: safeguarding_alerts.init_app(state.app))


def language_label(code: str) -> str:
    """Return a language's name in the page's language ("Romanian", "rumuński"), from Babel's own data."""
    if not code or code == "und":
        return _("a language it could not tell")
    try:
        name = get_locale().languages.get(code)  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        name = None
    return name or code


LABELS = {"category_label": safeguarding_category_label, "reason_label": not_screened_reason_label,
          "language_label": language_label, "format_datetime": format_datetime}


class ReviewForm(FlaskForm):
    """What the safeguarding lead did about a flag."""

    outcome = TextAreaField(_l("What was done"), filters=[lambda s: s.strip() if isinstance(s, str) else s],
                            validators=[DataRequired(message=_l("Say what was done, for example who was contacted")),
                                        Length(max=5000)])
    concern = RadioField(
        _l("Is there a safeguarding concern?"),
        choices=[("yes", _l("Yes, or not sure: keep these answers out of the analysis")),
                 ("no", _l("No concern: return these answers to the analysis"))],
        default="yes", validate_choice=False)  # anything but "no" is read as a concern: the safe side


EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


def _lines(value: object) -> list[str]:
    return [line.strip() for line in str(value or "").replace(",", "\n").replace(";", "\n").splitlines()
            if line.strip()]


def _emails_only(form: FlaskForm, field: TextAreaField) -> None:
    bad = [line for line in _lines(field.data) if not EMAIL.match(line)]
    if bad:
        raise ValidationError(_("Write one email address on each line, like name@council.gov.uk "
                                "(this is not one: %(value)s)", value=bad[0][:80]))
    if len(_lines(field.data)) > 20:
        raise ValidationError(_("Name at most 20 people"))


class ContactsForm(FlaskForm):
    """Who hears at once of a possible disclosure, and who is told when nobody reviews it in time."""

    contacts = TextAreaField(_l("Safeguarding contacts"), validators=[Length(max=5000), _emails_only])
    deputies = TextAreaField(_l("Deputies"), validators=[Length(max=5000), _emails_only])
    escalate_minutes = IntegerField(
        _l("Tell the deputies after this many minutes"),
        validators=[InputRequired(message=_l("Enter a number of minutes, for example 60")),
                    NumberRange(min=5, max=1440, message=_l("Enter a number of minutes from 5 to 1440"))],
        render_kw={"type": "text", "inputmode": "numeric", "spellcheck": "false"})


@bp.route("/safeguarding/contacts", methods=["GET", "POST"])
@safeguarding_required
def safeguarding_contacts():  # type: ignore[no-untyped-def]
    """Name who is emailed at once of each flag, the deputies, and when the deputies are told."""
    partnership = data.get_partnership(current_partnership_id() or 0)
    if partnership is None:
        abort(404)
    form = ContactsForm()
    if request.method == "GET":
        form.contacts.data = "\n".join(partnership.safeguarding_contacts or [])
        form.deputies.data = "\n".join(partnership.safeguarding_deputies or [])
        form.escalate_minutes.data = partnership.safeguarding_escalate_minutes
    elif form.validate_on_submit():
        data.set_contacts(partnership, contacts=_lines(form.contacts.data), deputies=_lines(form.deputies.data),
                          escalate_minutes=form.escalate_minutes.data)
        audit.record("safeguarding.contacts_changed", user_id=current_user.id, object_type="partnership",
                     object_id=partnership.id, contacts=len(partnership.safeguarding_contacts),
                     deputies=len(partnership.safeguarding_deputies),
                     minutes=partnership.safeguarding_escalate_minutes)
        flash(_("Saved. New flags are emailed to these people."))
        return redirect(url_for("planner.safeguarding_contacts"), code=303)
    leads = data.safeguarding_leads(partnership.id)
    return render_template("planner/safeguarding_contacts.html", form=form, leads=leads), \
        (400 if form.errors else 200)


@bp.route("/safeguarding")
@safeguarding_required
def safeguarding_queue():  # type: ignore[no-untyped-def]
    """List flagged responses, unreviewed first."""
    flags = data.queue(partnership_id=current_partnership_id() or 0)
    audit.record("safeguarding.queue_viewed", user_id=current_user.id, object_type="safeguarding_flag",
                 count=len(flags))
    return render_template("planner/safeguarding_queue.html", flags=flags, **LABELS)


@bp.route("/safeguarding/<int:flag_id>", methods=["GET", "POST"])
@safeguarding_required
def safeguarding_flag(flag_id: int):  # type: ignore[no-untyped-def]
    """Show one flagged response (original text where kept) and record the review."""
    flag = data.get_flag(flag_id)
    if flag is None:
        abort(404)
    form = ReviewForm()
    if request.method == "GET" and flag.concern is False:
        form.concern.data = "no"
    if form.validate_on_submit():
        concern = form.concern.data != "no"
        data.record_review(flag, user_id=current_user.id, outcome=form.outcome.data, concern=concern)
        audit.record("safeguarding.reviewed", user_id=current_user.id, object_type="safeguarding_flag",
                     object_id=flag.id, concern=concern)
        flash(_("Review recorded."))
        return redirect(url_for("planner.safeguarding_queue"), code=303)
    audit.record("safeguarding.flag_viewed", user_id=current_user.id, object_type="safeguarding_flag",
                 object_id=flag.id, response_id=flag.response_id)
    uow.commit_now()  # who read a disclosure is kept even when the page then answers 400 (a review not filled in)
    return render_template("planner/safeguarding_flag.html", flag=flag, answers=data.flagged_answers(flag),
                           form=form, highlighted=data.highlighted, **LABELS), (400 if form.errors else 200)
