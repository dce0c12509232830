"""What the chat page is built from: this person's conversation in the session, the turns so far, the forms.

The conversation itself (consult/respond/conversation.py) is pure; this module keeps it in the session,
checked against the response and the definition, and turns the stored answers into the chat's log.
"""

from __future__ import annotations

from flask import request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from forms import QUESTION_TYPES, localised
from forms.types.base import LABEL_SKIPPED
from forms.types.fields import CleanTextAreaField, TextChecks, text_render_kw

from ..services import answers as answers_service
from . import flow
from .conversation import GONE, MORE, STALE, TAMPERED, Conversation, Drafts
from .conversation import KEY as CONVERSATION_KEY

CHOICE_BUTTON_TYPES = {"single_choice", "face_scale", "yes_no", "area"}


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


def conversation(f: flow.Flow) -> list[dict]:
    """Return the turns so far: each question asked and the person's answer (and any follow-up)."""
    answers = f.answers()
    replies = follow_ups(f)
    turns = []
    for core_id in f.core_ids:
        if core_id not in answers:
            break
        cls = f.form_class(core_id)
        answer, more = answers[core_id], replies.get(core_id)
        turns.append({"id": core_id, "question": cls.question_text, "fell_back": cls.fell_back,
                      "answer": f.display(core_id, answer), "skipped": answer.skipped})
        if more is not None:
            follow_text, fell_back = localised(f.qdef(core_id).follow_up, f.lang)
            turns.append({"id": core_id + MORE, "question": follow_text, "fell_back": fell_back,
                          "answer": more or str(LABEL_SKIPPED), "skipped": not more})
    return turns


# ---- the conversation (consult/respond/conversation.py), in this person's session ---------------------

def follow_ups(f: flow.Flow) -> dict[str, str]:
    """Return the response's follow-up replies by core id (read once per request)."""
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


def posted_drafts(f: flow.Flow) -> Drafts:
    """Return the typing carried in the posted page's hidden fields (see conversation.Drafts)."""
    return Drafts.posted(request.form, f.core_ids, frontier(f))


def notice(f: flow.Flow) -> str | None:
    """Return, in the person's language, why the conversation started afresh on this request (or None)."""
    problem = f.__dict__.get("_problem")
    if problem == STALE:
        return _("Some questions changed since you started, so we carried on from the next question. "
                 "Your answers are saved.")
    if problem in (TAMPERED, GONE):
        return _("Something went wrong with this conversation, so we carried on from the next question. "
                 "Your answers are saved.")
    return None
