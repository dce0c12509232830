"""WTForms fields and validators shared by the question types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import fields, widgets
from wtforms.validators import StopValidation, ValidationError

from ..text import bad_characters, normalise_text

try:  # WTForms 3.3+ wants SelectChoice objects; older releases take (value, label) tuples.
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    SelectChoice = None


def make_choices(pairs: Iterable[tuple[str, Any]]) -> list[Any]:
    """Return WTForms choices for ``(value, label)`` pairs, in the form this WTForms prefers."""
    if SelectChoice is None:  # pragma: no cover
        return [(str(v), label) for v, label in pairs]
    return [SelectChoice(str(v), label) for v, label in pairs]


def _value_label(choice: Any) -> tuple[str, Any]:
    if isinstance(choice, tuple):
        return str(choice[0]), choice[1]
    return str(choice.value), choice.label


MSG_NOT_OFFERED = _l("Choose one of the answers shown")
MSG_ONLY_ONE = _l("Choose only one answer")
MSG_BAD_CHARS = _l("Your answer has hidden characters we cannot accept. Please type it again.")


def msg_too_long(max_length: int, count: int):
    """Return the translatable "too long" message."""
    return _l(
        "Your answer must be %(max)s characters or fewer. It is %(count)s characters now.",
        max=max_length,
        count=count,
    )


class ChoicePicturesMixin:
    """Carry per-choice pictures so templates can draw them beside each answer.

    ``field.pictures`` maps a choice value to ``(src, alt_text)``; ``src`` is a file name in
    ``forms/pictures/``. ``field.options()`` lists ``(value, label)`` pairs.
    """

    pictures: dict[str, tuple[str, str]]
    choices: Any

    def options(self) -> list[tuple[str, Any]]:
        """Return the offered answers as ``(value, label)`` pairs, in order."""
        return [_value_label(c) for c in (self.choices or [])]

    def allowed_values(self) -> set[str]:
        """Return the values offered in this field."""
        return {v for v, _ in self.options()}

    def _init_pictures(self, pictures: Mapping[str, tuple[str, str]] | None) -> None:
        self.pictures = dict(pictures or {})

    def picture_for(self, value: Any) -> tuple[str, str] | None:
        """Return ``(src, alt)`` for the choice ``value``, or None."""
        return self.pictures.get(str(value))


class SafeRadioField(ChoicePicturesMixin, fields.RadioField):
    """A radio group that treats "nothing chosen" as unanswered and refuses tampered values."""

    def __init__(self, label=None, validators=None, pictures=None, **kwargs):
        kwargs.setdefault("coerce", str)
        super().__init__(label, validators, **kwargs)
        self._init_pictures(pictures)

    def process_formdata(self, valuelist):
        values = [v for v in valuelist if v not in ("", None)]
        if not values:
            self.data = None
            return
        if len(set(values)) > 1:
            self.data = None
            raise ValueError(MSG_ONLY_ONE)
        self.data = str(values[0])

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data in (None, ""):
            return
        if str(self.data) not in self.allowed_values():
            raise StopValidation(MSG_NOT_OFFERED)


class SafeSelectField(ChoicePicturesMixin, fields.SelectField):
    """A select list with an empty first entry; an unknown value is a validation error."""

    def __init__(self, label=None, validators=None, pictures=None, **kwargs):
        kwargs.setdefault("coerce", str)
        super().__init__(label, validators, **kwargs)
        self._init_pictures(pictures)

    process_formdata = SafeRadioField.process_formdata

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data in (None, ""):
            return
        if str(self.data) not in self.allowed_values():
            raise StopValidation(MSG_NOT_OFFERED)


class MultiCheckboxField(ChoicePicturesMixin, fields.SelectMultipleField):
    """A list of checkboxes; every ticked value must be one that was offered."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, validators=None, pictures=None, **kwargs):
        kwargs.setdefault("coerce", str)
        super().__init__(label, validators, **kwargs)
        self._init_pictures(pictures)

    def process_formdata(self, valuelist):
        seen: list[str] = []
        for v in valuelist:
            if v in ("", None):
                continue
            v = str(v)
            if v not in seen:
                seen.append(v)
        self.data = seen

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        allowed = self.allowed_values()
        if any(v not in allowed for v in (self.data or [])):
            raise StopValidation(MSG_NOT_OFFERED)


class CleanTextMixin:
    """Normalise submitted text (NFC, trimmed, unified newlines) before validation."""

    multiline = True

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        if len(valuelist) > 1:
            # Several values under one name only happens when the request was tampered with.
            self.data = normalise_text(valuelist[0])
            raise ValueError(MSG_ONLY_ONE)
        self.data = normalise_text(valuelist[0])


class CleanStringField(CleanTextMixin, fields.StringField):
    """A one-line text box whose value is cleaned before validation."""

    multiline = False


class CleanTextAreaField(CleanTextMixin, fields.TextAreaField):
    """A multi-line text box whose value is cleaned before validation."""


class TextChecks:
    """Validate cleaned free text: no refused characters and at most ``max_length`` characters."""

    def __init__(self, max_length: int, *, multiline: bool = True):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form, field):
        text = field.data or ""
        if bad_characters(text, multiline=self.multiline):
            raise StopValidation(MSG_BAD_CHARS)
        if len(text) > self.max_length:
            raise StopValidation(msg_too_long(self.max_length, len(text)))


def char_count_hint(max_length: int):
    """Return the translatable "You can write up to N characters." hint."""
    return _l("You can write up to %(max)s characters.", max=max_length)


def text_render_kw(max_length: int, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return render attributes for a character-count text box (no hard maxlength, GOV.UK style).

    ``dir="auto"``: the box takes its direction from what is typed, so English typed on an Arabic page (or Arabic on
    an English one) runs and aligns as written, while the page around it keeps its own direction.
    """
    kw: dict[str, Any] = {"data-maxlength": str(max_length), "spellcheck": "true", "dir": "auto"}
    kw.update(extra or {})
    return kw


def field_error(field, message) -> None:
    """Attach ``message`` to ``field`` after validation has run."""
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(message)


def ensure_iterable(value: Any) -> Iterable[Any]:
    """Return ``value`` as a list (None → [])."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


__all__ = [
    "ValidationError",
    "SafeRadioField",
    "SafeSelectField",
    "MultiCheckboxField",
    "CleanStringField",
    "CleanTextAreaField",
    "TextChecks",
    "char_count_hint",
    "text_render_kw",
    "field_error",
]
