"""Email wording a partnership writes itself, with a fixed list of safe placeholders.

A template's subject and body hold placeholders like ``{organisation}`` or ``{link}``. Only the
names listed for that kind of email exist; anything else in braces is refused when saved, with a
message naming it. Filling one in is a single pass of a tiny substitution of our own (never
``str.format``, which would let ``{0.__class__}``-style fields reach into Python objects), and a
value put in is never read again for placeholders, so an organisation called ``{link}`` stays
that text. Links in the values are built from the configured external address (GUTH_BASE_URL).

Sending code asks ``compose(partnership_id, kind, values)``: the partnership's wording in the
email's language, else its English, else None (the caller keeps Guth's standard wording).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..data import email_templates as data
from ..i18n import LANGUAGE_NAMES, current_language

SUBJECT_LIMIT = 200
BODY_LIMIT = 5000
# {name}: a placeholder. Names are ASCII letters and underscores; anything else in braces is ordinary text
# only if it could not be mistaken for a placeholder (spaces, punctuation), so "{colour}" is refused.
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,60})\}")

PLACEHOLDERS = {
    "name": _l("the contact's name"),
    "organisation": _l("the organisation's name"),
    "consultation": _l("the consultation's title"),
    "closing_date": _l("the closing date, like 31 May 2027"),
    "link": _l("the personal link (invitations, reminders) or the link to the flag (safeguarding alerts)"),
    "opt_out_link": _l("the link to stop these emails"),
    "submitted_by": _l("who submitted the response"),
    "response": _l("a copy of the response as submitted"),
    "minutes": _l("minutes before the deputies are told"),
    "flag_id": _l("the flag's number"),
    "what": _l("what was flagged: “a possible disclosure” or “an answer that could not be screened”"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of email: its name, the placeholders it may use and those it must."""

    code: str
    label: object
    description: object
    allowed: tuple[str, ...]
    required: tuple[str, ...]
    subject: object
    body: object


_ORG = ("name", "organisation", "consultation", "closing_date", "link", "opt_out_link")
KINDS = {
    "invitation": Kind(
        "invitation", _l("Invitation to an organisation"),
        _l("Sent when you invite an organisation's contact to respond."), _ORG, ("link", "opt_out_link"),
        _l("Invitation: respond for {organisation} to {consultation}"),
        _l("Dear {name},\n\n{organisation} is invited to respond to {consultation}. The council and health board "
           "must ask organisations like yours, and want your views on the draft plan. The closing date is "
           "{closing_date}.\n\nYour personal link (do not share it outside your organisation; it works until the "
           "closing date):\n{link}\n\nIf you do not want these emails, follow this link:\n{opt_out_link}\n")),
    "reminder": Kind(
        "reminder", _l("Reminder to an organisation"),
        _l("Sent to organisations that have not responded yet: on the reminder date you schedule, or when you "
           "nudge them."), _ORG, ("link", "opt_out_link"),
        _l("Reminder: respond for {organisation} to {consultation}"),
        _l("Dear {name},\n\nThis is a reminder that {organisation} is invited to respond to {consultation}. The "
           "closing date is {closing_date}.\n\nYour personal link:\n{link}\n\nIf you do not want these emails, "
           "follow this link:\n{opt_out_link}\n")),
    "confirmation": Kind(
        "confirmation", _l("Confirmation of a submitted response"),
        _l("Sent to an organisation's contacts when one of them submits its response: their copy."),
        ("name", "organisation", "consultation", "submitted_by", "response", "opt_out_link"),
        ("response", "opt_out_link"),
        _l("Copy of the response from {organisation} to {consultation}"),
        _l("Dear {name},\n\n{submitted_by} submitted the response from {organisation} to {consultation}. This is "
           "your copy.\n\n{response}\n\nIf you do not want these emails, follow this link:\n{opt_out_link}\n")),
    "safeguarding_alert": Kind(
        "safeguarding_alert", _l("Safeguarding alert"),
        _l("Sent at once to the safeguarding contacts when an answer is flagged. It never holds what was written."),
        ("link", "minutes", "flag_id", "what"), ("link",),
        _l("Guth safeguarding: {what} (flag {flag_id})"),
        _l("A flag for {what} needs a safeguarding review.\n\nPlease review it now:\n{link}\n\n"
           "This email holds nothing of what was written. Sign in to Guth to read it.\n\nIf nobody has reviewed it "
           "within {minutes} minutes, the deputies are told.\n")),
    "safeguarding_escalation": Kind(
        "safeguarding_escalation", _l("Safeguarding escalation to a deputy"),
        _l("Sent to the deputy safeguarding contacts when nobody has reviewed a flag in time. It never holds what "
           "was written."),
        ("link", "minutes", "flag_id", "what"), ("link",),
        _l("Guth safeguarding: not reviewed after {minutes} minutes (flag {flag_id})"),
        _l("A flag for {what} has waited {minutes} minutes and nobody has reviewed it yet. You are told as a deputy "
           "safeguarding contact.\n\nPlease review it now:\n{link}\n\nThis email holds nothing of what was "
           "written. Sign in to Guth to read it.\n")),
}


