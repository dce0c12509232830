"""single_choice: one answer from a list (radio buttons)."""

from .choice import ChoiceType


class SingleChoice(ChoiceType):
    """Pick one of the options, or "I'd rather not say"."""

    name = "single_choice"
