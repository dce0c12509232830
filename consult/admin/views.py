"""Admin views: list users, add a user, change a user's roles, see and end a user's sessions, deactivate."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, Email, Length

from .. import uow
from ..auth import roles_required
from ..auth.scope import current_partnership_id, scope_blueprint
from ..data import users
from ..labels import ROLE_LABELS
from ..models import ROLES
from ..urls import parse_id

bp = Blueprint("admin", __name__, url_prefix="/admin")
scope_blueprint(bp)  # admins too see and act on only their own partnership's users



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


class RolesForm(FlaskForm):
    """Change what a member of staff may do."""

    roles = SelectMultipleField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES],
                                validators=[DataRequired(_l("Choose at least one role"))],
                                widget=widgets.ListWidget(prefix_label=False),
                                option_widget=widgets.CheckboxInput())
    submit = SubmitField(_l("Save roles"))


def user_error_message(exc: users.UserError) -> str:
    """Return the message for a user that could not be created or changed, in the person's language."""
    if exc.code == "unknown_role":
        return _("Unknown role: %(roles)s. Choose from %(all)s.", roles=", ".join(map(str, exc.details["roles"])),
                 all=", ".join(ROLES))
    messages = {
        "short_password": _("Password must be at least 10 characters"),
        "email_taken": _("A user with this email address already exists"),
        "no_roles": _("Choose at least one role"),
        "own_admin": _("You cannot take away your own admin role: ask another admin"),
    }
    return messages.get(exc.code, _("This could not be saved. Check the details and try again."))


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
            target = {"short_password": form.password, "unknown_role": form.roles}.get(exc.code, form.email)
            target.errors = [*target.errors, user_error_message(exc)]
        else:
            _record_and_tell_the_leads(made, "user.create")
            flash(_("User added."))
            return redirect(url_for("admin.user_list"))
    return render_template("admin/users.html", form=form, users=users.list_users(partnership_id=current_partnership_id() or 0),
                           role_labels=ROLE_LABELS, end_form=ConfirmForm()), (400 if form.errors else 200)


def _user_or_404(user_id: int):  # type: ignore[no-untyped-def]
    user = users.get_user(user_id)  # another partnership's user is already a 404 (consult.auth.scope)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def user_detail(user_id: int):  # type: ignore[no-untyped-def]
    """One member of staff: change their roles; see their sessions and end one or all of them."""
    user = _user_or_404(user_id)
    form = RolesForm(data={"roles": sorted(user.roles)})
    if form.validate_on_submit():
        before = sorted(user.roles)
        try:
            added, removed = users.set_roles(user, form.roles.data or [], by_user_id=current_user.id)
        except users.UserError as exc:
            form.roles.errors = [*form.roles.errors, user_error_message(exc)]
        else:
            if not added and not removed:
                flash(_("Nothing changed for %(name)s.", name=user.name))
            else:
                _record_and_tell_the_leads(user, "user.roles_change", before=before, added=added, removed=removed)
                flash(_("Saved the roles of %(name)s.", name=user.name))
            return redirect(url_for("admin.user_detail", user_id=user.id), code=303)
    return render_template("admin/user.html", user=user, form=form, sessions=users.live_sessions(user.id),
                           role_labels=ROLE_LABELS, end_form=ConfirmForm(), one_form=EndOneForm(),
                           own_hash=users.hash_token(session.get("staff_token") or ""),
                           format_datetime=format_datetime), \
        (400 if form.errors else 200)


class EndOneForm(FlaskForm):
    """A button that ends one session (its id travels in the form, not the URL)."""

    submit = SubmitField(_l("End this session"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@roles_required("admin")
def end_one_session(user_id: int):  # type: ignore[no-untyped-def]
    """End one session of a user (a lost phone, a shared computer)."""
    user = _user_or_404(user_id)
    if not EndOneForm().validate_on_submit():
        abort(400)
    session_id = parse_id(request.form.get("session", ""))
    if session_id is None or not users.end_one_session(user.id, session_id, by_user_id=current_user.id):
        abort(404)
    flash(_("Ended one session of %(name)s.", name=user.name))
    return redirect(url_for("admin.user_detail", user_id=user.id) + "#sessions", code=303)


def _record_and_tell_the_leads(user, action: str, *, before: list[str] | None = None,  # type: ignore[no-untyped-def]
                               added: list[str] | None = None, removed: list[str] | None = None) -> None:
    """Audit a staff change and email the partnership's safeguarding leads (who else can read disclosures).

    A change of roles is told to the leads only when it grants safeguarding (who may read disclosures).
    The change and its audit row are stored before any email leaves.
    """
    from ..data.audit import record
    from ..services import mail

    roles = sorted(user.roles)
    extra = {} if before is None else {"before": before, "added": added or [], "removed": removed or []}
    record(action, user_id=current_user.id, object_type="user", object_id=user.id, roles=roles,
           safeguarding="safeguarding" in roles, **extra)
    uow.commit_now()  # the change is stored before the leads are told of it
    if action == "user.roles_change" and "safeguarding" not in (added or []):
        return
    leads = [u for u in users.list_users(partnership_id=user.partnership_id or 0)
             if "safeguarding" in u.roles and u.active and u.id != user.id]
    if action == "user.create":
        subject = _("Guth: %(admin)s added %(name)s as %(roles)s", admin=current_user.name, name=user.name,
                    roles=", ".join(str(ROLE_LABELS[r]) for r in roles))
    elif action == "user.roles_change":
        subject = _("Guth: %(admin)s gave %(name)s the safeguarding role", admin=current_user.name, name=user.name)
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
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate yourself."))
        return redirect(url_for("admin.user_list"))
    user.active = False
    count = users.revoke_sessions(user_id, by_user_id=current_user.id)
    _record_and_tell_the_leads(user, "user.deactivate")
    flash(_("Deactivated %(name)s and ended %(count)d session(s).", name=user.name, count=count))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
@roles_required("admin")
def end_sessions(user_id: int):  # type: ignore[no-untyped-def]
    """End every session of a user at once."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    _user_or_404(user_id)
    count = users.revoke_sessions(user_id, by_user_id=current_user.id)
    flash(_("Ended %(count)d session(s).", count=count))
    back = request.form.get("back") == "user"
    return redirect(url_for("admin.user_detail", user_id=user_id) if back else url_for("admin.user_list"))
