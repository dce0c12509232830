"""Responses and answers: the queries. Starting a response, reading it, and the statements that store answers.

What an answer stores (redaction, the screen, the text policy, flags) is decided by
consult.services.answers, the one door every channel goes through; this module only runs the statements.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import joinedload, selectinload

from forms import AnswerData

from ..extensions import autocommit_engine, db
from ..models import Answer, AudienceVariant, Consultation, Question, Response, SafeguardingFlag
from . import consultations
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


def questions_for(variant: AudienceVariant) -> list[Question]:
    """Return the variant's questions in order."""
    return list(db.session.scalars(select(Question).where(Question.variant_id == variant.id)
                                   .order_by(Question.position)))


# ---- used by the respondent pages ------------------------------------------------------------

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


def state_of(response: Response) -> ResponseState:
    """Return the state of a response the ORM holds (flushed)."""
    return ResponseState(response.id, response.consultation_id, response.variant_id, response.audience,
                         response.status, bool(response.safeguarding), bool(response.may_quote), response.updated_at)


# ---- the statements that store answers (consult.services.answers decides what they store) --------

class StaleVersion(Exception):
    """The answer changed since the version the caller started from (a colleague saved it meanwhile)."""


_UPSERTS: dict[tuple[str, bool], object] = {}


def _dialect_insert(dialect: str):  # type: ignore[no-untyped-def]
    """Return the dialect's insert(), the one with ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _replacing_earlier_answer(ins, *, guarded: bool = False):  # type: ignore[no-untyped-def]
    """Make an insert into answer replace the response's earlier answer to the question; return its id and version.

    ``guarded``: replace it only while its version is still ``expected_version`` (no row returned otherwise).
    """
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
        where=(c.version == bindparam("expected_version")) if guarded else None,
    ).returning(c.id, c.version)


def _answer_upsert(guarded: bool):  # type: ignore[no-untyped-def]
    """Return the statement that stores one answer, replacing an earlier one (built once per database)."""
    dialect = db.session.get_bind().dialect.name
    stmt = _UPSERTS.get((dialect, guarded))
    if stmt is None:
        c = Answer.__table__.c
        ins = _dialect_insert(dialect)(Answer.__table__).values(
            response_id=bindparam("response_id"), question_id=bindparam("question_id"),
            core_id=bindparam("core_id"), value=bindparam("value", type_=c.value.type),
            skipped=bindparam("skipped"), text=bindparam("text"), text_original=bindparam("text_original"),
            version=1, quote_status="none", updated_at=bindparam("now", type_=c.updated_at.type))
        stmt = _replacing_earlier_answer(ins, guarded=guarded)
        _UPSERTS[(dialect, guarded)] = stmt
    return stmt


def upsert_answer(*, response_id: int, question_id: int, core_id: str, value: object, skipped: bool,
                  text: str | None, text_original: str | None, now: datetime,
                  expected_version: int | None = None) -> tuple[int, int]:
    """Store one answer, replacing the response's earlier answer to the question; return (its id, its version).

    With ``expected_version``, an earlier answer is replaced only while it still has that version
    (checked and written in one statement); otherwise StaleVersion.
    """
    params = {"response_id": response_id, "question_id": question_id, "core_id": core_id, "value": value,
              "skipped": skipped, "text": text, "text_original": text_original, "now": now}
    if expected_version is not None:
        params["expected_version"] = expected_version
    row = db.session.connection().execute(_answer_upsert(expected_version is not None), params).first()
    if row is None:
        raise StaleVersion
    return int(row[0]), int(row[1])


def update_response(response_id: int, **values: object) -> None:
    """Change columns of one response row (``updated_at``, ``safeguarding``, ``area_id``...)."""
    db.session.execute(update(Response.__table__).where(Response.__table__.c.id == response_id).values(**values))


def answer_is_flagged(response_id: int, question_id: int) -> bool:
    """Return True when the response's answer to the question has a safeguarding flag."""
    return bool(db.session.scalar(select(exists().where(
        SafeguardingFlag.response_id == response_id, SafeguardingFlag.answer_id == Answer.id,
        Answer.response_id == response_id, Answer.question_id == question_id))))


def drop_typed_text(response_id: int, *, except_flagged: bool) -> None:
    """Forget the words as typed in every answer of a response (``except_flagged``: not in flagged answers)."""
    a = Answer.__table__.c
    stmt = update(Answer.__table__).where(a.response_id == response_id, a.text_original.is_not(None))
    if except_flagged:
        flagged = select(SafeguardingFlag.answer_id).where(SafeguardingFlag.response_id == response_id,
                                                           SafeguardingFlag.answer_id.is_not(None))
        stmt = stmt.where(a.id.not_in(flagged))
    db.session.execute(stmt.values(text_original=None))


def set_follow_up(response_id: int, question_id: int, follow_up: str | None, now: datetime) -> int | None:
    """Store the follow-up reply of an answer already stored; return the answer's id (None: no such answer)."""
    a = Answer.__table__.c
    return db.session.execute(update(Answer.__table__).where(
        a.response_id == response_id, a.question_id == question_id).values(
        follow_up=follow_up, updated_at=now).returning(a.id)).scalar_one_or_none()


def follow_ups_of(response_id: int) -> dict[str, str]:
    """Return the follow-up replies of a response by core id ("" for a skipped follow-up)."""
    a = Answer.__table__.c
    rows = db.session.connection().execute(select(a.core_id, a.follow_up).where(
        a.response_id == response_id, a.follow_up.is_not(None)))
    return {core_id: reply for core_id, reply in rows}


def forget_orm_copies(response_id: int, answer_id: int | None = None, changed: tuple[str, ...] = ()) -> None:
    """Expire what the session holds of a response's answers (one answer, and the response's ``changed``
    columns) after statements changed their rows; the rest of a response it holds stays loaded."""
    from sqlalchemy.orm.util import identity_key

    held = db.session.identity_map
    response = held.get(identity_key(Response, response_id))
    if response is not None:
        db.session.expire(response, ["answers", *changed])
    if answer_id is not None:
        answer = held.get(identity_key(Answer, answer_id))
        if answer is not None:
            db.session.expire(answer)


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


def upsert_answer_if_open(*, response_id: int, variant_id: int, consultation_id: int, definition_version: int,
                          question_id: int, core_id: str, value: object, skipped: bool, text: str | None,
                          text_original: str | None, today: date, now: datetime) -> bool:
    """Store one answer in one self-committing statement, only while its response is in progress in
    ``variant_id`` of a consultation open ``today`` with that definition version; False if nothing was stored."""
    engine = autocommit_engine()
    # A pooled connection in autocommit: the statement commits itself, and the request's session
    # (which the full way uses) is never started.
    connection = engine.connect()
    if engine is db.engine:  # SQLite: its one engine, switched for this statement
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection:
        row = connection.execute(_answer_at_once_statement(engine.dialect.name), {
            "response_id": response_id, "variant_id": variant_id, "consultation_id": consultation_id,
            "today": today, "definition_version": definition_version, "question_id": question_id,
            "core_id": core_id, "value": value, "skipped": skipped, "text": text, "text_original": text_original,
            "now": now}).first()
    return row is not None
