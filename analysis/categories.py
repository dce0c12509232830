"""The safeguarding categories, their names in words a safeguarding lead uses, and their urgency."""

from __future__ import annotations

# Keys as stored and in the CLI; order is the order results list them in.
CATEGORIES = (
    "suicidal",
    "self_harm",
    "physical_abuse",
    "sexual_abuse",
    "emotional_abuse",
    "neglect",
    "domestic_abuse",
    "exploitation",
    "bullying_risk",
    "missing",
    "parental_substance",
)

CATEGORY_NAMES = {
    "suicidal": "Suicidal thoughts or plans",
    "self_harm": "Self-harm",
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse",
    "emotional_abuse": "Emotional abuse",
    "neglect": "Neglect",
    "domestic_abuse": "Domestic abuse (at home or in a relationship)",
    "exploitation": "Sexual or criminal exploitation",
    "bullying_risk": "Bullying with violence, weapons or suicidal risk",
    "missing": "Running away, thrown out or unsafe where they live",
    "parental_substance": "Harmful parental alcohol or drug use",
}

# Most urgent first: a queue sorts by the most urgent category of a flag, then by time. Risk to life and
# ongoing sexual or physical harm first; answers no screen could read sit with the most urgent, since
# nobody knows what they say.
URGENCY = (
    "suicidal",
    "not_screened",
    "sexual_abuse",
    "physical_abuse",
    "exploitation",
    "domestic_abuse",
    "self_harm",
    "missing",
    "bullying_risk",
    "neglect",
    "parental_substance",
    "emotional_abuse",
)


def urgency_rank(categories: list[str] | tuple[str, ...], *, not_screened: bool = False) -> int:
    """Return the rank (0 = most urgent) of the most urgent of these categories."""
    keys = list(categories) + (["not_screened"] if not_screened else [])
    ranks = [URGENCY.index(c) for c in keys if c in URGENCY]
    return min(ranks) if ranks else len(URGENCY)
