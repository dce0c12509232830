"""You said, we did: record what was done about each theme or priority, per audience; preview; publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..auth import roles_required
from ..data import actions as data
from ..data import themes as theme_data
from ..data import trace as trace_data
from ..i18n import LANGUAGE_NAMES, current_language, text_direction
from ..labels import AGE_BAND_LABELS, AUDIENCE_LABELS
from ..models import AUDIENCES
from ..public.views import render_page
from ..services import we_did
from ..services.we_did import ADULTS, CHILD_BANDS
from ..urls import parse_id
from .themes import EmptyForm
from .views import ACTION_STATUS_LABELS, bp, consultation_or_404

TEXT_LIMIT = 2000


class ActionForm(FlaskForm):
    """One 'we did' entry; the per-language, per-audience texts are added per consultation."""

    target = SelectField(_l("What people said"), validators=[InputRequired(message=_l("Choose a theme or priority"))])
    status = RadioField(_l("What we did"), choices=list(ACTION_STATUS_LABELS.items()),
                        validators=[InputRequired(message=_l("Choose what was done"))])
    plan_action = SelectField(_l("The plan's action it links to"), validators=[Optional()])
    reason = TextAreaField(_l("Why we cannot do it"), validators=[Optional(), Length(max=TEXT_LIMIT)])


def _form(consultation, action=None):  # type: ignore[no-untyped-def]
    form = ActionForm() if action is None or request.method == "POST" else ActionForm(
        target=f"t{action.theme_id}" if action.theme_id else f"p{action.priority_id}", status=action.status,
        plan_action=str(action.plan_action_id or ""), reason=action.reason)
    themes = [t for t, n, _p in theme_data.theme_table(consultation) if n or (action and t.id == action.theme_id)]
    form.target.choices = [("", _("Choose a theme or priority"))]
    form.target.choices += [(f"t{t.id}", _("Theme: %(name)s", name=t.name)) for t in themes]
    form.target.choices += [(f"p{p.id}", _("Priority: %(name)s", name=p.title)) for p in consultation.plan.priorities]
    form.plan_action.choices = [("", _("None"))] + [(str(a.id), a.title) for a in data.plan_actions(consultation)]
    return form


def _registers(consultation) -> list[str]:  # type: ignore[no-untyped-def]
    return ["adult", *we_did.child_bands(consultation)]


def _texts_from(consultation, form_data) -> tuple[dict[str, dict[str, str]], dict[str, str]]:  # type: ignore[no-untyped-def]
    texts: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    registers = _registers(consultation)
    for lang in consultation.languages:
        for register in registers:
            value = " ".join((form_data.get(f"text-{lang}-{register}") or "").split())
            if len(value) > TEXT_LIMIT:
                errors[f"text-{lang}-{register}"] = _("Keep it to %(n)s characters or fewer", n=TEXT_LIMIT)
            texts.setdefault(lang, {})[register] = value
    for register in registers:
        if texts.get("en", {}).get(register):
            continue
        errors[f"text-en-{register}"] = (_("Write what was done, for adults, in English") if register == "adult" else
                                         _("Write what was done for %(ages)s, in English",
                                           ages=AGE_BAND_LABELS[register]))
    return texts, errors


def _values_of(consultation, action) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Return the form's text fields filled from a stored action (an old single child text fills every band)."""
    values: dict[str, str] = {}
    for register in _registers(consultation):
        for lang, text in we_did.texts_in(action, register).items():
            values[f"text-{lang}-{register}"] = text
    return values


def _save(consultation, form, action=None):  # type: ignore[no-untyped-def]
    """Validate the posted entry; store it and return (action, None), or return (None, text errors)."""
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
    if not (valid and not text_errors and (theme or priority)):
        return None, text_errors
    fields = {"status": form.status.data, "theme": theme, "priority": priority, "plan_action": plan_action,
              "texts": texts, "reason": (form.reason.data or "").strip()}
    if action is None:
        action = data.create_action(consultation, user_id=current_user.id, **fields)
    else:
        data.update_action(action, **fields)
    return action, {}


def _saved_message(consultation, action) -> str:  # type: ignore[no-untyped-def]
    problems = we_did.problems_for(action, we_did.child_bands(consultation), list(consultation.languages))
    if not problems:
        return _("Saved. Every child text is easy enough to read for its age. Check the previews before you publish.")
    ages = ", ".join(dict.fromkeys(str(AGE_BAND_LABELS[p.band]) for p in problems))
    return _("Saved. The text for %(ages)s is too hard to read yet: the pages cannot be published until it is "
             "easier.", ages=ages)


def _rows(consultation):  # type: ignore[no-untyped-def]
    """Return (action, [(band, English text, check)], other problems) for the list of recorded entries."""
    bands = we_did.child_bands(consultation)
    languages = list(consultation.languages)
    rows = []
    for a in data.actions_for(consultation):
        english = []
        for band in bands:
            text = we_did.texts_in(a, band).get("en", "")
            english.append((band, text, we_did.check_text(text, band, "en") if text else None))
        others = [p for p in we_did.problems_for(a, bands, languages) if p.lang != "en"]
        rows.append((a, english, others))
    return rows


