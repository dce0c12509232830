"""Language codes and the helper that picks one language from a ``{lang: text}`` map."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "gd", "ar", "pl", "uk")
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"


def primary_language(lang: str | None) -> str:
    """Reduce a locale such as ``en_GB`` or ``pt-BR`` to its primary subtag, lower-cased."""
    if not lang:
        return DEFAULT_LANGUAGE
    return str(lang).replace("_", "-").split("-", 1)[0].strip().lower() or DEFAULT_LANGUAGE


def localised(mapping: Mapping[str, str] | None, lang: str) -> tuple[str, bool]:
    """Return ``(text, fell_back_to_english)`` for ``lang`` from a ``{lang: text}`` map.

    A missing or blank translation falls back to English and reports it, so the app can
    show a "this question has not been translated yet" note. A map with no usable text at
    all gives ``("", False)``.
    """
    if not mapping:
        return "", False
    code = primary_language(lang)
    text = mapping.get(code)
    if isinstance(text, str) and text.strip():
        return text, False
    english = mapping.get(DEFAULT_LANGUAGE)
    if isinstance(english, str) and english.strip():
        return english, code != DEFAULT_LANGUAGE
    for other in mapping.values():  # no English: any text beats none
        if isinstance(other, str) and other.strip():
            return other, True
    return "", False


def definition_texts(definition) -> Iterator[tuple[str, str, str, Mapping[str, str]]]:
    """Yield ``(audience, question, field, {lang: text})`` for every piece of wording a respondent reads.

    ``definition`` is a :class:`forms.ConsultationDefinition`. The consultation's own title and
    purpose come first with audience ``"(consultation)"``; each audience's title and intro have
    question ``"(audience)"``. Fields are ``text``, ``easy_read``, ``help``, ``follow_up``,
    ``picture alt``, ``why``, ``labels[i]`` (scale labels) and ``options.<value>`` /
    ``options.<value>.picture alt``.
    """
    for name in ("title", "purpose"):
        value = getattr(definition, name, None)
        if value:
            yield "(consultation)", "(consultation)", name, value
    for audience in definition.audiences:
        code = audience.audience
        yield code, "(audience)", "title", audience.title
        if audience.intro:
            yield code, "(audience)", "intro", audience.intro
        for q in audience.questions:
            for name in ("text", "easy_read", "help", "follow_up"):
                value = getattr(q, name)
                if value:
                    yield code, q.core_id, name, value
            if q.picture is not None:
                yield code, q.core_id, "picture alt", q.picture.alt
            spec = q.spec or {}
            if isinstance(spec.get("why"), Mapping):
                yield code, q.core_id, "why", spec["why"]
            for i, label in enumerate(spec.get("labels") or []):
                if isinstance(label, Mapping):
                    yield code, q.core_id, f"labels[{i}]", label
            for opt in q.options:
                yield code, q.core_id, f"options.{opt.value}", opt.label
                if opt.picture is not None:
                    yield code, q.core_id, f"options.{opt.value}.picture alt", opt.picture.alt


def missing_translations(definition) -> list[str]:
    """Return one line per string that lacks a language the consultation offers (``languages:``).

    Each line names the audience, the question and the field, then the missing languages, e.g.
    ``"parent_carer / wellbeing / help: missing gd, pl"``. A blank text counts as missing.
    """
    langs = list(getattr(definition, "languages", None) or [DEFAULT_LANGUAGE])
    problems: list[str] = []
    for audience, question, name, texts in definition_texts(definition):
        absent = [lang for lang in langs if not (isinstance(texts.get(lang), str) and texts[lang].strip())]
        if absent:
            problems.append(f"{audience} / {question} / {name}: missing {', '.join(absent)}")
    return problems
