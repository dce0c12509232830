"""One filter for every results view: audience, age band, area, language, channel and tracked group.

A ``ResultFilter`` is read from the URL's query (``ResultFilter.from_args(request.args, consultation)``),
so a filtered view can be bookmarked or sent to a colleague; ``to_query()`` gives the query back for
links. Values the consultation does not have are ignored (never an error page). ``apply(stmt)``
restricts a SELECT that has Response in its FROM; ``apply_answers(stmt)`` restricts a SELECT on Answer
without needing the join. The tracked group is the answer to the "groups" question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, exists, select

from ..extensions import db
from ..models import AUDIENCES, CHANNELS, CHILD_AUDIENCES, Answer, Area, Consultation, Plan, Response
from .dashboard import TRACKED_GROUPS

#: Who answered, as the audience filter offers it: any child or young person, or one adult audience.
AUDIENCE_CHOICES = ["children", *[a for a in AUDIENCES if a not in CHILD_AUDIENCES]]
#: Age bands in the URL (readable) and the audience each means.
AGE_BANDS = {"5-8": "child_5_8", "8-11": "child_8_11", "12-17": "young_12_17"}
#: The "area" value for responses that gave none.
NO_AREA = "none"
GROUPS_CORE_ID = "groups"


@dataclass(frozen=True)
class ResultFilter:
    """Which submitted responses a view counts; every field None means all of them."""

    audience: str | None = None  # one of AUDIENCE_CHOICES
    age: str | None = None  # a key of AGE_BANDS
    area: str | None = None  # an area id (as text) of the consultation's partnership, or NO_AREA
    language: str | None = None  # a language code the consultation ran in
    channel: str | None = None  # one of CHANNELS
    group: str | None = None  # one of TRACKED_GROUPS

    # -- reading and writing the URL ----------------------------------------------------------------
    @classmethod
    def from_args(cls, args: Mapping[str, Any], consultation: Consultation) -> ResultFilter:
        """Return the filter named in a query string, ignoring any value this consultation cannot have."""
        def pick(name: str, allowed: object) -> str | None:
            raw = args.get(name)
            if not isinstance(raw, str):
                return None
            value = raw.strip()[:40]
            return value if value and value in allowed else None  # type: ignore[operator]

        areas = {str(i) for i in _area_ids(consultation)} | {NO_AREA}
        return cls(
            audience=pick("audience", AUDIENCE_CHOICES),
            age=pick("age", AGE_BANDS),
            area=pick("area", areas),
            language=pick("language", list(consultation.languages or ["en"])),
            channel=pick("channel", CHANNELS),
            group=pick("group", TRACKED_GROUPS),
        )

    def to_query(self) -> dict[str, str]:
        """Return the filter as query arguments (only those set), for url_for(..., **f.to_query())."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def active(self) -> bool:
        """Return True if any filter is set."""
        return bool(self.to_query())

    def without(self, name: str) -> ResultFilter:
        """Return this filter with one field cleared."""
        return replace(self, **{name: None})

    # -- what it means --------------------------------------------------------------------------------
    def audiences(self) -> list[str] | None:
        """Return the audiences this filter lets through (None: every one)."""
        if self.age:
            band = AGE_BANDS[self.age]
            return [band] if self.audience in (None, "children") else []
        if self.audience == "children":
            return list(CHILD_AUDIENCES)
        if self.audience:
            return [self.audience]
        return None

    def allows_audience(self, audience: str) -> bool:
        """Return True if responses from ``audience`` pass the filter's audience and age band."""
        allowed = self.audiences()
        return allowed is None or audience in allowed

    def clauses(self) -> list[ColumnElement[bool]]:
        """Return WHERE conditions on Response for this filter."""
        out: list[ColumnElement[bool]] = []
        allowed = self.audiences()
        if allowed is not None:
            out.append(Response.audience.in_(allowed))
        if self.area == NO_AREA:
            out.append(Response.area_id.is_(None))
        elif self.area:
            out.append(Response.area_id == int(self.area))
        if self.language:
            out.append(Response.language == self.language)
        if self.channel:
            out.append(Response.channel == self.channel)
        if self.group:
            groups = Answer.__table__.alias("group_answer")
            out.append(exists().where(groups.c.response_id == Response.id, groups.c.core_id == GROUPS_CORE_ID,
                                      groups.c.skipped.is_(False),
                                      cast(groups.c.value, String).like(f'%"{self.group}"%')))
        return out

    def apply(self, stmt: Select) -> Select:
        """Restrict a SELECT that has Response in its FROM (or joins it) to the filtered responses."""
        clauses = self.clauses()
        return stmt.where(*clauses) if clauses else stmt

    def apply_answers(self, stmt: Select) -> Select:
        """Restrict a SELECT on Answer to answers in the filtered responses (no join needed)."""
        clauses = self.clauses()
        if not clauses:
            return stmt
        return stmt.where(Answer.response_id.in_(select(Response.id).where(*clauses)))

    def response_ids(self, consultation: Consultation) -> set[int] | None:
        """Return the ids of the consultation's submitted responses that pass (None when unfiltered)."""
        if not self.active:
            return None
        return set(db.session.scalars(self.apply(select(Response.id).where(
            Response.consultation_id == consultation.id, Response.status == "submitted"))))


ALL = ResultFilter()


def _area_ids(consultation: Consultation) -> list[int]:
    return list(db.session.scalars(
        select(Area.id).join(Plan, Plan.partnership_id == Area.partnership_id)
        .where(Plan.id == consultation.plan_id).order_by(Area.position)))


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers for one consultation (codes; templates label them)."""

    audiences: list[str]
    ages: list[str]
    areas: list[tuple[str, str]]  # (value, area name); NO_AREA has the name ""
    languages: list[str]
    channels: list[str]
    groups: list[str]


def choices(consultation: Consultation) -> FilterChoices:
    """Return what the filter form offers: the consultation's audiences, its partnership's areas, its languages."""
    have = {v.audience for v in consultation.variants} or set(AUDIENCES)
    audiences = [a for a in AUDIENCE_CHOICES
                 if (a == "children" and have & set(CHILD_AUDIENCES)) or a in have]
    ages = [k for k, band in AGE_BANDS.items() if band in have]
    areas = [(str(i), name) for i, name in db.session.execute(
        select(Area.id, Area.name).join(Plan, Plan.partnership_id == Area.partnership_id)
        .where(Plan.id == consultation.plan_id).order_by(Area.position))]
    groups_asked = any(q.core_id == GROUPS_CORE_ID for v in consultation.variants for q in v.questions)
    return FilterChoices(audiences=audiences, ages=ages, areas=[*areas, (NO_AREA, "")],
                         languages=list(consultation.languages or ["en"]), channels=list(CHANNELS),
                         groups=list(TRACKED_GROUPS) if groups_asked else [])


__all__ = ["AGE_BANDS", "ALL", "AUDIENCE_CHOICES", "NO_AREA", "FilterChoices", "ResultFilter", "choices"]
