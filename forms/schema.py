"""Hand-written structural checks for consultation definitions; every error names its path."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .text import bad_characters

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
VALUE_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
PICTURE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(?:svg|png)$")
MAX_TEXT = 2000
MAX_OPTIONS = 30
MAX_KEY = 64  # core ids, option values, priority keys and picture names
MAX_UNKNOWN = 10  # unknown keys (or languages) named per mapping before the rest are summed up

PICTURES_DIR = Path(__file__).resolve().parent / "pictures"


def type_name(value: Any) -> str:
    """Name a YAML value's type in planner words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# YAML anchors let a few characters stand for a value repeated a billion times: an error message shows
# at most a short, shallow excerpt of what it is about, however big that is.
_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 60, 60, 2
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = _SHORT.maxset = 4


def shown(value: Any) -> str:
    """Return a short ``repr`` of ``value`` for an error message."""
    try:
        return _SHORT.repr(value)
    except Exception:  # noqa: BLE001 - e.g. an int too long to print
        return type_name(value)


def key_text(key: Any) -> str:
    """Return a mapping key as it goes in an error path (shortened when long)."""
    text = key if isinstance(key, str) else shown(key)
    return text if len(text) <= MAX_KEY else text[: MAX_KEY - 1] + "…"


def check_keys(
    obj: Mapping[str, Any], path: str, allowed: set[str] | frozenset[str], errors: list[str]
) -> None:
    """Report keys in ``obj`` that are not ``allowed`` (catches typos such as ``optinal``)."""
    unknown = 0
    for key in obj:
        if key not in allowed:
            unknown += 1
            if unknown > MAX_UNKNOWN:  # stop reading: a mapping of many keys is one mistake, not thousands
                errors.append(f"{path or '(top)'}: more unknown keys (allowed: {', '.join(sorted(allowed))})")
                return
            where = f"{path}.{key_text(key)}" if path else key_text(key)
            errors.append(f"{where}: unknown key (allowed: {', '.join(sorted(allowed))})")


def check_text(value: Any, path: str, errors: list[str], *, max_len: int = MAX_TEXT) -> bool:
    """Check one piece of human text; return True when it is usable."""
    if not isinstance(value, str):
        errors.append(f"{path}: must be text, not {type_name(value)}")
        return False
    if len(value) > max_len:  # first, so a huge text is refused without reading it
        errors.append(f"{path}: is {len(value)} characters; at most {max_len} allowed")
        return False
    problem = _text_problem(value)
    if problem:
        errors.append(f"{path}: {problem}")
        return False
    return True


@lru_cache(maxsize=1024)
def _text_problem(value: str) -> str | None:
    # Cached: a YAML-anchored text reused in hundreds of places is read once.
    if not value.strip():
        return "must not be empty"
    if bad_characters(value):
        return "contains control characters"
    return None


def check_langmap(
    value: Any, path: str, langs: list[str], errors: list[str], *, required: bool = True
) -> None:
    """Check a ``{lang: text}`` map: a mapping, English present, only declared languages."""
    if value is None:
        if required:
            errors.append(f"{path}: is required")
        return
    if isinstance(value, str):
        errors.append(f'{path}: must be a map of language to text, e.g. {{en: "..."}}')
        return
    if not isinstance(value, dict):
        errors.append(f"{path}: must be a map of language to text, not {type_name(value)}")
        return
    if "en" not in value:
        errors.append(f"{path}.en: English text is required")
    unknown = 0
    for lang, text in value.items():
        if not isinstance(lang, str) or lang not in langs:
            unknown += 1
            if unknown > MAX_UNKNOWN:
                errors.append(f"{path}: more languages not in this consultation's languages ({', '.join(langs)})")
                return
            errors.append(
                f"{path}.{key_text(lang)}: language not in this consultation's languages ({', '.join(langs)})"
            )
            continue
        check_text(text, f"{path}.{lang}", errors)


def check_picture(
    value: Any, path: str, langs: list[str], errors: list[str], *, pictures_dir: Path | None = None
) -> None:
    """Check a ``{src, alt}`` picture reference: a shipped file name and alt text."""
    if not isinstance(value, dict):
        errors.append(f"{path}: must be a mapping with src and alt, not {type_name(value)}")
        return
    check_keys(value, path, {"src", "alt"}, errors)
    src = value.get("src")
    if not isinstance(src, str) or len(src) > MAX_KEY or not PICTURE_RE.match(src):
        errors.append(
            f"{path}.src: must be a picture file name like 'safe.svg' (lower case, no folders), got {shown(src)}"
        )
    else:
        folder = pictures_dir or PICTURES_DIR
        if not (folder / src).is_file():
            errors.append(f"{path}.src: no picture called {src!r} in {folder.name}/")
    check_langmap(value.get("alt"), f"{path}.alt", langs, errors)


def check_int(value: Any, path: str, errors: list[str], *, minimum: int, maximum: int) -> None:
    """Check a whole number in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"{path}: must be a whole number, not {type_name(value)}")
    elif not minimum <= value <= maximum:
        errors.append(f"{path}: must be between {minimum} and {maximum}, got {value}")


def check_options(
    value: Any,
    path: str,
    langs: list[str],
    errors: list[str],
    *,
    min_count: int = 2,
    max_count: int = MAX_OPTIONS,
    picture_required: bool = False,
    reserved: frozenset[str] = frozenset(),
) -> None:
    """Check a list of ``{value, label, picture?}`` options."""
    if value is None:
        errors.append(f"{path}: is required for this question type")
        return
    if not isinstance(value, list):
        errors.append(f"{path}: must be a list, not {type_name(value)}")
        return
    if not min_count <= len(value) <= max_count:
        errors.append(f"{path}: needs between {min_count} and {max_count} options, has {len(value)}")
    seen: set[str] = set()
    for i, opt in enumerate(value[:max_count]):  # past the limit is already an error: read no further
        p = f"{path}[{i}]"
        if not isinstance(opt, dict):
            errors.append(f"{p}: must be a mapping with value and label, not {type_name(opt)}")
            continue
        check_keys(opt, p, {"value", "label", "picture"}, errors)
        v = opt.get("value")
        if not isinstance(v, str) or len(v) > MAX_KEY or not VALUE_RE.match(v):
            errors.append(f"{p}.value: must be lower-case letters, digits and _, at most {MAX_KEY} (got {shown(v)})")
        elif v in reserved:
            errors.append(f"{p}.value: {v!r} is reserved; the form adds that answer itself")
        elif v in seen:
            errors.append(f"{p}.value: {v!r} is used twice")
        else:
            seen.add(v)
        check_langmap(opt.get("label"), f"{p}.label", langs, errors)
        if "picture" in opt:
            check_picture(opt["picture"], f"{p}.picture", langs, errors)
        elif picture_required:
            errors.append(f"{p}.picture: is required for picture_choice")
