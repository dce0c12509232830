"""Chat mode: the same questions as a conversation, stored exactly as form mode stores them.

Without JavaScript each turn is a normal post that re-renders the whole conversation;
respond.js sends the same post with fetch and updates the log in place.

"Change my last answer" is a button inside the chat form, so what the person had typed for the
question in front of them is posted with it. The answer to change is shown again, filled in, with
that typing carried along in hidden "draft" fields (never stored, never in the session); sending
the new answer (or "Keep my old answer") comes back to the question they were on with the typing
restored. Nothing about the change lives in the session, so a stale or repeated Back only shows the
same page again, and a repeated send stores the same answer again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SubmitField

from forms import QUESTION_TYPES, AnswerData, localised
from forms.types.base import LABEL_SKIPPED
from forms.types.fields import CleanTextAreaField, TextChecks, text_render_kw

from ..auth.decorators import respondent_route
from ..extensions import csrf, db
from ..security import submission_limit
from ..services import answers as answers_service
from . import flow
from .conversation import GONE, STALE, TAMPERED, Conversation
from .conversation import KEY as CONVERSATION_KEY
from .views import bp

CHOICE_BUTTON_TYPES = {"single_choice", "face_scale", "yes_no", "area"}
MORE = ":more"  # the posted "q" of a question's follow-up
CHANGE = ":change"  # the posted "q" of a question reopened by "Change my last answer"
DRAFT_PREFIX = "draft|"  # hidden fields "draft|<q>|<field>" carry typing from the question left behind
DRAFT_NAME = re.compile(r"^draft\|([a-z0-9_]{1,64}(?::more)?)\|([a-z0-9_]{1,32})$")
DRAFT_MAX_VALUES = 40
QUESTION_ANCHOR = "chat-question"  # the id of the question being asked: each turn's page opens there
DRAFT_MAX_CHARS = 20_000


def follow_up_form(f: flow.Flow, core_id: str, **kwargs) -> FlaskForm:  # type: ignore[no-untyped-def]
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
    return FollowUpForm(**kwargs)


def quick_replies(qdef) -> bool:  # type: ignore[no-untyped-def]
    """Return True when every answer can be one tap on a button."""
    return qdef.type in CHOICE_BUTTON_TYPES or (qdef.type == "picture_choice" and not qdef.spec.get("multiple"))


def split_answer(answer: AnswerData, core_id: str, follow_ups: dict[str, str]) -> tuple[AnswerData, str | None]:
    """Return (the answer to the question itself, its follow-up reply: None if none, "" if skipped)."""
    return answer, follow_ups.get(core_id)


def conversation(f: flow.Flow) -> list[dict]:
    """Return the turns so far: each question asked and the person's answer (and any follow-up)."""
    answers = f.answers()
    follow_ups = _follow_ups(f)
    turns = []
    for core_id in f.core_ids:
        if core_id not in answers:
            break
        cls = f.form_class(core_id)
        answer, more = split_answer(answers[core_id], core_id, follow_ups)
        turns.append({"id": core_id, "question": cls.question_text, "fell_back": cls.fell_back,
                      "answer": f.display(core_id, answer), "skipped": answer.skipped})
        if more is not None:
            follow_text, fell_back = localised(f.qdef(core_id).follow_up, f.lang)
            turns.append({"id": core_id + MORE, "question": follow_text, "fell_back": fell_back,
                          "answer": more or str(LABEL_SKIPPED), "skipped": not more})
    return turns


# ---- the conversation's state (consult/respond/conversation.py), in this person's session ---------

def _follow_ups(f: flow.Flow) -> dict[str, str]:
    cached = f.__dict__.get("_follow_ups")
    if cached is None:
        cached = f.__dict__["_follow_ups"] = answers_service.follow_ups_of(f.state.id)
    return cached


def talk(f: flow.Flow) -> Conversation:
    """Return this person's conversation (checked against the response and definition; see ``load``)."""
    conv = f.__dict__.get("_conversation")
    if conv is None:
        conv, problem = Conversation.load(session.get(CONVERSATION_KEY), rid=f.state.id,
                                          version=f.info.definition_version or 1, core_ids=f.core_ids,
                                          answers=f.answers())
        f.__dict__["_conversation"], f.__dict__["_problem"] = conv, problem
        if problem is not None:
            session[CONVERSATION_KEY] = conv.dump()
    return conv


