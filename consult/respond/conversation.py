"""The chat as a conversation: where the person is, as one object with pure transitions.

The answers themselves live in the database (each follow-up reply in ``Answer.follow_up``); the
conversation only remembers what the answers cannot tell: which question's follow-up is being asked
now, and which questions have had their one follow-up (never asked twice). It is kept under one
session key, tied to the response and the definition version it was held under.

Transitions return a new Conversation and change nothing else:
``answered`` (an answer or a skip: may ask the follow-up), ``followed_up`` (the reply, or its skip),
``changed`` ("Change my last answer"), ``finished``. ``front`` is the question to ask next.

``Drafts`` is the typing carried across "Change my last answer": what was typed for the questions left
behind, in hidden fields of the page (never stored, never in the session).

``load`` never fails: a session value that is not what this module wrote (tampered), one from another
response, one held under an earlier definition (stale), or a follow-up to a question since skipped or
removed gives a fresh conversation that asks no follow-up again, with the reason, so the page can
say so in the person's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from forms import AnswerData

KEY = "chat"
TAMPERED, STALE, GONE = "tampered", "stale", "gone"
MORE = ":more"  # the posted "q" of a question's follow-up
CHANGE = ":change"  # the posted "q" of a question reopened by "Change my last answer"
DRAFT_PREFIX = "draft|"  # hidden fields "draft|<q>|<field>" carry typing from the question left behind
DRAFT_NAME = re.compile(r"^draft\|([a-z0-9_]{1,64}(?::more)?)\|([a-z0-9_]{1,32})$")
DRAFT_MAX_VALUES = 40
DRAFT_MAX_CHARS = 20_000


def posted_q(front: tuple[str, bool]) -> str:
    """Return the posted "q" of the question (or follow-up) ``front``."""
    core_id, follow_up = front
    return core_id + MORE if follow_up else core_id


def position(core_ids: Sequence[str], q: str) -> int:
    """Return where a posted "q" (a question, or its follow-up) comes in the conversation."""
    return 2 * list(core_ids).index(q.removesuffix(MORE)) + (1 if q.endswith(MORE) else 0)


@dataclass(frozen=True)
class Conversation:
    """One person's chat: the response and definition it belongs to, the follow-up being asked."""

    rid: int
    version: int
    follow: str | None = None  # the question whose follow-up is being asked now
    asked: frozenset[str] = field(default_factory=frozenset)  # questions that had their follow-up

    # ---- reading and writing the session value ---------------------------------------------------

    @classmethod
    def load(cls, raw: Any, *, rid: int, version: int, core_ids: Sequence[str],
             answers: Mapping[str, AnswerData]) -> tuple[Conversation, str | None]:
        """Return the conversation from its session value, and why it had to start afresh (or None)."""
        # Afresh, nothing is known to have been asked; a follow-up already answered (or skipped) is in
        # Answer.follow_up, and "Change my last answer" shows it rather than asking again.
        fresh = cls(rid=rid, version=version)
        if raw is None:
            return fresh, None
        try:
            if not isinstance(raw, dict) or set(raw) - {"rid", "v", "follow", "asked"}:
                raise ValueError
            follow, asked = raw.get("follow"), raw.get("asked") or []
            if (not isinstance(raw.get("rid"), int) or not isinstance(raw.get("v"), int)
                    or not (follow is None or isinstance(follow, str)) or not isinstance(asked, list)
                    or not all(isinstance(a, str) for a in asked) or len(asked) > len(core_ids) + 64):
                raise ValueError
        except ValueError:
            return fresh, TAMPERED
        if raw["rid"] != rid:
            return fresh, None  # another response's conversation (a receipt code, a shared tablet)
        if raw["v"] != version:
            return fresh, STALE
        conversation = cls(rid=rid, version=version, follow=follow,
                           asked=frozenset(a for a in asked if a in core_ids))
        if follow is not None:
            stored = answers.get(follow)
            if follow not in core_ids or stored is None or stored.skipped:
                return replace(conversation, follow=None), GONE
        return conversation, None

    def dump(self) -> dict[str, Any]:
        """Return the session value."""
        return {"rid": self.rid, "v": self.version, "follow": self.follow, "asked": sorted(self.asked)}

    # ---- where the person is ----------------------------------------------------------------------

    def front(self, core_ids: Sequence[str], answers: Mapping[str, AnswerData]) -> tuple[str, bool] | None:
        """Return (core id, is the follow-up) of the question to ask, or None when all are answered."""
        if self.follow is not None and self.follow in core_ids:
            return self.follow, True
        current = next((c for c in core_ids if c not in answers), None)
        return (current, False) if current is not None else None

    @staticmethod
    def last_answered(front: tuple[str, bool], core_ids: Sequence[str]) -> str | None:
        """Return the question "Change my last answer" reopens from ``front``, or None at the first one.

        On a follow-up that is the question it follows; otherwise the one before.
        """
        core_id, follow_up = front
        if follow_up:
            return core_id
        i = list(core_ids).index(core_id)
        return core_ids[i - 1] if i > 0 else None

    # ---- transitions ------------------------------------------------------------------------------

    def answered(self, core_id: str, *, wants_follow_up: bool) -> Conversation:
        """The question was answered (or skipped): ask its follow-up once, if the answer wants one."""
        if wants_follow_up and core_id not in self.asked:
            return replace(self, follow=core_id, asked=self.asked | {core_id})
        return self

    def followed_up(self) -> Conversation:
        """The follow-up was answered or skipped: go on."""
        return replace(self, follow=None)

    def changed(self, core_id: str, *, skipped: bool, wants_follow_up: bool) -> Conversation:
        """A reopened answer was sent again.

        Changed to a skip: no follow-up for it, now or to come. A follow-up still to come stays to come;
        an answer never given its follow-up may get it now (when no other is waiting).
        """
        if skipped:
            return replace(self, follow=None if self.follow == core_id else self.follow)
        if self.follow is None and wants_follow_up and core_id not in self.asked:
            return replace(self, follow=core_id, asked=self.asked | {core_id})
        return self

    def finished(self) -> Conversation:
        """Every question answered: nothing to ask."""
        return replace(self, follow=None)


