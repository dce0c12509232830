"""Plans, consultations, variants and questions."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forms import SUPPORTED_LANGUAGES, ConsultationDefinition, load_definition, load_template

from ..extensions import db
from ..models import (
    Area,
    AudienceVariant,
    Consultation,
    Partnership,
    Plan,
    PlanAction,
    Priority,
    Question,
    Response,
)


@dataclass(frozen=True)
class ConsultationSummary:
    """A consultation with its counts, for lists."""

    consultation: Consultation
    submitted: int
    in_progress: int


def get_by_slug(slug: str) -> Consultation | None:
    """Return a consultation by its public slug."""
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def get_for_respondent(slug: str) -> Consultation | None:
    """Return a consultation by slug with its plan, partnership and areas, in two queries.

    Every respondent page needs the partnership (screening settings, text policy) and its areas
    (the area question); loading them here saves a query each per request.
    """
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug).options(
        joinedload(Consultation.plan).joinedload(Plan.partnership).selectinload(Partnership.areas)))


@dataclass(frozen=True)
class AreaInfo:
    """One of a partnership's coarse areas."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class RespondentConsultation:
    """What every respondent request needs of a consultation and its partnership, read in one query.

    Answer pages are the busiest in Guth (a whole school answering in one period); loading the
    consultation, plan, partnership and areas as ORM objects took a third of each answer POST.
    It quacks like a Partnership for the redactor (areas, redact_places, redact_schools) and like a
    Consultation for ``is_open``, ``definition_of`` and the closed page (id, slug, dates, title).
    """

    id: int
    slug: str
    status: str
    title: dict
    opens_on: date
    closes_on: date
    created_at: datetime
    definition_version: int
    partnership_id: int
    original_text_policy: str
    redact_places: tuple[str, ...]
    redact_schools: tuple[str, ...]
    areas: tuple[AreaInfo, ...]


def respondent_select(slug: str):  # type: ignore[no-untyped-def]
    """Return the select behind ``respondent_consultation`` (one row per area), to extend with more columns."""
    return (select(Consultation.id, Consultation.slug, Consultation.status, Consultation.title, Consultation.opens_on,
                   Consultation.closes_on, Consultation.created_at, Consultation.definition_version, Partnership.id,
                   Partnership.original_text_policy, Partnership.redact_places, Partnership.redact_schools,
                   Area.id, Area.code, Area.name)
            .join(Plan, Plan.id == Consultation.plan_id).join(Partnership, Partnership.id == Plan.partnership_id)
            .outerjoin(Area, Area.partnership_id == Partnership.id)
            .where(Consultation.slug == slug).order_by(Area.position, Area.id))


RESPONDENT_COLUMNS = 15  # how many columns respondent_select's rows start with


def respondent_from_rows(rows: list) -> RespondentConsultation | None:  # type: ignore[type-arg]
    """Build the snapshot from respondent_select's rows (None when there were none)."""
    if not rows:
        return None
    r = rows[0]
    return RespondentConsultation(
        id=r[0], slug=r[1], status=r[2], title=r[3] or {}, opens_on=r[4], closes_on=r[5], created_at=r[6],
        definition_version=r[7] or 1, partnership_id=r[8], original_text_policy=r[9] or "flagged",
        redact_places=tuple(r[10] or ()), redact_schools=tuple(r[11] or ()),
        areas=tuple(AreaInfo(row[12], row[13], row[14]) for row in rows if row[12] is not None))


def respondent_consultation(slug: str) -> RespondentConsultation | None:
    """Return the consultation a respondent is answering, with its partnership's settings and areas."""
    info = respondent_from_rows(db.session.execute(respondent_select(slug)).all())
    remember_for_respondents(slug, info)
    return info


# The last snapshot each process read, per slug: the answer POST builds its form from it instead of
# reading it again. Every answer page (the GET before each POST) refreshes it; the POST's statement
# itself checks what must be current (open today, the same definition), and an entry older than
# this is not used, so a change to the partnership's redaction settings reaches every process soon.
RESPONDENT_CACHE_SECONDS = 30.0
_RESPONDENT_CACHE: dict[str, tuple[float, RespondentConsultation]] = {}
_RESPONDENT_CACHE_MAX = 256


