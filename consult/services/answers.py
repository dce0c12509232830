"""Answers: the one door every channel stores an answer through (form, chat, paper, organisation, demo).

Here, and only here: an answer's free text is redacted and screened (once per request: see
``screening.check_text``), the text policy decides which words as typed are kept, a flag goes to the
safeguarding lead, an earlier answer is replaced, a response is submitted or deleted. ``consult.data``
runs the statements. Every channel stores the same row for the same answer: one upsert, whether the
response is held by the ORM (paper, organisations, demo) or known only by its state (the respondent pages).

The respondent's answer POST has a quick way (``record_quick``: one guarded, self-committing statement)
and the full way (``record``), which it falls back to for anything the quick way cannot decide.

A chat follow-up reply ("Can you tell me a bit more?") is redacted and screened like the answer it
follows and stored in ``Answer.follow_up``: ``None`` when none was asked or answered, ``""`` when the
person skipped it. Analysis reads both parts through ``text_for_analysis``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from forms import AnswerData
from forms.text import normalise_text

from ..data import erasure
from ..data import org_responses as org_data
from ..data import responses as data
from ..data import safeguarding as safeguarding_data
from ..data.responses import ResponseClosed, ResponseState, StaleVersion
from ..extensions import db
from ..models import Answer, Contact, Question, Response
from ..models._base import as_utc, utcnow
from ..text import clean_text
from .screening import CheckedText, check_text

__all__ = ["ResponseClosed", "Saved", "delete", "follow_ups_of", "keeps_typed", "record", "record_follow_up",
           "record_quick", "save", "save_org_part", "submit", "text_for_analysis"]

UNCHANGED = object()
# How stale a response's updated_at may get while someone answers (retention counts from it, in days):
# touching it on every answer was a second write per POST.
RESPONSE_TOUCH = timedelta(minutes=10)


# ---- the text policy: which words as typed are kept, and for whom ------------------------------

def keeps_typed(policy: str, *, submitted: bool, flagged: bool) -> bool:
    """Return True when an answer keeps its words as typed (``Answer.text_original``) beside the redacted text.

    While a response is in progress the person sees what they typed when they go back. Once it is
    submitted, only a flagged answer keeps them, for the safeguarding lead alone, and only where the
    partnership's policy is "flagged" (its policy "none" keeps no typed words at all).
    """
    if not submitted:
        return True
    return flagged and policy != "none"


def keeps_sentences(policy: str) -> bool:
    """Return True when a flag's evidence may quote the sentences that raised it (not under policy "none")."""
    return policy != "none"


# ---- validating, redacting, screening ---------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """An answer ready to store: its redacted text, its words as typed, what the screen found."""

    value: object
    skipped: bool
    text: str | None  # redacted: what analysis, themes, quotes and exports see
    typed: str | None  # as typed (cleaned of invisible characters), None when there is no text
    screening: CheckedText | None

    @property
    def flagged(self) -> bool:
        """A possible disclosure: the person sees the help page."""
        return bool(self.screening and self.screening.flagged)

    @property
    def alert(self) -> bool:
        """Flagged, or not screened: either way the safeguarding lead's."""
        return bool(self.screening and self.screening.alert)


def check(answer: AnswerData, *, audience: str, partnership: object, language_hint: str | None = None) -> Checked:
    """Redact and screen an answer's free text, if it has any (the page language as the hint unless given)."""
    typed = clean_text(answer.text) if answer.text and not answer.skipped else None
    if not typed or not typed.strip():
        return Checked(answer.value, bool(answer.skipped), None, None, None)
    screening = check_text(typed, audience=audience, partnership=partnership,  # type: ignore[arg-type]
                           language_hint=language_hint)
    return Checked(answer.value, bool(answer.skipped), screening.redacted, typed, screening)


# ---- storing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Saved:
    """What storing one answer did."""

    answer_id: int
    version: int
    text: str | None  # the redacted text stored
    flagged: bool  # a possible disclosure: show the help page
    alert: bool  # gone to the safeguarding lead: flagged, or not screened


def saved_after(state: ResponseState, now: datetime) -> datetime:
    """Return the response's updated_at once an answer is recorded at ``now`` (touched only when stale)."""
    return now if now - as_utc(state.updated_at) > RESPONSE_TOUCH else state.updated_at


def area_id_for(areas: object, answer: AnswerData) -> int | None:
    """Return the id of the coarse area an answer to the area question chose (None: "I don't know", skipped)."""
    code = None if answer.skipped else answer.value
    return next((a.id for a in areas if a.code == code), None) if isinstance(code, str) else None  # type: ignore[attr-defined]


