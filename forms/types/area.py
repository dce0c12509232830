"""area: a coarse area (e.g. a council ward), supplied by the app when the form is built."""

from __future__ import annotations

from ..model import QuestionDef
from .base import DONT_KNOW, LABEL_DONT_KNOW, RESERVED_VALUES, BuildContext
from .choice import Choice, ChoiceType


class Area(ChoiceType):
    """Stored value: an area value the app passed in, ``"dont_know"`` or ``"prefer_not_to_say"``.

    Areas come from ``build_form(..., area_options=[(value, label), ...])``; without them the
    definition's own ``options`` (if any) are used. "I don't know" and "I'd rather not say" are
    always offered. Never finer than a ward: Guth keeps no addresses or postcodes.
    """

    name = "area"
    answer_kind = "area"
    options_required = False

    def choice_list(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        out: list[Choice] = []
        if ctx.area_options is not None:
            seen: set[str] = set()
            for value, label in ctx.area_options:
                value = str(value)
                if value in RESERVED_VALUES or value in seen:
                    continue
                seen.add(value)
                out.append((value, label, None))
        else:
            out = [(o.value, ctx.text(o.label, f"option {o.value}"), None) for o in question.options]
        return out + [(DONT_KNOW, LABEL_DONT_KNOW, None)] + self.extra_choices(question, ctx)
