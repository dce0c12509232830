"""Erasure at a person's request ("Delete my answers"): the answers and everything made from them.

After analysis, moderation, publishing or an export, an answer lives on in more than its own row:
theme codings point at it, an emergent or split theme keeps its words as examples, the TSI's sector
response points quote it, an organisation's draft history keeps earlier versions. ``erase_response``
removes all of them, so that the privacy notice's promise holds at every stage.

What stays: an answer the safeguarding screen flagged (or could not screen), for the safeguarding
lead only (a child's safety comes before erasure: the vital-interests basis; the privacy notice says
so). Its codings, examples, sector quotes and quote approval go like the rest, since only the lead
may read it. Flush only; the view commits.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import (
    Answer,
    Coding,
    CodingChange,
    DraftEdit,
    Response,
    SafeguardingFlag,
    SectorPoint,
    SectorResponse,
    Theme,
)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _fragments(answers: list[Answer]) -> list[str]:
    """Return the words of these answers as they may have been copied elsewhere (whole, or as an excerpt)."""
    from .sector import _excerpt

    out: set[str] = set()
    for answer in answers:
        for text in (answer.text, answer.text_original):
            if text and text.strip():
                out.add(_normal(text))
                out.add(_normal(_excerpt(text)).rstrip("…"))
    return sorted((f for f in out if f), key=len, reverse=True)


def _quotes(copy: str, fragments: list[str]) -> bool:
    """Return True if a stored copy (an example, a line of a point) holds any of the fragments."""
    normal = _normal(copy).rstrip("…")
    return bool(normal) and any(f in normal or (len(normal) >= 12 and normal in f) for f in fragments)


def _without_quotes(text: str, fragments: list[str]) -> str:
    """Return a sector point's text without the lines that quote the fragments."""
    return "\n".join(line for line in text.split("\n") if not _quotes(line, fragments))


def erase_response(response: Response) -> None:
    """Delete a person's answers and what was made from them; keep only that the response was withdrawn."""
    answers = list(response.answers)
    kept_ids = {f.answer_id for f in db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id))}
    fragments = _fragments(answers)
    answer_ids = [a.id for a in answers]
    if answer_ids:
        db.session.execute(delete(Coding).where(Coding.answer_id.in_(answer_ids)).execution_options(
            synchronize_session=False))
        db.session.execute(delete(DraftEdit).where(DraftEdit.answer_id.in_(answer_ids)).execution_options(
            synchronize_session=False))
        # The coding history names the answers (ids only, no words): it goes with them.
        db.session.execute(delete(CodingChange).where(CodingChange.answer_id.in_(answer_ids)).execution_options(
            synchronize_session=False))
    if fragments:
        for theme in db.session.scalars(select(Theme).where(Theme.consultation_id == response.consultation_id)):
            examples = [e for e in (theme.examples or []) if not _quotes(str(e), fragments)]
            if examples != list(theme.examples or []):
                theme.examples = examples
        points = db.session.scalars(select(SectorPoint).join(SectorResponse).where(
            SectorResponse.consultation_id == response.consultation_id))
        for point in points:
            text = _without_quotes(point.text, fragments)
            if text != point.text:
                point.text = text
    for answer in answers:
        if answer.id in kept_ids:
            answer.quote_status = "none"
        else:
            db.session.delete(answer)
    response.status = "withdrawn"
    response.may_quote = False
    response.area_id = None
    db.session.flush()
    # The search index dropped the words with the rows (triggers); compacting takes them off its pages too.
    from .search import compact_after_erasure

    compact_after_erasure()
