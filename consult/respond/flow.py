"""What every respondent page shares: the consultation, the person's in-progress response, forms.

Answers in progress live in the database (a ``Response`` with status ``in_progress``); the Flask
session holds only which response is this person's, its receipt code, and how they chose to answer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from forms import CHILD_AUDIENCES, QUESTION_TYPES, AnswerData, AudienceDef, QuestionDef, build_form
from forms.types.fields import field_error

from .. import clock
from ..data import consultations, responses
from ..i18n import current_language, select_locale
from ..models import Consultation, Response
from ..models._base import as_utc, utcnow
from ..security import LazyCSRFForm
from ..services import answers as answers_service

KEY = "respond"
KIOSK_KEY = "kiosk"
MODES = ("form", "chat")
CHANNEL_FOR_MODE = {"form": "online_form", "chat": "online_chat"}


class Closed(Exception):
    """The consultation is not open for answers."""

    def __init__(self, consultation: consultations.RespondentConsultation | Consultation | None) -> None:
        super().__init__("closed")
        self.consultation = consultation


def open_consultation_or_404(slug: str, info: consultations.RespondentConsultation | None = None,
                             ) -> consultations.RespondentConsultation:
    """Return what respondent pages need of the consultation, or 404; raise Closed when it is not open."""
    info = info or consultations.respondent_consultation(slug)
    if info is None or info.status == "draft":
        abort(404)
    if not consultations.is_open(info):  # type: ignore[arg-type]
        raise Closed(info)
    return info


def consultation_or_404(slug: str) -> Consultation:
    """Return the consultation (with its plan, partnership and areas), or 404; raise Closed when it is not open."""
    open_consultation_or_404(slug)
    consultation = consultations.get_for_respondent(slug)
    if consultation is None:
        abort(404)
    return consultation


def closed_page(consultation: consultations.RespondentConsultation | Consultation | None):  # type: ignore[no-untyped-def]
    """Render the clear "this consultation has closed" page (410 Gone)."""
    return render_template("respond/closed.html", consultation=consultation), 410


def state() -> dict[str, Any]:
    """Return this person's respondent state from the session (may be empty)."""
    from ..security import unseal

    data = dict(session.get(KEY) or {})
    if data.get("code"):  # sealed: the receipt code is never readable in the cookie
        sealed = data["code"]
        known = g.get("_unsealed_code")
        if known is None or known[0] != sealed:  # unsealed once per request (a POST reads the state a few times)
            known = g._unsealed_code = (sealed, unseal(sealed))
        data["code"] = known[1]
    return data


def save_state(**changes: Any) -> None:
    """Update this person's respondent state in the session (the receipt code encrypted)."""
    from ..security import seal

    data = state()
    data.update(changes)
    if data.get("code"):
        data["code"] = seal(str(data["code"]))
    session[KEY] = data


def clear_state() -> None:
    """Forget which response is this person's (a shared tablet, or after deleting)."""
    session.pop(KEY, None)


def kiosk_slug() -> str | None:
    """Return the consultation slug this device is a kiosk for, or None."""
    return session.get(KIOSK_KEY)


def kiosk_idle_seconds() -> int:
    """Return how long a kiosk waits without a touch before clearing answers."""
    return int(current_app.config.get("KIOSK_IDLE_SECONDS", 120))


def expire_idle_kiosk() -> bool:
    """Clear a kiosk's answers in progress when nobody has touched it for a while; return True if cleared."""
    if not kiosk_slug():
        return False
    now = time.time()
    data = state()
    seen = data.get("seen")
    if data.get("rid") and seen is not None and now - float(seen) > kiosk_idle_seconds():
        clear_state()
        return True
    if data.get("rid"):
        save_state(seen=now)
    return False


# Compiled form classes, per process. Building a WTForms class (and WTForms binding its fields on its
# first use) was a sixth of an answer POST's CPU; the class depends only on the question as defined,
# the language, easy read and the partnership's areas, so it is built once and shared. Labels that
# are lazy strings still follow each request's language.
_FORM_CLASSES: dict[tuple, type[FlaskForm]] = {}
_FORM_CLASSES_MAX = 2048
_FORM_CLASSES_LOCK = threading.Lock()


def form_class_for(info: consultations.RespondentConsultation, audience: AudienceDef, core_id: str, lang: str,
                   easy_read: bool) -> type[FlaskForm]:
    """Return the form class for one question of an audience's variant, from the cache when it is there."""
    areas = tuple((a.code, a.name) for a in info.areas)
    key = (*consultations.definition_key(info), audience.audience, core_id, lang, easy_read, areas)
    cls = _FORM_CLASSES.get(key)
    if cls is None:
        cls = build_form(audience.question(core_id), lang, base=LazyCSRFForm, area_options=list(areas),
                         easy_read=easy_read)
        with _FORM_CLASSES_LOCK:  # gunicorn threads share the cache
            while len(_FORM_CLASSES) >= _FORM_CLASSES_MAX:
                _FORM_CLASSES.pop(next(iter(_FORM_CLASSES)))
            _FORM_CLASSES[key] = cls
    return cls


