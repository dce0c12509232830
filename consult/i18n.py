"""Language selection: the person's choice in their session, else their browser's, else English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from babel.dates import format_date as babel_format_date
from flask import current_app, request, session
from flask_babel import format_date as flask_format_date
from flask_babel import get_locale, to_user_timezone
from markupsafe import Markup, escape

from forms.i18n import localised as forms_localised

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


def format_date(value, format: str = "medium") -> str:  # noqa: A002 (Babel's own argument name)
    """A date in the page's language, English ones as people in Scotland write them ("15 Oct 2026", never
    "Oct 15, 2026": Babel's plain "en" is American). A datetime is first moved to the app's time zone
    (BABEL_DEFAULT_TIMEZONE; a naive one read as UTC), as Flask-Babel does."""
    locale = get_locale()
    if locale is None or locale.language != "en" or locale.territory:
        return flask_format_date(value, format)
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = to_user_timezone(value).date()
    return babel_format_date(value, format, locale="en_GB")


def text_direction(lang: str | None = None) -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    code = lang or current_language()
    return "rtl" if code in current_app.config["RTL_LANGUAGES"] else "ltr"


class Localised(NamedTuple):
    """Definition text in the person's language, and whether it fell back to English.

    It unpacks like the ``(text, fell_back)`` pair it always was. In a template ``{{ shown }}``
    writes the text, wrapped in ``<span lang="en" dir="ltr">`` when it is English on a page in
    another language, so a screen reader switches voice and the punctuation stays on the right
    side in Arabic; ``attrs`` gives the same two attributes for an element that holds the text
    itself (an ``<img>`` whose ``alt`` is English, an ``<option>``).
    """

    text: str
    fell_back: bool

    @property
    def attrs(self) -> Markup:
        """Return `` lang="en" dir="ltr"`` for English fallback text, else nothing."""
        return FALLBACK_ATTRS if self.fell_back else Markup("")

    def __html__(self) -> str:
        if self.fell_back:
            return Markup("<span%s>%s</span>") % (FALLBACK_ATTRS, self.text)
        return str(escape(self.text))

    def __str__(self) -> str:
        return self.text


FALLBACK_ATTRS = Markup(' lang="en" dir="ltr"')


def localised(mapping: Mapping[str, str] | None, lang: str | None = None) -> Localised:
    """Return definition text in the language (default: this request's) as a :class:`Localised`.

    A missing translation falls back to English (``fell_back`` True); a page that shows any
    says so once (``respond/_text.html``).
    """
    text, fell_back = forms_localised(mapping, lang or current_language())
    return Localised(text, fell_back)


def action_text(action, register: str = "adult", lang: str | None = None) -> Localised:  # type: ignore[no-untyped-def]
    """Return a "You said, we did" action's text in a register ("adult" or "child") and language."""
    return localised({k: v.get(register, "") for k, v in (action.texts or {}).items() if v.get(register)}, lang)
