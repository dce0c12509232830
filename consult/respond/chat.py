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

from flask import redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from forms import QUESTION_TYPES, localised

from ..auth.decorators import respondent_route
from ..extensions import csrf, db
from ..security import submission_limit
from ..services import answers as answers_service
from . import flow
from .chat_state import (
    conversation,
    follow_up_form,
    follow_ups,
    frontier,
    keep,
    notice,
    posted_drafts,
    quick_replies,
    talk,
)
from .conversation import CHANGE, MORE, Conversation, Drafts, posted_q
from .views import bp

QUESTION_ANCHOR = "chat-question"  # the id of the question being asked: each turn's page opens there


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
    drafts = posted_drafts(f) if request.method == "POST" else Drafts()
    if request.method == "POST":
        posted = request.form.get("q") or ""
        if posted.endswith(CHANGE):
            return _send_change(f, posted.removesuffix(CHANGE), drafts)
        if request.form.get("back"):
            return _go_back(f, posted, drafts)
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
            flow.store_follow_up(f, core_id, "" if form.skip.data else (form.more.data or ""))
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
    mine = drafts.take(posted_q(front))
    if follow_up:
        form = follow_up_form(f, core_id, formdata=mine)
    elif mine is not None:
        form = f.form_class(core_id)(formdata=mine)
    else:
        form = f.form(core_id, post=False)
    return _render(f, form, core_id, follow_up=follow_up, status=200, drafts=drafts)


def _go_back(f: flow.Flow, posted: str, drafts: Drafts):  # type: ignore[no-untyped-def]
    """Show the last answer again to change it, keeping what was typed for the question left behind.

    Changes nothing, so it needs no CSRF token: a stale or repeated Back shows the same page.
    """
    front = frontier(f)
    if front is None:
        return _to_current(f)
    core_id, follow_up = front
    if posted == posted_q(front):
        names = ("more",) if follow_up else f.form_class(core_id).answer_fields
        drafts.keep_typed(posted, request.form, names)
    target = Conversation.last_answered(front, f.core_ids)
    if target is None:
        return _carry_on(f, drafts) if drafts else _to_current(f)
    form, more_form = _change_forms(f, target, post=False)
    return _render_change(f, target, form, more_form, drafts, status=200)


def _change_forms(f: flow.Flow, core_id: str, *, post: bool) -> tuple[FlaskForm, FlaskForm | None]:
    """Return the reopened question's form and, if its follow-up was answered, the follow-up box.

    Not posted: both filled in from the stored answer, split where the follow-up reply begins.
    """
    stored = f.answers().get(core_id)
    main, more = (stored, follow_ups(f).get(core_id)) if stored is not None else (None, None)
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
    shown = None if more_form is None else "" if form.skip.data else (more_form.more.data or "")
    emptied = form.answer_data().skipped
    data, follow_up = answers_service.changed_in_chat(qtype, form.answer_data(), shown)
    flow.store_answer(f, core_id, data, follow_up=follow_up)
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
        can_go_back=False, notice=notice(f)), status


def _render(f: flow.Flow, form: FlaskForm, core_id: str, *, follow_up: bool, status: int,  # type: ignore[no-untyped-def]
            drafts: Drafts | None = None, kept: str = ""):
    qdef = f.qdef(core_id)
    return render_template(
        "respond/chat.html", f=f, form=form, more_form=None, core_id=core_id, qdef=qdef, follow_up=follow_up,
        changing=False, chosen=None, turns=conversation(f), quick=not follow_up and quick_replies(qdef),
        number=f.index(core_id) + 1, total=len(f.core_ids), show_help=flow.pop_help(),
        intro=localised(f.variant.intro, f.lang), posted_q=(core_id + MORE) if follow_up else core_id,
        drafts=drafts.hidden() if drafts else [],
        can_go_back=Conversation.last_answered((core_id, follow_up), f.core_ids) is not None, notice=notice(f),
        kept=kept), status
