"""Preview any audience of a consultation in form mode or chat mode, in any of its languages.

The respondent's own pieces draw it: the forms package builds each question's WTForm in the chosen
language, and the respondent templates' macros (respond/_fields.html, respond/_text.html) render it,
inside ``force_locale`` so the app's own words (Skip, Continue, "I'd rather not say") are in that
language too. It works with JavaScript off (every step is a normal post) and on (static/respond.js
sends chat turns with fetch, as on the real chat). Nothing is stored: answers are only checked, and a
chat's earlier turns travel in hidden fields of the preview's own form, so the preview creates no
response and counts as no answer.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_wtf import FlaskForm
from markupsafe import Markup

from forms import CHILD_AUDIENCES, QUESTION_TYPES, RTL_LANGUAGES, SUPPORTED_LANGUAGES, build_form

from ..auth import roles_required
from ..data import consultations
from ..i18n import LANGUAGE_NAMES
from .views import audience_label, bp, consultation_or_404

MAX_TURNS = 60
MAX_TURN_CHARS = 2000


def _choice(value: str | None, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


@bp.route("/c/<int:consultation_id>/preview", methods=["GET", "POST"])
@roles_required("planner")
def preview(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show one question of an audience as respondents see it, in form or chat mode; answers are only checked."""
    consultation = consultation_or_404(consultation_id)
    definition = consultations.definition_of(consultation)
    audiences = definition.audience_codes
    langs = [lang for lang in SUPPORTED_LANGUAGES if lang in definition.languages]
    args = request.args
    audience = _choice(args.get("audience"), audiences, audiences[0])
    lang = _choice(args.get("lang"), langs, "en")
    mode = _choice(args.get("mode"), ["form", "chat"], "form")
    easy = args.get("easy") == "1"
    variant = definition.audience(audience)
    core_ids = variant.core_ids
    posted_q = request.form.get("q") if request.method == "POST" else None
    core_id = _choice(posted_q or args.get("q"), core_ids, core_ids[0])
    areas = [(a.code, a.name) for a in consultation.plan.partnership.areas]
    params = {"consultation_id": consultation.id, "audience": audience, "lang": lang, "mode": mode,
              **({"easy": "1"} if easy else {})}
    turns = _posted_turns(core_ids) if request.method == "POST" and mode == "chat" else []
    finished = False
    with force_locale(lang):
        qdef = variant.question(core_id)
        cls = build_form(qdef, lang, base=FlaskForm, area_options=areas, easy_read=easy)
        form = cls() if request.method == "POST" else cls(formdata=None)
        if request.method == "POST" and form.validate():
            i = core_ids.index(core_id)
            following = core_ids[i + 1] if i + 1 < len(core_ids) else None
            if mode == "form":
                if following is None:
                    return redirect(url_for("planner.preview", q=core_id, done="1", **params), code=303)
                return redirect(url_for("planner.preview", q=following, **params), code=303)
            shown = QUESTION_TYPES[qdef.type].display(qdef, form.answer_data(), lang, area_options=areas)
            turns = [*turns, (core_id, str(shown)[:MAX_TURN_CHARS])][-MAX_TURNS:]
            if following is None:
                finished = True
            else:
                core_id = following
                qdef = variant.question(core_id)
                cls = build_form(qdef, lang, base=FlaskForm, area_options=areas, easy_read=easy)
                form = cls(formdata=None)
        finished = finished or args.get("done") == "1"
        number = core_ids.index(core_id) + 1
        context: dict[str, Any] = {
            "consultation": consultation, "variant": variant, "form": form, "qdef": qdef, "core_id": core_id,
            "number": number, "total": len(core_ids), "plang": lang, "mode": mode, "easy": easy, "params": params,
            "turns": [(variant.question(c), text) for c, text in turns], "finished": finished,
            "is_child": audience in CHILD_AUDIENCES,
            "previous": core_ids[number - 2] if number > 1 else None,
            "next_q": core_ids[number] if number < len(core_ids) else None,
        }
        fragment = Markup(render_template(f"planner/_preview_{mode}.html", **context))
    return render_template("planner/preview.html", fragment=fragment, audiences=audiences, langs=langs,
                           lang_names=LANGUAGE_NAMES, audience_label=audience_label,
                           preview_dir="rtl" if lang in RTL_LANGUAGES else "ltr", section="definition", **context)


def _posted_turns(core_ids: list[str]) -> list[tuple[str, str]]:
    """Read the chat's earlier turns from the preview form's hidden fields (bounded; unknown questions dropped)."""
    turns = []
    for raw in request.form.getlist("said")[:MAX_TURNS]:
        core_id, sep, text = raw.partition("|")
        if sep and core_id in core_ids:
            turns.append((core_id, text[:MAX_TURN_CHARS]))
    return turns
