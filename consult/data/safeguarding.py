"""The safeguarding queue: flagged and not-screened answers, for the safeguarding lead only; who is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

import analysis

from ..extensions import db
from ..models import Answer, Consultation, Partnership, Plan, Response, SafeguardingFlag, User, UserRole
from ..models._base import as_utc, utcnow

# Where create_flag leaves the ids of flags made in this session, for the alert after the commit.
NEW_FLAGS = "safeguarding_new_flags"
MAX_EVIDENCE = 20


def create_flag(*, response_id: int, answer_id: int | None, checked: object, keep_sentences: bool = True,
                now: datetime | None = None) -> int:
    """Record a flag (or a not-screened case) for an answer and return its id (not committed).

    ``checked`` is a CheckedText. With ``keep_sentences`` False (a partnership that keeps no typed text)
    the evidence keeps the category, score and offsets but not the sentence itself.
    """
    evidence = [dict(e) for e in getattr(checked, "evidence", [])[:MAX_EVIDENCE]]
    if not keep_sentences:
        for e in evidence:
            e["sentence"] = ""
    needs_human = bool(getattr(checked, "needs_human", False)) and not getattr(checked, "flagged", False)
    flag_id = db.session.execute(SafeguardingFlag.__table__.insert().values(
        response_id=response_id, answer_id=answer_id, categories=list(getattr(checked, "categories", [])),
        triggers=list(getattr(checked, "triggers", [])), evidence=evidence,
        language=(getattr(checked, "language", "") or "")[:10], needs_human=needs_human,
        reason=(getattr(checked, "reason", "") or "")[:20], created_at=now or utcnow(), outcome="",
        alerted_to=[], escalated_to=[]).returning(SafeguardingFlag.__table__.c.id)).scalar_one()
    db.session.info.setdefault(NEW_FLAGS, []).append(flag_id)
    return flag_id


def take_new_flag_ids() -> list[int]:
    """Return (and forget) the ids of flags this session made that are now committed."""
    ids = db.session.info.pop(NEW_FLAGS, [])
    if not ids:
        return []
    return list(db.session.scalars(select(SafeguardingFlag.id).where(SafeguardingFlag.id.in_(ids))))


def urgency(flag: SafeguardingFlag) -> int:
    """Return the flag's urgency rank (0 = most urgent)."""
    return analysis.urgency_rank(list(flag.categories or []), not_screened=bool(flag.needs_human))


def queue(*, reviewed: bool | None = None, partnership_id: int | None = None) -> list[SafeguardingFlag]:
    """Return safeguarding flags: unreviewed first, most urgent first (analysis.URGENCY), then the one waiting
    longest; reviewed ones after, newest first. Optionally only (un)reviewed ones, and one partnership's."""
    q = select(SafeguardingFlag)
    if partnership_id is not None:
        q = q.where(SafeguardingFlag.response_id.in_(
            select(Response.id).join(Consultation, Response.consultation_id == Consultation.id)
            .join(Plan, Consultation.plan_id == Plan.id).where(Plan.partnership_id == partnership_id)))
    if reviewed is True:
        q = q.where(SafeguardingFlag.reviewed_at.is_not(None))
    elif reviewed is False:
        q = q.where(SafeguardingFlag.reviewed_at.is_(None))
    flags = list(db.session.scalars(q))
    waiting = sorted((f for f in flags if f.reviewed_at is None),
                     key=lambda f: (urgency(f), as_utc(f.created_at), f.id))
    done = sorted((f for f in flags if f.reviewed_at is not None), key=lambda f: (as_utc(f.created_at), f.id),
                  reverse=True)
    return waiting + done


def get_flag(flag_id: int) -> SafeguardingFlag | None:
    """Return a flag by id, or None."""
    return db.session.get(SafeguardingFlag, flag_id)


def flagged_answers(flag: SafeguardingFlag) -> list[Answer]:
    """Return the flagged response's answers with free text, in question order."""
    return [a for a in db.session.scalars(select(Answer).where(Answer.response_id == flag.response_id)
                                          .order_by(Answer.question_id)) if a.text or a.text_original]


@dataclass(frozen=True)
class Piece:
    """A run of an answer's text; ``marked`` runs are what the screen found (shown in <mark>)."""

    text: str
    marked: bool = False


def highlighted(text: str, evidence: list[dict]) -> list[Piece]:
    """Split text into runs, marking the evidence spans by their stored offsets (where they still match)."""
    spans: list[tuple[int, int]] = []
    for e in evidence or []:
        try:
            start, end = int(e.get("start", -1)), int(e.get("end", -1))
        except (TypeError, ValueError, AttributeError):
            continue
        if not (0 <= start < end <= len(text)):
            continue
        sentence = e.get("sentence") or ""
        if sentence and text[start:end] != sentence:
            continue  # the answer was changed after it was flagged: the offsets no longer point at it
        spans.append((start, end))
    pieces: list[Piece] = []
    at = 0
    for start, end in sorted(spans):
        start = max(start, at)
        if start >= end:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], True))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def record_review(flag: SafeguardingFlag, *, user_id: int, outcome: str, concern: bool = True) -> SafeguardingFlag:
    """Record that the safeguarding lead reviewed a flag, what was done, and whether there is a concern.

    With no concern on any flag of the response (a false alarm, or an ordinary answer in a language the
    screen does not read), the response returns to the analysis: its answers are themed and counted at the
    next run. A concern found later (a new flag, or the review changed) takes it out again.
    """
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValueError("outcome")
    flag.reviewed_by_id, flag.reviewed_at, flag.outcome = user_id, utcnow(), outcome[:5000]
    flag.concern = bool(concern)
    db.session.flush()
    response = db.session.get(Response, flag.response_id)
    if response is not None:
        decisions = db.session.scalars(select(SafeguardingFlag.concern)
                                       .where(SafeguardingFlag.response_id == response.id)).all()
        response.safeguarding = not all(decision is False for decision in decisions)
        db.session.flush()
    return flag