@dataclass
class Flow:
    """One person's way through one consultation variant.

    Built from small snapshots (the consultation, the variant's question order, the response's
    state) so that an answer POST reads three rows; the ORM consultation and response are loaded
    only by the pages that need them.
    """

    info: consultations.RespondentConsultation
    variant: consultations.VariantShape
    audience: AudienceDef
    state: responses.ResponseState
    mode: str
    easy_read: bool
    receipt_code: str | None
    lang: str = field(default_factory=current_language)

    @property
    def slug(self) -> str:
        return self.info.slug

    @cached_property
    def consultation(self) -> Consultation:
        consultation = consultations.get_for_respondent(self.info.slug)
        assert consultation is not None
        return consultation

    @cached_property
    def response(self) -> Response:
        response = responses.get_response_with_answers(self.state.id)
        assert response is not None
        return response

    @property
    def questions(self) -> tuple[consultations.QuestionRef, ...]:
        return self.variant.questions

    @cached_property
    def core_ids(self) -> list[str]:
        return self.variant.core_ids

    @property
    def is_child(self) -> bool:
        return self.variant.audience in CHILD_AUDIENCES

    def question(self, core_id: str) -> consultations.QuestionRef:
        for q in self.variant.questions:
            if q.core_id == core_id:
                return q
        abort(404)

    def qdef(self, core_id: str) -> QuestionDef:
        return self.audience.question(core_id)

    def index(self, core_id: str) -> int:
        return self.core_ids.index(core_id)

    def area_options(self) -> list[tuple[str, str]]:
        return [(a.code, a.name) for a in self.info.areas]

    def answers(self) -> dict[str, AnswerData]:
        if self._answers is None:
            self._answers = responses.answers_of(self.state.id)
        return self._answers

    _answers: dict[str, AnswerData] | None = field(default=None, init=False, repr=False)

    def first_unanswered(self) -> str | None:
        answered = self.answers()
        return next((c for c in self.core_ids if c not in answered), None)

    def form_class(self, core_id: str) -> type[FlaskForm]:
        """Return the question's form class (built once per definition version, language and reading level)."""
        return form_class_for(self.info, self.audience, core_id, self.lang, self.easy_read)

    def form(self, core_id: str, *, post: bool) -> FlaskForm:
        """Return the question's form: the posted data, or pre-filled with the stored answer."""
        cls = self.form_class(core_id)
        if post:
            return cls()
        stored = self.answers().get(core_id)
        return cls(formdata=None, data=QUESTION_TYPES[self.qdef(core_id).type].form_data(stored))

    def resume_url(self) -> str:
        """Return where "Carry on" takes the person: the question where they stopped (check answers when done)."""
        if self.mode == "chat" and self.state.status == "in_progress":
            return url_for("respond.chat", slug=self.slug, _anchor="chat-question")
        current = self.first_unanswered() if self.state.status == "in_progress" else None
        if current is None:
            return url_for("respond.check", slug=self.slug)
        return url_for("respond.question", slug=self.slug, core_id=current)

    def display(self, core_id: str, answer: AnswerData | None) -> str:
        qdef = self.qdef(core_id)
        return QUESTION_TYPES[qdef.type].display(qdef, answer, self.lang, area_options=self.area_options())


def current_flow(slug: str) -> Flow | None:
    """Return this person's flow through the consultation, or None if they have not started."""
    data = state()
    mine = data.get("slug") == slug and data.get("rid")
    info, rstate = responses.respondent_context(slug, int(data["rid"]) if mine else None)
    if info is None:
        abort(404)
    info = open_consultation_or_404(slug, info)
    if not mine:
        return None
    if rstate is None or rstate.status == "withdrawn":
        clear_state()
        return None
    shape = consultations.variant_shape(info, rstate.variant_id)
    if shape is None:
        return None
    _remember_for_answers(data, rstate.variant_id, rstate.updated_at)
    try:
        audience = consultations.definition_of(info).audience(rstate.audience)
    except KeyError:
        return None
    return Flow(info=info, variant=shape, audience=audience, state=rstate, mode=data.get("mode", "form"),
                easy_read=bool(data.get("easy")), receipt_code=data.get("code"))


def load(slug: str, *, kiosk: bool = True) -> tuple[Flow | None, Any]:
    """Return (this person's flow, None), or (None, the page to show instead).

    The page instead is the "closed" page, the start of the consultation for someone who has not
    started, or (``kiosk``: pages that count as a touch) the "answers cleared" page of a shared
    device left idle.
    """

    try:
        expired = expire_idle_kiosk() if kiosk else False
        f = current_flow(slug)
    except Closed as exc:
        return None, closed_page(exc.consultation)
    if f is not None:
        return f, None
    if expired:
        return None, redirect(url_for("respond.kiosk_cleared", slug=slug))
    return None, not_started(slug)


