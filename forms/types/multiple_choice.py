"""multiple_choice: any number of answers from a list (checkboxes)."""

from .choice import MultiChoiceType


class MultipleChoice(MultiChoiceType):
    """Tick any of the options, or "I'd rather not say" on its own."""

    name = "multiple_choice"