def flagged_response_ids() -> set[int]:
    """Return the ids of every flagged response (for tests and checks that nothing leaks)."""
    return set(db.session.scalars(select(Response.id).where(Response.safeguarding.is_(True))))


# ---- who is told, and when -------------------------------------------------------------------------

def get_partnership(partnership_id: int) -> Partnership | None:
    """Return a partnership by id, or None."""
    return db.session.get(Partnership, partnership_id) if partnership_id else None


def partnership_of_flag(flag: SafeguardingFlag) -> Partnership | None:
    """Return the partnership whose consultation the flagged response answers."""
    return db.session.scalar(select(Partnership).join(Plan, Plan.partnership_id == Partnership.id)
                             .join(Consultation, Consultation.plan_id == Plan.id)
                             .join(Response, Response.consultation_id == Consultation.id)
                             .where(Response.id == flag.response_id))


def _emails(values: object) -> list[str]:
    seen: list[str] = []
    for v in values if isinstance(values, list | tuple) else []:
        email = str(v).strip()
        if "@" in email and email.lower() not in (s.lower() for s in seen):
            seen.append(email)
    return seen


def safeguarding_leads(partnership_id: int) -> list[str]:
    """Return the emails of the partnership's active staff holding the safeguarding role."""
    return _emails(list(db.session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .where(User.partnership_id == partnership_id, User.active.is_(True), UserRole.role == "safeguarding")
        .order_by(User.id))))


def contacts_for(partnership: Partnership) -> list[str]:
    """Return who is told at once: the named contacts, else the partnership's safeguarding leads."""
    return _emails(partnership.safeguarding_contacts) or safeguarding_leads(partnership.id)


def deputies_for(partnership: Partnership) -> list[str]:
    """Return who is told when a flag waits too long: the deputies, else (none named) the contacts again."""
    return _emails(partnership.safeguarding_deputies) or contacts_for(partnership)


def escalate_after(partnership: Partnership) -> timedelta:
    """Return how long a flag may wait unreviewed before it escalates (at least a minute)."""
    minutes = partnership.safeguarding_escalate_minutes
    return timedelta(minutes=max(1, int(minutes if minutes is not None else 60)))


def set_contacts(partnership: Partnership, *, contacts: list[str], deputies: list[str],
                 escalate_minutes: int = 60) -> None:
    """Record a partnership's safeguarding contacts, deputies and escalation time (not committed)."""
    partnership.safeguarding_contacts = _emails(contacts)
    partnership.safeguarding_deputies = _emails(deputies)
    partnership.safeguarding_escalate_minutes = max(1, int(escalate_minutes))
    db.session.flush()


def flags_to_alert() -> list[int]:
    """Return the ids of unreviewed flags nobody has been told of yet, oldest first."""
    return list(db.session.scalars(select(SafeguardingFlag.id).where(
        SafeguardingFlag.alerted_at.is_(None), SafeguardingFlag.reviewed_at.is_(None)).order_by(SafeguardingFlag.id)))


def flags_waiting(now: datetime) -> list[SafeguardingFlag]:
    """Return unreviewed, not yet escalated flags old enough that some partnership's time may have passed."""
    # The shortest possible escalation time is a minute; each partnership's own is checked by the caller.
    return list(db.session.scalars(select(SafeguardingFlag).where(
        SafeguardingFlag.reviewed_at.is_(None), SafeguardingFlag.escalated_at.is_(None),
        SafeguardingFlag.alerted_at.is_not(None),
        SafeguardingFlag.created_at <= now - timedelta(minutes=1)).order_by(SafeguardingFlag.id)))


def claim_alert(flag_id: int, now: datetime) -> bool:
    """Mark the flag as alerted unless someone already did; True if this caller is the one to send."""
    t = SafeguardingFlag.__table__
    done = db.session.execute(update(t).where(t.c.id == flag_id, t.c.alerted_at.is_(None)).values(alerted_at=now))
    return done.rowcount == 1


def claim_escalation(flag_id: int, now: datetime) -> bool:
    """Mark the flag as escalated unless it was reviewed or escalated already; True if this caller sends."""
    t = SafeguardingFlag.__table__
    done = db.session.execute(update(t).where(t.c.id == flag_id, t.c.escalated_at.is_(None),
                                              t.c.reviewed_at.is_(None)).values(escalated_at=now))
    return done.rowcount == 1


def record_sent(flag_id: int, *, alerted_to: list[str] | None = None, escalated_to: list[str] | None = None) -> None:
    """Record on the flag who was emailed."""
    t = SafeguardingFlag.__table__
    values: dict[str, object] = {}
    if alerted_to is not None:
        values["alerted_to"] = alerted_to
    if escalated_to is not None:
        values["escalated_to"] = escalated_to
    if values:
        db.session.execute(update(t).where(t.c.id == flag_id).values(**values))
