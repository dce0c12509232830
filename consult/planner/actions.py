"""You said, we did: record what was done about each theme or priority, check the child text, publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from forms import check_readability

from ..auth import roles_required
from ..data import actions as data
from ..data import themes as theme_data
from ..data import trace as trace_data
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..urls import parse_id
from .themes import EmptyForm
from .views import ACTION_STATUS_LABELS, bp, consultation_or_404

TEXT_LIMIT = 2000


class ActionForm(FlaskForm):
    """One 'we did' entry; the per-language texts are added per consultation."""

    target = SelectField(_l("What people said"), validators=[InputRequired(message=_l("Choose a theme or priority"))])
    status = RadioField(_l("What we did"), choices=list(ACTION_STATUS_LABELS.items()),
                        validators=[InputRequired(message=_l("Choose what was done"))])
    plan_action = SelectField(_l("The plan's action it links to"), validators=[Optional()])
    reason = TextAreaField(_l("Why we cannot do it"), validators=[Optional(), Length(max=TEXT_LIMIT)])


def _form(consultation):  # type: ignore[no-untyped-def]
    form = ActionForm()
    themes = [t for t, n, _p in theme_data.theme_table(consultation) if n]
    form.target.choices = [("", _("Choose a theme or priority"))]
    form.target.choices += [(f"t{t.id}", _("Theme: %(name)s", name=t.name)) for t in themes]
    form.target.choices += [(f"p{p.id}", _("Priority: %(name)s", name=p.title)) for p in consultation.plan.priorities]
    form.plan_action.choices = [("", _("None"))] + [(str(a.id), a.title) for a in data.plan_actions(consultation)]
    return form


def _texts_from(consultation, form_data) -> tuple[dict[str, dict[str, str]], dict[str, str]]:  # type: ignore[no-untyped-def]
    texts: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for lang in consultation.languages:
        for register in ("adult", "child"):
            value = " ".join((form_data.get(f"text-{lang}-{register}") or "").split())
            if len(value) > TEXT_LIMIT:
                errors[f"text-{lang}-{register}"] = _("Keep it to %(n)s characters or fewer", n=TEXT_LIMIT)
            texts.setdefault(lang, {})[register] = value
    for register, message in (("adult", _("Write what was done, for adults, in English")),
                              ("child", _("Write what was done in words children understand, in English"))):
        if not texts.get("en", {}).get(register):
            errors[f"text-en-{register}"] = message
    return texts, errors


@bp.route("/c/<int:consultation_id>/we-did", methods=["GET", "POST"])
@roles_required("planner")
def actions(consultation_id: int):  # type: ignore[no-untyped-def]
    """List and record 'You said, we did' entries."""
    consultation = consultation_or_404(consultation_id)
    form = _form(consultation)
    text_errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k.startswith("text-")}
        texts, text_errors = _texts_from(consultation, request.form)
        valid = form.validate_on_submit()
        if form.status.data == "cannot_do" and not (form.reason.data or "").strip():
            form.reason.errors = [*form.reason.errors, _("Say why it cannot be done")]
            valid = False
        target = form.target.data or ""
        target_id = parse_id(target[1:])
        theme = theme_data.get_theme(consultation, target_id) if target[:1] == "t" and target_id else None
        priority = trace_data.get_priority(consultation, target_id) if target[:1] == "p" and target_id else None
        plan_action = next((a for a in data.plan_actions(consultation) if str(a.id) == form.plan_action.data), None)
        if valid and not text_errors and (theme or priority):
            data.create_action(consultation, status=form.status.data, theme=theme, priority=priority,
                               plan_action=plan_action, texts=texts, reason=(form.reason.data or "").strip(),
                               user_id=current_user.id)
            db.session.commit()
            flash(_("Saved. Check how easy the child-friendly text is to read below."))
            return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
        status = 400
    rows = []
    for a in data.actions_for(consultation):
        child = (a.texts or {}).get("en", {}).get("child", "")
        rows.append((a, check_readability(child, "child_8_11") if child else None))
    return render_template("planner/actions.html", consultation=consultation, form=form, rows=rows,
                           text_errors=text_errors, values=values, language_names=LANGUAGE_NAMES,
                           button_form=EmptyForm(), section="actions"), status


@bp.route("/c/<int:consultation_id>/we-did/<int:action_id>/delete", methods=["POST"])
@roles_required("planner")
def delete_action(consultation_id: int, action_id: int):  # type: ignore[no-untyped-def]
    """Remove an entry."""
    consultation = consultation_or_404(consultation_id)
    row = data.get_action(consultation, action_id)
    if row is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    data.delete_action(row)
    db.session.commit()
    flash(_("Removed."))
    return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/publish", methods=["POST"])
@roles_required("planner")
def publish(consultation_id: int):  # type: ignore[no-untyped-def]
    """Publish (or take down) the public 'You said, we did' pages."""
    consultation = consultation_or_404(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("decision") == "unpublish":
        data.unpublish(consultation)
        db.session.commit()
        flash(_("The public pages are no longer published."))
        return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
    try:
        data.publish(consultation)
    except data.PublishError:
        db.session.rollback()
        flash(_("Nothing was published: record at least one thing you did, will do or cannot do first."))
        return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
    db.session.commit()
    flash(_("Published. Anyone can now read what came of the consultation."))
    return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
