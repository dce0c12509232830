"""yes_no: yes / no / not sure, plus "I'd rather not say"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..model import QuestionDef
from .base import BuildContext
from .choice import Choice, ChoiceType

YES_NO_CHOICES = (("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("Not sure")))


class YesNo(ChoiceType):
    """Stored value: ``"yes"``, ``"no"``, ``"not_sure"`` or ``"prefer_not_to_say"``."""

    name = "yes_no"
    answer_kind = "yes_no"
    extra_keys = frozenset()
    options_required = False

    def choice_list(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        return [(v, lbl, None) for v, lbl in YES_NO_CHOICES] + self.extra_choices(question, ctx)
