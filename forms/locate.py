"""Find where a definition problem is in the YAML a planner wrote: its line, question and field.

``validate_definition`` names each problem by its path (``audiences[2].questions[4].type``). A
planner reads "question 5 of the 8–11 version, field ‘type’, line 42", so :func:`locate` reads the
YAML's node tree (PyYAML ``compose``, which keeps each node's ``Mark``) to put a line number on a
path, and the loaded data to say which question it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .definition import _UniqueKeyLoader

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_LINE_PREFIX = re.compile(r"^line (\d+)(?:, column \d+)?: ")


@dataclass(frozen=True)
class Located:
    """One problem, with where it is: line (1-based), audience, question number (1-based) and field."""

    message: str
    path: str = ""
    line: int | None = None
    audience: str | None = None
    question_number: int | None = None
    question_text: str | None = None
    field: tuple[str | int, ...] = ()


def path_tokens(path: str) -> list[str | int]:
    """Split ``audiences[2].questions[4].text.en`` into ``['audiences', 2, 'questions', 4, 'text', 'en']``."""
    return [int(index) if index else key for key, index in _TOKEN.findall(path)]


def _line_of(root: yaml.Node | None, tokens: list[str | int]) -> int | None:
    """Return the 1-based line of the deepest node on the path that exists (the key's line for a mapping entry)."""
    node, line = root, (root.start_mark.line + 1) if root is not None else None
    for token in tokens:
        if isinstance(node, yaml.MappingNode) and isinstance(token, str):
            found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == token), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(token, int) and token < len(node.value):
            node = node.value[token]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _english(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("en"), str):
        return value["en"]
    return None


def locate(text: str, errors: list[str], data: Any = None) -> list[Located]:
    """Return each error of ``validate_definition`` (or ``DefinitionError.errors``) with its line, question and field.

    ``text`` is the YAML (or JSON) the errors came from; ``data`` what it loaded to (read again if
    not given), used for the question's English wording.
    """
    root = _compose(text) if text else None
    if data is None and root is not None:
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
        except (yaml.YAMLError, RecursionError, ValueError, TypeError):
            data = None
    out: list[Located] = []
    for error in errors:
        syntax = _LINE_PREFIX.match(error)
        if syntax:  # the parser's own problem: it already knows the line
            out.append(Located(message=error[syntax.end():], line=int(syntax.group(1))))
            continue
        path, sep, message = error.partition(": ")
        if not sep or path == "(top)" or " " in path:
            out.append(Located(message=error if not sep or " " in path else message))
            continue
        tokens = path_tokens(path)
        audience = number = wording = None
        field: tuple[str | int, ...] = tuple(tokens)
        if len(tokens) >= 2 and tokens[0] == "audiences" and isinstance(tokens[1], int):
            aud = _index(_get(data, "audiences"), tokens[1])
            audience = aud.get("audience") if isinstance(aud, dict) and isinstance(aud.get("audience"), str) else None
            field = tuple(tokens[2:])
            if len(tokens) >= 4 and tokens[2] == "questions" and isinstance(tokens[3], int):
                number = tokens[3] + 1
                question = _index(_get(aud, "questions"), tokens[3])
                wording = _english(question.get("text")) if isinstance(question, dict) else None
                field = tuple(tokens[4:])
        out.append(Located(message=message, path=path, line=_line_of(root, tokens), audience=audience,
                           question_number=number, question_text=wording, field=field))
    return out


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _index(value: Any, i: int) -> Any:
    return value[i] if isinstance(value, list) and 0 <= i < len(value) else None