def fill(template: str, values: dict[str, str]) -> str:
    """Put the values in for the placeholders, in one pass; a name with no value is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def unknown_placeholders(template: str, kind: Kind) -> list[str]:
    """Return the names in braces that are not placeholders of this kind of email, in order, once each."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1) not in kind.allowed))


def _braced(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join("{" + n + "}" for n in names)


def check(kind: Kind, texts: dict[str, tuple[str, str]], languages: list[str]) -> dict[str, str]:
    """Check the wording in every language; return field errors keyed subject-<lang> / body-<lang>.

    Either every language is written or none is (none: Guth's standard wording is used).
    """
    errors: dict[str, str] = {}
    written = [lang for lang in languages if any(part.strip() for part in texts.get(lang, ("", "")))]
    for lang in languages:
        subject, body = (part.strip() for part in texts.get(lang, ("", "")))
        name = LANGUAGE_NAMES.get(lang, lang)
        if written and not subject:
            errors[f"subject-{lang}"] = _("Write the subject in %(language)s too, or empty every language to use "
                                          "the standard wording", language=name)
        elif "\n" in subject or "\r" in subject:
            errors[f"subject-{lang}"] = _("Keep the subject on one line")
        elif len(subject) > SUBJECT_LIMIT:
            errors[f"subject-{lang}"] = _("Keep the subject to %(n)s characters or fewer", n=SUBJECT_LIMIT)
        elif bad := unknown_placeholders(subject, kind):
            errors[f"subject-{lang}"] = _unknown_message(bad, kind)
        if written and not body:
            errors[f"body-{lang}"] = _("Write the email in %(language)s too, or empty every language to use the "
                                       "standard wording", language=name)
        elif len(body) > BODY_LIMIT:
            errors[f"body-{lang}"] = _("Keep the email to %(n)s characters or fewer", n=BODY_LIMIT)
        elif bad := unknown_placeholders(body, kind):
            errors[f"body-{lang}"] = _unknown_message(bad, kind)
        elif body and (missing := [n for n in kind.required if "{" + n + "}" not in body]):
            errors[f"body-{lang}"] = _("The email must include %(names)s: without it people cannot act on it",
                                       names=_braced(missing))
    return errors


def _unknown_message(bad: list[str], kind: Kind) -> str:
    return _("%(names)s is not a placeholder this email can use. Use only %(allowed)s",
             names=_braced(bad), allowed=_braced(kind.allowed))


def standard_wording(kind: Kind, lang: str) -> tuple[str, str]:
    """Return Guth's standard subject and body for a kind of email, written as a template, in a language."""
    with force_locale(lang):
        return str(kind.subject), str(kind.body)


def sample_values(kind: Kind) -> dict[str, str]:
    """Return made-up values to preview a template with (links at the configured external address)."""
    from ..urls import external_base_url

    base = external_base_url()
    return {
        "name": _("Alex Morgan"), "organisation": _("Glenbrae Youth Forum"),
        "consultation": _("Our children's services plan"), "closing_date": _("31 May 2027"),
        "link": base + ("/planner/safeguarding/123" if kind.code.startswith("safeguarding") else "/org/EXAMPLE-LINK"),
        "opt_out_link": base + "/org/opt-out/EXAMPLE", "submitted_by": _("Sam Lee"),
        "response": _("(the response as submitted)"), "minutes": "60", "flag_id": "123",
        "what": _("a possible disclosure"),
    }


def compose(partnership_id: int | None, kind_code: str, values: dict[str, object],
            lang: str | None = None) -> tuple[str, str] | None:
    """Return the partnership's (subject, body) for an email with the values filled in, or None to use the standard.

    The language is the email's (default: this request's), else the partnership's English wording.
    """
    if partnership_id is None:
        return None
    rows = data.templates_for(partnership_id, kind_code)
    if not rows:
        return None
    row = rows.get(lang or current_language()) or rows.get("en") or next(iter(rows.values()))
    text_values = {k: "" if v is None else str(v) for k, v in values.items()}
    one_line = {k: " ".join(v.split()) for k, v in text_values.items()}  # no header injection through a value
    return fill(row.subject, one_line)[:300], fill(row.body, text_values)
