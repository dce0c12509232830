"""The question editor's changes: add, move, remove and save one question, each checked as a whole definition.

Every change is made to the consultation's definition as data, validated by the forms package like a
YAML edit, and applied by ``definitions.apply_definition`` (which keeps question rows, and so their
answers, by core id; bumps each changed question's version; and refuses removing or retyping an
answered question). Nothing is committed here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from forms import DefinitionError, load_definition

from ..extensions import db
from ..models import Answer, AudienceVariant, Consultation, Question
from . import consultations, definitions


class Invalid(ValueError):
    """The change would make the definition invalid.

    ``errors`` are its problems: the forms package's path-named sentences, or the changes
    ``apply_definition`` refused (``definitions.RefusedChange``, which the page words).
    """

    def __init__(self, errors: list[str | definitions.RefusedChange]):
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = errors


class QuestionAnswered(ValueError):
    """People have answered this question, so it cannot be removed."""


class LastQuestion(ValueError):
    """An audience's version needs at least one question."""


class EditConflict(ValueError):
    """Someone else saved this question since the editor opened it; ``current`` is their version."""

    def __init__(self, current: Question):
        super().__init__("changed by someone else")
        self.current = current


def answered_ids(consultation: Consultation) -> set[int]:
    """Return the ids of the consultation's questions that have at least one answer."""
    return definitions._answered_question_ids(consultation)


def find(consultation: Consultation, audience: str, core_id: str) -> Question | None:
    """Return the audience's question with this core id, or None."""
    return db.session.scalar(select(Question).join(AudienceVariant, AudienceVariant.id == Question.variant_id)
                             .where(AudienceVariant.consultation_id == consultation.id,
                                    AudienceVariant.audience == audience, Question.core_id == core_id))


def is_answered(question: Question) -> bool:
    """Return True if anyone has answered the question."""
    return db.session.scalar(select(Answer.id).where(Answer.question_id == question.id).limit(1)) is not None


def _edit(consultation: Consultation, change: Callable[[dict[str, Any]], None]) -> None:
    data = consultations.definition_of(consultation).to_dict()
    change(data)
    try:
        definition = load_definition(data)
    except DefinitionError as exc:
        raise Invalid(list(exc.errors)) from exc
    refused = definitions.apply_definition(consultation, definition)
    if refused:
        raise Invalid(list(refused))


def _questions(data: dict[str, Any], audience: str) -> list[dict[str, Any]]:
    for aud in data["audiences"]:
        if aud["audience"] == audience:
            return aud["questions"]
    raise KeyError(audience)


def question_path(data: dict[str, Any], audience: str, core_id: str) -> str:
    """Return the definition path of a question, as validation errors name it."""
    for i, aud in enumerate(data["audiences"]):
        if aud["audience"] == audience:
            for j, q in enumerate(aud["questions"]):
                if q.get("core_id") == core_id:
                    return f"audiences[{i}].questions[{j}]"
    raise KeyError(core_id)


_KEY_CHARS = re.compile(r"[^a-z0-9]+")


def new_core_id(consultation: Consultation, wording: str) -> str:
    """Return a core id made from the English wording, not yet used in the consultation."""
    used = {q.core_id for v in consultation.variants for q in v.questions}
    return new_core_id_from(wording or "question", used)


def add(consultation: Consultation, audiences: list[str], spec: dict[str, Any]) -> str:
    """Add one question (``spec`` without its core id) at the end of each audience's version; return its core id.

    The question shares one core id in every audience it is added to, so their answers compare.
    """
    core_id = new_core_id(consultation, (spec.get("text") or {}).get("en", ""))

    def change(data: dict[str, Any]) -> None:
        for audience in audiences:
            _questions(data, audience).append({"core_id": core_id, **spec})

    _edit(consultation, change)
    return core_id


def move(consultation: Consultation, audience: str, core_id: str, step: int) -> bool:
    """Move a question one place up (-1) or down (+1) in its audience's version; return False at either end."""
    moved = [False]

    def change(data: dict[str, Any]) -> None:
        questions = _questions(data, audience)
        i = next(i for i, q in enumerate(questions) if q["core_id"] == core_id)
        j = i + step
        if 0 <= j < len(questions):
            questions[i], questions[j] = questions[j], questions[i]
            moved[0] = True

    _edit(consultation, change)
    return moved[0]


def remove(consultation: Consultation, audience: str, core_id: str) -> None:
    """Remove a question from one audience's version; refuse an answered one, or the version's last question."""
    question = find(consultation, audience, core_id)
    if question is None:
        raise KeyError(core_id)
    if is_answered(question):
        raise QuestionAnswered(core_id)
    if len(question.variant.questions) <= 1:
        raise LastQuestion(core_id)

    def change(data: dict[str, Any]) -> None:
        questions = _questions(data, audience)
        questions[:] = [q for q in questions if q["core_id"] != core_id]

    _edit(consultation, change)


def save(consultation: Consultation, audience: str, core_id: str, spec: dict[str, Any], *,
         expected_version: int) -> Question:
    """Save one question's new settings if nobody else saved it since ``expected_version``; return it.

    The core id is kept whatever ``spec`` says. Raises EditConflict (with the other planner's version),
    or Invalid with path-named problems (nothing changes).
    """
    current = db.session.scalar(
        select(Question).join(AudienceVariant, AudienceVariant.id == Question.variant_id)
        .where(AudienceVariant.consultation_id == consultation.id, AudienceVariant.audience == audience,
               Question.core_id == core_id)
        .with_for_update().execution_options(populate_existing=True))
    if current is None:
        raise KeyError(core_id)
    if (current.version or 1) != expected_version:
        raise EditConflict(current)
    new_spec = {**spec, "core_id": core_id}

    def change(data: dict[str, Any]) -> None:
        questions = _questions(data, audience)
        i = next(i for i, q in enumerate(questions) if q["core_id"] == core_id)
        questions[i] = new_spec

    _edit(consultation, change)
    return current


def new_core_id_from(wording: str, used: set[str]) -> str:
    """Return a key (core id or option value) made from wording, not in ``used``."""
    ascii_text = unicodedata.normalize("NFKD", wording).encode("ascii", "ignore").decode().lower()
    words = [w for w in _KEY_CHARS.split(ascii_text) if w][:6]
    base = "_".join(words)[:40].strip("_") or "option"
    if not base[0].isalpha():
        base = f"q_{base}"
    key, n = base, 2
    while key in used or key in ("prefer_not_to_say", "dont_know"):
        key, n = f"{base}_{n}", n + 1
    return key
