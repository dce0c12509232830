"""Where question and option pictures live, for the app to serve."""

from __future__ import annotations

from pathlib import Path

from .schema import PICTURE_RE, PICTURES_DIR


def picture_path(src: str) -> Path | None:
    """Return the file for picture name ``src`` in ``forms/pictures/``, or None if it is not shipped."""
    if not isinstance(src, str) or not PICTURE_RE.match(src):
        return None
    path = PICTURES_DIR / src
    return path if path.is_file() else None


def list_pictures() -> list[str]:
    """Return the shipped picture file names, sorted."""
    return sorted(p.name for p in PICTURES_DIR.iterdir() if p.is_file() and PICTURE_RE.match(p.name))
