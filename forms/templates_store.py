"""Shipped consultation templates in ``forms/templates/*.yaml``."""

from __future__ import annotations

from pathlib import Path

from .definition import load_definition
from .model import ConsultationDefinition

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def list_templates() -> list[str]:
    """Return the names of the shipped templates (file names without ``.yaml``), sorted."""
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.yaml") if p.is_file())


def load_template(name: str) -> ConsultationDefinition:
    """Load the shipped template ``name``; raise KeyError for a name that is not shipped."""
    if name not in list_templates():
        raise KeyError(f"no shipped template called {name!r}")
    return load_definition(TEMPLATES_DIR / f"{name}.yaml")
