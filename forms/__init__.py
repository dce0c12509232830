"""Consultation definitions, question types, the form builder, shipped templates and readability.

Pure library: never imports ``consult``. The app builds one form per question with
:func:`build_form` and stores ``form.answer_data()`` (an :class:`AnswerData`).
"""

from .builder import build_form
from .definition import DefinitionError, dump_definition, load_definition, validate_definition
from .i18n import RTL_LANGUAGES, SUPPORTED_LANGUAGES, localised
from .model import (
    AUDIENCE_LABELS,
    AUDIENCES,
    CHILD_AUDIENCES,
    ORGANISATION_AUDIENCES,
    AudienceDef,
    ConsultationDefinition,
    OptionDef,
    PictureDef,
    QuestionDef,
)
from .pictures import PICTURES_DIR, list_pictures, picture_path
from .readability import (
    READABILITY_TARGETS,
    Readability,
    ReadabilityCheck,
    Target,
    check_readability,
    readability,
)
from .templates_store import TEMPLATES_DIR, list_templates, load_template
from .text import normalise_text
from .types import DONT_KNOW, PREFER_NOT_TO_SAY, QUESTION_TYPES, AnswerData, QuestionType

__all__ = [
    "AUDIENCES",
    "AUDIENCE_LABELS",
    "CHILD_AUDIENCES",
    "ORGANISATION_AUDIENCES",
    "SUPPORTED_LANGUAGES",
    "RTL_LANGUAGES",
    "DefinitionError",
    "ConsultationDefinition",
    "AudienceDef",
    "QuestionDef",
    "OptionDef",
    "PictureDef",
    "load_definition",
    "validate_definition",
    "dump_definition",
    "localised",
    "list_templates",
    "load_template",
    "TEMPLATES_DIR",
    "build_form",
    "QUESTION_TYPES",
    "QuestionType",
    "AnswerData",
    "PREFER_NOT_TO_SAY",
    "DONT_KNOW",
    "readability",
    "Readability",
    "READABILITY_TARGETS",
    "Target",
    "check_readability",
    "ReadabilityCheck",
    "PICTURES_DIR",
    "picture_path",
    "list_pictures",
    "normalise_text",
]