def keep(f: flow.Flow, conv: Conversation) -> None:
    """Remember the conversation after a transition."""
    f.__dict__["_conversation"] = conv
    f.__dict__.pop("_follow_ups", None)
    session[CONVERSATION_KEY] = conv.dump()


def frontier(f: flow.Flow) -> tuple[str, bool] | None:
    """Return (core id, is the follow-up) of the question the person is on, or None when all are answered."""
    return talk(f).front(f.core_ids, f.answers())


def last_answered(f: flow.Flow, front: tuple[str, bool]) -> str | None:
    """Return the question whose answer "Change my last answer" reopens, or None at the first question."""
    return Conversation.last_answered(front, f.core_ids)


def _position(f: flow.Flow, q: str) -> int:
    """Return where a posted "q" (a question, or its follow-up) comes in the conversation."""
    return 2 * f.index(q.removesuffix(MORE)) + (1 if q.endswith(MORE) else 0)


def _store_follow_up(f: flow.Flow, core_id: str, reply: str | None) -> None:
    q = f.question(core_id)
    if answers_service.record_follow_up(response_id=f.state.id, question_id=q.id, audience=f.state.audience,
                                        reply=reply, partnership=f.info, text_policy=f.info.original_text_policy,
                                        language_hint=f.lang):
        flow.save_state(help=True)
    f.__dict__.pop("_follow_ups", None)


# ---- typing carried across a change ---------------------------------------------------------------

@dataclass
class Drafts:
    """What was typed for questions left behind by "Change my last answer", by posted "q"."""

    by_q: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def posted(cls, f: flow.Flow) -> Drafts:
        """Read the hidden draft fields of the posted page (bounded; unknown questions ignored)."""
        drafts = cls()
        count = 0
        for name, value in request.form.items(multi=True):
            match = DRAFT_NAME.match(name)
            if not match or count >= DRAFT_MAX_VALUES:
                continue
            q, field_name = match.groups()
            if q.removesuffix(MORE) not in f.core_ids:
                continue
            drafts.by_q.setdefault(q, []).append((field_name, value[:DRAFT_MAX_CHARS]))
            count += 1
        drafts.prune(f)
        return drafts

    def prune(self, f: flow.Flow) -> None:
        """Forget drafts of questions before the one the person is on (left over from a stale page)."""
        front = frontier(f)
        if front is None:
            self.by_q.clear()
            return
        here = _position(f, front[0] + MORE if front[1] else front[0])
        self.by_q = {q: items for q, items in self.by_q.items() if _position(f, q) >= here}

    def keep_typed(self, q: str, names: tuple[str, ...]) -> None:
        """Add what was posted in the answer fields ``names`` as the draft of question ``q``."""
        items = [(n, v[:DRAFT_MAX_CHARS]) for n in names for v in request.form.getlist(n)]
        if any(v.strip() for _, v in items):
            self.by_q[q] = items[:DRAFT_MAX_VALUES]

    def take(self, q: str) -> MultiDict | None:
        """Remove and return the draft of question ``q`` as form data, or None."""
        items = self.by_q.pop(q, None)
        return MultiDict(items) if items else None

    def hidden(self) -> list[tuple[str, str]]:
        """Return (name, value) hidden fields that carry every draft on to the next post."""
        return [(f"{DRAFT_PREFIX}{q}|{n}", v) for q, items in self.by_q.items() for n, v in items]

    def __bool__(self) -> bool:
        return any(any(v.strip() for _, v in items) for items in self.by_q.values())


# ---- the page --------------------------------------------------------------------------------------

