"""face_scale: five faces from worst to best, each with a text label (never a face alone)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ..model import QuestionDef
from ..schema import check_langmap, type_name
from .base import PREFER_NOT_TO_SAY, BuildContext
from .choice import Choice, ChoiceType

FACE_VALUES = ("1", "2", "3", "4", "5")
FACE_PICTURES = {v: f"face-{v}.svg" for v in FACE_VALUES}
DEFAULT_FACE_LABELS = (
    _l("Very bad"),
    _l("Bad"),
    _l("OK"),
    _l("Good"),
    _l("Very good"),
)


class FaceScale(ChoiceType):
    """Stored value: an int 1 (worst) to 5 (best), or ``"prefer_not_to_say"``.

    ``labels`` (optional) gives five ``{lang: text}`` labels, worst first, e.g.
    "Not safe at all" … "Very safe"; otherwise "Very bad" … "Very good".
    """

    name = "face_scale"
    answer_kind = "scale5"
    extra_keys = frozenset({"labels"})
    options_required = False

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        errors: list[str] = []
        labels = spec.get("labels")
        if labels is None:
            return errors
        if not isinstance(labels, list) or len(labels) != 5:
            got = f"{len(labels)} items" if isinstance(labels, list) else type_name(labels)
            errors.append(f"{path}.labels: must be a list of exactly 5 labels, worst first (got {got})")
            return errors
        for i, lbl in enumerate(labels):
            check_langmap(lbl, f"{path}.labels[{i}]", langs, errors)
        return errors

    def choice_list(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        custom = question.spec.get("labels")
        out: list[Choice] = []
        for i, value in enumerate(FACE_VALUES):
            label = ctx.text(custom[i], f"label {value}") if custom else DEFAULT_FACE_LABELS[i]
            out.append((value, label, (FACE_PICTURES[value], str(label))))
        return out + self.extra_choices(question, ctx)

    def coerce_value(self, raw: str) -> Any:
        return raw if raw == PREFER_NOT_TO_SAY else int(raw)
