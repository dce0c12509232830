"""Chat mode: the same questions as a conversation, stored exactly as form mode stores them.

Without JavaScript each turn is a normal post that re-renders the whole conversation;
respond.js sends the same post with fetch and adds the new turns to the log in place.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from forms import QUESTION_TYPES, AnswerData, localised
from forms.types.base import LABEL_SKIPPED
from forms.types.fields import CleanTextAreaField, TextChecks, text_render_kw

from ..auth.decorators import respondent_route
from ..extensions import csrf, db
from ..security import submission_limit
from . import flow
from .views import bp

CHOICE_BUTTON_TYPES = {"single_choice", "face_scale", "yes_no", "area"}


def follow_up_form(f: flow.Flow, core_id: str) -> FlaskForm:
    """Return the one gentle follow-up ("Can you tell me a bit more?") for a short free-text answer."""
    qdef = f.qdef(core_id)
    qtype = QUESTION_TYPES[qdef.type]
    limit = getattr(qtype, "max_length", lambda q: q.max_length or 1000)(qdef)
    text, _fell_back = localised(qdef.follow_up, f.lang)

    class FollowUpForm(FlaskForm):
        more = CleanTextAreaField(text, validators=[TextChecks(limit)], render_kw=text_render_kw(limit))
        skip = SubmitField(_l("Skip"))
        continue_ = SubmitField(_l("Send"))

    FollowUpForm.answer_fields = ("more",)
    FollowUpForm.question_text = text
    FollowUpForm.limit = limit
    return FollowUpForm()


def quick_replies(qdef) -> bool:  # type: ignore[no-untyped-def]
    """Return True when every answer can be one tap on a button."""
    return qdef.type in CHOICE_BUTTON_TYPES or (qdef.type == "picture_choice" and not qdef.spec.get("multiple"))


def conversation(f: flow.Flow) -> list[dict]:
    """Return the turns so far: each question asked and the person's answer (and any follow-up)."""
    answers = f.answers()
    data = flow.state()
    split, followed = data.get("split") or {}, set(data.get("followed") or [])
    turns = []
    for core_id in f.core_ids:
        if core_id not in answers:
            break
        cls = f.form_class(core_id)
        answer = answers[core_id]
        text = answer.text or ""
        n = split.get(core_id)
        more = None
        if n is not None and core_id in followed:
            if len(text) > n + 2 and text[n:n + 2] == "\n\n":
                answer, more = AnswerData(value=answer.value, text=text[:n]), text[n + 2:]
            else:
                more = ""
        turns.append({"id": core_id, "question": cls.question_text, "fell_back": cls.fell_back,
                      "answer": f.display(core_id, answer), "skipped": answer.skipped})
        if more is not None:
            follow_text, fell_back = localised(f.qdef(core_id).follow_up, f.lang)
            turns.append({"id": core_id + ":more", "question": follow_text, "fell_back": fell_back,
                          "answer": more or str(LABEL_SKIPPED), "skipped": not more})
    return turns


@bp.route("/c/<slug>/chat", methods=["GET", "POST"])
@csrf.exempt  # the forms check the token, so a stale page keeps what was typed
@respondent_route
@submission_limit
def chat(slug: str):  # type: ignore[no-untyped-def]
    """Ask the next question in the conversation; save each answer as it comes."""
    f, instead = flow.load(slug)
    if f is None:
        return instead
    follow = flow.state().get("follow")
    current = f.first_unanswered()
    status = 200
    if follow and follow in f.core_ids:
        form = follow_up_form(f, follow)
        if request.method == "POST":
            ok = form.validate()
            ok = flow.check_posted_question(form, follow + ":more", request.form.get("q")) and ok
            if flow.explain_csrf(form):
                ok, status = False, 400
            if ok:
                if not form.skip.data and form.more.data:
                    stored = f.answers()[follow]
                    qtype = QUESTION_TYPES[f.qdef(follow).type]
                    flow.store_answer(f, follow, qtype.with_follow_up(stored, form.more.data))
                flow.save_state(follow=None, followed=sorted(set(flow.state().get("followed") or []) | {follow}))
                db.session.commit()
                return redirect(url_for("respond.chat", slug=slug), code=303)
        return _render(f, form, follow, follow_up=True, status=status)
    if current is None:
        return redirect(url_for("respond.check", slug=slug), code=303)
    form = f.form(current, post=request.method == "POST")
    if request.method == "POST":
        ok = form.validate()
        ok = flow.check_posted_question(form, current, request.form.get("q")) and ok
        if flow.explain_csrf(form):
            ok, status = False, 400
        if ok:
            data = form.answer_data()
            flow.store_answer(f, current, data)
            qdef = f.qdef(current)
            asked = set(flow.state().get("asked") or [])
            if current not in asked and QUESTION_TYPES[qdef.type].needs_follow_up(qdef, data):
                split = dict(flow.state().get("split") or {})
                split[current] = len(data.text or "")
                flow.save_state(follow=current, asked=sorted(asked | {current}), split=split)
            db.session.commit()
            return redirect(url_for("respond.chat", slug=slug), code=303)
    return _render(f, form, current, follow_up=False, status=status)


def _render(f: flow.Flow, form: FlaskForm, core_id: str, *, follow_up: bool, status: int):  # type: ignore[no-untyped-def]
    qdef = f.qdef(core_id)
    return render_template(
        "respond/chat.html", f=f, form=form, core_id=core_id, qdef=qdef, follow_up=follow_up,
        turns=conversation(f), quick=not follow_up and quick_replies(qdef), number=f.index(core_id) + 1,
        total=len(f.core_ids), show_help=flow.pop_help(), intro=localised(f.variant.intro, f.lang),
        posted_q=(core_id + ":more") if follow_up else core_id), status


