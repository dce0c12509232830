"""You said, we did: texts per audience (adults and each child age band), their readability, and publishing.

An action's texts are stored per language and register: ``adult`` and one per child age band
(``child_5_8``, ``child_8_11``, ``young_12_17``). Entries made before texts were written per band have
one ``child`` text; it stands in for every band that has no text of its own.

Publishing is refused while any child text a public page would show misses its band's readability
target (forms.READABILITY_TARGETS): the full Flesch test for English, the sentence-length cap for
other languages (the formulas are English-only).
"""

from __future__ import annotations

from dataclasses import dataclass

from forms import ReadabilityCheck, check_readability

from ..data import actions as action_data
from ..i18n import Localised, localised
from ..models import Action, Consultation

CHILD_BANDS = ("child_5_8", "child_8_11", "young_12_17")
LEGACY_CHILD = "child"
# Public URLs name a band by its ages: /results/<slug>/children/8-11.
BAND_SLUGS = {"child_5_8": "5-8", "child_8_11": "8-11", "young_12_17": "12-17"}
SLUG_BANDS = {v: k for k, v in BAND_SLUGS.items()}
ADULTS = "adults"  # the preview's name for the adult page
DEFAULT_BAND = "child_8_11"


def child_bands(consultation: Consultation) -> list[str]:
    """Return the child age bands the consultation ran for, youngest first (8–11 alone if it ran for none)."""
    audiences = {v.audience for v in consultation.variants}
    return [b for b in CHILD_BANDS if b in audiences] or [DEFAULT_BAND]


def default_band(consultation: Consultation) -> str:
    """Return the band /results/<slug>/children shows: 8–11 if the consultation ran for it, else the first."""
    bands = child_bands(consultation)
    return DEFAULT_BAND if DEFAULT_BAND in bands else bands[0]


def texts_in(action: Action, register: str) -> dict[str, str]:
    """Return {language: text} for one register ("adult" or a band), a band falling back to the old child text."""
    out: dict[str, str] = {}
    for lang, texts in (action.texts or {}).items():
        value = (texts or {}).get(register) or ""
        if not value and register in CHILD_BANDS:
            value = (texts or {}).get(LEGACY_CHILD) or ""
        if value:
            out[lang] = value
    return out


def text_for(action: Action, register: str, lang: str | None = None) -> Localised:
    """Return an action's text for an audience in a language (this request's by default), English if missing."""
    return localised(texts_in(action, register), lang)


@dataclass(frozen=True)
class TextProblem:
    """A child text that stops publishing: missing (English) or too hard for its band."""

    action: Action
    band: str
    lang: str
    check: ReadabilityCheck | None  # None: the text is missing


def check_text(text: str, band: str, lang: str) -> ReadabilityCheck:
    """Check one child text against its band's target (for other languages: the sentence cap)."""
    return check_readability(text, band, lang=lang)


def problems_for(action: Action, bands: list[str], languages: list[str]) -> list[TextProblem]:
    """Return what stops this action's child texts being published, band by band, English first."""
    problems: list[TextProblem] = []
    ordered = ["en", *[lang for lang in languages if lang != "en"]]
    for band in bands:
        texts = texts_in(action, band)
        for lang in ordered:
            text = texts.get(lang, "")
            if not text:
                if lang == "en":
                    problems.append(TextProblem(action, band, lang, None))
                continue  # another language without its own text shows the English, checked above
            check = check_text(text, band, lang)
            if not check.ok:
                problems.append(TextProblem(action, band, lang, check))
    return problems


def readability_problems(consultation: Consultation) -> list[TextProblem]:
    """Return every child text that must change before the consultation's pages can be published."""
    bands = child_bands(consultation)
    languages = list(consultation.languages or ["en"])
    return [p for a in action_data.actions_for(consultation) for p in problems_for(a, bands, languages)]


class PublishRefused(ValueError):
    """Publishing was refused; nothing was changed. ``kind`` is "no_actions" or "readability"."""

    def __init__(self, kind: str, problems: list[TextProblem] | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.problems = problems or []


def publish(consultation: Consultation) -> Consultation:
    """Publish the public pages, unless nothing is recorded or a child text misses its band's target."""
    if not action_data.actions_for(consultation):
        raise PublishRefused("no_actions")
    problems = readability_problems(consultation)
    if problems:
        raise PublishRefused("readability", problems)
    return action_data.publish(consultation)
