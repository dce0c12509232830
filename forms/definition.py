"""Load, validate and dump consultation definitions (YAML or JSON)."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .i18n import SUPPORTED_LANGUAGES
from .model import (
    AUDIENCES,
    AudienceDef,
    ConsultationDefinition,
    OptionDef,
    PictureDef,
    QuestionDef,
)
from .schema import (
    KEY_RE,
    MAX_KEY,
    SLUG_RE,
    check_keys,
    check_langmap,
    check_picture,
    key_text,
    shown,
    type_name,
)
from .types import QUESTION_TYPES

TOP_KEYS = frozenset({"id", "title", "purpose", "languages", "audiences"})
AUDIENCE_KEYS = frozenset({"audience", "title", "intro", "questions"})
COMMON_QUESTION_KEYS = frozenset({"core_id", "type", "text", "easy_read", "help", "picture", "optional"})
MAX_QUESTIONS = 60
# Stop checking once there are this many problems: a planner fixes the first ones first, and a file
# that is wrong everywhere (or repeats one mistake through YAML anchors) gets a quick answer.
MAX_ERRORS = 200


class DefinitionError(ValueError):
    """A consultation definition is not valid; ``errors`` lists every problem with its path."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "\n".join(f"  - {e}" for e in self.errors[:20])
        more = f"\n  … and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        super().__init__(f"{len(self.errors)} problem(s) in the consultation definition:\n{shown}{more}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)):
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {shown(key)}", key_node.start_mark
                    )
                seen.add(key)  # a list as a key (``? [a, b]``) is refused by the base class as unhashable
        return super().construct_mapping(node, deep=deep)


