"""Codebooks: the themes answers are coded against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class CodebookError(ValueError):
    """A codebook or priorities file that cannot be used."""


@dataclass(frozen=True)
class Theme:
    """One theme: a stable id, a name, and optionally a description and example phrases."""

    id: str
    name: str
    description: str = ""
    examples: list[str] = field(default_factory=list)
    # Example phrases in other languages ({"gd": [...], "ar": [...]}), so answers in those languages meet the
    # theme in their own words. The shipped ones are drafts that need review by a fluent speaker.
    translations: dict[str, list[str]] = field(default_factory=dict)

    def document(self) -> str:
        """Return the theme's name and description as one text."""
        return f"{self.name}. {self.description}".strip()

    def all_examples(self) -> list[str]:
        """Return the English examples, then each language's examples (languages in sorted order)."""
        return list(self.examples) + [e for lang in sorted(self.translations) for e in self.translations[lang]]


@dataclass(frozen=True)
class Codebook:
    """An ordered list of themes with unique ids."""

    themes: list[Theme]

    def __post_init__(self) -> None:
        ids = [t.id for t in self.themes]
        if not ids:
            raise CodebookError("the codebook has no themes")
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise CodebookError(f"duplicate theme ids: {', '.join(dupes)}")

    @property
    def ids(self) -> list[str]:
        """Return the theme ids in codebook order."""
        return [t.id for t in self.themes]

    def with_translations_as_examples(self) -> Codebook:
        """Return the codebook with each theme's translated phrases folded into its examples."""
        return Codebook([Theme(t.id, t.name, t.description, t.all_examples()) for t in self.themes])

    def get(self, theme_id: str) -> Theme:
        """Return the theme with this id (KeyError if absent)."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    @classmethod
    def from_dict(cls, data: Any) -> Codebook:
        """Build a codebook from ``{"themes": [{"id", "name", "description"?, "examples"?}, ...]}``."""
        if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
            raise CodebookError("a codebook needs a 'themes:' list")
        themes = []
        for n, item in enumerate(data["themes"], 1):
            if not isinstance(item, dict) or not item.get("id"):
                raise CodebookError(f"theme {n} needs an 'id'")
            tid = str(item["id"]).strip()
            if not _ID.match(tid):
                raise CodebookError(f"theme id {tid!r} must be lowercase letters, digits, '_', '-' or '.'")
            examples = item.get("examples") or []
            if not isinstance(examples, list):
                raise CodebookError(f"theme {tid!r}: 'examples' must be a list")
            translations = item.get("translations") or {}
            if not isinstance(translations, dict) or not all(isinstance(v, list) for v in translations.values()):
                raise CodebookError(f"theme {tid!r}: 'translations' must map a language code to a list of phrases")
            themes.append(
                Theme(
                    id=tid,
                    name=str(item.get("name") or tid.replace("_", " ")).strip(),
                    description=str(item.get("description") or "").strip(),
                    examples=[str(e) for e in examples if str(e).strip()],
                    translations={
                        str(lang): [str(e) for e in phrases if str(e).strip()]
                        for lang, phrases in sorted(translations.items())
                        if any(str(e).strip() for e in phrases)
                    },
                )
            )
        return cls(themes)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Codebook:
        """Load a codebook from a YAML file (CodebookError if it is unreadable or malformed)."""
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CodebookError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Return the codebook as plain data (round-trips through from_dict)."""
        out = []
        for t in self.themes:
            d: dict[str, Any] = {"id": t.id, "name": t.name}
            if t.description:
                d["description"] = t.description
            if t.examples:
                d["examples"] = list(t.examples)
            if t.translations:
                d["translations"] = {k: list(v) for k, v in t.translations.items()}
            out.append(d)
        return {"themes": out}


def load_default_codebook() -> Codebook:
    """Return the children's-services codebook shipped with Guth (SHANARRI plus common topics)."""
    text = resources.files("analysis").joinpath("data", "default_codebook.yaml").read_text(encoding="utf-8")
    return Codebook.from_dict(yaml.safe_load(text))
