"""The question editor: each audience's questions in forms, not YAML.

List, add, move up or down and remove questions; edit one audience's wording, options and pictures,
with each English text's readability against the audience's target (on save, and as you type with
static/editor.js). Every change goes through consult/data/questions.py, which validates the whole
definition, keeps core ids (answers compare across audiences) and protects answered questions.
Saves carry the question's version: a save over someone else's newer edit is refused, their
version is shown and the planner's own text stays in the form.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from forms import QUESTION_TYPES, READABILITY_TARGETS, check_readability, list_pictures
from forms.definition import COMMON_QUESTION_KEYS

from ..auth import roles_required
from ..data import consultations
from ..data import questions as qdata
from ..data.audit import record
from ..i18n import LANGUAGE_NAMES
from ..labels import TYPE_LABELS
from ..models import Consultation
from ..urls import parse_id
from .definitions import problem_messages
from .views import audience_label, bp, consultation_or_404

OPTION_TYPES = {"single_choice", "multiple_choice", "picture_choice", "rank_top3", "area"}
TEXT_TYPES = {"short_text", "long_text", "agree_priority"}
PROSE = ("text", "easy_read", "help", "follow_up", "why")  # language maps the editor writes
BLANK_OPTION_ROWS = 2
MAX_TEXT = 2000


def type_label(code: str) -> str:
    """Return a question type's name in words."""
    return str(TYPE_LABELS.get(code, code))


