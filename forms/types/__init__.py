"""Question types: each a small class; ``QUESTION_TYPES`` maps the definition's ``type`` to one."""

from __future__ import annotations

from .agree_priority import AgreePriority
from .area import Area
from .base import (
    DONT_KNOW,
    PREFER_NOT_TO_SAY,
    SKIPPED,
    AnswerData,
    BuildContext,
    QuestionType,
)
from .face_scale import FACE_PICTURES, FaceScale
from .free_text import LongText, ShortText
from .multiple_choice import MultipleChoice
from .picture_choice import PictureChoice
from .rank_top3 import RANK_FIELDS, RankTop3
from .single_choice import SingleChoice
from .yes_no import YesNo

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        SingleChoice(),
        MultipleChoice(),
        FaceScale(),
        PictureChoice(),
        YesNo(),
        ShortText(),
        LongText(),
        RankTop3(),
        AgreePriority(),
        Area(),
    )
}

__all__ = [
    "QUESTION_TYPES",
    "QuestionType",
    "AnswerData",
    "BuildContext",
    "SKIPPED",
    "PREFER_NOT_TO_SAY",
    "DONT_KNOW",
    "FACE_PICTURES",
    "RANK_FIELDS",
]
