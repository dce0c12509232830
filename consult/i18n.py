"""Language selection: the person's choice in their session, else their browser's, else English."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import get_locale

LANGUAGE_NAMES = {
    "en": "English",
    "gd": "Gàidhlig",
    "ar": "العربية",
    "pl": "Polski",
    "uk": "Українська",
}


def select_locale() -> str:
    """Return the language for this request."""
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the active language code, e.g. 'gd'."""
    return str(get_locale() or "en")


def text_direction(lang: str | None = None) -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    code = lang or current_language()
    return "rtl" if code in current_app.config["RTL_LANGUAGES"] else "ltr"


def localised(mapping: dict[str, str] | None, lang: str | None = None) -> tuple[str, bool]:
    """Return (text in the language, True if it fell back to English)."""
    if not mapping:
        return "", False
    code = lang or current_language()
    if mapping.get(code):
        return mapping[code], False
    return mapping.get("en") or next(iter(mapping.values()), ""), code != "en"