def _lang(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# ---- the forms ---------------------------------------------------------------------------------

class AddQuestionForm(FlaskForm):
    """A new question: who is asked it, its type, English wording and (for choices) options."""

    audiences = SelectField(_l("Ask"))  # replaced per consultation by a list of checkboxes' values
    qtype = SelectField(_l("Question type"), choices=[(k, v) for k, v in TYPE_LABELS.items()])
    wording = TextAreaField(_l("Question in English"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": "2"})
    options = TextAreaField(_l("Options in English, one on each line"), render_kw={"rows": "4"})
    priority = SelectField(_l("Priority the question is about"), validate_choice=False)


def editor_form_class(langs: list[str], option_rows: int, priorities: list[tuple[str, str]]) -> type[FlaskForm]:
    """Build the edit form for one question in a consultation with these languages."""
    attrs: dict[str, Any] = {
        "version": HiddenField(),
        "type": SelectField(_l("Question type"), choices=[(k, v) for k, v in TYPE_LABELS.items()]),
        "required": BooleanField(_l("People must answer this question (they cannot skip it)")),
        "picture": SelectField(_l("Picture"), choices=[("", _l("No picture"))] + [(p, p) for p in list_pictures()]),
        "max_length": IntegerField(_l("Longest answer, in characters"), validators=[
            Optional(), NumberRange(min=10, max=5000, message=_l("Enter a number from 10 to 5000"))]),
        "multiple": BooleanField(_l("People can choose more than one picture")),
        "priority": SelectField(_l("Priority the question is about"), choices=priorities, validate_choice=False),
    }
    labels = {"text": _l("Question in %(language)s"), "easy_read": _l("Easy-read question in %(language)s"),
              "help": _l("Help text in %(language)s"), "follow_up": _l("Follow-up question in %(language)s"),
              "why": _l("Question for their reasons, in %(language)s"),
              "picture_alt": _l("Picture description in %(language)s")}
    for lang in langs:
        for key, label in labels.items():
            attrs[f"{key}_{lang}"] = TextAreaField(str(label) % {"language": _lang(lang)}, validators=[
                Length(max=MAX_TEXT, message=_l("Must be %(n)s characters or fewer", n=MAX_TEXT))],
                render_kw={"rows": "2", "lang": lang, **({"dir": "rtl"} if lang == "ar" else {})})
        for k in range(5):
            attrs[f"face_{k}_{lang}"] = StringField(
                _("Face %(n)s in %(language)s", n=k + 1, language=_lang(lang)),
                render_kw={"lang": lang, **({"dir": "rtl"} if lang == "ar" else {})})
    for i in range(option_rows):
        attrs[f"opt_{i}_value"] = HiddenField()
        attrs[f"opt_{i}_picture"] = SelectField(_("Picture for option %(n)s", n=i + 1),
                                                choices=[("", _l("No picture"))] + [(p, p) for p in list_pictures()],
                                                validate_choice=False)  # the definition checks the file
        for lang in langs:
            attrs[f"opt_{i}_{lang}"] = StringField(
                _("Option %(n)s in %(language)s", n=i + 1, language=_lang(lang)),
                render_kw={"lang": lang, **({"dir": "rtl"} if lang == "ar" else {})})
    return type("QuestionEditForm", (FlaskForm,), attrs)


def form_data(spec: dict[str, Any], langs: list[str], version: int) -> dict[str, Any]:
    """Return the edit form's data for a stored question spec."""
    data: dict[str, Any] = {"version": str(version), "type": spec.get("type"),
                            "required": spec.get("optional") is False, "max_length": spec.get("max_length"),
                            "multiple": bool(spec.get("multiple")), "priority": spec.get("priority")}
    for key in PROSE:
        for lang, text in (spec.get(key) or {}).items():
            data[f"{key}_{lang}"] = text
    picture = spec.get("picture") or {}
    data["picture"] = picture.get("src", "")
    for lang, text in (picture.get("alt") or {}).items():
        data[f"picture_alt_{lang}"] = text
    for k, label in enumerate(spec.get("labels") or []):
        for lang, text in label.items():
            data[f"face_{k}_{lang}"] = text
    for i, opt in enumerate(spec.get("options") or []):
        data[f"opt_{i}_value"] = opt.get("value")
        data[f"opt_{i}_picture"] = (opt.get("picture") or {}).get("src", "")
        for lang, text in (opt.get("label") or {}).items():
            data[f"opt_{i}_{lang}"] = text
    return data


def _langmap(form: FlaskForm, prefix: str, langs: list[str]) -> dict[str, str]:
    out = {}
    for lang in langs:
        value = (form[f"{prefix}_{lang}"].data or "").strip()
        if value:
            out[lang] = value
    return out


def spec_from(form: FlaskForm, old: dict[str, Any], langs: list[str], option_rows: int) -> dict[str, Any]:
    """Return the question spec the edit form describes; keys the editor does not show are kept from ``old``."""
    qtype = form.type.data
    allowed = COMMON_QUESTION_KEYS | QUESTION_TYPES[qtype].extra_keys
    shown = {"type", "text", "easy_read", "help", "picture", "optional", "options", "labels", "max_length",
             "follow_up", "why", "multiple", "priority"}
    spec: dict[str, Any] = {k: v for k, v in old.items() if k in allowed and k not in shown}
    spec["type"] = qtype
    spec["text"] = _langmap(form, "text", langs)
    for key in ("easy_read", "help"):
        if _langmap(form, key, langs):
            spec[key] = _langmap(form, key, langs)
    if form.picture.data:
        spec["picture"] = {"src": form.picture.data, "alt": _langmap(form, "picture_alt", langs)}
    if form.required.data:
        spec["optional"] = False
    extra = QUESTION_TYPES[qtype].extra_keys
    if "options" in extra:
        options, used = [], set()
        before = {o.get("value"): o for o in old.get("options") or [] if isinstance(o, dict)}
        for i in range(option_rows):
            label = _langmap(form, f"opt_{i}", langs)
            if not label:
                continue
            value = form[f"opt_{i}_value"].data or qdata.new_core_id_from(label.get("en") or "option", used)
            used.add(value)
            option: dict[str, Any] = {"value": value, "label": label}
            src = form[f"opt_{i}_picture"].data
            if src:
                kept = (before.get(value) or {}).get("picture") or {}
                option["picture"] = {"src": src, "alt": kept.get("alt") if kept.get("src") == src else dict(label)}
            options.append(option)
        if options or qtype != "area":
            spec["options"] = options
    if "labels" in extra:
        labels = [_langmap(form, f"face_{k}", langs) for k in range(5)]
        if any(labels):
            spec["labels"] = labels
    if "max_length" in extra and form.max_length.data:
        spec["max_length"] = form.max_length.data
    if "follow_up" in extra and _langmap(form, "follow_up", langs):
        spec["follow_up"] = _langmap(form, "follow_up", langs)
    if "why" in extra and _langmap(form, "why", langs):
        spec["why"] = _langmap(form, "why", langs)
    if "multiple" in extra and form.multiple.data:
        spec["multiple"] = True
    if "priority" in extra:
        spec["priority"] = form.priority.data or None
    return spec


def _field_for(rest: list[str | int]) -> str | None:
    """Return the edit form field a problem's path (after the question's own) belongs to."""
    if not rest:
        return "text_en"
    head = rest[0]
    lang = next((t for t in rest[1:] if isinstance(t, str) and t in LANGUAGE_NAMES), "en")
    if head in PROSE:
        return f"{head}_{lang}"
    if head == "picture":
        return f"picture_alt_{lang}" if "alt" in rest else "picture"
    if head == "options":
        if len(rest) > 1 and isinstance(rest[1], int):
            return f"opt_{rest[1]}_picture" if "picture" in rest else f"opt_{rest[1]}_{lang}"
        return "opt_0_en"
    if head == "labels":
        k = rest[1] if len(rest) > 1 and isinstance(rest[1], int) else 0
        return f"face_{k}_{lang}"
    if head in ("type", "max_length", "priority", "multiple"):
        return str(head)
    if head == "optional":
        return "required"
    return None


def place_errors(form: FlaskForm, errors: list[str], path: str) -> list[str]:
    """Put each path-named problem on its field; return those that belong to no field of this form."""
    from forms.locate import path_tokens

    left = []
    for error in errors:
        where, _sep, message = error.partition(": ")
        message = message[:1].upper() + message[1:] if message else error
        if where == path or where.startswith(path + ".") or where.startswith(path + "["):
            name = _field_for(path_tokens(where[len(path):]))
            if name and name in form:
                form[name].errors = [*form[name].errors, message]
                continue
        left.append(error)
    return left


def _readability(text: str, audience: str) -> dict[str, Any]:
    """Return a text's readability against the audience's target as a sentence and whether it meets it."""
    check = check_readability(text, audience)
    r, t = check.readability, check.target
    message = _("Reading ease %(ease)s (target %(min_ease)s or more), grade %(grade)s (target %(max_grade)s or less), "
                "longest sentence %(wps)s words (target %(max_wps)s or fewer).", ease=r.reading_ease,
                min_ease=t.min_ease, grade=r.grade, max_grade=t.max_grade, wps=r.longest_sentence, max_wps=t.max_wps)
    verdict = _("Meets the target.") if check.ok else _("Misses the target.")
    return {"ok": check.ok, "message": f"{message} {verdict}"}


# ---- pages -------------------------------------------------------------------------------------

def _question_or_404(consultation: Consultation, audience: str, core: str):  # type: ignore[no-untyped-def]
    question = qdata.find(consultation, audience, core)
    if question is None:
        abort(404)
    return question


def _list_page(consultation: Consultation, add_form: AddQuestionForm, chosen: list[str], status: int = 200):  # type: ignore[no-untyped-def]
    answered = qdata.answered_ids(consultation)
    rows = []
    for variant in consultation.variants:
        items = []
        for q in variant.questions:
            english = (q.spec.get("text") or {}).get("en", "")
            items.append({"q": q, "text": english, "answered": q.id in answered,
                          "readability": _readability(english, variant.audience) if english else None})
        rows.append({"variant": variant, "questions": items})
    return render_template("planner/questions.html", consultation=consultation, rows=rows, add_form=add_form,
                           chosen=chosen, type_label=type_label, section="definition",
                           error_title=bool(add_form.errors)), status


def _priorities(consultation: Consultation) -> list[tuple[str, str]]:
    return [(p.key, p.title) for p in consultation.plan.priorities]


@bp.route("/c/<int:consultation_id>/questions")
@roles_required("planner")
def questions(consultation_id: int):  # type: ignore[no-untyped-def]
    """List each audience's questions, with buttons to edit, move and remove them, and a form to add one."""
    consultation = consultation_or_404(consultation_id)
    form = AddQuestionForm(formdata=None)
    form.priority.choices = _priorities(consultation)
    return _list_page(consultation, form, [v.audience for v in consultation.variants])


@bp.route("/c/<int:consultation_id>/questions/add", methods=["POST"])
@roles_required("planner")
def question_add(consultation_id: int):  # type: ignore[no-untyped-def]
    """Add a question to the chosen audiences (one core id for all of them)."""
    consultation = consultation_or_404(consultation_id)
    form = AddQuestionForm()
    form.priority.choices = _priorities(consultation)
    have = [v.audience for v in consultation.variants]
    chosen = [a for a in request.form.getlist("audience") if a in have]
    form.audiences.choices = [(a, a) for a in have]
    form.audiences.data = chosen[0] if chosen else None
    form.validate()
    form.audiences.errors = [] if chosen else [_("Choose at least one audience to ask")]
    if not (form.wording.data or "").strip():
        form.wording.errors = [*form.wording.errors, _("Enter the question in English")]
    qtype = form.qtype.data
    spec: dict[str, Any] = {"type": qtype, "text": {"en": (form.wording.data or "").strip()}}
    if qtype in OPTION_TYPES:
        lines = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
        if lines or qtype != "area":
            used: set[str] = set()
            spec["options"] = []
            for line in lines:
                value = qdata.new_core_id_from(line, used)
                used.add(value)
                spec["options"].append({"value": value, "label": {"en": line}})
    if qtype == "agree_priority":
        spec["priority"] = form.priority.data or None
    if not form.errors:
        try:
            core_id = qdata.add(consultation, chosen, spec)
        except qdata.Invalid as exc:
            _add_errors(form, problem_messages(exc.errors))
        else:
            record("consultation.question_add", user_id=current_user.id, object_type="consultation",
                   object_id=consultation.id)
            flash(_("Added the question to %(n)s audiences. Write each audience's wording next.", n=len(chosen))
                  if len(chosen) > 1 else _("Added the question."))
            return redirect(url_for("planner.question_edit", consultation_id=consultation.id, audience=chosen[0],
                                    core=core_id), code=303)
    return _list_page(consultation, form, chosen, 400)


def _add_errors(form: AddQuestionForm, errors: list[str]) -> None:
    for error in errors:
        where, _sep, message = error.partition(": ")
        message = message[:1].upper() + message[1:]
        target = (form.options if ".options" in where else form.qtype if where.endswith(".type")
                  else form.priority if ".priority" in where else form.wording)
        if message not in target.errors:
            target.errors = [*target.errors, message]


@bp.route("/c/<int:consultation_id>/questions/<audience>/<core>/move", methods=["POST"])
@roles_required("planner")
def question_move(consultation_id: int, audience: str, core: str):  # type: ignore[no-untyped-def]
    """Move a question up or down in its audience's version."""
    consultation = consultation_or_404(consultation_id)
    _question_or_404(consultation, audience, core)
    step = -1 if request.form.get("direction") == "up" else 1
    qdata.move(consultation, audience, core, step)
    return redirect(url_for("planner.questions", consultation_id=consultation.id, _anchor=f"q-{audience}-{core}"),
                    code=303)


@bp.route("/c/<int:consultation_id>/questions/<audience>/<core>/remove", methods=["POST"])
@roles_required("planner")
def question_remove(consultation_id: int, audience: str, core: str):  # type: ignore[no-untyped-def]
    """Remove a question from one audience's version, unless people have answered it."""
    consultation = consultation_or_404(consultation_id)
    question = _question_or_404(consultation, audience, core)
    wording = (question.spec.get("text") or {}).get("en", core)
    try:
        qdata.remove(consultation, audience, core)
    except qdata.QuestionAnswered:
        flash(_("‘%(q)s’ cannot be removed: people have answered it, and their answers keep its meaning. "
                "You can still change its wording.", q=wording), "error")
        return redirect(url_for("planner.questions", consultation_id=consultation.id,
                                _anchor=f"q-{audience}-{core}"), code=303)
    except qdata.LastQuestion:
        flash(_("‘%(q)s’ is the only question for %(audience)s, so it cannot be removed.", q=wording,
                audience=audience_label(audience)), "error")
        return redirect(url_for("planner.questions", consultation_id=consultation.id), code=303)
    record("consultation.question_remove", user_id=current_user.id, object_type="consultation",
           object_id=consultation.id)
    flash(_("Removed ‘%(q)s’ from %(audience)s.", q=wording, audience=audience_label(audience)))
    return redirect(url_for("planner.questions", consultation_id=consultation.id, _anchor=f"audience-{audience}"),
                    code=303)


@bp.route("/c/<int:consultation_id>/questions/<audience>/<core>", methods=["GET", "POST"])
@roles_required("planner")
def question_edit(consultation_id: int, audience: str, core: str):  # type: ignore[no-untyped-def]
    """Edit one audience's version of a question; refuse a save over someone else's newer edit."""
    consultation = consultation_or_404(consultation_id)
    question = _question_or_404(consultation, audience, core)
    langs = list(consultation.languages or ["en"])
    stored = dict(question.spec)
    # parse_id: ASCII digits within range or nothing (int() raised a 500 on "²", "x" or 5,000 digits)
    rows = max(len(stored.get("options") or []), parse_id(request.form.get("option_rows")) or 0) + BLANK_OPTION_ROWS
    rows = min(rows, 30 + BLANK_OPTION_ROWS)
    cls = editor_form_class(langs, rows, _priorities(consultation))
    theirs = None
    general: list[str] = []
    if request.method == "POST":
        form = cls()
        if form.validate():
            version = parse_id(form.version.data) or 0
            spec = spec_from(form, stored, langs, rows)
            try:
                qdata.save(consultation, audience, core, spec, expected_version=version)
            except qdata.EditConflict as exc:
                theirs = dict(exc.current.spec)
                form.version.data = str(exc.current.version)  # saving again knowingly replaces theirs
                form.text_en.errors = [_("This question was changed by someone else while you were editing it. "
                                         "Their version is shown below; your text is kept here. Check both, "
                                         "then save again.")]
            except qdata.Invalid as exc:
                path = qdata.question_path(consultations.definition_of(consultation).to_dict(), audience, core)
                general = place_errors(form, problem_messages(exc.errors), path)
                if general and not form.errors:
                    form.text_en.errors = [_("The question could not be saved; see the problems listed above.")]
            else:
                record("consultation.question_edit", user_id=current_user.id, object_type="consultation",
                       object_id=consultation.id)
                flash(_("Saved the question."))
                return redirect(url_for("planner.question_edit", consultation_id=consultation.id,
                                        audience=audience, core=core), code=303)
    else:
        form = cls(formdata=None, data=form_data(stored, langs, question.version or 1))
    qtype = form.type.data if form.type.data in QUESTION_TYPES else question.type
    readability = {}
    for key in PROSE:
        text = (form[f"{key}_en"].data or "").strip()
        if text:
            readability[f"{key}_en"] = _readability(text, audience)
    others = [v.audience for v in consultation.variants if v.audience != audience
              and any(q.core_id == core for q in v.questions)]
    has_errors = bool(form.errors) or bool(general)
    return render_template(
        "planner/question_edit.html", consultation=consultation, question=question, form=form, langs=langs,
        audience=audience, core=core, qtype=qtype, option_rows=rows, readability=readability, theirs=theirs,
        general=general, others=others, answered=qdata.is_answered(question), type_label=type_label,
        target=READABILITY_TARGETS[audience], section="definition", error_title=has_errors,
        option_types=OPTION_TYPES, text_types=TEXT_TYPES), (409 if theirs else 400 if has_errors else 200)


@bp.route("/c/<int:consultation_id>/readability/<audience>", methods=["POST"])
@roles_required("planner")
def readability_check(consultation_id: int, audience: str):  # type: ignore[no-untyped-def]
    """Score English wording against the audience's target, for the editor's as-you-type note (JSON)."""
    consultation_or_404(consultation_id)
    if audience not in READABILITY_TARGETS:
        abort(404)
    text = (request.form.get("text") or "")[:MAX_TEXT]
    if not text.strip():
        return jsonify(ok=None, message="")
    return jsonify(**_readability(text, audience))
