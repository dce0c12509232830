"""agree_priority: how much do you agree with a plan priority? agree / partly / disagree + why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form

from ..model import QuestionDef
from ..schema import KEY_RE, MAX_KEY, check_int, check_langmap, shown
from .base import PREFER_NOT_TO_SAY, AnswerData, BuildContext
from .choice import Choice, ChoiceType
from .fields import CleanTextAreaField, TextChecks, text_render_kw
from .free_text import TEXT_LIMIT, check_follow_up

AGREE_CHOICES = (("agree", _l("I agree")), ("partly", _l("I partly agree")), ("disagree", _l("I disagree")))
WHY_LABEL = _l("Tell us why (optional)")


class AgreePriority(ChoiceType):
    """Stored: ``value`` agree/partly/disagree/prefer_not_to_say (or None), ``text`` the reason.

    Fields ``answer`` (radios) and ``why`` (text box). ``priority`` names the plan priority
    key (e.g. ``mental_health``); ``text`` gives its wording; ``why`` may relabel the box.
    """

    name = "agree_priority"
    answer_kind = "agreement"
    answer_fields = ("answer", "why")
    extra_keys = frozenset({"priority", "max_length", "why", "follow_up", "follow_up_min_words"})
    options_required = False
    has_free_text = True
    default_max_length = 1000

    def kind_for(self, spec: Mapping[str, Any]) -> str:
        return f"agreement:{spec.get('priority')}"

    def check_spec(self, spec: Mapping[str, Any], path: str, langs: list[str]) -> list[str]:
        errors: list[str] = []
        priority = spec.get("priority")
        if priority is None:
            errors.append(f"{path}.priority: is required for agree_priority (the plan priority key)")
        elif not isinstance(priority, str) or len(priority) > MAX_KEY or not KEY_RE.match(priority):
            errors.append(f"{path}.priority: must be a key like 'mental_health', got {shown(priority)}")
        if "max_length" in spec:
            check_int(spec["max_length"], f"{path}.max_length", errors, minimum=1, maximum=TEXT_LIMIT)
        if "why" in spec:
            check_langmap(spec["why"], f"{path}.why", langs, errors)
        check_follow_up(spec, path, langs, errors)
        return errors

    def choice_list(self, question: QuestionDef, ctx: BuildContext) -> list[Choice]:
        return [(v, lbl, None) for v, lbl in AGREE_CHOICES] + self.extra_choices(question, ctx)

    def make_fields(self, question: QuestionDef, label: str, ctx: BuildContext) -> dict[str, Any]:
        fields = super().make_fields(question, label, ctx)
        limit = question.max_length or self.default_max_length
        why_label = ctx.text(question.spec["why"], "why") if question.spec.get("why") else WHY_LABEL
        fields["why"] = CleanTextAreaField(
            why_label, validators=[TextChecks(limit)], render_kw=text_render_kw(limit)
        )
        return fields

    def _answer(self, form: Form) -> AnswerData:
        return AnswerData(value=form.answer.data or None, text=form.why.data or None)

    def form_data(self, answer: AnswerData | None) -> dict[str, Any]:
        if answer is None or answer.skipped:
            return {}
        data: dict[str, Any] = {"why": answer.text or ""}
        if answer.value is not None:
            data["answer"] = str(answer.value)
        return data

    def _display(self, question: QuestionDef, answer: AnswerData, ctx: BuildContext) -> str:
        labels = {str(v): str(lbl) for v, lbl, _ in self.choice_list(question, ctx)}
        parts = []
        if answer.value is not None:
            parts.append(labels.get(str(answer.value), str(answer.value)))
        if answer.text:
            parts.append(answer.text)
        return ": ".join(parts)

    def needs_follow_up(self, question: QuestionDef, answer: AnswerData | None) -> bool:
        if answer is not None and answer.value == PREFER_NOT_TO_SAY:
            return False
        return super().needs_follow_up(question, answer)