@bp.route("/c/<slug>/chat", methods=["GET", "POST"])
@csrf.exempt  # the forms check the token, so a stale page keeps what was typed
@respondent_route
@submission_limit
def chat(slug: str):  # type: ignore[no-untyped-def]
    """Ask the next question in the conversation; save each answer as it comes."""
    f, instead = flow.load(slug)
    if f is None:
        return instead
    drafts = Drafts.posted(f) if request.method == "POST" else Drafts()
    if request.method == "POST":
        posted_q = request.form.get("q") or ""
        if posted_q.endswith(CHANGE):
            return _send_change(f, posted_q.removesuffix(CHANGE), drafts)
        if request.form.get("back"):
            return _go_back(f, posted_q, drafts)
    conv = talk(f)
    front = conv.front(f.core_ids, f.answers())
    status = 200
    if front is None:
        keep(f, conv.finished())
        return redirect(url_for("respond.check", slug=slug), code=303)
    core_id, follow_up = front
    if request.method == "POST" and request.form.get("q", "").endswith(MORE) and not follow_up:
        return _render(f, f.form(core_id, post=False), core_id, follow_up=False, status=200, drafts=drafts,
                       kept=request.form.get("more") or "")
    form = follow_up_form(f, core_id) if follow_up else f.form(core_id, post=request.method == "POST")
    if request.method == "POST":
        ok = form.validate()
        ok = flow.check_posted_question(form, core_id + MORE if follow_up else core_id, request.form.get("q")) and ok
        if flow.explain_csrf(form):
            ok, status = False, 400
        if ok and follow_up:
            _store_follow_up(f, core_id, "" if form.skip.data else (form.more.data or ""))
            keep(f, conv.followed_up())
            db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
            return _carry_on(f, drafts)
        if ok:
            data = form.answer_data()
            flow.store_answer(f, core_id, data)
            qdef = f.qdef(core_id)
            keep(f, conv.answered(core_id, wants_follow_up=QUESTION_TYPES[qdef.type].needs_follow_up(qdef, data)))
            db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
            return _carry_on(f, drafts)
    return _render(f, form, core_id, follow_up=follow_up, status=status, drafts=drafts)


def _to_current(f: flow.Flow):  # type: ignore[no-untyped-def]
    """Redirect to the chat, opening at the question the person is on (with focus on it)."""
    return redirect(url_for("respond.chat", slug=f.slug, _anchor=QUESTION_ANCHOR), code=303)


def _carry_on(f: flow.Flow, drafts: Drafts):  # type: ignore[no-untyped-def]
    """Go on to the question the person is on: a redirect, or (typing to give back) that page at once."""
    front = frontier(f)
    if not drafts or front is None:
        return _to_current(f)
    core_id, follow_up = front
    mine = drafts.take(core_id + MORE if follow_up else core_id)
    if follow_up:
        form = follow_up_form(f, core_id, formdata=mine)
    elif mine is not None:
        form = f.form_class(core_id)(formdata=mine)
    else:
        form = f.form(core_id, post=False)
    return _render(f, form, core_id, follow_up=follow_up, status=200, drafts=drafts)


def _go_back(f: flow.Flow, posted_q: str, drafts: Drafts):  # type: ignore[no-untyped-def]
    """Show the last answer again to change it, keeping what was typed for the question left behind.

    Changes nothing, so it needs no CSRF token: a stale or repeated Back shows the same page.
    """
    front = frontier(f)
    if front is None:
        return _to_current(f)
    core_id, follow_up = front
    here = core_id + MORE if follow_up else core_id
    if posted_q == here:
        names = ("more",) if follow_up else f.form_class(core_id).answer_fields
        drafts.keep_typed(here, names)
    target = last_answered(f, front)
    if target is None:
        return _carry_on(f, drafts) if drafts else _to_current(f)
    form, more_form = _change_forms(f, target, post=False)
    return _render_change(f, target, form, more_form, drafts, status=200)


def _change_forms(f: flow.Flow, core_id: str, *, post: bool) -> tuple[FlaskForm, FlaskForm | None]:
    """Return the reopened question's form and, if its follow-up was answered, the follow-up box.

    Not posted: both filled in from the stored answer, split where the follow-up reply begins.
    """
    stored = f.answers().get(core_id)
    main, more = split_answer(stored, core_id, _follow_ups(f)) if stored is not None else (None, None)
    cls = f.form_class(core_id)
    if post:
        form = cls()
    else:
        form = cls(formdata=None, data=QUESTION_TYPES[f.qdef(core_id).type].form_data(main))
    more_form = None
    if more is not None:
        more_form = follow_up_form(f, core_id, meta={"csrf": False},
                                   **({} if post else {"formdata": None, "data": {"more": more}}))
    return form, more_form


