"""Paper and event responses: storing one entered by staff (the import's checks live in consult.services.paper_import)."""

from __future__ import annotations

from typing import Any

from forms import AnswerData

from ..models import Consultation
from . import consultations, responses

PAPER_CHANNELS = ["paper", "event", "group"]


def area_options(consultation: Consultation) -> list[tuple[str, str]]:
    """Return the partnership's coarse areas as (code, name) choices."""
    return [(a.code, a.name) for a in consultation.plan.partnership.areas]


def enter_response(consultation: Consultation, audience: str, *, channel: str, language: str,
                   answers: dict[str, AnswerData], user_id: int | None) -> tuple[Any, bool]:
    """Store one paper/event response, submitted; return (response, flagged by the safeguarding screen)."""
    if channel not in PAPER_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    variant = consultations.variant_for(consultation, audience)
    if variant is None:
        raise ValueError(f"no {audience!r} variant")
    response, _code = responses.start_response(consultation, variant, language=language, channel=channel,
                                               entered_by_user_id=user_id)
    flagged = False
    for question in responses.questions_for(variant):
        data = answers.get(question.core_id)
        if data is None:
            continue
        flagged = responses.save_answer(response, question, data).flagged or flagged
        if question.type == "area":
            responses.set_area(response, None if data.skipped else data.value)
    responses.submit(response)
    return response, flagged
