"""Coding at scale: bulk add, remove and move; a history of every coding change; undo by batch.

Every change a person makes to which themes answers have (a bulk action, a re-code, a merge, a split)
is one CodingBatch: who, when, what, and one CodingChange per (answer, theme, source) coding whose row
changed, with its values before and after. The history is taken by snapshotting the codings a change
can touch before and after it, so it is complete whatever the change did. Undo puts back the "before"
of each coding still as the batch left it (a coding someone changed again since is left alone and
counted), and is itself a batch in the history. Flush only; the request's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Action, Answer, Coding, CodingBatch, CodingChange, Consultation, Theme, User
from . import themes as theme_data

MAX_BULK = 500
State = dict | None
Key = tuple[int, int, str]


class CodingError(ValueError):
    """A coding change that cannot be made; nothing was changed. The message is a key for the view."""


def _state(c: Coding) -> dict:
    return {"present": bool(c.present), "confidence": float(c.confidence or 0.0), "coder_id": c.coder_id}


def _snapshot(theme_ids: Iterable[int], answer_ids: Iterable[int] | None = None) -> dict[Key, dict]:
    """Return {(answer, theme, source): state} for the codings of these themes (and answers, if given)."""
    themes = sorted(set(theme_ids))
    if not themes:
        return {}
    q = select(Coding).where(Coding.theme_id.in_(themes))
    out: dict[Key, dict] = {}
    if answer_ids is None:
        return {(c.answer_id, c.theme_id, c.source): _state(c) for c in db.session.scalars(q)}
    ids = sorted(set(answer_ids))
    for start in range(0, len(ids), 500):
        for c in db.session.scalars(q.where(Coding.answer_id.in_(ids[start:start + 500]))):
            out[(c.answer_id, c.theme_id, c.source)] = _state(c)
    return out


def _record(consultation: Consultation, kind: str, user_id: int | None, change: Callable[[], object], *,
            theme_ids: Iterable[int], answer_ids: Iterable[int] | None, theme: Theme | None = None,
            target: Theme | None = None, details: dict | None = None,
            extra_themes: Callable[[object], Iterable[int]] = lambda _r: ()) -> tuple[CodingBatch, object]:
    """Run change() and store what it did to the codings as one batch; return (batch, change's result)."""
    theme_ids = list(theme_ids)
    answer_ids = None if answer_ids is None else list(answer_ids)
    db.session.flush()
    before = _snapshot(theme_ids, answer_ids)
    result = change()
    db.session.flush()
    after = _snapshot([*theme_ids, *extra_themes(result)], answer_ids)
    if target is None and isinstance(result, Theme):
        target = result
    batch = CodingBatch(consultation_id=consultation.id, user_id=user_id, kind=kind,
                        theme_id=theme.id if theme else None, target_theme_id=target.id if target else None,
                        details=details or {})
    db.session.add(batch)
    db.session.flush()
    changed = 0
    touched: set[int] = set()
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            db.session.add(CodingChange(batch_id=batch.id, answer_id=key[0], theme_id=key[1], source=key[2],
                                        before=before.get(key), after=after.get(key)))
            changed += 1
            touched.add(key[0])
    batch.answers = len(touched)
    db.session.flush()
    return batch, result


# ---- bulk changes -------------------------------------------------------------------------------

def _chosen(consultation: Consultation, answer_ids: list[int]) -> list[Answer]:
    ids = list(dict.fromkeys(answer_ids))[:MAX_BULK]
    answers = [a for a, _aud in theme_data.answers_by_ids(consultation, ids) if a.text and a.text.strip()]
    if not answers:
        raise CodingError("none")
    return answers


def _active(theme: Theme | None) -> Theme:
    if theme is None or theme.status != "active":
        raise CodingError("theme")
    return theme


def bulk_change(consultation: Consultation, action: str, answer_ids: list[int], *, theme: Theme | None,
                from_theme: Theme | None = None, user_id: int | None) -> CodingBatch:
    """Add a theme to, remove one from, or move answers to a theme, as a person's codes; return the batch.

    add: ``theme`` applies to every answer. remove: ``from_theme`` (or ``theme``) no longer does. move:
    the answers leave ``from_theme`` (or, without one, every theme they have) and get ``theme``.
    Raises CodingError("none") when no chosen answer is the consultation's, ("theme") for a missing or
    inactive theme, ("same") for a move to the theme they are leaving.
    """
    answers = _chosen(consultation, answer_ids)
    ids = [a.id for a in answers]
    if action == "remove":
        leaving = _active(from_theme or theme)
        target = None
    elif action in ("add", "move"):
        target = _active(theme)
        leaving = from_theme
        if action == "move" and leaving is not None and leaving.id == target.id:
            raise CodingError("same")
    else:
        raise CodingError("action")
    effective = theme_data.effective_codings(consultation, ids)
    active = {t.id: t for t in theme_data.themes_for(consultation)}
    involved = set(active) if action == "move" and leaving is None else {t.id for t in (target, leaving) if t}

    def change() -> None:
        for a in answers:
            if action in ("remove", "move"):
                drop = ([leaving.id] if leaving is not None else
                        [t for t in effective.get(a.id, set()) if t in active and t != target.id])  # type: ignore[union-attr]
                for tid in drop:
                    if tid in effective.get(a.id, set()):
                        theme_data.set_human_code(a, active.get(tid) or leaving, present=False,  # type: ignore[arg-type]
                                                  coder_id=user_id)
            if target is not None:
                theme_data.set_human_code(a, target, present=True, coder_id=user_id)

    batch, _r = _record(consultation, action, user_id, change, theme_ids=involved, answer_ids=ids,
                        theme=leaving if action != "add" else target, target=target if action != "add" else None)
    return batch


def recode_answer(consultation: Consultation, answer: Answer, chosen: set[int], *, user_id: int | None) -> CodingBatch:
    """Save a person's codes for one answer (ticked themes apply, unticked ones the answer had do not)."""
    active = theme_data.themes_for(consultation)

    def change() -> None:
        _machine, effective, human = theme_data.answer_codes(answer.id)
        # Saving confirms the ticked themes (even unchanged ones: the answer now counts as reviewed)
        # and records a removal for each theme the answer had that is no longer ticked.
        touched = [t for t in active if t.id in chosen or t.id in effective or t.id in human]
        # Nothing ticked on an answer that had nothing ("Nothing.", "don't know"): the person has still read it
        # and said no theme applies, which the learning needs as much as a yes. Recorded as "not" for each theme.
        for t in touched or active:
            theme_data.set_human_code(answer, t, present=t.id in chosen, coder_id=user_id)

    batch, _r = _record(consultation, "recode", user_id, change, theme_ids=[t.id for t in active],
                        answer_ids=[answer.id])
    return batch


def merge(consultation: Consultation, source: Theme, target: Theme, *, user_id: int | None) -> CodingBatch:
    """Merge source into target (themes.merge_themes), recorded so it can be undone."""
    actions = list(db.session.scalars(select(Action.id).where(Action.theme_id == source.id)))
    details = {"source_status": source.status, "target_examples": len(target.examples or []),
               "actions": [int(i) for i in actions]}
    batch, _r = _record(consultation, "merge", user_id, lambda: theme_data.merge_themes(consultation, source, target),
                        theme_ids=[source.id, target.id], answer_ids=None, theme=source, target=target,
                        details=details)
    return batch


def split(consultation: Consultation, theme: Theme, name: str, answer_ids: list[int], *,
          user_id: int | None, description: str = "") -> tuple[CodingBatch, Theme]:
    """Move answers to a new theme (themes.split_theme), recorded so it can be undone; return (batch, new)."""
    batch, new = _record(consultation, "split", user_id,
                         lambda: theme_data.split_theme(consultation, theme, name, answer_ids, coder_id=user_id,
                                                        description=description),
                         theme_ids=[theme.id], answer_ids=answer_ids, theme=theme,
                         extra_themes=lambda made: [made.id])  # type: ignore[attr-defined]
    return batch, new  # type: ignore[return-value]


# ---- history and undo ---------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    """One batch as the history page shows it."""

    batch: CodingBatch
    who: str
    undone_by: CodingBatch | None
    can_undo: bool


def history(consultation: Consultation, *, page: int = 1, per_page: int = 25) -> tuple[list[HistoryRow], int]:
    """Return a page of the consultation's coding batches, newest first, and how many there are."""
    where = CodingBatch.consultation_id == consultation.id
    total = int(db.session.scalar(select(func.count(CodingBatch.id)).where(where)) or 0)
    rows = list(db.session.execute(
        select(CodingBatch, User.name).outerjoin(User, CodingBatch.user_id == User.id).where(where)
        .order_by(CodingBatch.id.desc()).offset((max(1, page) - 1) * per_page).limit(per_page)).all())
    ids = [b.id for b, _n in rows]
    undos = {u.undoes_id: u for u in db.session.scalars(select(CodingBatch).where(CodingBatch.undoes_id.in_(ids)))}
    return [HistoryRow(b, name or "", undos.get(b.id), b.kind != "undo" and b.id not in undos)
            for b, name in rows], total


def get_batch(consultation: Consultation, batch_id: int | None) -> CodingBatch | None:
    """Return one of the consultation's batches, or None (another consultation's id gives None)."""
    batch = db.session.get(CodingBatch, batch_id) if batch_id else None
    return batch if batch is not None and batch.consultation_id == consultation.id else None


def _put(key: Key, state: State) -> None:
    answer_id, theme_id, source = key
    row = db.session.scalar(select(Coding).where(Coding.answer_id == answer_id, Coding.theme_id == theme_id,
                                                 Coding.source == source))
    if state is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = Coding(answer_id=answer_id, theme_id=theme_id, source=source)
        db.session.add(row)
    row.present, row.confidence, row.coder_id = state["present"], state["confidence"], state["coder_id"]


@dataclass(frozen=True)
class Undone:
    """What an undo did: the undo batch, codings put back, and codings left because they changed since."""

    batch: CodingBatch
    restored: int
    skipped: int
    answers: int = 0  # answers with at least one code put back
    skipped_answers: int = 0  # answers with a code left as someone changed it since


def undo(consultation: Consultation, batch: CodingBatch, *, user_id: int | None) -> Undone:
    """Undo a batch; raise CodingError("undone") if it was undone already or is itself an undo."""
    if batch.kind == "undo" or db.session.scalar(select(CodingBatch.id).where(CodingBatch.undoes_id == batch.id)):
        raise CodingError("undone")
    changes = list(batch.changes)
    theme_ids = {c.theme_id for c in changes} | {t for t in (batch.theme_id, batch.target_theme_id) if t}
    answer_ids = {c.answer_id for c in changes}
    counts = {"restored": 0, "skipped": 0}
    restored_ids: set[int] = set()
    skipped_ids: set[int] = set()

    def change() -> None:
        now = _snapshot(theme_ids, answer_ids)
        for c in reversed(changes):
            key = (c.answer_id, c.theme_id, c.source)
            if now.get(key) != c.after:
                counts["skipped"] += 1
                skipped_ids.add(c.answer_id)
                continue
            _put(key, c.before)
            counts["restored"] += 1
            restored_ids.add(c.answer_id)
        db.session.flush()
        details = batch.details or {}
        if batch.kind == "merge" and batch.theme_id and batch.target_theme_id:
            source, target = db.session.get(Theme, batch.theme_id), db.session.get(Theme, batch.target_theme_id)
            if source is not None and source.status == "merged":
                source.status, source.merged_into_id = str(details.get("source_status") or "active"), None
            if target is not None and "target_examples" in details:
                target.examples = list(target.examples or [])[: int(details["target_examples"])]
            for action in db.session.scalars(select(Action).where(Action.id.in_(details.get("actions") or []))):
                if batch.target_theme_id and action.theme_id == batch.target_theme_id:
                    action.theme_id = batch.theme_id
        if batch.kind == "split" and batch.target_theme_id:
            made = db.session.get(Theme, batch.target_theme_id)
            left = db.session.scalar(select(func.count(Coding.id)).where(Coding.theme_id == batch.target_theme_id,
                                                                          Coding.present.is_(True)))
            if made is not None and made.status == "active" and not left:
                # The split theme goes back into the theme it came from.
                made.status, made.merged_into_id = "merged", batch.theme_id

    undo_batch, _r = _record(consultation, "undo", user_id, change, theme_ids=theme_ids, answer_ids=answer_ids,
                             details={"kind": batch.kind})
    undo_batch.undoes_id = batch.id
    undo_batch.theme_id, undo_batch.target_theme_id = batch.theme_id, batch.target_theme_id
    db.session.flush()
    return Undone(undo_batch, counts["restored"], counts["skipped"], len(restored_ids), len(skipped_ids))


# ---- answers needing a person ---------------------------------------------------------------------

LOW_CONFIDENCE = 0.6  # the themer's own "confident" line (analysis.themer.CONFIDENT)


def needs_person(consultation: Consultation, *, reason: str, page: int = 1, per_page: int = 25,
                 language_ids: Iterable[int] = ()) -> tuple[list[tuple[Answer, str, dict]], int]:
    """Return a page of (answer, audience, question text) no person has reviewed, for one reason; and the count.

    reason "unthemed": no theme at all. "language": the last analysis found them written in a language
    the codebook does not cover (language_ids, from its result). "low": every machine theme it has is
    below LOW_CONFIDENCE.
    """
    from ..models import Question, Response

    base = theme_data._analysable_filter(consultation)
    reviewed = select(Coding.answer_id).where(Coding.source == "human")
    ids_q = (select(Answer.id).join(Response, Answer.response_id == Response.id)
             .where(*base, Answer.id.not_in(reviewed)))
    if reason == "unthemed":
        ids_q = ids_q.where(Answer.id.not_in(select(Coding.answer_id).where(Coding.present.is_(True))))
    elif reason == "language":
        wanted = sorted(set(int(i) for i in language_ids))[:5000]
        ids_q = ids_q.where(Answer.id.in_(wanted or [-1]))
    elif reason == "low":
        machine = (select(Coding.answer_id).where(Coding.source == "machine").group_by(Coding.answer_id)
                   .having(func.max(Coding.confidence) < LOW_CONFIDENCE))
        ids_q = ids_q.where(Answer.id.in_(machine))
    else:
        raise CodingError("reason")
    total = int(db.session.scalar(select(func.count()).select_from(ids_q.subquery())) or 0)
    rows = db.session.execute(
        select(Answer, Response.audience, Question.text).join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id).where(Answer.id.in_(ids_q))
        .order_by(Answer.id).offset((max(1, page) - 1) * per_page).limit(per_page)).all()
    return [(a, aud, dict(q or {})) for a, aud, q in rows], total


def question_text(answer: Answer) -> dict[str, str]:
    """Return the text (per language) of the question an answer replied to."""
    return dict(answer.question.text or {}) if answer.question is not None else {}
