"""The names a theme goes by on public pages: English (theme.name, theme.child_name) and per language."""

from __future__ import annotations

from ..extensions import db
from ..models import Theme

NAME_LIMIT = 200


def name_map(theme: Theme) -> dict[str, str]:
    """Return {language: name} for the adult page (English from theme.name)."""
    out = {"en": theme.name}
    for lang, names in (theme.translations or {}).items():
        if lang != "en" and (names or {}).get("name"):
            out[lang] = names["name"]
    return out


def child_name_map(theme: Theme) -> dict[str, str]:
    """Return {language: child-friendly name}; a language without one uses its own adult name."""
    out = {"en": theme.child_name or theme.name}
    for lang, names in (theme.translations or {}).items():
        value = (names or {}).get("child_name") or (names or {}).get("name")
        if lang != "en" and value:
            out[lang] = value
    return out


def set_names(theme: Theme, *, child_name: str, translations: dict[str, dict[str, str]]) -> Theme:
    """Store the English child-friendly name and the other languages' names (blank ones are dropped)."""
    theme.child_name = child_name.strip()
    kept: dict[str, dict[str, str]] = {}
    for lang, names in translations.items():
        values = {k: v.strip() for k, v in names.items() if k in ("name", "child_name") and v and v.strip()}
        if lang != "en" and values:
            kept[lang] = values
    theme.translations = kept  # a new dict, so the JSON column is seen to change
    db.session.flush()
    return theme
