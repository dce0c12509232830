"""Operator views: the partnerships on this Guth, each one's settings, and its first planner.

Operators belong to no partnership, so this blueprint is not partnership-scoped (consult.auth.scope):
its only objects are partnerships and their staff accounts, and no page here shows an answer.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import operator_required
from ..data import partnerships as data
from ..data import users
from ..i18n import LANGUAGE_NAMES
from .forms import PartnershipForm, PlannerForm

bp = Blueprint("operator", __name__, url_prefix="/operator")


def partnership_error_message(exc: data.PartnershipError) -> str:
    """Return the words for a partnership that could not be saved."""
    if exc.code == "name_taken":
        return _("Another partnership already has this name. Choose a different name.")
    if exc.code == "no_areas":
        return _("Enter at least one area, one on each line")
    if exc.code == "area_in_use":
        return _("“%(area)s” cannot be removed: answers or population counts use it. Keep it in the list.",
                 area=exc.details.get("area", ""))
    return _("Enter a number from %(low)s to %(high)s", low=exc.details.get("low"), high=exc.details.get("high"))


def planner_error_message(exc: users.UserError) -> str:
    """Return the words for a planner who could not be added."""
    if exc.code == "email_taken":
        return _("Someone on this Guth already signs in with this email address. Use a different one.")
    if exc.code == "short_password":
        return _("Password must be at least 10 characters")
    return _("This member of staff could not be added.")


@bp.route("/")
@operator_required
def partnerships():  # type: ignore[no-untyped-def]
    """List the partnerships on this Guth."""
    return render_template("operator/partnerships.html", rows=data.list_partnerships(),
                           language_names=LANGUAGE_NAMES)


def _save(form: PartnershipForm, partnership=None):  # type: ignore[no-untyped-def]
    """Save the form; return the partnership, or None after putting the error on its field."""
    try:
        return data.save_partnership(partnership, by_user_id=current_user.id, **form.values())
    except data.PartnershipError as exc:
        field = getattr(form, exc.field, form.name)
        field.errors = [*field.errors, partnership_error_message(exc)]
        return None


@bp.route("/partnerships/new", methods=["GET", "POST"])
@operator_required
def partnership_new():  # type: ignore[no-untyped-def]
    """Set up a new partnership."""
    form = PartnershipForm()
    if request.method == "GET":
        for key, value in data.DEFAULTS.items():
            getattr(form, key).data = value
        form.languages.data = ["en"]
    elif form.validate_on_submit():
        made = _save(form)
        if made is not None:
            flash(_("Partnership “%(name)s” set up. Now add its first planner.", name=made.name))
            return redirect(url_for("operator.planner_new", partnership_id=made.id), code=303)
    return render_template("operator/partnership_form.html", form=form, partnership=None), \
        (400 if form.errors else 200)


@bp.route("/partnerships/<int:partnership_id>", methods=["GET", "POST"])
@operator_required
def partnership_edit(partnership_id: int):  # type: ignore[no-untyped-def]
    """Change a partnership's settings."""
    partnership = data.get(partnership_id)
    if partnership is None:
        abort(404)
    form = PartnershipForm()
    if request.method == "GET":
        form.name.data, form.local_authority.data = partnership.name, partnership.local_authority
        form.health_board.data = partnership.health_board
        form.areas.data = "\n".join(a.name for a in partnership.areas)
        form.languages.data = list(partnership.languages or ["en"])
        form.safeguarding_contacts.data = "\n".join(partnership.safeguarding_contacts or [])
        form.safeguarding_deputies.data = "\n".join(partnership.safeguarding_deputies or [])
        for key in data.SETTING_BOUNDS:
            getattr(form, key).data = getattr(partnership, key)
    elif form.validate_on_submit() and _save(form, partnership) is not None:
        flash(_("Saved."))
        return redirect(url_for("operator.partnership_edit", partnership_id=partnership.id), code=303)
    return render_template("operator/partnership_form.html", form=form, partnership=partnership,
                           staff=data.staff_of(partnership.id)), (400 if form.errors else 200)


@bp.route("/partnerships/<int:partnership_id>/planner", methods=["GET", "POST"])
@operator_required
def planner_new(partnership_id: int):  # type: ignore[no-untyped-def]
    """Add a planner (by default also its admin) to a partnership."""
    partnership = data.get(partnership_id)
    if partnership is None:
        abort(404)
    form = PlannerForm()
    if form.validate_on_submit():
        try:
            made = data.create_first_planner(partnership, name=(form.name.data or "").strip(),
                                             email=form.email.data or "", password=form.password.data or "",
                                             admin=bool(form.admin.data), by_user_id=current_user.id)
        except users.UserError as exc:
            target = form.password if exc.code == "short_password" else form.email
            target.errors = [*target.errors, planner_error_message(exc)]
        else:
            flash(_("%(name)s can now sign in as a planner of %(partnership)s.", name=made.name,
                    partnership=partnership.name))
            return redirect(url_for("operator.partnership_edit", partnership_id=partnership.id), code=303)
    return render_template("operator/planner_form.html", form=form, partnership=partnership,
                           staff=data.staff_of(partnership.id)), (400 if form.errors else 200)
