"""The safeguarding queue: only the safeguarding lead sees it, and every view is audited.

The queue lists the most urgent first (``analysis.urgency_rank``: the category, answers the screen could
not read with the most urgent), then the one waiting longest. The blueprint's setup also wires the
alerts into the app (``services.safeguarding_alerts.init_app``: emails, escalation, the command).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth import safeguarding_required
from ..auth.scope import current_partnership_id
from ..data import audit
from ..data import safeguarding as data
from ..extensions import db
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


@bp.route("/safeguarding")
@safeguarding_required
def safeguarding_queue():  # type: ignore[no-untyped-def]
    """List flagged responses, unreviewed first."""
    flags = data.queue(partnership_id=current_partnership_id() or 0)
    audit.record("safeguarding.queue_viewed", user_id=current_user.id, object_type="safeguarding_flag",
                 count=len(flags))
    db.session.commit()
    return render_template("planner/safeguarding_queue.html", flags=flags, **LABELS)


@bp.route("/safeguarding/<int:flag_id>", methods=["GET", "POST"])
@safeguarding_required
def safeguarding_flag(flag_id: int):  # type: ignore[no-untyped-def]
    """Show one flagged response (original text where kept) and record the review."""
    flag = data.get_flag(flag_id)
    if flag is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        data.record_review(flag, user_id=current_user.id, outcome=form.outcome.data)
        audit.record("safeguarding.reviewed", user_id=current_user.id, object_type="safeguarding_flag",
                     object_id=flag.id)
        db.session.commit()
        flash(_("Review recorded."))
        return redirect(url_for("planner.safeguarding_queue"), code=303)
    audit.record("safeguarding.flag_viewed", user_id=current_user.id, object_type="safeguarding_flag",
                 object_id=flag.id, response_id=flag.response_id)
    db.session.commit()
    return render_template("planner/safeguarding_flag.html", flag=flag, answers=data.flagged_answers(flag),
                           form=form, highlighted=data.highlighted, **LABELS), (400 if form.errors else 200)