def not_started(slug: str):  # type: ignore[no-untyped-def]
    """Send someone with no answers in progress to the start of the consultation."""
    return redirect(url_for("respond.audience", slug=slug), code=303)


def check_posted_question(form: FlaskForm, core_id: str, posted: str | None) -> bool:
    """Refuse a post meant for another question (a tampered or out-of-date hidden field)."""
    if posted == core_id:
        return True
    field_error(getattr(form, form.answer_fields[0]), _("This page was out of date. Check your answer and try again."))
    return False


def explain_csrf(form: FlaskForm) -> bool:
    """Turn a missing or stale CSRF token into a plain message on the first answer field; return True if so."""
    csrf = getattr(form, "csrf_token", None)
    if csrf is None or not csrf.errors:
        return False
    csrf.errors = []
    field_error(getattr(form, form.answer_fields[0]),
                _("This page timed out. Your answer is still here. Please press the button again."))
    return True


def store_answer(flow: Flow, core_id: str, data: AnswerData, *, follow_up: object = answers_service.UNCHANGED) -> bool:
    """Save one answer (redacted, screened; ``follow_up``: its follow-up reply too); return True if flagged."""
    q = flow.question(core_id)
    area = (answers_service.area_id_for(flow.info.areas, data) if flow.qdef(core_id).type == "area"
            else answers_service.UNCHANGED)
    flagged = answers_service.record(flow.state, q.id, q.core_id, data, partnership=flow.info, area_id=area,
                                     follow_up=follow_up).flagged
    _remember_for_answers(state(), flow.state.variant_id, answers_service.saved_after(flow.state, utcnow()))
    flow._answers = None
    flow.__dict__.pop("response", None)
    if flagged:
        save_state(help=True)
    return flagged


def store_follow_up(flow: Flow, core_id: str, reply: str) -> bool:
    """Save the follow-up reply to an answer already stored (redacted, screened); return True if flagged."""
    q = flow.question(core_id)
    flagged = answers_service.record_follow_up(response_id=flow.state.id, question_id=q.id,
                                               audience=flow.state.audience, reply=reply, partnership=flow.info,
                                               language_hint=flow.lang)
    if flagged:
        save_state(help=True)
    return flagged


def _remember_for_answers(data: dict[str, Any], variant_id: int, updated_at: datetime) -> None:
    """Keep in the session what lets an answer POST go the quick way: the variant, and a time the response was saved.

    ``t`` is never later than the response's own updated_at, so while it is recent the response
    needs no touch (see answers_service.RESPONSE_TOUCH). Written only when it changes.
    """
    seen = int(as_utc(updated_at).timestamp())
    if data.get("v") != variant_id or int(data.get("t") or 0) < seen:
        save_state(v=variant_id, t=seen)


def answer_at_once(slug: str, core_id: str, *, changing: bool):  # type: ignore[no-untyped-def]
    """The answer POST's quick way: validate and store in one statement; return the redirect, else None.

    Taken only when nothing needs the full way (``question()``): this person's response is known
    from the session, the consultation was read moments ago in this process, the form validates,
    the answer is not for the area question and its text is not flagged, the response needs no touch,
    and the statement finds the response in progress in an open consultation with the same definition.
    None means nothing was stored: the caller goes the full way, which shows errors or the right page.
    """
    data = session.get(KEY) or {}  # as stored: the receipt code (sealed) is not needed here, so not unsealed
    rid, variant_id, seen = data.get("rid"), data.get("v"), data.get("t")
    if data.get("slug") != slug or not rid or not variant_id or not seen or kiosk_slug():
        return None
    if time.time() - float(seen) > answers_service.RESPONSE_TOUCH.total_seconds() - 60:
        return None
    info = consultations.recent_respondent_consultation(slug)
    if info is None:
        return None
    shape = consultations.variant_shape(info, int(variant_id))
    q = next((q for q in shape.questions if q.core_id == core_id), None) if shape else None
    if shape is None or q is None or request.form.get("q") != core_id:
        return None
    audience = consultations.definition_of(info).audience(shape.audience)
    if audience.question(core_id).type == "area":
        return None
    # The language as chosen for this request, without building Babel's Locale (nothing is shown here).
    form = form_class_for(info, audience, core_id, select_locale(), bool(data.get("easy")))()
    if not form.validate():
        return None
    if not answers_service.record_quick(info, int(rid), shape.id, shape.audience, q.id, core_id, form.answer_data(),
                                        today=clock.today()):
        return None
    i = shape.core_ids.index(core_id)
    if changing or i + 1 >= len(shape.core_ids):
        return redirect(url_for("respond.check", slug=slug), code=303)
    return redirect(url_for("respond.question", slug=slug, core_id=shape.core_ids[i + 1]), code=303)


def pop_help() -> bool:
    """Return True once after an answer was flagged, so that page shows help at once."""
    data = state()
    if data.get("help"):
        save_state(help=False)
        return True
    return False
