"""rank_top3: choose up to three options in order, with three select lists (works without JS)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form

from ..model import QuestionDef
from .base import PREFER_NOT_TO_SAY, AnswerData, BuildContext
from .choice import ChoiceType
from .fields import SafeSelectField, field_error, make_choices
from .messages import MSG_RANK_AFTER_PREFER_NOT

RANK_FIELDS = ("rank_1", "rank_2", "rank_3")
ORDINALS = (_l("1st"), _l("2nd"), _l("3rd"))
RANK_LABELS = (_l("1st choice"), _l("2nd choice"), _l("3rd choice"))
NOT_CHOSEN = _l("Not chosen")


def msg_already_ranked(ordinal):
    """Return the duplicate-rank message naming the earlier choice."""
    return _l("You have already chosen this as your %(ordinal)s choice", ordinal=ordinal)


class RankTop3(ChoiceType):
    """Stored value: a list of 1–3 option values, best first, or ``["prefer_not_to_say"]``.

    Fields ``rank_1``, ``rank_2``, ``rank_3``; blanks in the middle are closed up, the same
    option twice is an error. "I'd rather not say" is offered in ``rank_1`` only.
    """

    name = "rank_top3"
    answer_kind = "ranking"
    answer_fields = RANK_FIELDS

    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        items = self.choice_list(question, ctx)
        pictures = {v: pic for v, _, pic in items if pic}
        fields: dict[str, Any] = {}
        for i, name in enumerate(RANK_FIELDS):
            choices = make_choices(
                [("", NOT_CHOSEN)] + [(v, lbl) for v, lbl, _ in items if i == 0 or v != PREFER_NOT_TO_SAY]
            )
            fields[name] = SafeSelectField(RANK_LABELS[i], choices=choices, pictures=pictures)
        return fields

    def _ranked(self, form: Form) -> list[str]:
        return [str(getattr(form, n).data) for n in RANK_FIELDS if getattr(form, n).data]

    def validate_answer(self, form: Form) -> bool:
        ok = True
        first_seen: dict[str, int] = {}
        prefer_not = form.rank_1.data == PREFER_NOT_TO_SAY
        for i, name in enumerate(RANK_FIELDS):
            field = getattr(form, name)
            value = field.data
            if not value:
                continue
            if prefer_not and i > 0:
                field_error(field, MSG_RANK_AFTER_PREFER_NOT)
                ok = False
            elif value in first_seen:
                field_error(field, msg_already_ranked(ORDINALS[first_seen[value]]))
                ok = False
            else:
                first_seen[value] = i
        return ok

    def _answer(self, form: Form) -> AnswerData:
        return AnswerData(value=self._ranked(form))

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        if answer is None or answer.skipped or not isinstance(answer.value, list):
            return {}
        return {name: str(v) for name, v in zip(RANK_FIELDS, answer.value, strict=False)}

    def _display(self, question: QuestionDef, answer: AnswerData, ctx: BuildContext) -> str:
        labels = {str(v): str(lbl) for v, lbl, _ in self.choice_list(question, ctx)}
        values = answer.value if isinstance(answer.value, list) else [answer.value]
        if values == [PREFER_NOT_TO_SAY]:
            return labels[PREFER_NOT_TO_SAY]
        return "; ".join(f"{i}. {labels.get(str(v), str(v))}" for i, v in enumerate(values, 1))


__all__ = ["RankTop3", "RANK_FIELDS", "msg_already_ranked"]