def _send_change(f: flow.Flow, core_id: str, drafts: Drafts):  # type: ignore[no-untyped-def]
    """Store the changed answer in place of the old one, then carry on from where the person was."""
    if core_id not in f.core_ids or core_id not in f.answers():
        return _carry_on(f, drafts)  # nothing (any more) to change: a stale page
    if request.form.get("keep"):
        return _carry_on(f, drafts)
    form, more_form = _change_forms(f, core_id, post=True)
    status = 200
    ok = form.validate()
    if more_form is not None and not form.skip.data:
        ok = more_form.validate() and ok
    if flow.explain_csrf(form):
        ok, status = False, 400
    if not ok:
        return _render_change(f, core_id, form, more_form, drafts, status=status)
    qdef = f.qdef(core_id)
    qtype = QUESTION_TYPES[qdef.type]
    data = form.answer_data()
    more = (more_form.more.data or "") if more_form is not None and not form.skip.data else ""
    emptied = data.skipped
    if emptied and more:
        data = qtype.with_follow_up(data, more)  # the box above was emptied: the reply is the answer
    flow.store_answer(f, core_id, data)
    if emptied:
        _store_follow_up(f, core_id, None)  # no follow-up turn of its own (nor one to come for a skip)
    elif more_form is not None:
        _store_follow_up(f, core_id, more)
    keep(f, talk(f).changed(core_id, skipped=emptied, wants_follow_up=more_form is None
                             and qtype.needs_follow_up(qdef, data)))
    db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
    return _carry_on(f, drafts)


def _render_change(f: flow.Flow, core_id: str, form: FlaskForm, more_form: FlaskForm | None,  # type: ignore[no-untyped-def]
                   drafts: Drafts, *, status: int):
    stored = f.answers().get(core_id)
    main = stored
    qdef = f.qdef(core_id)
    chosen = "skip" if main is None or main.skipped else QUESTION_TYPES[qdef.type].form_data(main).get("answer")
    chosen = None if chosen is None else str(chosen)
    turns = conversation(f)
    cut = next((i for i, t in enumerate(turns) if t["id"] == core_id), len(turns))
    return render_template(
        "respond/chat.html", f=f, form=form, more_form=more_form, core_id=core_id, qdef=qdef, follow_up=False,
        changing=True, chosen=chosen, turns=turns[:cut], quick=more_form is None and quick_replies(qdef),
        number=f.index(core_id) + 1, total=len(f.core_ids), show_help=flow.pop_help(),
        intro=localised(f.variant.intro, f.lang), posted_q=core_id + CHANGE, drafts=drafts.hidden(),
        can_go_back=False, notice=_notice(f)), status


def _notice(f: flow.Flow) -> str | None:
    """Return, in the person's language, why the conversation started afresh on this request (or None)."""
    problem = f.__dict__.get("_problem")
    if problem == STALE:
        return _("Some questions changed since you started, so we carried on from the next question. "
                 "Your answers are saved.")
    if problem in (TAMPERED, GONE):
        return _("Something went wrong with this conversation, so we carried on from the next question. "
                 "Your answers are saved.")
    return None


def _render(f: flow.Flow, form: FlaskForm, core_id: str, *, follow_up: bool, status: int,  # type: ignore[no-untyped-def]
            drafts: Drafts | None = None, kept: str = ""):
    qdef = f.qdef(core_id)
    return render_template(
        "respond/chat.html", f=f, form=form, more_form=None, core_id=core_id, qdef=qdef, follow_up=follow_up,
        changing=False, chosen=None, turns=conversation(f), quick=not follow_up and quick_replies(qdef),
        number=f.index(core_id) + 1, total=len(f.core_ids), show_help=flow.pop_help(),
        intro=localised(f.variant.intro, f.lang), posted_q=(core_id + MORE) if follow_up else core_id,
        drafts=drafts.hidden() if drafts else [],
        can_go_back=last_answered(f, (core_id, follow_up)) is not None, notice=_notice(f), kept=kept), status