def remember_for_respondents(slug: str, info: RespondentConsultation | None) -> None:
    """Keep the snapshot just read for the next answer POST in this process (forget it if gone)."""
    if info is None:
        _RESPONDENT_CACHE.pop(slug, None)
        return
    with _DEFINITIONS_LOCK:
        if slug not in _RESPONDENT_CACHE and len(_RESPONDENT_CACHE) >= _RESPONDENT_CACHE_MAX:
            _RESPONDENT_CACHE.pop(next(iter(_RESPONDENT_CACHE)), None)
        _RESPONDENT_CACHE[slug] = (time.monotonic(), info)


def recent_respondent_consultation(slug: str) -> RespondentConsultation | None:
    """Return the snapshot this process read for ``slug`` in the last RESPONDENT_CACHE_SECONDS, else None."""
    found = _RESPONDENT_CACHE.get(slug)
    if found is None or time.monotonic() - found[0] > RESPONDENT_CACHE_SECONDS:
        return None
    return found[1]


def get(consultation_id: int) -> Consultation | None:
    """Return a consultation by id."""
    return db.session.get(Consultation, consultation_id)


def is_open(consultation: Consultation, today: date | None = None) -> bool:
    """Return True if people can answer the consultation today."""
    from .. import clock

    today = today or clock.today()
    return consultation.status == "open" and consultation.opens_on <= today <= consultation.closes_on


def open_consultations(today: date | None = None) -> list[Consultation]:
    """Return consultations open for answers today, soonest closing first."""
    rows = db.session.scalars(select(Consultation).where(Consultation.status == "open")
                              .order_by(Consultation.closes_on))
    return [c for c in rows if is_open(c, today)]


def published_consultations() -> list[Consultation]:
    """Return consultations whose "You said, we did" page is published."""
    return list(db.session.scalars(select(Consultation).where(Consultation.published_at.is_not(None))
                                   .order_by(Consultation.published_at.desc())))


def consultation_summaries() -> list[ConsultationSummary]:
    """Return every consultation with submitted and in-progress counts, in two queries."""
    consultations = list(db.session.scalars(select(Consultation).order_by(Consultation.opens_on.desc())))
    counts = db.session.execute(
        select(Response.consultation_id, Response.status, func.count()).group_by(
            Response.consultation_id, Response.status)
    ).all()
    by = {(cid, status): n for cid, status, n in counts}
    return [ConsultationSummary(c, by.get((c.id, "submitted"), 0), by.get((c.id, "in_progress"), 0))
            for c in consultations]


# ---- creating partnerships, plans and consultations -------------------------------------------

def create_partnership(*, name: str, local_authority: str, health_board: str, areas: list[tuple[str, str]],
                       **settings: object) -> Partnership:
    """Create a partnership with its coarse areas [(code, name), ...] (not committed)."""
    partnership = Partnership(name=name, local_authority=local_authority, health_board=health_board, **settings)
    partnership.areas = [Area(code=code, name=area_name, position=i) for i, (code, area_name) in enumerate(areas)]
    db.session.add(partnership)
    db.session.flush()
    return partnership


def create_plan(partnership: Partnership, *, title: str, period_start: date, period_end: date, vision: str,
                priorities: list[dict]) -> Plan:
    """Create a plan with its priorities (each a dict of Priority fields plus optional 'actions')."""
    if not 3 <= len(priorities) <= 5:
        raise ValueError("A plan has 3 to 5 priorities")
    plan = Plan(partnership_id=partnership.id, title=title, period_start=period_start, period_end=period_end,
                vision=vision)
    for i, spec in enumerate(priorities):
        spec = dict(spec)
        actions = spec.pop("actions", [])
        priority = Priority(position=i, **spec)
        priority.actions = [PlanAction(position=j, **a) for j, a in enumerate(actions)]
        plan.priorities.append(priority)
    db.session.add(plan)
    db.session.flush()
    return plan


def create_consultation(plan: Plan, definition: ConsultationDefinition, *, opens_on: date, closes_on: date,
                        status: str = "draft", slug: str | None = None) -> Consultation:
    """Create a consultation, its audience variants and questions from a validated definition."""
    consultation = Consultation(plan_id=plan.id, slug=slug or definition.id, title=definition.title,
                                purpose=definition.purpose or {}, languages=definition.languages,
                                opens_on=opens_on, closes_on=closes_on, status=status)
    for i, audience in enumerate(definition.audiences):
        variant = AudienceVariant(audience=audience.audience, position=i, title=audience.title,
                                  intro=audience.intro or {})
        variant.questions = [Question(core_id=q.core_id, position=j, type=q.type, text=q.text, spec=q.spec)
                             for j, q in enumerate(audience.questions)]
        consultation.variants.append(variant)
    db.session.add(consultation)
    db.session.flush()
    return consultation


