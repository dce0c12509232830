"""Responses and answers: start, save, submit, find by receipt code, withdraw."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import joinedload, selectinload

from forms import AnswerData

from ..extensions import db
from ..models import Answer, AudienceVariant, Consultation, Question, Response, SafeguardingFlag
from ..models._base import as_utc, utcnow
from ..services.screening import CheckedText, check_text
from ..text import clean_text
from . import consultations
from . import safeguarding as safeguarding_data
from .users import hash_token

# Receipt codes avoid letters and digits that look alike (0/O, 1/I/L).
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class ResponseClosed(Exception):
    """The response can no longer be changed (submitted and closed, or withdrawn)."""


def new_receipt_code() -> str:
    """Return a fresh receipt code like 'K7QM-3XPA-R9TD'."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_receipt_code(code: str) -> str:
    """Return a receipt code as stored: upper case, grouped in fours, whatever spaces were typed."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())[:24]
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def start_response(consultation: Consultation, variant: AudienceVariant, *, language: str, channel: str,
                   easy_read: bool = False, kiosk: bool = False, organisation_id: int | None = None,
                   entered_by_user_id: int | None = None) -> tuple[Response, str]:
    """Create an in-progress response; return it with its receipt code (shown once, stored hashed)."""
    code = new_receipt_code()
    response = Response(consultation_id=consultation.id, variant_id=variant.id, audience=variant.audience,
                        language=language, channel=channel, receipt_hash=hash_token(code),
                        easy_read=easy_read, kiosk=kiosk, organisation_id=organisation_id,
                        entered_by_user_id=entered_by_user_id, status="in_progress")
    db.session.add(response)
    db.session.flush()
    return response, code


def get_response(response_id: int) -> Response | None:
    """Return a response by id."""
    return db.session.get(Response, response_id)


def get_response_with_answers(response_id: int) -> Response | None:
    """Return a response with its variant, the variant's questions and its answers, in three queries."""
    return db.session.scalar(select(Response).where(Response.id == response_id).options(
        joinedload(Response.variant).selectinload(AudienceVariant.questions), selectinload(Response.answers)))


def find_by_receipt(code: str) -> Response | None:
    """Return the response with this receipt code, or None (withdrawn ones included)."""
    return db.session.scalar(select(Response).where(Response.receipt_hash == hash_token(normalise_receipt_code(code))))


def answers_by_core_id(response: Response) -> dict[str, Answer]:
    """Return the response's answers keyed by question core id."""
    return {a.core_id: a for a in response.answers}


def answer_data(answer: Answer | None) -> AnswerData | None:
    """Return the stored answer as the forms package's AnswerData (typed text where still kept)."""
    if answer is None:
        return None
    return AnswerData(value=answer.value, text=answer.text_original or answer.text, skipped=answer.skipped)


@dataclass(frozen=True)
class SaveResult:
    """What saving one answer found."""

    answer: Answer
    flagged: bool  # gone to the safeguarding lead: flagged, or not screened


def _checked(data: AnswerData, audience: str, partnership: object,
             language_hint: str | None = None) -> CheckedText | None:
    """Redact and screen the answer's free text, if it has any worth keeping (page language as the hint)."""
    if data.text and data.text.strip() and not data.skipped:
        return check_text(clean_text(data.text) or "", audience=audience, partnership=partnership,  # type: ignore[arg-type]
                          language_hint=language_hint)
    return None


def save_answer(response: Response, question: Question, data: AnswerData) -> SaveResult:
    """Store one answer (redacted, screened), replacing any earlier answer to the same question."""
    if response.status == "withdrawn":
        raise ResponseClosed
    partnership = response.variant.consultation.plan.partnership
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    if answer is None:
        answer = Answer(question_id=question.id, core_id=question.core_id)
        response.answers.append(answer)
    before = (answer.text, bool(answer.skipped))
    answer.value, answer.skipped = data.value, data.skipped
    flagged = False
    checked = _checked(data, response.audience, partnership, response.language)
    if checked is not None:
        answer.text, answer.text_original = checked.redacted, data.text
        db.session.flush()
        if checked.alert:  # flagged, or not screened: either way the safeguarding lead's
            flagged = True
            response.safeguarding = True
            safeguarding_data.create_flag(response_id=response.id, answer_id=answer.id, checked=checked,
                                          keep_sentences=partnership.original_text_policy != "none")
    else:
        answer.text = answer.text_original = None
    if (answer.text, bool(answer.skipped)) != before:  # new words are unmoderated: revoke any approval
        answer.quote_status = "none"
    answer.version = (answer.version or 0) + 1
    response.updated_at = utcnow()
    db.session.flush()
    return SaveResult(answer, flagged)


