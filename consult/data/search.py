"""Full-text search over the redacted answers, one function for both databases.

SQLite (the embedded default) searches an FTS5 external-content table, ``answer_fts``; PostgreSQL
an expression index over ``to_tsvector('simple', answer.text)``. Both are made by the migration
f4c8e2a61b90 and kept in step with every write by the database itself (triggers on SQLite), so an
erased answer leaves the index in the same transaction. Only ``Answer.text`` (the redacted text) is
indexed, never ``text_original``.

What people type is never passed to either engine's query syntax: it is read here into words and
"quoted phrases", each word matched as a prefix (so "bus" finds "buses", and inflected Gàidhlig or
Polish words are found by their stem), all of them required. Quotes, ``*``, ``NEAR``, ``OR`` or
10,000 characters cannot make a query fail: they are words, or nothing. Both databases treat the text
the same way: case-insensitive, accents significant, no stemming, no stop words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import func, select

from forms.types import BuildContext

from ..extensions import db
from ..models import Answer, Consultation, Question, Response
from . import consultations
from .themes import _analysable_filter, effective_codings

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
PER_PAGE = 25
# Objects the migration makes that the models do not describe (autogenerate and the models/migrations
# check must leave them alone).
INDEX_OBJECTS = ("answer_fts", "ix_answer_text_search")

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|([^\W_]+)')
_WORD = re.compile(r"[^\W_]+")
_FTS = sa.table("answer_fts", sa.column("rowid"), sa.column("answer_fts"))


class SearchError(ValueError):
    """A query that cannot be searched for: "empty" (no words) or "long"."""


@dataclass(frozen=True)
class Hit:
    """One answer found: the answer, its audience, the question it replied to (per language) and its themes."""

    answer: Answer
    audience: str
    language: str
    question: dict[str, str]
    theme_ids: list[int]


@dataclass(frozen=True)
class SearchPage:
    """A page of results."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def is_search_object(name: str | None) -> bool:
    """True for the search index's own tables and index (FTS5 shadow tables included)."""
    return bool(name) and any(str(name) == n or str(name).startswith(n + "_") for n in INDEX_OBJECTS)


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Alembic's include_object hook: skip the search index, which no model describes."""
    return not (reflected and compare_to is None and is_search_object(name))


def parse_query(query: str) -> list[list[str]]:
    """Return the query as phrases of words (a single word is a phrase of one); raise SearchError.

    Raises SearchError("long") over MAX_QUERY_CHARS characters and SearchError("empty") when there
    is no word to look for. Words past MAX_TERMS are ignored.
    """
    query = query or ""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError("long")
    phrases: list[list[str]] = []
    for quoted, word in _PHRASE_OR_WORD.findall(query):
        words = _WORD.findall(quoted.casefold()) if quoted else [word.casefold()]
        if words:
            phrases.append(words)
    kept, count = [], 0
    for words in phrases:
        if count + len(words) > MAX_TERMS:
            break
        kept.append(words)
        count += len(words)
    if not kept:
        raise SearchError("empty")
    return kept


def _sqlite_match(phrases: list[list[str]]) -> str:
    # Each phrase in double quotes (its words are letters and digits only), the last word a prefix.
    return " ".join('"' + " ".join(words) + '"*' for words in phrases)


def _postgres_tsquery(phrases: list[list[str]]) -> str:
    return " & ".join("(" + " <-> ".join(words[:-1] + [words[-1] + ":*"]) + ")" for words in phrases)


def matches(query: str):  # type: ignore[no-untyped-def]
    """Return a SQL condition on Answer true for answers whose redacted text holds every word of the query."""
    phrases = parse_query(query)
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        return Answer.id.in_(select(_FTS.c.rowid).where(_FTS.c.answer_fts.match(_sqlite_match(phrases))))
    if dialect == "postgresql":
        # The same expression as the index (a literal configuration, not a parameter), so the index is used.
        vector = func.to_tsvector(sa.literal_column("'simple'::regconfig"), func.coalesce(Answer.text, ""))
        return vector.op("@@")(func.to_tsquery(sa.literal_column("'simple'::regconfig"),
                                               sa.literal(_postgres_tsquery(phrases), sa.String)))
    raise NotImplementedError(f"search is not available on {dialect}")


def search_answers(consultation: Consultation, query: str | None, *, conditions: Sequence = (), page: int = 1,
                   per_page: int = PER_PAGE) -> SearchPage:
    """Return a page of the consultation's analysable answers matching the query, oldest first.

    query None: every answer the conditions let through (one question's answers, listed from the results).
    conditions: more SQL conditions on Answer and Response (the results filters). Flagged responses,
    unsubmitted ones and skipped answers are never searched. Raises SearchError for a query with no
    words or one too long.
    """
    where = (*_analysable_filter(consultation), *(() if query is None else (matches(query),)), *conditions)
    base = select(Answer.id).join(Response, Answer.response_id == Response.id).where(*where)
    total = int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    page = max(1, min(int(page), max(1, -(-total // per_page))))
    rows = db.session.execute(
        select(Answer, Response.audience, Response.language, Question.text)
        .join(Response, Answer.response_id == Response.id).join(Question, Answer.question_id == Question.id)
        .where(*where).order_by(Answer.id).offset((page - 1) * per_page).limit(per_page)).all()
    codes = effective_codings(consultation, [a.id for a, *_rest in rows]) if rows else {}
    hits = [Hit(a, aud, lang, dict(qtext or {}), sorted(codes.get(a.id, set()))) for a, aud, lang, qtext in rows]
    return SearchPage(hits, total, page, per_page)


def question_text(consultation: Consultation, core_id: str, lang: str = "en") -> str | None:
    """Return the wording of the consultation's question with this core id (as first asked), or None if it has none."""
    for audience in consultations.definition_of(consultation).audiences:
        for q in audience.questions:
            if q.core_id == core_id:
                return BuildContext(lang=lang).text(q.text)
    return None


def index_holds(word: str) -> list[int]:
    """Return the answer ids the index itself lists for a word (no join to the answers): for erasure checks."""
    phrases = parse_query(word)
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        return sorted(int(i) for i in db.session.scalars(
            select(_FTS.c.rowid).where(_FTS.c.answer_fts.match(_sqlite_match(phrases)))))
    return sorted(int(i) for i in db.session.scalars(select(Answer.id).where(matches(word))))


def compact_after_erasure() -> None:
    """Rewrite the SQLite index so erased answers' words are gone from its pages, not only marked deleted.

    PostgreSQL removes dead index entries itself (vacuum). Flush first: the triggers act on the rows.
    """
    db.session.flush()
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO answer_fts(answer_fts) VALUES ('optimize')"))
