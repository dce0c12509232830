"""Responses and answers: start, save, submit, find by receipt code, withdraw."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forms import AnswerData

from ..extensions import db
from ..models import Answer, AudienceVariant, Consultation, Question, Response, SafeguardingFlag
from ..models._base import utcnow
from ..services.screening import check_text
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
    flagged: bool


def save_answer(response: Response, question: Question, data: AnswerData) -> SaveResult:
    """Store one answer (redacted, screened), replacing any earlier answer to the same question."""
    if response.status == "withdrawn":
        raise ResponseClosed
    partnership = response.variant.consultation.plan.partnership
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    if answer is None:
        answer = Answer(question_id=question.id, core_id=question.core_id)
        response.answers.append(answer)
    answer.value, answer.skipped = data.value, data.skipped
    flagged = False
    if data.text and data.text.strip() and not data.skipped:
        checked = check_text(data.text, audience=response.audience, partnership=partnership)
        answer.text, answer.text_original = checked.redacted, data.text
        db.session.flush()
        if checked.flagged:
            flagged = True
            response.safeguarding = True
            db.session.add(SafeguardingFlag(response_id=response.id, answer_id=answer.id,
                                            categories=checked.categories, triggers=checked.triggers))
    else:
        answer.text = answer.text_original = None
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
    """
    flagged = {f.answer_id for f in db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id))}
    for answer in list(response.answers):
        if answer.id not in flagged:
            db.session.delete(answer)
    response.status = "withdrawn"
    response.may_quote = False
    response.area_id = None


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