def submit(response: Response) -> bool:
    """Make the response final; return False if it already was (a double submit changes nothing)."""
    if response.status == "submitted":
        return False
    if response.status == "withdrawn":
        raise ResponseClosed
    response.status = "submitted"
    response.submitted_at = utcnow()
    _apply_original_text_policy(response)
    return True


def _apply_original_text_policy(response: Response) -> None:
    policy = response.variant.consultation.plan.partnership.original_text_policy
    flagged_answers = {f.answer_id for f in db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id))}
    for answer in response.answers:
        if policy == "none" or answer.id not in flagged_answers:
            answer.text_original = None


def withdraw(response: Response) -> None:
    """Delete a person's answers at their request; keep only that a response was withdrawn.

    An answer the safeguarding screen flagged stays, for the safeguarding lead only: a child's
    safety comes before erasure (the vital-interests basis), and the privacy notice says so.
    What was made from the answers (codings, examples, quotes) goes too: consult.data.erasure.
    """
    from .erasure import erase_response

    erase_response(response)


def questions_for(variant: AudienceVariant) -> list[Question]:
    """Return the variant's questions in order."""
    return list(db.session.scalars(select(Question).where(Question.variant_id == variant.id)
                                   .order_by(Question.position)))


# ---- used by the respondent pages ------------------------------------------------------------

def answers_as_data(response: Response) -> dict[str, AnswerData]:
    """Return the response's answers as AnswerData keyed by core id (for pre-filling and display)."""
    return {a.core_id: answer_data(a) for a in response.answers}  # type: ignore[misc]


def set_area(response: Response, area_code: object) -> None:
    """Record the coarse area a person chose (None for "I don't know" or "rather not say")."""
    from ..models import Area

    area: Area | None = None
    if isinstance(area_code, str):  # the partnership's few areas are usually loaded already
        area = next((a for a in response.variant.consultation.plan.partnership.areas if a.code == area_code), None)
    response.area_id = area.id if area else None


def set_may_quote(response: Response, may_quote: bool) -> None:
    """Record whether the person lets us quote their words (off unless they said yes)."""
    if response.status == "withdrawn":
        raise ResponseClosed
    response.may_quote = bool(may_quote)


def apply_text_policy(response: Response) -> None:
    """After a sent response is changed, drop the typed text again where partnership policy says so."""
    if response.status == "submitted":
        _apply_original_text_policy(response)


# ---- the respondent's answer path: a few plain statements, no ORM graph --------------------------
#
# Answer pages are where a whole school arrives at once. Loading the response, its variant's
# questions and every answer as ORM objects to change one answer took most of each POST; these
# functions read and write only the rows involved.

@dataclass(frozen=True)
class ResponseState:
    """What the respondent pages need to know about a response, without its answers."""

    id: int
    consultation_id: int
    variant_id: int
    audience: str
    status: str
    safeguarding: bool
    may_quote: bool
    updated_at: datetime


_STATE_COLUMNS = (Response.id, Response.consultation_id, Response.variant_id, Response.audience, Response.status,
                  Response.safeguarding, Response.may_quote, Response.updated_at)


def response_state(response_id: int) -> ResponseState | None:
    """Return a response's state, or None."""
    row = db.session.execute(select(*_STATE_COLUMNS).where(Response.id == response_id)).first()
    return ResponseState(*row) if row else None


_CONTEXT_SELECT = None


def respondent_context(slug: str, response_id: int | None
                       ) -> tuple[consultations.RespondentConsultation | None, ResponseState | None]:
    """Return the consultation a respondent is answering and, if it is in it, their response: one query."""
    global _CONTEXT_SELECT
    if response_id is None:
        return consultations.respondent_consultation(slug), None
    if _CONTEXT_SELECT is None:  # built once: constructing it cost more than running it
        _CONTEXT_SELECT = consultations.respondent_select(bindparam("slug")).add_columns(*_STATE_COLUMNS).outerjoin(
            Response, (Response.id == bindparam("rid")) & (Response.consultation_id == Consultation.id))
    # Through the session's connection: the ORM's execute path costs a third more for a Core statement.
    rows = db.session.connection().execute(_CONTEXT_SELECT, {"slug": slug, "rid": response_id}).all()
    info = consultations.respondent_from_rows(rows)
    consultations.remember_for_respondents(slug, info)
    n = consultations.RESPONDENT_COLUMNS
    state = ResponseState(*rows[0][n:]) if rows and rows[0][n] is not None else None
    return info, state


