"""What a published 'You said, we did' page shows: only what may be public.

Counts come from submitted responses; themes and quotes from analysable answers, which never include
flagged responses. Quotes must be approved by the moderator and come from people who allowed quoting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import AUDIENCES, Action, Consultation, Theme, ThemePriority
from . import actions as action_data
from . import themes as theme_data

PRIORITY_PICTURES = {"mental_health": "feelings-help.svg", "poverty": "money-help.svg",
                     "safe_places": "places-to-play.svg", "family_support": "family-help.svg"}
DEFAULT_PICTURE = "change.svg"


@dataclass
class Entry:
    """One thing people said, and what came of it."""

    title: str
    child_title: str
    count: int | None  # answers raising the theme (None for a priority)
    picture: str
    actions: list[Action] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class PublicPage:
    """A published consultation's public figures and entries."""

    consultation: Consultation
    threshold: int
    total: int
    audiences: dict[str, int]
    entries: list[Entry]


def published(slug: str) -> Consultation | None:
    """Return the consultation if its pages are published, else None."""
    row = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    return row if row is not None and row.status == "published" else None


def _picture_for_theme(theme: Theme, links: dict[int, list[ThemePriority]], priority_keys: dict[int, str]) -> str:
    best = max(links.get(theme.id, []), key=lambda tp: tp.score, default=None)
    if best is not None and best.score >= 0.35:
        return PRIORITY_PICTURES.get(priority_keys.get(best.priority_id, ""), DEFAULT_PICTURE)
    return DEFAULT_PICTURE


def page(consultation: Consultation, *, quotes: bool = True) -> PublicPage:
    """Return what the public pages show, grouped by theme or priority in the order actions were recorded."""
    counts = {t.id: n for t, n, _per in theme_data.theme_table(consultation)}
    priority_keys = {p.id: p.key for p in consultation.plan.priorities}
    theme_ids = [a.theme_id for a in action_data.actions_for(consultation) if a.theme_id]
    links: dict[int, list[ThemePriority]] = {}
    if theme_ids:
        for tp in db.session.scalars(select(ThemePriority).where(ThemePriority.theme_id.in_(theme_ids))):
            links.setdefault(tp.theme_id, []).append(tp)
    entries: dict[tuple[str, int], Entry] = {}
    for a in action_data.actions_for(consultation):
        if a.theme is not None:
            key = ("t", a.theme.id)
            if key not in entries:
                entries[key] = Entry(a.theme.name, a.theme.child_name or a.theme.name, counts.get(a.theme.id, 0),
                                     _picture_for_theme(a.theme, links, priority_keys))
                if quotes:
                    entries[key].quotes = [q.text or "" for q, _aud in
                                           theme_data.quotes_for_theme(consultation, a.theme, limit=2)]
        elif a.priority is not None:
            key = ("p", a.priority.id)
            if key not in entries:
                entries[key] = Entry(a.priority.title, a.priority.child_title or a.priority.title, None,
                                     PRIORITY_PICTURES.get(a.priority.key, DEFAULT_PICTURE))
        else:
            continue
        entries[key].actions.append(a)
    threshold = consultation.plan.partnership.suppression_threshold or 5
    counts_by_audience = action_data.audience_counts(consultation)
    ordered = {a: counts_by_audience[a] for a in AUDIENCES if a in counts_by_audience}
    return PublicPage(consultation, threshold, action_data.submitted_count(consultation), ordered,
                      list(entries.values()))
