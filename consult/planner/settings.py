"""Words and settings a partnership's staff change: email wording per language, and retention."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from .. import clock
from ..auth import roles_required
from ..auth.scope import partnership_or_404  # the one scoped loader
from ..data import audit
from ..data import email_templates as template_data
from ..data import retention as retention_data
from ..i18n import LANGUAGE_NAMES, text_direction
from ..services import email_templates
from ..services.retention import apply_retention
from .themes import EmptyForm
from .views import bp

MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 3650


def _languages(partnership) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the partnership's languages, English first (the fallback every email has)."""
    langs = [lang for lang in (getattr(partnership, "languages", None) or ["en"]) if lang in LANGUAGE_NAMES]
    return ["en", *[lang for lang in langs if lang != "en"]]


@bp.route("/settings")
@roles_required("planner")
def settings_home():  # type: ignore[no-untyped-def]
    """List the settings staff can change."""
    partnership = partnership_or_404()
    return render_template("planner/settings.html", partnership=partnership,
                           kinds=email_templates.KINDS.values(),
                           customised=template_data.kinds_customised(partnership.id))


@bp.route("/settings/emails/<kind>", methods=["GET", "POST"])
@roles_required("planner")
def email_template(kind: str):  # type: ignore[no-untyped-def]
    """Write the partnership's wording of one kind of email in each of its languages; preview it."""
    spec = email_templates.KINDS.get(kind)
    if spec is None:
        abort(404)
    partnership = partnership_or_404()
    languages = _languages(partnership)
    stored = template_data.templates_for(partnership.id, kind)
    form = EmptyForm()
    errors: dict[str, str] = {}
    previews: dict[str, tuple[str, str]] = {}
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        action = request.form.get("action")
        if action == "reset":
            template_data.delete_templates(partnership.id, kind)
            audit.record("email_template.reset", user_id=current_user.id, object_type="partnership",
                         object_id=partnership.id, kind=kind)
            flash(_("Guth's standard wording is used again for this email."))
            return redirect(url_for("planner.email_template", kind=kind), code=303)
        texts = {lang: ((request.form.get(f"subject-{lang}") or "").strip(),
                        (request.form.get(f"body-{lang}") or "").replace("\r\n", "\n").strip())
                 for lang in languages}
        errors = email_templates.check(spec, texts, languages)
        if errors:
            status = 400
        elif action == "save":
            if any(s or b for s, b in texts.values()):
                template_data.save_templates(partnership.id, kind, texts, user_id=current_user.id)
            else:
                template_data.delete_templates(partnership.id, kind)
            audit.record("email_template.saved", user_id=current_user.id, object_type="partnership",
                         object_id=partnership.id, kind=kind, languages=len(languages))
            flash(_("Saved. Emails of this kind now use this wording."))
            return redirect(url_for("planner.email_template", kind=kind), code=303)
        else:
            sample = email_templates.sample_values(spec)
            previews = {lang: (email_templates.fill(s, sample), email_templates.fill(b, sample))
                        for lang, (s, b) in texts.items() if s or b}
    else:
        texts = {}
        for lang in languages:
            row = stored.get(lang)
            texts[lang] = (row.subject, row.body) if row else \
                email_templates.standard_wording(spec, lang) if not stored else ("", "")
    return render_template("planner/email_template.html", spec=spec, languages=languages, texts=texts,
                           errors=errors, previews=previews, customised=bool(stored),
                           placeholders=email_templates.PLACEHOLDERS, language_names=LANGUAGE_NAMES,
                           text_direction=text_direction,
                           form=form), status


class DaysField(IntegerField):
    """A whole number of days; anything else gets a message in words."""

    def process_formdata(self, valuelist: list) -> None:  # type: ignore[type-arg]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Enter a number of days, for example 730"))) from exc


class RetentionForm(FlaskForm):
    """How long the partnership keeps people's words."""

    retention_days = DaysField(
        _l("Keep people's words for this many days"),
        validators=[InputRequired(message=_l("Enter a number of days, for example 730")),
                    NumberRange(min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS,
                                message=_l("Enter a number of days from 30 to 3650 (ten years)"))],
        render_kw={"type": "text", "inputmode": "numeric", "spellcheck": "false"})


@bp.route("/settings/retention")
@roles_required("planner")
def retention_settings():  # type: ignore[no-untyped-def]
    """Show the retention period and what will be deleted and when (an admin can change the period)."""
    form = RetentionForm()
    partnership = partnership_or_404()
    form.retention_days.data = partnership.retention_days
    return _retention_page(partnership, form)


@bp.route("/settings/retention", methods=["POST"])
@roles_required("admin")
def retention_change():  # type: ignore[no-untyped-def]
    """Change how long the partnership keeps people's words."""
    partnership = partnership_or_404()
    form = RetentionForm()
    if not form.validate_on_submit():
        return _retention_page(partnership, form)
    before = partnership.retention_days
    retention_data.set_retention_days(partnership.id, int(form.retention_days.data))
    audit.record("retention.changed", user_id=current_user.id, object_type="partnership",
                 object_id=partnership.id, before=before, after=partnership.retention_days)
    flash(_("Saved. People's words are now kept for %(n)s days.", n=partnership.retention_days))
    return redirect(url_for("planner.retention_settings"), code=303)


def _retention_page(partnership, form: RetentionForm):  # type: ignore[no-untyped-def]
    now = clock.now()
    keep = timedelta(days=int(partnership.retention_days))
    rows = [(r, r.first_change + keep, r.last_change + keep) for r in retention_data.text_still_held(partnership.id)]
    due_now = apply_retention(partnership, now=now, dry_run=True)
    return render_template("planner/retention.html", partnership=partnership, form=form,
                           can_change=current_user.has_role("admin"), rows=rows, due_now=due_now,
                           today=clock.today()), (400 if form.errors else 200)