def answers_of(response_id: int) -> dict[str, AnswerData]:
    """Return a response's answers as AnswerData keyed by core id (typed text where still kept)."""
    a = Answer.__table__.c
    rows = db.session.connection().execute(select(a.core_id, a.value, a.text, a.text_original, a.skipped)
                                           .where(a.response_id == response_id))
    return {core_id: AnswerData(value=value, text=original or text, skipped=skipped)
            for core_id, value, text, original, skipped in rows}


_UPSERTS: dict[str, object] = {}


def _dialect_insert(dialect: str):  # type: ignore[no-untyped-def]
    """Return the dialect's insert(), the one with ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _replacing_earlier_answer(ins):  # type: ignore[no-untyped-def]
    """Make an insert into answer replace the response's earlier answer to the question; return its id."""
    from sqlalchemy import and_, case

    c = Answer.__table__.c
    # Changed words have not been moderated: a change revokes the quote's approval (issue 15, finding 4).
    unchanged = and_(c.text.is_not_distinct_from(ins.excluded.text),
                     c.skipped.is_not_distinct_from(ins.excluded.skipped))
    return ins.on_conflict_do_update(
        index_elements=[c.response_id, c.question_id],
        set_={"value": ins.excluded.value, "skipped": ins.excluded.skipped, "text": ins.excluded.text,
              "text_original": ins.excluded.text_original, "version": c.version + 1,
              "updated_at": ins.excluded.updated_at,
              "quote_status": case((unchanged, c.quote_status), else_="none")},
    ).returning(c.id)


def _answer_upsert():  # type: ignore[no-untyped-def]
    """Return the statement that stores one answer, replacing an earlier one (built once per database)."""
    dialect = db.session.get_bind().dialect.name
    stmt = _UPSERTS.get(dialect)
    if stmt is None:
        c = Answer.__table__.c
        ins = _dialect_insert(dialect)(Answer.__table__).values(
            response_id=bindparam("response_id"), question_id=bindparam("question_id"),
            core_id=bindparam("core_id"), value=bindparam("value", type_=c.value.type),
            skipped=bindparam("skipped"), text=bindparam("text"), text_original=bindparam("text_original"),
            version=1, quote_status="none", updated_at=bindparam("now", type_=c.updated_at.type))
        stmt = _replacing_earlier_answer(ins)
        _UPSERTS[dialect] = stmt
    return stmt


_UNCHANGED = object()
# How stale a response's updated_at may get while someone answers (retention counts from it, in days):
# touching it on every answer was a second write per POST.
RESPONSE_TOUCH = timedelta(minutes=10)


def saved_after(state: ResponseState, now: datetime) -> datetime:
    """Return the response's updated_at once an answer is recorded at ``now`` (touched only when stale)."""
    return now if now - as_utc(state.updated_at) > RESPONSE_TOUCH else state.updated_at


def record_answer(state: ResponseState, question_id: int, core_id: str, data: AnswerData, *, partnership: object,
                  text_policy: str, area_id: object = _UNCHANGED) -> bool:
    """Store one answer (redacted, screened) in a response, replacing any earlier one; True if flagged.

    One upsert and one update (plus a flag row when the screen flags the text, or could not read it:
    a not-screened answer goes to the safeguarding lead too, but returns False, since the respondent
    sees the help page only for a possible disclosure). ``partnership`` is
    anything the redactor reads local names from (a Partnership or a RespondentConsultation);
    ``area_id`` records the coarse area when this is the area question.
    """
    if state.status == "withdrawn":
        raise ResponseClosed
    db.session.flush()  # nothing the ORM holds may be written after these statements
    checked = _checked(data, state.audience, partnership)
    text = checked.redacted if checked else None
    original = clean_text(data.text) if checked else None
    flagged = bool(checked and checked.flagged)
    alert = bool(checked and checked.alert)
    if original is not None and state.status == "submitted" and not alert:
        # A change after sending keeps no more than sending did: the typed text only where it was flagged.
        if text_policy == "none" or not db.session.scalar(select(exists().where(
                SafeguardingFlag.response_id == state.id, SafeguardingFlag.answer_id == Answer.id,
                Answer.response_id == state.id, Answer.question_id == question_id))):
            original = None
    if text_policy == "none" and state.status == "submitted":
        original = None
    now = utcnow()
    answer_id = db.session.connection().execute(_answer_upsert(), {
        "response_id": state.id, "question_id": question_id, "core_id": core_id, "value": data.value,
        "skipped": data.skipped, "text": text, "text_original": original, "now": now}).scalar_one()
    changes: dict[str, object] = {}
    if saved_after(state, now) == now:
        changes["updated_at"] = now
    if alert:
        changes["safeguarding"] = True
        safeguarding_data.create_flag(response_id=state.id, answer_id=answer_id, checked=checked,
                                      keep_sentences=text_policy != "none", now=now)
    if area_id is not _UNCHANGED:
        changes["area_id"] = area_id
    if changes:
        db.session.execute(update(Response.__table__).where(Response.__table__.c.id == state.id).values(**changes))
    db.session.expire_all()  # ORM copies of this response or its answers are out of date now
    return flagged


