"""The one builder that compiles a question into a WTForms form class."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from .i18n import RTL_LANGUAGES, primary_language
from .model import PictureDef, QuestionDef
from .types import QUESTION_TYPES, BuildContext
from .types.fields import field_error

SKIP_LABEL = _l("Skip")
CONTINUE_LABEL = _l("Continue")


def build_form(
    question: QuestionDef,
    lang: str,
    *,
    base: type[wtforms.Form] = wtforms.Form,
    area_options: list[tuple[str, str]] | None = None,
    easy_read: bool = False,
) -> type[wtforms.Form]:
    """Compile ``question`` into a form class in ``lang``.

    The class has the type's answer fields (see ``QUESTION_TYPES[type].answer_fields``), then
    ``skip`` and ``continue_`` submit buttons. Class attributes for templates: ``question``,
    ``question_type``, ``lang``, ``text_direction`` (``"rtl"``/``"ltr"``), ``question_text``,
    ``help_text``, ``picture`` (``(src, alt)`` or None), ``answer_fields``, ``easy_read``,
    ``fell_back`` (some wording is shown in English), ``untranslated`` (which parts) and ``count_hint`` (text types).

    ``validate()`` accepts a Skip press whatever was typed (other fields, such as a CSRF
    token from a Flask-WTF ``base``, are still checked) and applies cross-field rules
    (duplicate ranks, "I'd rather not say" with other answers, ``optional: false``).
    """
    qtype = QUESTION_TYPES[question.type]
    ctx = BuildContext(lang=primary_language(lang), easy_read=easy_read, area_options=area_options)
    text = ctx.text(question.text, "text")
    if easy_read and question.easy_read:
        text = ctx.text(question.easy_read, "easy_read")
    help_text = ctx.text(question.help, "help") if question.help else ""
    picture = _picture(question.picture, ctx)

    attrs: dict[str, Any] = dict(qtype.make_fields(question, text, ctx))
    attrs["skip"] = SubmitField(SKIP_LABEL)
    attrs["continue_"] = SubmitField(CONTINUE_LABEL)
    count_hint = qtype.count_hint(question) if hasattr(qtype, "count_hint") else None
    attrs.update(
        question=question,
        question_type=qtype,
        lang=ctx.lang,
        text_direction="rtl" if ctx.lang in RTL_LANGUAGES else "ltr",
        question_text=text,
        help_text=help_text,
        picture=picture,
        answer_fields=qtype.answer_fields,
        easy_read=easy_read,
        fell_back=ctx.fell_back,
        untranslated=tuple(ctx.missing),
        count_hint=count_hint,
        answer_data=_answer_data,
    )
    name = f"{question.core_id.title().replace('_', '')}Form"
    cls = type(name, (base,), attrs)

    def validate(self, extra_validators=None) -> bool:
        return _validate(cls, self, extra_validators)

    validate.__doc__ = _validate.__doc__
    cls.validate = validate
    return cls


def _picture(picture: PictureDef | None, ctx: BuildContext) -> tuple[str, str] | None:
    if picture is None:
        return None
    return picture.src, ctx.text(picture.alt, "picture alt")


def _validate(cls: type, self: Any, extra_validators=None) -> bool:
    """Validate the answer, or accept Skip while still checking non-answer fields (e.g. CSRF)."""
    qtype = self.question_type
    ok = super(cls, self).validate(extra_validators)
    if self.skip.data:
        for name in self.answer_fields:
            getattr(self, name).errors = []
        return not any(f.errors for n, f in self._fields.items() if n not in self.answer_fields) and not (
            self.form_errors
        )
    if not ok:
        return False
    if not qtype.validate_answer(self):
        return False
    if not self.question.optional and qtype.is_empty(self):
        field_error(getattr(self, self.answer_fields[0]), qtype.required_message())
        return False
    return True


def _answer_data(self):
    """Return the answer to store (call after ``validate()`` succeeded)."""
    return self.question_type.to_answer(self)