def record(state: ResponseState, question_id: int, core_id: str, answer: AnswerData, *, partnership: object,
           area_id: object = UNCHANGED, follow_up: object = UNCHANGED, language_hint: str | None = None,
           expected_version: int | None = None) -> Saved:
    """Store one answer in a response (redacted, screened once), replacing any earlier one.

    ``partnership`` is anything with the redactor's local names and ``original_text_policy`` (a
    Partnership or a RespondentConsultation); ``area_id`` records the coarse area when this is the area
    question; ``follow_up`` (a reply, "" or None, see ``record_follow_up``) replaces the follow-up reply
    too; ``expected_version`` replaces an earlier answer only while it has that version (else
    StaleVersion). A flagged or not-screened answer gets a flag row and marks the response, in the same
    transaction. Raises ResponseClosed for a withdrawn response.
    """
    if state.status == "withdrawn":
        raise ResponseClosed
    checked = check(answer, audience=state.audience, partnership=partnership, language_hint=language_hint)
    policy = getattr(partnership, "original_text_policy", "flagged") or "flagged"
    submitted = state.status == "submitted"
    typed, flagged = checked.typed, checked.alert
    if typed is not None and submitted and not flagged and keeps_typed(policy, submitted=True, flagged=True):
        # A change after sending keeps no more than sending did: an answer flagged before keeps its typing.
        flagged = data.answer_is_flagged(state.id, question_id)
    if typed is not None and not keeps_typed(policy, submitted=submitted, flagged=flagged):
        typed = None
    db.session.flush()  # nothing the ORM holds may be written after these statements
    now = utcnow()
    answer_id, version = data.upsert_answer(
        response_id=state.id, question_id=question_id, core_id=core_id, value=answer.value,
        skipped=checked.skipped, text=checked.text, text_original=typed, now=now,
        expected_version=expected_version)
    changes: dict[str, object] = {}
    if saved_after(state, now) == now:
        changes["updated_at"] = now
    if checked.alert:
        changes["safeguarding"] = True
        safeguarding_data.create_flag(response_id=state.id, answer_id=answer_id, checked=checked.screening,
                                      keep_sentences=keeps_sentences(policy), now=now)
    if area_id is not UNCHANGED:
        changes["area_id"] = area_id
    if changes:
        data.update_response(state.id, **changes)
    data.forget_orm_copies(state.id, answer_id, tuple(changes))  # ORM copies of what changed are out of date
    flagged = checked.flagged
    if follow_up is not UNCHANGED:
        flagged = record_follow_up(response_id=state.id, question_id=question_id, audience=state.audience,
                                   reply=follow_up, partnership=partnership,  # type: ignore[arg-type]
                                   language_hint=language_hint) or flagged
    return Saved(answer_id, version, checked.text, flagged, checked.alert)


def changed_in_chat(qtype: object, answer: AnswerData, reply: str | None) -> tuple[AnswerData, object]:
    """Return (the answer, its follow-up reply to store) for an answer reopened by "Change my last answer".

    ``reply`` is what the follow-up box under it holds, None when it was not shown. Emptied to a skip,
    the answer has no follow-up of its own, and a reply still typed becomes the answer; otherwise a
    shown box replaces the reply (UNCHANGED: the follow-up, if one is still to come, stays to come).
    """
    if answer.skipped:
        return (qtype.with_follow_up(answer, reply) if reply else answer), None  # type: ignore[attr-defined]
    return answer, UNCHANGED if reply is None else reply


def save(response: Response, question: Question, answer: AnswerData, *,
         expected_version: int | None = None) -> Saved:
    """Store one answer in a response the ORM holds (paper, organisations, demo): the same way as ``record``.

    The screen's language hint is the response's language (staff may be entering a Polish paper form on
    an English page); the area question also records the response's coarse area.
    """
    partnership = response.variant.consultation.plan.partnership
    area = area_id_for(partnership.areas, answer) if question.type == "area" else UNCHANGED
    db.session.flush()
    return record(data.state_of(response), question.id, question.core_id, answer, partnership=partnership,
                  area_id=area, language_hint=response.language, expected_version=expected_version)


def record_quick(info: object, response_id: int, variant_id: int, audience: str, question_id: int, core_id: str,
                 answer: AnswerData, *, today: date) -> bool:
    """Store one answer in one self-committing statement if nothing needs the full way; False if nothing was stored.

    Stored only while the response is in progress, in ``variant_id``, in an open consultation whose
    definition is still ``info``'s. Not stored (the caller takes the full way, ``record``, which reuses
    this request's screening) when the screen flags the text or could not read it: the flag, the answer
    and the response change together.
    """
    checked = check(answer, audience=audience, partnership=info)
    if checked.alert:
        return False
    policy = getattr(info, "original_text_policy", "flagged")
    typed = checked.typed if keeps_typed(policy, submitted=False, flagged=False) else None
    return data.upsert_answer_if_open(
        response_id=response_id, variant_id=variant_id, consultation_id=info.id,  # type: ignore[attr-defined]
        definition_version=info.definition_version, question_id=question_id,  # type: ignore[attr-defined]
        core_id=core_id, value=answer.value, skipped=checked.skipped, text=checked.text, text_original=typed,
        today=today, now=utcnow())


