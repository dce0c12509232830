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

from flask import redirect, render_template, request, url_for
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
from . import flow
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


def split_answer(answer: AnswerData, core_id: str) -> tuple[AnswerData, str | None]:
    """Return (the answer to the question itself, the follow-up reply) from one stored answer.

    The follow-up reply is None when no follow-up was answered (or skipped) for this question, and
    "" when it was skipped. Chat mode appends the reply to the stored text after a blank line and
    remembers in the session where the answer's own text ended (``split``).
    """
    data = flow.state()
    n = (data.get("split") or {}).get(core_id)
    if n is None or core_id not in set(data.get("followed") or []):
        return answer, None
    text = answer.text or ""
    if len(text) > n + 2 and text[n:n + 2] == "\n\n":
        return AnswerData(value=answer.value, text=text[:n], skipped=answer.skipped), text[n + 2:]
    return answer, ""


def conversation(f: flow.Flow) -> list[dict]:
    """Return the turns so far: each question asked and the person's answer (and any follow-up)."""
    answers = f.answers()
    turns = []
    for core_id in f.core_ids:
        if core_id not in answers:
            break
        cls = f.form_class(core_id)
        answer, more = split_answer(answers[core_id], core_id)
        turns.append({"id": core_id, "question": cls.question_text, "fell_back": cls.fell_back,
                      "answer": f.display(core_id, answer), "skipped": answer.skipped})
        if more is not None:
            follow_text, fell_back = localised(f.qdef(core_id).follow_up, f.lang)
            turns.append({"id": core_id + MORE, "question": follow_text, "fell_back": fell_back,
                          "answer": more or str(LABEL_SKIPPED), "skipped": not more})
    return turns


# ---- where the person is, and what "Change my last answer" goes back to ------------------------

def frontier(f: flow.Flow) -> tuple[str, bool] | None:
    """Return (core id, is the follow-up) of the question the person is on, or None when all are answered."""
    follow = flow.state().get("follow")
    if follow and follow in f.core_ids:
        return follow, True
    current = f.first_unanswered()
    return (current, False) if current is not None else None


def last_answered(f: flow.Flow, front: tuple[str, bool]) -> str | None:
    """Return the question whose answer "Change my last answer" reopens, or None at the first question.

    On a follow-up that is the question it follows; otherwise the one before. A follow-up already
    answered is reopened with its question (both boxes filled in), never asked a second time.
    """
    core_id, follow_up = front
    if follow_up:
        return core_id
    i = f.index(core_id)
    return f.core_ids[i - 1] if i > 0 else None


def _position(f: flow.Flow, q: str) -> int:
    """Return where a posted "q" (a question, or its follow-up) comes in the conversation."""
    return 2 * f.index(q.removesuffix(MORE)) + (1 if q.endswith(MORE) else 0)


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
    follow = flow.state().get("follow")
    current = f.first_unanswered()
    status = 200
    if follow and follow in f.core_ids:
        form = follow_up_form(f, follow)
        if request.method == "POST":
            ok = form.validate()
            ok = flow.check_posted_question(form, follow + MORE, request.form.get("q")) and ok
            if flow.explain_csrf(form):
                ok, status = False, 400
            if ok:
                if not form.skip.data and form.more.data:
                    stored = f.answers()[follow]
                    qtype = QUESTION_TYPES[f.qdef(follow).type]
                    flow.store_answer(f, follow, qtype.with_follow_up(stored, form.more.data))
                flow.save_state(follow=None, followed=sorted(set(flow.state().get("followed") or []) | {follow}))
                db.session.commit()
                return _carry_on(f, drafts)
        return _render(f, form, follow, follow_up=True, status=status, drafts=drafts)
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
            return _carry_on(f, drafts)
    return _render(f, form, current, follow_up=False, status=status, drafts=drafts)


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
    main, more = split_answer(stored, core_id) if stored is not None else (None, None)
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
    state = flow.state()
    split = dict(state.get("split") or {})
    followed = set(state.get("followed") or [])
    asked = set(state.get("asked") or [])
    changes: dict[str, object] = {}
    more = (more_form.more.data or "") if more_form is not None and not form.skip.data else ""
    if data.skipped:
        if more:
            data = qtype.with_follow_up(data, more)  # the box above was emptied: the reply is the answer
        split.pop(core_id, None)  # and no follow-up turn of its own (nor one to come for a skip)
        followed.discard(core_id)
        if state.get("follow") == core_id:
            changes["follow"] = None
    elif more_form is not None:
        split[core_id] = len(data.text or "")
        data = qtype.with_follow_up(data, more)
    elif core_id == state.get("follow"):
        split[core_id] = len(data.text or "")  # the follow-up is still to come, as before
    elif core_id not in asked and not state.get("follow") and qtype.needs_follow_up(qdef, data):
        split[core_id] = len(data.text or "")
        asked.add(core_id)
        changes["follow"] = core_id
    flow.store_answer(f, core_id, data)
    flow.save_state(split=split, followed=sorted(followed), asked=sorted(asked), **changes)
    db.session.commit()
    return _carry_on(f, drafts)


def _render_change(f: flow.Flow, core_id: str, form: FlaskForm, more_form: FlaskForm | None,  # type: ignore[no-untyped-def]
                   drafts: Drafts, *, status: int):
    stored = f.answers().get(core_id)
    main = split_answer(stored, core_id)[0] if stored is not None else None
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
        can_go_back=False), status


def _render(f: flow.Flow, form: FlaskForm, core_id: str, *, follow_up: bool, status: int,  # type: ignore[no-untyped-def]
            drafts: Drafts | None = None):
    qdef = f.qdef(core_id)
    return render_template(
        "respond/chat.html", f=f, form=form, more_form=None, core_id=core_id, qdef=qdef, follow_up=follow_up,
        changing=False, chosen=None, turns=conversation(f), quick=not follow_up and quick_replies(qdef),
        number=f.index(core_id) + 1, total=len(f.core_ids), show_help=flow.pop_help(),
        intro=localised(f.variant.intro, f.lang), posted_q=(core_id + MORE) if follow_up else core_id,
        drafts=drafts.hidden() if drafts else [],
        can_go_back=last_answered(f, (core_id, follow_up)) is not None), status