def _previews(consultation) -> list[tuple[str, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    """Return [(audience label, [(language, preview URL)])] for every page × language."""
    pages = [(ADULTS, _("Adults"))] + [(b, str(AUDIENCE_LABELS[b])) for b in we_did.child_bands(consultation)]
    return [(label, [(lang, url_for("planner.we_did_preview", consultation_id=consultation.id, audience=slug,
                                    lang=lang)) for lang in consultation.languages]) for slug, label in pages]


def _page(consultation, form, *, text_errors=None, values=None, publish_problems=None, status=200):  # type: ignore[no-untyped-def]
    return render_template("planner/actions.html", consultation=consultation, form=form, rows=_rows(consultation),
                           text_errors=text_errors or {}, values=values or {}, language_names=LANGUAGE_NAMES,
                           registers=_registers(consultation), previews=_previews(consultation),
                           publish_problems=publish_problems or [], age_band_label=AGE_BAND_LABELS.get,
                           text_for=we_did.text_for, button_form=EmptyForm(), section="actions"), status


@bp.route("/c/<int:consultation_id>/we-did", methods=["GET", "POST"])
@roles_required("planner")
def actions(consultation_id: int):  # type: ignore[no-untyped-def]
    """List and record 'You said, we did' entries."""
    consultation = consultation_or_404(consultation_id)
    form = _form(consultation)
    if request.method != "POST":
        return _page(consultation, form)
    action, text_errors = _save(consultation, form)
    if action is not None:
        flash(_saved_message(consultation, action))
        return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
    values = {k: v for k, v in request.form.items() if k.startswith("text-")}
    return _page(consultation, form, text_errors=text_errors, values=values, status=400)


@bp.route("/c/<int:consultation_id>/we-did/<int:action_id>", methods=["GET", "POST"])
@roles_required("planner")
def edit_action(consultation_id: int, action_id: int):  # type: ignore[no-untyped-def]
    """Change an entry's texts (say, to make a child text easier to read) or what it is about."""
    consultation = consultation_or_404(consultation_id)
    row = data.get_action(consultation, action_id)
    if row is None:
        abort(404)
    form = _form(consultation, row)
    text_errors: dict[str, str] = {}
    values = _values_of(consultation, row)
    status = 200
    if request.method == "POST":
        saved, text_errors = _save(consultation, form, row)
        if saved is not None:
            flash(_saved_message(consultation, saved))
            return redirect(url_for("planner.actions", consultation_id=consultation.id, _anchor=f"action-{row.id}"),
                            code=303)
        values = {k: v for k, v in request.form.items() if k.startswith("text-")}
        status = 400
    checks = {f"text-{lang}-{band}": we_did.check_text(values[f"text-{lang}-{band}"], band, lang)
              for lang in consultation.languages for band in we_did.child_bands(consultation)
              if values.get(f"text-{lang}-{band}")}
    return render_template("planner/action_edit.html", consultation=consultation, form=form, action=row,
                           text_errors=text_errors, values=values, checks=checks, language_names=LANGUAGE_NAMES,
                           registers=_registers(consultation), age_band_label=AGE_BAND_LABELS.get,
                           section="actions"), status


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
    flash(_("Removed."))
    return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/publish", methods=["POST"])
@roles_required("planner")
def publish(consultation_id: int):  # type: ignore[no-untyped-def]
    """Publish (or take down) the public 'You said, we did' pages; refuse while a child text is too hard."""
    consultation = consultation_or_404(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("decision") == "unpublish":
        data.unpublish(consultation)
        flash(_("The public pages are no longer published."))
        return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
    try:
        we_did.publish(consultation)
    except we_did.PublishRefused as refused:
        if refused.kind == "no_actions":
            flash(_("Nothing was published: record at least one thing you did, will do or cannot do first."))
            return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)
        return _page(consultation, _form(consultation), publish_problems=refused.problems, status=400)
    flash(_("Published. Anyone can now read what came of the consultation."))
    return redirect(url_for("planner.actions", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/we-did/preview/<audience>/<lang>")
@roles_required("planner")
def we_did_preview(consultation_id: int, audience: str, lang: str):  # type: ignore[no-untyped-def]
    """Show a public page (adults, or one age band) in one language exactly as it will be published."""
    consultation = consultation_or_404(consultation_id)
    # A child band's code shows its page; "adults", or any adult audience (parents, organisations …), the adult page.
    band = audience if audience in CHILD_BANDS else ADULTS if audience == ADULTS or audience in AUDIENCES else None
    if band is None or (band != ADULTS and band not in we_did.child_bands(consultation)) \
            or lang not in consultation.languages:
        abort(404)

    def link(other: str, language: str = lang) -> str:
        return url_for("planner.we_did_preview", consultation_id=consultation.id, audience=other, lang=language)

    names = {ADULTS: _("Adults"), **{b: str(AUDIENCE_LABELS[b]) for b in CHILD_BANDS}}
    preview = {
        "lang": current_language(), "dir": text_direction(),
        "title": _("Preview: not published yet"),
        "showing": _("Page: %(who)s. Language: %(language)s. This is exactly how it will look once published.",
                     who=names[band], language=LANGUAGE_NAMES[lang]),
        "pages_label": _("Other pages"), "languages_label": _("Other languages"),
        "pages": [(names[b], link(b), b == band) for b in [ADULTS, *we_did.child_bands(consultation)]],
        "languages": [(code, LANGUAGE_NAMES.get(code, code), link(band, code), code == lang)
                      for code in consultation.languages],
        "back": url_for("planner.actions", consultation_id=consultation.id),
        "back_label": _("Back to “You said, we did”"),
    }
    with force_locale(lang):
        return render_page(consultation, band, link=link, preview=preview)
