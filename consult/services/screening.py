"""Redact and screen free text as it is saved: the only door between typed words and the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import g, has_app_context, has_request_context

import analysis

from ..models import ORG_AUDIENCES, Partnership

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedText:
    """Free text after redaction and the safeguarding screen.

    ``flagged``: a possible disclosure (the respondent sees the help page). ``needs_human``: not flagged,
    but the screen could not read it with confidence (``reason``: "language", "uncertain" or "error"), so a
    person must. Either way (``alert``) the answer is a safeguarding case: it goes to the lead, never to
    themes, quotes or public pages. ``evidence`` is [{sentence, category, score, start, end}], offsets into
    the text as typed.
    """

    redacted: str
    flagged: bool
    categories: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    needs_human: bool = False
    reason: str = ""
    language: str = ""
    evidence: list[dict] = field(default_factory=list)

    @property
    def alert(self) -> bool:
        """True when the safeguarding lead must see this answer: flagged, or not screened."""
        return self.flagged or self.needs_human


def local_names(partnership: Partnership) -> tuple[list[str], list[str]]:
    """Return the (places, schools) the redactor must replace for this partnership.

    Only the partnership's own lists. Its areas are not among them: the consultation offers those
    coarse area names to every respondent, so naming one is not personal data.
    """
    return list(partnership.redact_places or []), list(partnership.redact_schools or [])


def _page_language() -> str | None:
    """Return the language of the page the text was typed on, when there is a request."""
    if not has_request_context():
        return None
    from ..i18n import select_locale

    try:
        return select_locale()
    except Exception:  # a hint only: never a reason to fail saving an answer
        return None


def _screen(text: str, language_hint: str | None) -> analysis.Screening:
    """Run the screen; when it fails, route the answer to a person (logged without its text)."""
    try:
        return analysis.screen(text, language_hint=language_hint)
    except Exception as exc:  # a screen that fails must never pass an answer as safe
        log.error("safeguarding screen failed (%s); the answer goes to a person", type(exc).__name__)
        return analysis.Screening(flag=False, needs_human=True, reason="error", language=language_hint or "")


def _evidence(result: analysis.Screening) -> list[dict]:
    return [{"sentence": e.sentence, "category": e.category, "score": round(float(e.score), 3),
             "start": int(e.start), "end": int(e.end)} for e in result.evidence]


def check_text(text: str, *, audience: str, partnership: Partnership,
               language_hint: str | None = None) -> CheckedText:
    """Redact personal data; screen for harm unless an organisation is writing about its work.

    ``language_hint`` is the page language (the request's, when not given); the screen still detects the
    language itself. Within one request the same text is checked once: the answer POST's quick way and
    its full way share the result.
    """
    places, schools = local_names(partnership)
    # The consultation offers its own coarse areas to every respondent: naming one is not personal data.
    keep = [a.name for a in partnership.areas]
    if language_hint is None:
        language_hint = _page_language()
    key = (text, audience, language_hint, tuple(places), tuple(schools), tuple(keep))
    memo: dict | None = None
    if has_app_context():
        memo = g.setdefault("_checked_texts", {})
        if key in memo:
            return memo[key]
    redacted = analysis.redact(text, places=places, schools=schools, keep=keep).text
    if audience in ORG_AUDIENCES:
        checked = CheckedText(redacted, False)
    else:
        result = _screen(text, language_hint)
        checked = CheckedText(redacted, bool(result.flag), list(result.categories), list(result.triggers),
                              needs_human=bool(result.needs_human) and not result.flag, reason=result.reason or "",
                              language=result.language or "", evidence=_evidence(result))
    if memo is not None:
        if len(memo) > 32:  # a paper form's many answers: keep the memo small
            memo.clear()
        memo[key] = checked
    return checked
