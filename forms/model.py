"""Typed, read-only view of a validated consultation definition."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from .i18n import localised

AUDIENCES: list[str] = [
    "child_5_8",
    "child_8_11",
    "young_12_17",
    "parent_carer",
    "organisation",
    "social_landlord",
    "other_provider",
]

#: Audiences who are children (under 18): child privacy notices, tap targets and safeguarding apply.
CHILD_AUDIENCES: frozenset[str] = frozenset({"child_5_8", "child_8_11", "young_12_17"})

#: Audiences who answer on behalf of an organisation rather than themselves.
ORGANISATION_AUDIENCES: frozenset[str] = frozenset({"organisation", "social_landlord", "other_provider"})

AUDIENCE_LABELS: dict[str, Any] = {
    "child_5_8": _l("I am 5, 6 or 7 years old"),
    "child_8_11": _l("I am 8 to 11 years old"),
    "young_12_17": _l("I am 12 to 17 years old"),
    "parent_carer": _l("I am a parent or carer"),
    "organisation": _l("I am answering for a group or organisation"),
    "social_landlord": _l(
        "I am answering for a social landlord, like a housing association or council housing"
    ),
    "other_provider": _l(
        "I am answering for another public service, like the police, fire service or health"
    ),
}

LangMap = dict[str, str]


@dataclass(frozen=True)
class PictureDef:
    """A picture shipped in ``forms/pictures/`` with alt text per language."""

    src: str
    alt: LangMap

    def alt_text(self, lang: str) -> str:
        """Return the alt text in ``lang``, falling back to English."""
        return localised(self.alt, lang)[0]


@dataclass(frozen=True)
class OptionDef:
    """One answer a respondent can choose."""

    value: str
    label: LangMap
    picture: PictureDef | None = None


@dataclass(frozen=True)
class QuestionDef:
    """One question as one audience sees it."""

    core_id: str
    type: str
    text: LangMap
    easy_read: LangMap | None = None
    help: LangMap | None = None
    picture: PictureDef | None = None
    options: list[OptionDef] = field(default_factory=list)
    max_length: int | None = None
    follow_up: LangMap | None = None
    follow_up_min_words: int = 4
    priority: str | None = None
    optional: bool = True
    spec: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def option(self, value: str) -> OptionDef | None:
        """Return the option with ``value``, or None."""
        for opt in self.options:
            if opt.value == value:
                return opt
        return None


@dataclass(frozen=True)
class AudienceDef:
    """The questions and wording for one audience."""

    audience: str
    title: LangMap
    intro: LangMap | None
    questions: list[QuestionDef]

    def question(self, core_id: str) -> QuestionDef:
        """Return the question with ``core_id``; raise KeyError if this audience is not asked it."""
        for q in self.questions:
            if q.core_id == core_id:
                return q
        raise KeyError(core_id)

    @property
    def core_ids(self) -> list[str]:
        """Return the core ids in the order they are asked."""
        return [q.core_id for q in self.questions]


@dataclass(frozen=True)
class ConsultationDefinition:
    """A whole consultation: every audience's variant of the same core questions."""

    id: str
    title: LangMap
    purpose: LangMap | None
    languages: list[str]
    audiences: list[AudienceDef]
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def audience(self, code: str) -> AudienceDef:
        """Return the variant for audience ``code``; raise KeyError if the consultation has none."""
        for a in self.audiences:
            if a.audience == code:
                return a
        raise KeyError(code)

    @property
    def audience_codes(self) -> list[str]:
        """Return the audience codes this consultation has, in definition order."""
        return [a.audience for a in self.audiences]

    def to_dict(self) -> dict[str, Any]:
        """Return the definition as plain data (the validated source), safe to mutate."""
        return copy.deepcopy(self.raw)
