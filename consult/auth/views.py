"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, login_required, login_user, logout_user

from ..data import users
from ..security import login_limit
from ..urls import safe_next
from .decorators import public_route, staff_route
from .forms import LoginForm

bp = Blueprint("auth", __name__, url_prefix="/staff")


def init_login(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login: users load only through a live server-side session."""
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.session_protection = "strong"

    @manager.user_loader
    def load(user_id: str):  # type: ignore[no-untyped-def]
        token = session.get("staff_token")
        if not token:
            return None
        return users.user_for_session(token, int(user_id), idle=app.config["STAFF_IDLE_MINUTES"],
                                      absolute=app.config["STAFF_ABSOLUTE_HOURS"])


@bp.route("/login", methods=["GET", "POST"])
@public_route
@login_limit
def login():  # type: ignore[no-untyped-def]
    """Sign a member of staff in."""
    form = LoginForm()
    if form.validate_on_submit():
        # A filled honeypot is a robot: answer exactly as for a wrong password, check nothing.
        user = None if form.honeypot_filled() else users.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.email.errors = [*form.email.errors, _("Email address or password is not right")]
        else:
            session.clear()  # rotate: nothing from before sign-in survives it, CSRF token included
            g.pop("csrf_token", None)
            session["staff_token"] = users.start_session(user)
            login_user(user)
            flash(_("You are signed in."))
            return redirect(safe_next(request.args.get("next")) or landing_page(user))
    return render_template("auth/login.html", form=form)


def landing_page(user) -> str:  # type: ignore[no-untyped-def]
    """Return the first page a member of staff may see after signing in (admins alone: the user list)."""
    if user.roles & {"planner", "tsi", "moderator", "safeguarding"}:
        return url_for("planner.home")
    if "admin" in user.roles:
        return url_for("admin.user_list")
    if "operator" in user.roles:
        return url_for("operator.partnerships")
    return url_for("planner.home")


@bp.route("/logout", methods=["POST"])
@staff_route
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Sign out and end the server-side session."""
    token = session.get("staff_token")
    if token:
        users.end_session(token)
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))
