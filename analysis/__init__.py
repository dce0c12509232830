"""Guth's analysis library: redact, screen, theme, trace and evaluate free-text answers.

Pure Python on a blank spaCy English pipeline (lookup lemmatizer): plain text in, dataclasses out,
no web framework or database, nothing downloaded at run time.
"""

from .batch import Analysis, analyse_many
from .categories import CATEGORIES, CATEGORY_NAMES, URGENCY, urgency_rank
from .codebook import Codebook, CodebookError, Theme, load_default_codebook
from .consultation import AnswerAnalysis, ConsultationAnalysis, analyse_consultation
from .emergent import EmergentTheme, propose_emergent
from .evaluate import Evaluation, ThemeScore, evaluate
from .language import LanguageGuess, detect_language
from .pipeline import get_nlp
from .redact import RedactedSpan, Redaction, redact, redact_many
from .screen import Evidence, Screening, screen, screen_many
from .sentiment import sentiment, stance
from .themer import Agreement, ThemeAssignment, Themer
from .trace import (
    LINK_THRESHOLD,
    Priority,
    PriorityEvidence,
    find_gaps,
    load_priorities,
    priority_evidence,
    theme_links,
    trace,
    trace_themes,
)


def warm_up() -> None:
    """Build what the first redaction and screen would build (the spaCy pipeline, word lists, patterns).

    A server calls this before it forks its workers, so that no respondent's answer waits seconds
    for it and the workers share one copy of it in memory.
    """
    redact("Warm up in Glenbrae.", places=["Glenbrae"], schools=[])
    screen("warm up")


__all__ = [
    "warm_up",
    "Agreement",
    "AnswerAnalysis",
    "ConsultationAnalysis",
    "LINK_THRESHOLD",
    "PriorityEvidence",
    "analyse_consultation",
    "priority_evidence",
    "theme_links",
    "Analysis",
    "CATEGORIES",
    "CATEGORY_NAMES",
    "URGENCY",
    "urgency_rank",
    "Evidence",
    "LanguageGuess",
    "detect_language",
    "Codebook",
    "CodebookError",
    "EmergentTheme",
    "Evaluation",
    "Priority",
    "RedactedSpan",
    "Redaction",
    "Screening",
    "Theme",
    "ThemeAssignment",
    "ThemeScore",
    "Themer",
    "analyse_many",
    "evaluate",
    "find_gaps",
    "get_nlp",
    "load_default_codebook",
    "load_priorities",
    "propose_emergent",
    "redact",
    "redact_many",
    "screen",
    "screen_many",
    "sentiment",
    "stance",
    "trace",
    "trace_themes",
]
