"""Free text people type: stored without the invisible characters that can disguise it.

Right-to-left overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what staff see, so an
answer or an organisation's name can read differently from what it holds; zero-width characters
(U+200B–U+200D, U+2060, U+FEFF) hide words from searches and the safeguarding screen's matching.
``clean_text`` removes them; ``init_app`` applies it to every string written through the ORM, and the
answer upserts (which bypass the ORM) call it themselves. The right-to-left and left-to-right marks
(U+200E, U+200F, U+061C) stay: Arabic text uses them legitimately. Templates show user text inside
``<bdi>`` so whatever direction it has stays inside it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import JSON, String, Text, event
from sqlalchemy.orm import Session

INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")


def clean_text(value: str | None) -> str | None:
    """Return value without bidi overrides, isolates and zero-width characters (None stays None)."""
    if value is None or not INVISIBLE.search(value):
        return value
    return INVISIBLE.sub("", value)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


def _clean_objects(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            key = column.key
            value = obj.__dict__.get(key)
            if value is None:
                continue
            cleaned = _cleaned(value)
            if cleaned != value:
                setattr(obj, key, cleaned)


def init_app() -> None:
    """Clean every string column (and strings inside JSON columns) of every object before it is flushed."""
    if not event.contains(Session, "before_flush", _clean_objects):
        event.listen(Session, "before_flush", _clean_objects)
