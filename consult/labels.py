"""Translated labels for stored codes (statuses, audiences, channels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "scheduled": _l("Scheduled"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "published": _l("Results published"),
}
JOB_STATE_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}
AUDIENCE_LABELS = {
    "child_5_8": _l("Children aged 5 to 8"),
    "child_8_11": _l("Children aged 8 to 11"),
    "young_12_17": _l("Young people aged 12 to 17"),
    "parent_carer": _l("Parents and carers"),
    "organisation": _l("Organisations"),
    "social_landlord": _l("Social landlords"),
    "other_provider": _l("Other service providers"),
}
# A child age band as the 'You said, we did' pages and readability checks name it ("Easy to read for ages 8 to 11").
AGE_BAND_LABELS = {
    "child_5_8": _l("ages 5 to 8"),
    "child_8_11": _l("ages 8 to 11"),
    "young_12_17": _l("ages 12 to 17"),
}
# How a response was collected: the one list (the paper-entry page offers the last three).
CHANNEL_LABELS = {
    "online_form": _l("Online form"),
    "online_chat": _l("Online chat"),
    "paper": _l("Paper form"),
    "event": _l("At an event"),
    "group": _l("Group discussion"),
}

# The groups a plan must not miss, as the "groups" question asks about them (consult.data.dashboard.TRACKED_GROUPS).
GROUP_LABELS = {
    "care_experienced": _l("Care experienced"),
    "young_carer": _l("Young carers"),
    "disabled": _l("Disabled, or a long-term health condition"),
    "gaelic_home": _l("Gaelic speakers"),
    "other_language": _l("Other languages at home"),
}

# An organisation's progress with a consultation (consult.data.invitations.STATUSES).
ORG_STATUS_LABELS = {
    "not_invited": _l("Not invited"),
    "invited": _l("Invited"),
    "opened": _l("Opened"),
    "no_contact": _l("Invited, no contact"),
    "drafting": _l("Drafting"),
    "submitted": _l("Submitted"),
    "opted_out": _l("Opted out"),
}

# The safeguarding screen's categories (analysis.CATEGORIES) in words a safeguarding lead uses.
SAFEGUARDING_CATEGORY_LABELS = {
    "suicidal": _l("Suicidal thoughts or plans"),
    "self_harm": _l("Self-harm"),
    "physical_abuse": _l("Physical abuse"),
    "sexual_abuse": _l("Sexual abuse"),
    "emotional_abuse": _l("Emotional abuse"),
    "neglect": _l("Neglect"),
    "domestic_abuse": _l("Domestic abuse (at home or in a relationship)"),
    "exploitation": _l("Sexual or criminal exploitation"),
    "bullying_risk": _l("Bullying with violence, weapons or suicidal risk"),
    "missing": _l("Running away, thrown out or unsafe where they live"),
    "parental_substance": _l("Harmful parental alcohol or drug use"),
}
# Why the screen could not read an answer (SafeguardingFlag.reason).
NOT_SCREENED_REASON_LABELS = {
    "language": _l("a language the screen does not read"),
    "uncertain": _l("the screen was unsure"),
    "error": _l("the screen failed"),
}

# Staff roles (consult.models.ROLES).
ROLE_LABELS = {
    "admin": _l("Admin"),
    "planner": _l("Planner"),
    "tsi": _l("Third Sector Interface coordinator"),
    "safeguarding": _l("Safeguarding lead"),
    "moderator": _l("Moderator"),
}
# What became of a theme or priority ("You said, we did").
ACTION_STATUS_LABELS = {"done": _l("Done"), "will_do": _l("We will do this"), "cannot_do": _l("We cannot do this")}
# Audiences in few words, for crowded tables.
AUDIENCE_SHORT_LABELS = {
    "child_5_8": _l("Age 5–8"), "child_8_11": _l("Age 8–11"), "young_12_17": _l("Age 12–17"),
    "parent_carer": _l("Parents"), "organisation": _l("Organisations"), "social_landlord": _l("Landlords"),
    "other_provider": _l("Other services"),
}
# Kinds of organisation in the consultee register (consult.models.ORG_TYPES).
ORG_TYPE_LABELS = {
    "represents": _l("Represents people who use services"),
    "provides": _l("Provides a children's or related service"),
    "social_landlord": _l("Social landlord"),
    "other_provider": _l("Other service provider (s.7(1))"),
    "community_group": _l("Community group"),
    "private_provider": _l("Private provider"),
}
# How a respondent chooses to answer.
MODE_LABELS = {
    "chat": _l("Chat: a friendly guide asks you one thing at a time"),
    "form": _l("Form: one question on each page"),
}

# Kinds of change in the coding history.
KIND_LABELS = {
    "add": _l("Added a theme"), "remove": _l("Removed a theme"), "move": _l("Moved answers"),
    "recode": _l("Changed one answer's codes"), "merge": _l("Merged themes"), "split": _l("Split a theme"),
    "undo": _l("Undid a change"),
}
# Why an answer waits for a person to theme it (the 'needs a person' list).
NEEDS_REASON_LABELS = {
    "unthemed": _l("No theme"),
    "language": _l("Language not themed"),
    "low": _l("Low confidence"),
}
# Question types, as the question editor offers them.
TYPE_LABELS = {
    "single_choice": _l("Choose one answer"),
    "multiple_choice": _l("Choose any answers"),
    "picture_choice": _l("Choose from pictures"),
    "face_scale": _l("Five faces, from worst to best"),
    "yes_no": _l("Yes or no"),
    "short_text": _l("A short written answer"),
    "long_text": _l("A longer written answer"),
    "rank_top3": _l("Pick the top three, in order"),
    "agree_priority": _l("Agree or disagree with a priority"),
    "area": _l("Which area they live in"),
}
# The eight SHANARRI wellbeing indicators (consult.models.SHANARRI).
SHANARRI_LABELS = {
    "safe": _l("Safe"), "healthy": _l("Healthy"), "achieving": _l("Achieving"), "nurtured": _l("Nurtured"),
    "active": _l("Active"), "respected": _l("Respected"), "responsible": _l("Responsible"), "included": _l("Included"),
}
# How an outcome indicator's latest value compares with its baseline and target.
VERDICT_LABELS = {"met": _l("Target met"), "better": _l("Better than the baseline"),
                  "worse": _l("Worse than the baseline"), "same": _l("No change"), "unknown": _l("No value yet")}


def action_status_label(code: str) -> str:
    """Return the translated name of an action's status."""
    return str(ACTION_STATUS_LABELS.get(code, code))


def status_label(code: str) -> str:
    """Return the translated label for a consultation status."""
    return str(STATUS_LABELS.get(code, code))


def job_state_label(code: str) -> str:
    """Return the translated label for a job state."""
    return str(JOB_STATE_LABELS.get(code, code))


def org_status_label(code: str) -> str:
    """Return the translated label for an organisation's status with a consultation."""
    return str(ORG_STATUS_LABELS.get(code, code))


def safeguarding_category_label(code: str) -> str:
    """Return the translated words for a safeguarding category (older flags' own words pass through)."""
    return str(SAFEGUARDING_CATEGORY_LABELS.get(code, code))


def not_screened_reason_label(code: str) -> str:
    """Return the translated reason an answer could not be screened."""
    return str(NOT_SCREENED_REASON_LABELS.get(code, code))
