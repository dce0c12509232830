"""A theme's names for the public pages: a child-friendly English name, and both names in each other language."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import roles_required
from ..data import theme_names as data
from ..data import themes as theme_data
from ..i18n import LANGUAGE_NAMES
from .themes import EmptyForm
from .views import bp, consultation_or_404


def names_values(consultation, theme) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Return the names form's fields as stored: ``child_name-en`` and ``name-gd`` / ``child_name-gd`` …"""
    values = {"child_name-en": theme.child_name or ""}
    for lang in consultation.languages:
        if lang != "en":
            for part in ("name", "child_name"):
                values[f"{part}-{lang}"] = (theme.translations or {}).get(lang, {}).get(part, "")
    return values


def _from_form(consultation) -> tuple[dict[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    keys = ["child_name-en"] + [f"{part}-{lang}" for lang in consultation.languages if lang != "en"
                                for part in ("name", "child_name")]
    for key in keys:
        values[key] = " ".join((request.form.get(key) or "").split())
        if len(values[key]) > data.NAME_LIMIT:
            errors[key] = _("Keep the name to %(n)s characters or fewer", n=data.NAME_LIMIT)
    return values, errors


@bp.route("/c/<int:consultation_id>/themes/<int:theme_id>/names", methods=["POST"])
@roles_required("planner")
def theme_names(consultation_id: int, theme_id: int):  # type: ignore[no-untyped-def]
    """Save the names public pages show for a theme, in English for children and in each other language."""
    consultation = consultation_or_404(consultation_id)
    theme = theme_data.get_theme(consultation, theme_id)
    if theme is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    values, errors = _from_form(consultation)
    if errors:
        return render_template("planner/theme_names.html", consultation=consultation, theme=theme, values=values,
                               name_errors=errors, language_names=LANGUAGE_NAMES, section="themes"), 400
    translations = {lang: {part: values[f"{part}-{lang}"] for part in ("name", "child_name")}
                    for lang in consultation.languages if lang != "en"}
    data.set_names(theme, child_name=values["child_name-en"], translations=translations)
    flash(_("Names for the public pages saved."))
    return redirect(url_for("planner.theme", consultation_id=consultation.id, theme_id=theme.id,
                            _anchor="public-names"), code=303)
