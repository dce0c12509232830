"""picture_choice: answers shown as pictures with alt text and a visible label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import Form

from ..model import QuestionDef
from .base import AnswerData, BuildContext
from .choice import ChoiceType, MultiChoiceType


class PictureChoice(ChoiceType):
    """Pick one picture (or several with ``multiple: true``); every option needs a picture."""

    name = "picture_choice"
    extra_keys = frozenset({"options", "multiple"})
    picture_required = True

    def kind_for(self, spec: Mapping[str, Any]) -> str:
        return "choices" if spec.get("multiple") else "choice"

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        errors = super().check_spec(spec, path, langs)
        if "multiple" in spec and not isinstance(spec["multiple"], bool):
            errors.append(f"{path}.multiple: must be true or false")
        return errors

    @staticmethod
    def _is_multiple(question: QuestionDef) -> bool:
        return bool(question.spec.get("multiple"))

    def _delegate(self, question: QuestionDef) -> ChoiceType:
        return _MULTI if self._is_multiple(question) else _SINGLE

    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        return self._delegate(question).make_fields(question, label, ctx)

    def validate_answer(self, form: Form) -> bool:
        return self._delegate(form.question).validate_answer(form)

    def _answer(self, form: Form) -> AnswerData:
        return self._delegate(form.question)._answer(form)

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        if answer is None or answer.skipped or answer.value is None:
            return {}
        if isinstance(answer.value, list):
            return {"answer": [str(v) for v in answer.value]}
        return {"answer": str(answer.value)}


class _Single(ChoiceType):
    picture_required = True


class _Multi(MultiChoiceType):
    picture_required = True


_SINGLE = _Single()
_MULTI = _Multi()
