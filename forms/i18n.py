"""Language codes and the helper that picks one language from a ``{lang: text}`` map."""

from __future__ import annotations

from collections.abc import Mapping

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "gd", "ar", "pl", "uk")
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"


def primary_language(lang: str | None) -> str:
    """Reduce a locale such as ``en_GB`` or ``pt-BR`` to its primary subtag, lower-cased."""
    if not lang:
        return DEFAULT_LANGUAGE
    return str(lang).replace("_", "-").split("-", 1)[0].strip().lower() or DEFAULT_LANGUAGE


def localised(mapping: Mapping[str, str] | None, lang: str) -> tuple[str, bool]:
    """Return ``(text, fell_back_to_english)`` for ``lang`` from a ``{lang: text}`` map.

    A missing or blank translation falls back to English and reports it, so the app can
    show a "this question has not been translated yet" note. A map with no usable text at
    all gives ``("", False)``.
    """
    if not mapping:
        return "", False
    code = primary_language(lang)
    text = mapping.get(code)
    if isinstance(text, str) and text.strip():
        return text, False
    english = mapping.get(DEFAULT_LANGUAGE)
    if isinstance(english, str) and english.strip():
        return english, code != DEFAULT_LANGUAGE
    for other in mapping.values():  # no English: any text beats none
        if isinstance(other, str) and other.strip():
            return other, True
    return "", False
