"""Redact and screen free text as it is saved: the only door between typed words and the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import analysis

from ..models import ORG_AUDIENCES, Partnership


@dataclass(frozen=True)
class CheckedText:
    """Free text after redaction and the safeguarding screen."""

    redacted: str
    flagged: bool
    categories: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)


def local_names(partnership: Partnership) -> tuple[list[str], list[str]]:
    """Return the (places, schools) the redactor must replace for this partnership."""
    places = [a.name for a in partnership.areas] + list(partnership.redact_places or [])
    return places, list(partnership.redact_schools or [])


def check_text(text: str, *, audience: str, partnership: Partnership) -> CheckedText:
    """Redact personal data; screen for harm unless an organisation is writing about its work."""
    places, schools = local_names(partnership)
    redacted = analysis.redact(text, places=places, schools=schools).text
    if audience in ORG_AUDIENCES:
        return CheckedText(redacted, False)
    result = analysis.screen(text)
    return CheckedText(redacted, result.flag, list(result.categories), list(result.triggers))