# Validated definitions, per process, keyed by the consultation and its definition version: rebuilding
# and re-validating one from its rows took about half the CPU of every answer POST. Definitions are
# frozen dataclasses, so sharing one between requests and threads is safe.
_DEFINITIONS: dict[tuple, ConsultationDefinition] = {}
_DEFINITIONS_MAX = 64
_DEFINITIONS_LOCK = threading.Lock()


def definition_key(consultation: Consultation | RespondentConsultation) -> tuple:
    """Return what identifies a consultation's definition as edited (caches of what it compiles to use it)."""
    # created_at and slug as well as the id: a test database reuses ids after emptying its tables.
    return (consultation.id, consultation.slug, consultation.created_at, consultation.definition_version or 1)


def definition_of(consultation: Consultation | RespondentConsultation) -> ConsultationDefinition:
    """Return the consultation's definition as the forms package reads it (cached until it is edited)."""
    if consultation.id is None:
        return _build_definition(consultation)  # type: ignore[arg-type]
    key = definition_key(consultation)
    found = _DEFINITIONS.get(key)
    if found is None:
        rows = consultation if isinstance(consultation, Consultation) else get(consultation.id)
        found = _build_definition(rows)  # type: ignore[arg-type]
        with _DEFINITIONS_LOCK:  # gunicorn threads share the cache
            while len(_DEFINITIONS) >= _DEFINITIONS_MAX:
                _DEFINITIONS.pop(next(iter(_DEFINITIONS)))
            _DEFINITIONS[key] = found
    return found


def _build_definition(consultation: Consultation) -> ConsultationDefinition:
    """Rebuild and validate the consultation's definition from its rows."""
    data = {
        "id": consultation.slug,
        "title": consultation.title,
        "languages": consultation.languages,
        "audiences": [
            {"audience": v.audience, "title": v.title, **({"intro": v.intro} if v.intro else {}),
             "questions": [q.spec for q in v.questions]}
            for v in consultation.variants
        ],
    }
    if consultation.purpose:
        data["purpose"] = consultation.purpose
    return load_definition(data)


@dataclass(frozen=True)
class QuestionRef:
    """A question's row id and core id: all an answer needs to be stored."""

    id: int
    core_id: str


@dataclass(frozen=True)
class VariantShape:
    """An audience variant's questions in order, as the respondent pages walk them."""

    id: int
    audience: str
    title: dict
    intro: dict
    questions: tuple[QuestionRef, ...]

    @property
    def core_ids(self) -> list[str]:
        return [q.core_id for q in self.questions]


_SHAPES: dict[tuple, VariantShape] = {}


def variant_shape(consultation: Consultation | RespondentConsultation, variant_id: int) -> VariantShape | None:
    """Return a variant's questions in order (cached with the definition: they change only when it is edited)."""
    key = (*definition_key(consultation), variant_id)
    found = _SHAPES.get(key)
    if found is None:
        variant = db.session.get(AudienceVariant, variant_id)
        if variant is None or variant.consultation_id != consultation.id:
            return None
        found = VariantShape(variant.id, variant.audience, dict(variant.title or {}), dict(variant.intro or {}),
                             tuple(QuestionRef(q.id, q.core_id) for q in variant.questions))
        with _DEFINITIONS_LOCK:
            while len(_SHAPES) >= _DEFINITIONS_MAX * 8:
                _SHAPES.pop(next(iter(_SHAPES)))
            _SHAPES[key] = found
    return found


def variant_for(consultation: Consultation, audience: str) -> AudienceVariant | None:
    """Return the consultation's variant for an audience, or None."""
    return next((v for v in consultation.variants if v.audience == audience), None)


def get_partnership(partnership_id: int) -> Partnership | None:
    """Return a partnership by id."""
    return db.session.get(Partnership, partnership_id)


def first_partnership() -> Partnership | None:
    """Return the (usually only) partnership on this server."""
    return db.session.scalar(select(Partnership).order_by(Partnership.id).limit(1))


# ---- new consultations: from a shipped template or a copy of another ---------------------------

class SlugTaken(ValueError):
    """Another consultation already has this web address."""