# ---- an answer in one statement ---------------------------------------------------------------
#
# The common answer POST (someone partway through, a choice or a few words nobody needs to worry
# about) needs no read before its write: the statement below stores the answer only if the
# response is still in progress in that variant of a consultation that is open today with the
# definition the form was built from. One statement, committed on its own: atomic, and one round
# trip instead of four (BEGIN, read, write, COMMIT). Anything else (no row stored) goes the full way.

_AT_ONCE: dict[str, object] = {}


def _answer_at_once_statement(dialect: str):  # type: ignore[no-untyped-def]
    """Return the guarded upsert (built once per database)."""
    stmt = _AT_ONCE.get(dialect)
    if stmt is not None:
        return stmt
    from sqlalchemy import and_, cast, literal, type_coerce

    a, r, c, q = Answer.__table__.c, Response.__table__.c, Consultation.__table__.c, Question.__table__.c
    # PostgreSQL types a bare parameter in a select list as text; SQLite must not CAST (its JSON is NUMERIC).
    typed = cast if dialect == "postgresql" else type_coerce

    def param(name: str, column):  # type: ignore[no-untyped-def]
        return typed(bindparam(name, type_=column.type), column.type)

    guard = exists().where(and_(
        r.id == bindparam("response_id"), r.status == "in_progress", r.variant_id == bindparam("variant_id"),
        c.id == r.consultation_id, c.id == bindparam("consultation_id"), c.status == "open",
        c.opens_on <= bindparam("today", type_=c.opens_on.type), c.closes_on >= bindparam("today"),
        c.definition_version == bindparam("definition_version"),
        q.id == bindparam("question_id"), q.variant_id == r.variant_id, q.core_id == bindparam("core_id")))
    source = select(param("response_id", a.response_id), param("question_id", a.question_id),
                    param("core_id", a.core_id), param("value", a.value), param("skipped", a.skipped),
                    param("text", a.text), param("text_original", a.text_original), literal(1), literal("none"),
                    param("now", a.updated_at)).where(guard)
    stmt = _replacing_earlier_answer(_dialect_insert(dialect)(Answer.__table__).from_select(
        ["response_id", "question_id", "core_id", "value", "skipped", "text", "text_original", "version",
         "quote_status", "updated_at"], source, include_defaults=False))
    _AT_ONCE[dialect] = stmt
    return stmt


def record_answer_at_once(info: consultations.RespondentConsultation, response_id: int, variant_id: int, audience: str,
                          question_id: int, core_id: str, data: AnswerData, *, today: date) -> bool:
    """Store one answer in one statement if nothing needs the full way; return False if nothing was stored.

    Stored only while the response is in progress, in ``variant_id``, in an open consultation whose
    definition is still ``info``'s. Not stored (the caller takes the full way, ``record_answer``)
    when the screen flags the text or could not read it: the flag, the answer and the response change together.
    """
    checked = _checked(data, audience, info)
    if checked is not None and checked.alert:
        return False
    engine = db.engine
    # Its own pooled connection in autocommit: the statement commits itself, and the request's
    # session (which the full way uses) is never started.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_answer_at_once_statement(engine.dialect.name), {
            "response_id": response_id, "variant_id": variant_id, "consultation_id": info.id, "today": today,
            "definition_version": info.definition_version, "question_id": question_id, "core_id": core_id,
            "value": data.value, "skipped": data.skipped, "text": checked.redacted if checked else None,
            "text_original": clean_text(data.text) if checked else None, "now": utcnow()}).first()
    return row is not None