# A definition holds no dates: "2024-06-01" (or a mistyped "2024-13-45") stays text, not a date object
# (or a crash). An explicit !!timestamp tag is still read, and refused by the checks if it is wrong.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(source: str | Path | Mapping[str, Any]) -> Any:
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source))
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.endswith((".yaml", ".yml", ".json"))
    ):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DefinitionError([f"{path}: cannot read file ({exc.strerror or exc})"]) from exc
    elif isinstance(source, str):
        text = source
    else:
        raise DefinitionError(
            [f"source: expected a file path, YAML/JSON text or a mapping, not {type_name(source)}"]
        )
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise DefinitionError([f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{where}invalid YAML: {problem}"]) from exc
    except RecursionError as exc:  # [[[[… or {"a": {"a": … thousands deep
        raise DefinitionError(["(top): nested too deeply to read; a definition needs only a few levels"]) from exc
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # What the parsers raise for a value they cannot build (a 5,000-digit number, a !!timestamp
        # that is no date): the text is not a readable definition.
        kind = "JSON" if text.lstrip().startswith("{") else "YAML"
        detail = str(exc) if len(str(exc)) <= 100 else str(exc)[:99] + "…"
        raise DefinitionError([f"invalid {kind}: a value cannot be read ({detail})"]) from exc


def validate_definition(data: Any) -> list[str]:
    """Return every problem in ``data`` (empty when it is a valid definition)."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return [f"(top): a definition must be a mapping, not {type_name(data)}"]
    check_keys(data, "", TOP_KEYS, errors)

    cid = data.get("id")
    if not isinstance(cid, str) or len(cid) > 64 or not SLUG_RE.match(cid):
        errors.append(f"id: must be a short slug like 'csp-2026' (lower case, digits, hyphens), got {shown(cid)}")

    langs = data.get("languages", ["en"])
    if not isinstance(langs, list) or not langs:
        errors.append("languages: must be a non-empty list of language codes")
        langs = ["en"]
    else:
        clean: list[str] = []
        if len(langs) > len(SUPPORTED_LANGUAGES):
            errors.append(f"languages: at most {len(SUPPORTED_LANGUAGES)}, each once, has {len(langs)}")
        for i, lang in enumerate(langs[: len(SUPPORTED_LANGUAGES)]):
            if lang not in SUPPORTED_LANGUAGES:
                errors.append(
                    f"languages[{i}]: unsupported language {shown(lang)} "
                    f"(supported: {', '.join(SUPPORTED_LANGUAGES)})"
                )
            elif lang in clean:
                errors.append(f"languages[{i}]: {lang!r} is listed twice")
            else:
                clean.append(lang)
        if "en" not in clean:
            errors.append("languages: must include 'en'")
        langs = clean or ["en"]

    check_langmap(data.get("title"), "title", langs, errors)
    check_langmap(data.get("purpose"), "purpose", langs, errors, required=False)

    audiences = data.get("audiences")
    if not isinstance(audiences, list) or not audiences:
        errors.append(f"audiences: must be a non-empty list, not {type_name(audiences)}")
        return errors

    seen_audiences: set[str] = set()
    kinds: dict[str, tuple[str, str]] = {}  # core_id -> (answer kind, where first seen)
    if len(audiences) > len(AUDIENCES):
        errors.append(f"audiences: at most {len(AUDIENCES)}, one of each, has {len(audiences)}")
    for ai, aud in enumerate(audiences[: len(AUDIENCES)]):
        apath = f"audiences[{ai}]"
        if len(errors) >= MAX_ERRORS:
            return [*errors, f"{apath}: not checked; fix the problems above first"]
        if not isinstance(aud, dict):
            errors.append(f"{apath}: must be a mapping, not {type_name(aud)}")
            continue
        check_keys(aud, apath, AUDIENCE_KEYS, errors)
        code = aud.get("audience")
        if code not in AUDIENCES:
            errors.append(f"{apath}.audience: unknown audience {shown(code)} (one of: {', '.join(AUDIENCES)})")
        elif code in seen_audiences:
            errors.append(f"{apath}.audience: {code!r} appears twice")
        else:
            seen_audiences.add(code)
        check_langmap(aud.get("title"), f"{apath}.title", langs, errors)
        check_langmap(aud.get("intro"), f"{apath}.intro", langs, errors, required=False)
        questions = aud.get("questions")
        if not isinstance(questions, list) or not questions:
            errors.append(f"{apath}.questions: must be a non-empty list, not {type_name(questions)}")
            continue
        if len(questions) > MAX_QUESTIONS:
            errors.append(f"{apath}.questions: at most {MAX_QUESTIONS} questions, has {len(questions)}")
        seen_ids: set[str] = set()
        for qi, q in enumerate(questions[:MAX_QUESTIONS]):
            qpath = f"{apath}.questions[{qi}]"
            if len(errors) >= MAX_ERRORS:
                return [*errors, f"{qpath}: not checked; fix the problems above first"]
            errors.extend(_check_question(q, qpath, langs, seen_ids, kinds, key_text(code)))
    return errors


def _check_question(
    q: Any,
    path: str,
    langs: list[str],
    seen_ids: set[str],
    kinds: dict[str, tuple[str, str]],
    audience: str,
) -> list[str]:
    errors: list[str] = []
    if not isinstance(q, dict):
        return [f"{path}: must be a mapping, not {type_name(q)}"]
    core_id = q.get("core_id")
    if not isinstance(core_id, str) or len(core_id) > MAX_KEY or not KEY_RE.match(core_id):
        errors.append(
            f"{path}.core_id: must be a key like 'feel_safe' (lower case, digits, _), got {shown(core_id)}"
        )
        core_id = None
    elif core_id in seen_ids:
        errors.append(f"{path}.core_id: {core_id!r} is used twice in this audience")
    else:
        seen_ids.add(core_id)

    qtype_name = q.get("type")
    qtype = QUESTION_TYPES.get(qtype_name) if isinstance(qtype_name, str) else None
    if qtype is None:
        errors.append(
            f"{path}.type: {shown(qtype_name)} is not a question type. Choose one of: {', '.join(QUESTION_TYPES)}"
        )
        check_keys(q, path, COMMON_QUESTION_KEYS | _ALL_EXTRA_KEYS, errors)
    else:
        check_keys(q, path, COMMON_QUESTION_KEYS | qtype.extra_keys, errors)
        type_errors = qtype.check_spec(q, path, langs)
        errors.extend(type_errors)
        if core_id and not type_errors:
            kind = qtype.kind_for(q)
            if core_id in kinds and kinds[core_id][0] != kind:
                first_kind, first_where = kinds[core_id]
                errors.append(
                    f"{path}.type: core_id {core_id!r} is answered as {kind!r} here but as "
                    f"{first_kind!r} for {first_where}; answers would not compare"
                )
            kinds.setdefault(core_id, (kind, audience))

    check_langmap(q.get("text"), f"{path}.text", langs, errors)
    check_langmap(q.get("easy_read"), f"{path}.easy_read", langs, errors, required=False)
    check_langmap(q.get("help"), f"{path}.help", langs, errors, required=False)
    if "picture" in q:
        check_picture(q["picture"], f"{path}.picture", langs, errors)
    if "optional" in q and not isinstance(q["optional"], bool):
        errors.append(f"{path}.optional: must be true or false, not {type_name(q['optional'])}")
    return errors


_ALL_EXTRA_KEYS = frozenset().union(*(t.extra_keys for t in QUESTION_TYPES.values()))


def _picture(spec: Any) -> PictureDef | None:
    if not spec:
        return None
    return PictureDef(src=spec["src"], alt=dict(spec["alt"]))


def _question(q: dict[str, Any]) -> QuestionDef:
    options = [
        OptionDef(value=o["value"], label=dict(o["label"]), picture=_picture(o.get("picture")))
        for o in q.get("options") or []
    ]
    return QuestionDef(
        core_id=q["core_id"],
        type=q["type"],
        text=dict(q["text"]),
        easy_read=dict(q["easy_read"]) if q.get("easy_read") else None,
        help=dict(q["help"]) if q.get("help") else None,
        picture=_picture(q.get("picture")),
        options=options,
        max_length=q.get("max_length"),
        follow_up=dict(q["follow_up"]) if q.get("follow_up") else None,
        follow_up_min_words=q.get("follow_up_min_words", 4),
        priority=q.get("priority"),
        optional=q.get("optional", True),
        spec=copy.deepcopy(q),
    )


def load_definition(source: str | Path | Mapping[str, Any]) -> ConsultationDefinition:
    """Load and validate a definition from a file path, YAML/JSON text or a mapping.

    Raises:
        DefinitionError: with ``errors`` naming the path of every problem, e.g.
            ``audiences[2].questions[4].type: 'slider' is not a question type. …``.
    """
    data = _read(source)
    errors = validate_definition(data)
    if errors:
        raise DefinitionError(errors)
    audiences = [
        AudienceDef(
            audience=a["audience"],
            title=dict(a["title"]),
            intro=dict(a["intro"]) if a.get("intro") else None,
            questions=[_question(q) for q in a["questions"]],
        )
        for a in data["audiences"]
    ]
    return ConsultationDefinition(
        id=data["id"],
        title=dict(data["title"]),
        purpose=dict(data["purpose"]) if data.get("purpose") else None,
        languages=list(data.get("languages", ["en"])),
        audiences=audiences,
        raw=copy.deepcopy(data),
    )


class _PlainDumper(yaml.SafeDumper):
    """Write shared parts out in full: planners edit plain YAML, not anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_definition(defn: ConsultationDefinition | Mapping[str, Any]) -> str:
    """Return ``defn`` as YAML that :func:`load_definition` reads back to the same definition."""
    data = defn.to_dict() if isinstance(defn, ConsultationDefinition) else copy.deepcopy(dict(defn))
    return yaml.dump(
        data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