class AudienceNotInSource(ValueError):
    """The template or consultation being copied has no version for some chosen audiences."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def suggest_slug(title: str, year: int | None = None) -> str:
    """Return a free web address made from the title (and year): lower case, digits and hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    base = _SLUG_CHARS.sub("-", ascii_title).strip("-")[:60].strip("-") or "consultation"
    if year and not base.endswith(str(year)):
        base = f"{base}-{year}"
    slug, n = base, 2
    while get_by_slug(slug) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _only_languages(value: object, keep: set[str]) -> object:
    """Return the data with every {lang: text} map cut down to the languages kept."""
    if isinstance(value, list):
        return [_only_languages(v, keep) for v in value]
    if not isinstance(value, dict):
        return value
    if value and "en" in value and all(k in SUPPORTED_LANGUAGES for k in value):
        return {k: v for k, v in value.items() if k in keep}
    return {k: _only_languages(v, keep) for k, v in value.items()}


def _new_definition(data: dict, *, slug: str, title: str | dict[str, str], audiences: list[str] | None,
                    languages: list[str] | None) -> ConsultationDefinition:
    """Return the source definition made into a new one: its own slug and title, audiences and languages."""
    have = [a["audience"] for a in data["audiences"]]
    if audiences is not None:
        missing = [a for a in audiences if a not in have]
        if missing:
            raise AudienceNotInSource(missing)
        data["audiences"] = [a for a in data["audiences"] if a["audience"] in audiences]
    langs = ["en", *[lang for lang in (languages or data.get("languages") or ["en"]) if lang != "en"]]
    data = _only_languages(data, set(langs))  # type: ignore[assignment]
    data["id"], data["languages"] = slug, langs
    data["title"] = {"en": title} if isinstance(title, str) else {k: v for k, v in title.items() if k in langs}
    return load_definition(data)


def _create_from(data: dict, plan: Plan, title: str | dict[str, str], *, opens_on: date, closes_on: date,
                 slug: str | None, audiences: list[str] | None, languages: list[str] | None,
                 status: str) -> Consultation:
    if closes_on < opens_on:
        raise ValueError("closes before it opens")
    english = title if isinstance(title, str) else title.get("en", "")
    slug = slug or suggest_slug(english, opens_on.year)
    if get_by_slug(slug) is not None:
        raise SlugTaken(slug)
    definition = _new_definition(data, slug=slug, title=title, audiences=audiences, languages=languages)
    return create_consultation(plan, definition, opens_on=opens_on, closes_on=closes_on, status=status, slug=slug)


def clone_consultation(source: Consultation, title: str | dict[str, str], *, opens_on: date, closes_on: date,
                       plan: Plan | None = None, slug: str | None = None, audiences: list[str] | None = None,
                       languages: list[str] | None = None, status: str = "draft") -> Consultation:
    """Create a draft copy of ``source``'s questions (same core ids, so answers compare) with no responses.

    ``audiences`` and ``languages`` choose which of the source's audience versions and which languages
    the copy keeps (default: all); English is always kept. Raises SlugTaken, AudienceNotInSource, or
    ValueError when it would close before it opens. Not committed.
    """
    return _create_from(definition_of(source).to_dict(), plan or source.plan, title, opens_on=opens_on,
                        closes_on=closes_on, slug=slug, audiences=audiences, languages=languages, status=status)


def create_from_template(name: str, plan: Plan, title: str | dict[str, str], *, opens_on: date, closes_on: date,
                         slug: str | None = None, audiences: list[str] | None = None,
                         languages: list[str] | None = None, status: str = "draft") -> Consultation:
    """Create a draft consultation from the shipped template ``name`` (KeyError if not shipped); see clone_consultation."""
    return _create_from(load_template(name).to_dict(), plan, title, opens_on=opens_on, closes_on=closes_on,
                        slug=slug, audiences=audiences, languages=languages, status=status)


def plans_of(partnership_id: int | None) -> list[Plan]:
    """Return a partnership's plans, newest period first."""
    return list(db.session.scalars(select(Plan).where(Plan.partnership_id == partnership_id)
                                   .order_by(Plan.period_start.desc(), Plan.id.desc())))


def consultations_of(partnership_id: int | None) -> list[Consultation]:
    """Return a partnership's consultations, newest first."""
    return list(db.session.scalars(select(Consultation).join(Plan, Plan.id == Consultation.plan_id)
                                   .where(Plan.partnership_id == partnership_id)
                                   .order_by(Consultation.opens_on.desc(), Consultation.id.desc())))
