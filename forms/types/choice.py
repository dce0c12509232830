"""Shared machinery for the types that offer a fixed list of answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import Form

from ..model import QuestionDef
from ..schema import check_options
from .base import (
    LABEL_PREFER_NOT_TO_SAY,
    PREFER_NOT_TO_SAY,
    RESERVED_VALUES,
    AnswerData,
    BuildContext,
    QuestionType,
)
from .fields import MultiCheckboxField, SafeRadioField, ensure_iterable, make_choices

Choice = tuple[str, Any, tuple[str, str] | None]  # value, label, (picture src, alt) or None


class ChoiceType(QuestionType):
    """One answer from the question's ``options``, plus "I'd rather not say"."""

    answer_kind = "choice"
    extra_keys = frozenset({"options"})
    options_required = True
    picture_required = False
    multiple = False

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        errors: list[str] = []
        if self.options_required or "options" in spec:
            check_options(
                spec.get("options"),
                f"{path}.options",
                langs,
                errors,
                picture_required=self.picture_required,
                reserved=RESERVED_VALUES,
            )
        return errors

    def choice_list(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        """Return every answer offered, in order, ending with the "rather not say" answers."""
        out: list[Choice] = []
        for opt in question.options:
            label = ctx.text(opt.label, f"option {opt.value}")
            pic = (opt.picture.src, ctx.text(opt.picture.alt)) if opt.picture else None
            out.append((opt.value, label, pic))
        return out + self.extra_choices(question, ctx)

    def extra_choices(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        """Return the answers every question of this type adds after its own options."""
        return [(PREFER_NOT_TO_SAY, LABEL_PREFER_NOT_TO_SAY, None)]

    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        items = self.choice_list(question, ctx)
        field_cls = MultiCheckboxField if self.multiple else SafeRadioField
        return {
            "answer": field_cls(
                label,
                choices=make_choices((v, lbl) for v, lbl, _ in items),
                pictures={v: pic for v, _, pic in items if pic},
                description=ctx.text(question.help, "help") if question.help else "",
            )
        }

    def coerce_value(self, raw: str) -> Any:
        """Turn a submitted choice into the stored value."""
        return raw

    def _answer(self, form: Form) -> AnswerData:
        data = form.answer.data
        if self.multiple:
            return AnswerData(value=[self.coerce_value(v) for v in data])
        return AnswerData(value=self.coerce_value(data))

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        if answer is None or answer.skipped or answer.value is None:
            return {}
        if self.multiple:
            return {"answer": [str(v) for v in ensure_iterable(answer.value)]}
        return {"answer": str(answer.value)}

    def _display(self, question: QuestionDef, answer: AnswerData, ctx: BuildContext) -> str:
        labels = {str(v): str(lbl) for v, lbl, _ in self.choice_list(question, ctx)}
        values = answer.value if isinstance(answer.value, list) else [answer.value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)


class MultiChoiceType(ChoiceType):
    """Any number of the question's ``options``; "I'd rather not say" stands alone."""

    answer_kind = "choices"
    multiple = True

    def validate_answer(self, form: Form) -> bool:
        from .fields import field_error
        from .messages import MSG_PREFER_NOT_ALONE

        data = form.answer.data or []
        if PREFER_NOT_TO_SAY in data and len(data) > 1:
            field_error(form.answer, MSG_PREFER_NOT_ALONE)
            return False
        return True
