"""The safeguarding queue: only the safeguarding lead sees it, and every view is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
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
from .views import bp


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
    return render_template("planner/safeguarding_queue.html", flags=flags)


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
                           form=form), (400 if form.errors else 200)