def record_follow_up(*, response_id: int, question_id: int, audience: str, reply: str | None, partnership: object,
                     language_hint: str | None = None) -> bool:
    """Store the follow-up reply to an answer already stored (redacted, screened once); True if flagged.

    ``reply`` None clears it (the answer was changed to a skip); "" records a skipped follow-up. A reply
    the screen flags, or could not read, goes to the safeguarding lead like a flagged answer.
    """
    db.session.flush()
    text = clean_text(normalise_text(reply)) or ""  # the statement bypasses the ORM's text hygiene: apply it here
    checked = check_text(text, audience=audience, partnership=partnership,  # type: ignore[arg-type]
                         language_hint=language_hint) if text else None
    now = utcnow()
    answer_id = data.set_follow_up(response_id, question_id, None if reply is None else (
        checked.redacted if checked else ""), now)
    if answer_id is None or checked is None or not checked.alert:
        data.forget_orm_copies(response_id, answer_id)
        return False
    data.update_response(response_id, safeguarding=True)
    data.forget_orm_copies(response_id, answer_id, ("safeguarding",))
    policy = getattr(partnership, "original_text_policy", "flagged")
    safeguarding_data.create_flag(response_id=response_id, answer_id=answer_id, checked=checked,
                                  keep_sentences=keeps_sentences(policy), now=now)
    return bool(checked.flagged)


def save_org_part(response: Response, question: Question, answer: AnswerData, *, contact: Contact,
                  expected_version: int) -> Saved:
    """Save one part of an organisation's shared draft if nobody changed it since ``expected_version`` was read.

    The check and the save are one statement, so two people saving at the same moment cannot both win
    (the loser gets EditConflict with the answer as it now is). Records who and when.
    """
    if expected_version != 0 and org_data.answer_for(response, question) is None:
        raise org_data.EditConflict(None)
    try:
        saved = save(response, question, answer, expected_version=expected_version)
    except StaleVersion:
        current = org_data.answer_for(response, question)
        if current is not None:
            db.session.refresh(current)
        raise org_data.EditConflict(current) from None
    org_data.add_draft_edit(answer_id=saved.answer_id, contact_id=contact.id, version=saved.version,
                            text=saved.text, value=answer.value)
    return saved


# ---- submitting, deleting -------------------------------------------------------------------------

def submit(response: Response, *, may_quote: bool | None = None) -> bool:
    """Make the response final; return False if it already was (a double submit changes nothing).

    ``may_quote`` records whether the person lets us quote their words. Sending applies the text
    policy: the words as typed go, except where ``keeps_typed`` keeps them.
    """
    if response.status == "withdrawn":
        raise ResponseClosed
    if may_quote is not None:
        response.may_quote = bool(may_quote)
    if response.status == "submitted":
        return False
    response.status = "submitted"
    response.submitted_at = utcnow()
    db.session.flush()
    policy = response.variant.consultation.plan.partnership.original_text_policy
    data.drop_typed_text(response.id, except_flagged=keeps_typed(policy, submitted=True, flagged=True))
    for held in response.__dict__.get("answers") or []:
        db.session.expire(held, ["text_original"])
    return True


def submit_org(response: Response, contact: Contact) -> bool:
    """Submit an organisation's response in the name of one contact; False if it already was."""
    if not submit(response):
        return False
    response.submitted_by_contact_id = contact.id
    db.session.flush()
    return True


def delete(response: Response) -> None:
    """Delete a person's answers at their request; keep only that a response was withdrawn.

    An answer the safeguarding screen flagged stays, for the safeguarding lead only: a child's
    safety comes before erasure (the vital-interests basis), and the privacy notice says so.
    What was made from the answers (codings, examples, quotes) goes too: consult.data.erasure.
    """
    erasure.erase_response(response)


# ---- reading -------------------------------------------------------------------------------------

def follow_ups_of(response_id: int) -> dict[str, str]:
    """Return the follow-up replies of a response by core id ("" for a skipped follow-up)."""
    return data.follow_ups_of(response_id)


def text_for_analysis(answer: Answer) -> str:
    """Return what analysis reads of an answer: its own redacted words, then the follow-up reply."""
    return "\n\n".join(part for part in (answer.text, answer.follow_up) if part and part.strip())
