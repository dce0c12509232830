"""short_text and long_text: free text with a character count, cleaned and checked server-side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import Form

from ..model import QuestionDef
from ..schema import check_int, check_langmap
from .base import MSG_REQUIRED_TEXT, AnswerData, BuildContext, QuestionType
from .fields import CleanStringField, CleanTextAreaField, TextChecks, char_count_hint, text_render_kw

TEXT_LIMIT = 10_000


def check_follow_up(spec: Mapping[str, Any], path: str, langs: list[str], errors: list[str]) -> None:
    """Check the optional chat-mode follow-up settings."""
    if "follow_up" in spec:
        check_langmap(spec["follow_up"], f"{path}.follow_up", langs, errors)
    if "follow_up_min_words" in spec:
        check_int(spec["follow_up_min_words"], f"{path}.follow_up_min_words", errors, minimum=1, maximum=50)


class _FreeText(QuestionType):
    """Stored: ``value`` None, ``text`` the cleaned text (NFC, trimmed, at most ``max_length``)."""

    answer_kind = "text"
    extra_keys = frozenset({"max_length", "follow_up", "follow_up_min_words"})
    has_free_text = True
    default_max_length = 1000
    field_cls: type = CleanTextAreaField
    multiline = True

    def max_length(self, question: QuestionDef) -> int:
        """Return the question's character limit."""
        return question.max_length or self.default_max_length

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        errors: list[str] = []
        if "max_length" in spec:
            check_int(spec["max_length"], f"{path}.max_length", errors, minimum=1, maximum=TEXT_LIMIT)
        check_follow_up(spec, path, langs, errors)
        return errors

    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        limit = self.max_length(question)
        field = self.field_cls(
            label,
            validators=[TextChecks(limit, multiline=self.multiline)],
            description=ctx.text(question.help, "help") if question.help else "",
            render_kw=text_render_kw(limit),
        )
        return {"answer": field}

    def required_message(self):
        return MSG_REQUIRED_TEXT

    def _answer(self, form: Form) -> AnswerData:
        return AnswerData(value=None, text=form.answer.data or None)

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        if answer is None or answer.skipped:
            return {}
        return {"answer": answer.text or ""}

    def _display(self, question: QuestionDef, answer: AnswerData, ctx: BuildContext) -> str:
        return answer.text or ""

    def count_hint(self, question: QuestionDef):
        """Return the "You can write up to N characters." hint."""
        return char_count_hint(self.max_length(question))


class ShortText(_FreeText):
    """One line of text (default limit 200 characters)."""

    name = "short_text"
    default_max_length = 200
    field_cls = CleanStringField
    multiline = False


class LongText(_FreeText):
    """A text box for a few sentences (default limit 1000 characters)."""

    name = "long_text"
    default_max_length = 1000
    field_cls = CleanTextAreaField
