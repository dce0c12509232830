"""The question-type protocol, the stored answer shape and the build context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import Form

from ..i18n import localised
from ..model import QuestionDef
from ..text import word_count

#: Stored value when someone chooses "I'd rather not say" (an answer, distinct from skipping).
PREFER_NOT_TO_SAY = "prefer_not_to_say"
#: Stored value for "I don't know" (area, yes/no/not sure uses ``not_sure``).
DONT_KNOW = "dont_know"
RESERVED_VALUES = frozenset({PREFER_NOT_TO_SAY, DONT_KNOW, ""})

LABEL_PREFER_NOT_TO_SAY = _l("I'd rather not say")
LABEL_DONT_KNOW = _l("I don't know")
LABEL_SKIPPED = _l("Skipped")
LABEL_NOT_ANSWERED = _l("Not answered")
MSG_REQUIRED_CHOICE = _l("Choose an answer, or choose Skip")
MSG_REQUIRED_TEXT = _l("Write your answer, or choose Skip")


@dataclass(frozen=True)
class AnswerData:
    """What the app stores for one question, identical in chat and form mode.

    ``value`` is the structured, JSON-serialisable part (a choice value, a list, an int for a
    face scale, or ``"prefer_not_to_say"``); ``text`` is free text the person wrote (already
    NFC-normalised and trimmed); ``skipped`` is True when they pressed Skip or gave nothing.
    """

    value: Any = None
    text: str | None = None
    skipped: bool = False

    @property
    def declined(self) -> bool:
        """Return True when the person chose "I'd rather not say"."""
        return self.value == PREFER_NOT_TO_SAY or self.value == [PREFER_NOT_TO_SAY]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"value": self.value, "text": self.text, "skipped": self.skipped}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> AnswerData:
        """Rebuild from :meth:`to_dict` output (None gives an unanswered, skipped answer)."""
        if not data:
            return cls(skipped=True)
        return cls(value=data.get("value"), text=data.get("text"), skipped=bool(data.get("skipped")))


SKIPPED = AnswerData(skipped=True)


@dataclass
class BuildContext:
    """Per-build settings; records whether any wording fell back to English."""

    lang: str
    easy_read: bool = False
    area_options: list[tuple[str, str]] | None = None
    fell_back: bool = False
    missing: list[str] = field(default_factory=list)

    def text(self, mapping: Mapping[str, str] | None, what: str = "") -> str:
        """Return ``mapping`` in the build language, noting any fallback to English."""
        text, fell_back = localised(mapping, self.lang)
        if fell_back:
            self.fell_back = True
            if what:
                self.missing.append(what)
        return text


class QuestionType:
    """Base for one kind of question: schema checks, WTForms fields, stored answer, display.

    Subclasses are small and self-contained; :func:`forms.build_form` compiles any of them.
    """

    name: ClassVar[str] = ""
    #: Questions with the same core id must have the same answer kind in every audience.
    answer_kind: ClassVar[str] = ""
    #: Names of the WTForms fields that hold the answer (``skip``/``continue_`` are added by the builder).
    answer_fields: ClassVar[tuple[str, ...]] = ("answer",)
    #: Spec keys this type accepts beyond the common ones.
    extra_keys: ClassVar[frozenset[str]] = frozenset()
    #: Whether the type collects free text that must be screened and redacted.
    has_free_text: ClassVar[bool] = False

    # -- definition --------------------------------------------------------------------
    def kind_for(self, spec: Mapping[str, Any]) -> str:
        """Return the answer kind for this spec (used to check core ids compare)."""
        return self.answer_kind

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        """Return type-specific errors in ``spec``, each starting with ``path``."""
        return []

    # -- form --------------------------------------------------------------------------
    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        """Return the unbound WTForms fields for ``question``."""
        raise NotImplementedError

    def is_empty(self, form: Form) -> bool:
        """Return True when nothing was given in the answer fields."""
        return all(not getattr(form, n).data for n in self.answer_fields)

    def required_message(self):
        """Return the message shown when a non-optional question is left empty."""
        return MSG_REQUIRED_CHOICE

    def validate_answer(self, form: Form) -> bool:
        """Run checks that span several fields (after per-field validation); return ok."""
        return True

    def to_answer(self, form: Form) -> AnswerData:
        """Return the answer to store from a validated form (Skip pressed → skipped)."""
        if form.skip.data or self.is_empty(form):
            return SKIPPED
        return self._answer(form)

    def _answer(self, form: Form) -> AnswerData:
        raise NotImplementedError

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        """Return ``data=`` for the built form class so Back and Change show the earlier answer."""
        if answer is None or answer.skipped:
            return {}
        return {"answer": answer.value}

    def display(
        self,
        question: QuestionDef,
        answer: AnswerData | None,
        lang: str,
        *,
        area_options: list[tuple[str, str]] | None = None,
    ) -> str:
        """Return a short human summary of ``answer`` for the check-your-answers page."""
        if answer is None:
            return str(LABEL_NOT_ANSWERED)
        if answer.skipped:
            return str(LABEL_SKIPPED)
        ctx = BuildContext(lang=lang, area_options=area_options)
        return self._display(question, answer, ctx)

    def _display(self, question: QuestionDef, answer: AnswerData, ctx: BuildContext) -> str:
        return str(answer.value)

    def free_text(self, answer: AnswerData | None) -> str | None:
        """Return the free text the app must screen and redact, or None."""
        if answer is None or answer.skipped or not answer.text:
            return None
        return answer.text

    def needs_follow_up(self, question: QuestionDef, answer: AnswerData | None) -> bool:
        """Return True when chat mode should ask the question's follow-up once."""
        if not self.has_free_text or not question.follow_up or answer is None or answer.skipped:
            return False
        if answer.declined:
            return False
        return word_count(answer.text) < question.follow_up_min_words

    def with_follow_up(self, answer: AnswerData, more: str | None) -> AnswerData:
        """Return ``answer`` with the follow-up reply appended to its free text."""
        from ..text import normalise_text

        extra = normalise_text(more)
        if not extra:
            return answer
        text = f"{answer.text}\n\n{extra}" if answer.text else extra
        return AnswerData(value=answer.value, text=text, skipped=False)
