"""What a published 'You said, we did' page shows: only what may be public.

Counts come from submitted responses; themes and quotes from analysable answers, which never include
flagged responses. Quotes must be approved by the moderator and come from people who allowed quoting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import AUDIENCES, Action, Answer, Consultation, Response, Theme, ThemePriority
from ..services.suppression import threshold_for
from . import actions as action_data
from . import consultations as consultation_data
from . import themes as theme_data
from .theme_names import child_name_map, name_map

PRIORITY_PICTURES = {"mental_health": "feelings-help.svg", "poverty": "money-help.svg",
                     "safe_places": "places-to-play.svg", "family_support": "family-help.svg"}
DEFAULT_PICTURE = "change.svg"


@dataclass
class Entry:
    """One thing people said, and what came of it. Names are {language: text}; templates localise them."""

    title: dict[str, str]
    child_title: dict[str, str]
    count: int | None  # responses (people) raising the theme (None for a priority)
    picture: str
    alt: dict[str, str] = field(default_factory=dict)  # the picture's alt text per language
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
    return row if row is not None and row.published_at is not None else None


def _picture_for_theme(theme: Theme, links: dict[int, list[ThemePriority]], priority_keys: dict[int, str]) -> str:
    best = max(links.get(theme.id, []), key=lambda tp: tp.score, default=None)
    if best is not None and best.score >= 0.35:
        return PRIORITY_PICTURES.get(priority_keys.get(best.priority_id, ""), DEFAULT_PICTURE)
    return DEFAULT_PICTURE


def theme_response_counts(consultation: Consultation) -> dict[int, int]:
    """Return {theme id: responses with at least one analysable answer coded with it}.

    Counted in responses, not answers, so a theme's figure is comparable with "N responses" (one person
    answering three questions about buses counts once) and can never exceed it.
    """
    effective = theme_data.effective_codings(consultation)
    if not effective:
        return {}
    response_of = dict(db.session.execute(
        select(Answer.id, Answer.response_id).join(Response, Answer.response_id == Response.id)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")).all())
    people: dict[int, set[int]] = defaultdict(set)
    for answer_id, theme_ids in effective.items():
        for tid in theme_ids:
            people[tid].add(response_of.get(answer_id, -answer_id))
    return {tid: len(ids) for tid, ids in people.items()}


def picture_alts(consultation: Consultation) -> dict[str, dict[str, str]]:
    """Return {picture file: alt text per language} from the pictures the consultation's questions use."""
    alts: dict[str, dict[str, str]] = {}
    for audience in consultation_data.definition_of(consultation).audiences:
        for q in audience.questions:
            pictures = [q.picture, *[o.picture for o in q.options]]
            for pic in pictures:
                if pic is not None and pic.src not in alts:
                    alts[pic.src] = dict(pic.alt)
    return alts


def page(consultation: Consultation, *, quotes: bool = True) -> PublicPage:
    """Return what the public pages show, grouped by theme or priority in the order actions were recorded."""
    counts = theme_response_counts(consultation)
    alts = picture_alts(consultation)
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
                picture = _picture_for_theme(a.theme, links, priority_keys)
                entries[key] = Entry(name_map(a.theme), child_name_map(a.theme), counts.get(a.theme.id, 0),
                                     picture, alts.get(picture, {}))
                if quotes:
                    entries[key].quotes = [q.text or "" for q, _aud in
                                           theme_data.quotes_for_theme(consultation, a.theme, limit=2)]
        elif a.priority is not None:
            key = ("p", a.priority.id)
            if key not in entries:
                picture = PRIORITY_PICTURES.get(a.priority.key, DEFAULT_PICTURE)
                entries[key] = Entry({"en": a.priority.title}, {"en": a.priority.child_title or a.priority.title},
                                     None, picture, alts.get(picture, {}))
        else:
            continue
        entries[key].actions.append(a)
    threshold = threshold_for(consultation.plan.partnership)
    counts_by_audience = action_data.audience_counts(consultation)
    ordered = {a: counts_by_audience[a] for a in AUDIENCES if a in counts_by_audience}
    return PublicPage(consultation, threshold, action_data.submitted_count(consultation), ordered,
                      list(entries.values()))
