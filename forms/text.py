"""Server-side clean-up and checks for free text: NFC, trimmed, no control characters."""

from __future__ import annotations

import unicodedata

# Tab and newline are ordinary in typed text; every other control character is refused.
_ALLOWED_CONTROLS = frozenset("\n\t")


def normalise_text(value: object) -> str:
    """Return ``value`` as NFC text with Windows/Mac line endings unified and ends trimmed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def bad_characters(text: str, *, multiline: bool = True) -> list[str]:
    """Return the distinct refused characters in ``text`` (controls, surrogates, non-characters)."""
    found: list[str] = []
    for ch in text:
        if ch in _ALLOWED_CONTROLS and (multiline or ch == "\t"):
            continue
        cat = unicodedata.category(ch)
        code = ord(ch)
        if cat in ("Cc", "Cs") or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
            if ch not in found:
                found.append(ch)
    return found


def word_count(text: str | None) -> int:
    """Count the words in ``text`` (any script)."""
    return len(text.split()) if text else 0