@dataclass
class Drafts:
    """What was typed for questions left behind by "Change my last answer", by posted "q"."""

    by_q: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def posted(cls, form: MultiDict, core_ids: Sequence[str], front: tuple[str, bool] | None) -> Drafts:
        """Read the hidden draft fields of a posted page (bounded; unknown questions, and questions before
        ``front``, the one the person is on, left over from a stale page, ignored)."""
        drafts = cls()
        count = 0
        for name, value in form.items(multi=True):
            match = DRAFT_NAME.match(name)
            if not match or count >= DRAFT_MAX_VALUES:
                continue
            q, field_name = match.groups()
            if q.removesuffix(MORE) not in core_ids:
                continue
            drafts.by_q.setdefault(q, []).append((field_name, value[:DRAFT_MAX_CHARS]))
            count += 1
        here = position(core_ids, posted_q(front)) if front is not None else None
        drafts.by_q = {q: items for q, items in drafts.by_q.items()
                       if here is not None and position(core_ids, q) >= here}
        return drafts

    def keep_typed(self, q: str, form: MultiDict, names: Sequence[str]) -> None:
        """Add what was posted in the answer fields ``names`` as the draft of question ``q``."""
        items = [(n, v[:DRAFT_MAX_CHARS]) for n in names for v in form.getlist(n)]
        if any(v.strip() for _, v in items):
            self.by_q[q] = items[:DRAFT_MAX_VALUES]

    def take(self, q: str) -> MultiDict | None:
        """Remove and return the draft of question ``q`` as form data, or None."""
        items = self.by_q.pop(q, None)
        return MultiDict(items) if items else None

    def hidden(self) -> list[tuple[str, str]]:
        """Return (name, value) hidden fields that carry every draft on to the next post."""
        return [(f"{DRAFT_PREFIX}{q}|{n}", v) for q, items in self.by_q.items() for n, v in items]

    def __bool__(self) -> bool:
        return any(any(v.strip() for _, v in items) for items in self.by_q.values())
