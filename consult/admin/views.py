"""Admin views: list users, add a user, end a user's sessions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, Email, Length

from ..auth import roles_required
from ..auth.scope import current_partnership_id, scope_blueprint
from ..data import users
from ..extensions import db
from ..models import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")
scope_blueprint(bp)  # admins too see and act on only their own partnership's users

ROLE_LABELS = {
    "admin": _l("Admin"),
    "planner": _l("Planner"),
    "tsi": _l("Third Sector Interface coordinator"),
    "safeguarding": _l("Safeguarding lead"),
    "moderator": _l("Moderator"),
}


class UserForm(FlaskForm):
    """Add a member of staff."""

    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter a name")), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter an email address")),
                                                         Email(_l("Enter an email address like name@example.org")),
                                                         Length(max=320)])
    password = PasswordField(_l("Password (at least 10 characters)"),
                             validators=[DataRequired(_l("Enter a password")), Length(min=10, max=500,
                                         message=_l("Password must be at least 10 characters"))],
                             render_kw={"autocomplete": "new-password"})
    roles = SelectMultipleField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES],
                                validators=[DataRequired(_l("Choose at least one role"))],
                                widget=widgets.ListWidget(prefix_label=False),
                                option_widget=widgets.CheckboxInput())
    submit = SubmitField(_l("Add user"))


class ConfirmForm(FlaskForm):
    """A button that needs only a CSRF token."""

    submit = SubmitField(_l("End all sessions"))


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def user_list():  # type: ignore[no-untyped-def]
    """List staff and add a new member of staff."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            made = users.create_user(email=form.email.data or "", name=form.name.data or "",
                                     password=form.password.data or "", roles=form.roles.data or [],
                                     partnership_id=current_user.partnership_id)
        except users.UserError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            _record_and_tell_the_leads(made, "user.create")
            db.session.commit()
            flash(_("User added."))
            return redirect(url_for("admin.user_list"))
    return render_template("admin/users.html", form=form, users=users.list_users(partnership_id=current_partnership_id() or 0),
                           role_labels=ROLE_LABELS, end_form=ConfirmForm())


def _record_and_tell_the_leads(user, action: str) -> None:  # type: ignore[no-untyped-def]
    """Audit a staff change and email the partnership's safeguarding leads (who else can read disclosures)."""
    from ..data.audit import record
    from ..services import mail

    roles = sorted(user.roles)
    record(action, user_id=current_user.id, object_type="user", object_id=user.id, roles=roles,
           safeguarding="safeguarding" in roles)
    leads = [u for u in users.list_users(partnership_id=user.partnership_id or 0)
             if "safeguarding" in u.roles and u.active and u.id != user.id]
    if action == "user.create":
        subject = _("Guth: %(admin)s added %(name)s as %(roles)s", admin=current_user.name, name=user.name,
                    roles=", ".join(str(ROLE_LABELS[r]) for r in roles))
    else:
        subject = _("Guth: %(admin)s deactivated %(name)s", admin=current_user.name, name=user.name)
    body = _("%(subject)s.\n\nYou are told because you are a safeguarding lead of this partnership: staff with "
             "the safeguarding role can read disclosures. If this was not expected, tell your admin at once.",
             subject=subject) + "\n"
    for lead in leads:
        mail.send(to=lead.email, subject=subject, body=body, partnership_id=user.partnership_id)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required("admin")
def deactivate(user_id: int):  # type: ignore[no-untyped-def]
    """Stop a member of staff signing in, and end every session they have."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user = users.get_user(user_id)  # another partnership's user is already a 404 (consult.auth.scope)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate yourself."))
        return redirect(url_for("admin.user_list"))
    user.active = False
    _record_and_tell_the_leads(user, "user.deactivate")
    count = users.revoke_sessions(user_id, by_user_id=current_user.id)  # commits
    flash(_("Deactivated %(name)s and ended %(count)d session(s).", name=user.name, count=count))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
@roles_required("admin")
def end_sessions(user_id: int):  # type: ignore[no-untyped-def]
    """End every session of a user at once."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if users.get_user(user_id) is None:  # another partnership's user is already a 404 (consult.auth.scope)
        abort(404)
    count = users.revoke_sessions(user_id, by_user_id=current_user.id)
    flash(_("Ended %(count)d session(s).", count=count))
    return redirect(url_for("admin.user_list"))
