"""Themes, codings and theme–priority evidence."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import Answer, Coding, Consultation, Plan, Response, Theme, ThemePriority
from .answer_scope import answer_in


def themes_for(consultation: Consultation, *, statuses: tuple[str, ...] = ("active",)) -> list[Theme]:
    """Return the consultation's themes with the given statuses, by name."""
    return list(db.session.scalars(select(Theme).where(Theme.consultation_id == consultation.id,
                                                       Theme.status.in_(statuses)).order_by(Theme.name)))


def ensure_codebook(consultation: Consultation, codebook) -> list[Theme]:  # type: ignore[no-untyped-def]
    """Create the consultation's themes from a codebook if it has none yet; return the active themes."""
    existing = themes_for(consultation, statuses=("active", "proposed", "merged", "rejected"))
    if not existing:
        for t in codebook.themes:
            db.session.add(Theme(consultation_id=consultation.id, key=t.id, name=t.name,
                                 description=t.description, examples=list(t.examples), source="codebook"))
        db.session.flush()
    return themes_for(consultation)


def analysable_answers(consultation: Consultation) -> list[tuple[Answer, str]]:
    """Return (answer, audience) for submitted, unflagged answers with redacted free text, in id order.

    Flagged responses never reach themes, quotes or exports: they are filtered here, at the source.
    """
    rows = db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted",
               Response.safeguarding.is_(False), Answer.text.is_not(None), Answer.skipped.is_(False))
        .order_by(Answer.id)
    ).all()
    return [(a, aud) for a, aud in rows if a.text and a.text.strip()]


def replace_machine_codings(answer_ids: list[int], codings: list[tuple[int, int, float]]) -> None:
    """Replace the machine codings of these answers with [(answer id, theme id, confidence)]."""
    for start in range(0, len(answer_ids), 500):
        chunk = answer_ids[start : start + 500]
        db.session.execute(delete(Coding).where(Coding.source == "machine", Coding.answer_id.in_(chunk)))
    db.session.bulk_insert_mappings(Coding, [  # type: ignore[arg-type]
        {"answer_id": a, "theme_id": t, "source": "machine", "confidence": c, "present": True}
        for a, t, c in codings])


def replace_theme_priorities(rows: list[ThemePriority], theme_ids: list[int]) -> None:
    """Replace the theme × priority evidence for these themes."""
    db.session.execute(delete(ThemePriority).where(ThemePriority.theme_id.in_(theme_ids)))
    db.session.add_all(rows)


def replace_proposed_emergent(consultation: Consultation, proposals: list[Theme]) -> None:
    """Replace earlier emergent proposals nobody has accepted with new ones."""
    db.session.execute(delete(Theme).where(Theme.consultation_id == consultation.id, Theme.source == "emergent",
                                           Theme.status == "proposed"))
    db.session.add_all(proposals)


def theme_counts(consultation: Consultation) -> Counter:
    """Return {theme id: number of answers coded with it} (human codes override the machine's)."""
    effective = effective_codings(consultation)
    return Counter(t for themes in effective.values() for t in themes)


def _analysable_filter(consultation: Consultation) -> tuple:
    return (Response.consultation_id == consultation.id, answer_in(consultation.id), Response.status == "submitted",
            Response.safeguarding.is_(False), Answer.text.is_not(None), Answer.skipped.is_(False),
            func.trim(Answer.text) != "")


def analysable_ids(consultation: Consultation, conditions: tuple = ()) -> list[tuple[int, str]]:
    """Return (answer id, audience) for the analysable answers, in id order, without loading the text.

    conditions: more SQL conditions on Answer and Response (the results filters' clauses()).
    """
    return [(int(i), aud) for i, aud in db.session.execute(
        select(Answer.id, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(*_analysable_filter(consultation), *conditions).order_by(Answer.id)).all()]


def resolve_codings(rows: Iterable[tuple[int, int | None, str | None, bool | None]],
                    result: dict[int, set[int]] | None = None) -> dict[int, set[int]]:
    """Return {answer id: theme ids} from (answer id, theme id, source, present) rows: a person's code overrides.

    A person's code for a theme (present or removed) decides it; the machine's code stands where no person
    has coded that theme. Rows with no theme (an outer join's uncoded answer) only make the answer appear.
    """
    result = {} if result is None else result
    human: dict[tuple[int, int], bool] = {}
    machine: list[tuple[int, int]] = []
    for a, t, source, present in rows:
        if t is None:
            result.setdefault(a, set())
        elif source == "human":
            human[(a, t)] = bool(present)
        else:
            machine.append((a, t))
    for a, t in machine:
        if human.get((a, t), True):
            result.setdefault(a, set()).add(t)
    for (a, t), present in human.items():
        if present:
            result.setdefault(a, set()).add(t)
        else:
            result.setdefault(a, set())
    return result


Codes = tuple[dict[int, set[int]], set[int]]  # ({answer id: effective theme ids}, answers a person has coded)


def codes_of(consultation: Consultation) -> Codes:
    """Return the consultation's effective codes and the answers a person has coded, from one query.

    A page that needs both (the themes page: its table and its agreement figure) reads them once and
    passes them on (``theme_table(..., codes=)``, ``agreement(..., codes=)``).
    """
    q = (select(Coding.answer_id, Coding.theme_id, Coding.source, Coding.present)
         .join(Answer, Coding.answer_id == Answer.id).join(Response, Answer.response_id == Response.id)
         .where(*_analysable_filter(consultation)))
    rows = db.session.execute(q).all()
    return resolve_codings(rows), {a for a, _t, source, _p in rows if source == "human"}


def effective_codings(consultation: Consultation, answer_ids: list[int] | None = None) -> dict[int, set[int]]:
    """Return {answer id: theme ids} where a person's code (present or removed) overrides the machine.

    Only analysable answers (submitted, unflagged, with text) appear; with ``answer_ids``, each of them
    does (an empty set if uncoded), otherwise only those with a code. One query over the codings.
    """
    if answer_ids is None:
        return codes_of(consultation)[0]
    wanted = set(answer_ids[:900])
    q = (select(Coding.answer_id, Coding.theme_id, Coding.source, Coding.present)
         .join(Answer, Coding.answer_id == Answer.id).join(Response, Answer.response_id == Response.id)
         .where(*_analysable_filter(consultation), Coding.answer_id.in_(answer_ids[:900])))
    return resolve_codings((r for r in db.session.execute(q) if r[0] in wanted), {aid: set() for aid in answer_ids})


# ---- reading themes for the planner's pages -----------------------------------------------------

class ThemeError(ValueError):
    """A change to the codebook that cannot be made; nothing was changed."""


def get_theme(consultation: Consultation, theme_id: int) -> Theme | None:
    """Return one of the consultation's themes, or None (someone else's id gives None)."""
    theme = db.session.get(Theme, theme_id)
    return theme if theme is not None and theme.consultation_id == consultation.id else None


def audience_of(consultation: Consultation) -> dict[int, str]:
    """Return {answer id: audience} for the analysable answers."""
    return dict(analysable_ids(consultation))


def theme_table(consultation: Consultation, conditions: tuple = (), *,
                codes: Codes | None = None) -> list[tuple[Theme, int, Counter]]:
    """Return (theme, answers coded, Counter of audiences) for active themes, most raised first.

    conditions: more SQL conditions on Answer and Response (the results filters) limiting which answers count.
    codes: ``codes_of(consultation)`` if the caller has read it already.
    """
    audiences = dict(analysable_ids(consultation, conditions))
    effective = (codes or codes_of(consultation))[0]
    per: dict[int, Counter] = defaultdict(Counter)
    for aid, tids in effective.items():
        if conditions and aid not in audiences:
            continue
        for tid in tids:
            per[tid][audiences.get(aid, "")] += 1
    table = [(t, sum(per[t.id].values()), per[t.id]) for t in themes_for(consultation)]
    table.sort(key=lambda r: (-r[1], r[0].name))
    return table


def answers_for_theme(consultation: Consultation, theme: Theme) -> list[tuple[Answer, str, list[int]]]:
    """Return (answer, audience, effective theme ids) for every analysable answer coded with the theme."""
    effective = effective_codings(consultation)
    wanted = [aid for aid, tids in effective.items() if theme.id in tids]
    rows: list[tuple[Answer, str]] = []
    for start in range(0, len(wanted), 900):
        rows += [(a, aud) for a, aud in db.session.execute(
            select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
            .where(Answer.id.in_(wanted[start:start + 900]))).all()]
    rows.sort(key=lambda r: r[0].id)
    return [(a, aud, sorted(effective.get(a.id, set()))) for a, aud in rows]


def answers_for_theme_page(consultation: Consultation, theme: Theme, *, page: int = 1, per_page: int = 50,
                           conditions: tuple = ()) -> tuple[list[tuple[Answer, str, list[int]]], int]:
    """Return one page of answers_for_theme (oldest first) and how many answers have the theme in all.

    conditions: more SQL conditions on Answer and Response (the results filters) limiting which answers count.
    """
    effective = effective_codings(consultation)
    wanted = sorted(aid for aid, tids in effective.items() if theme.id in tids)
    if theme.status == "proposed" and theme.member_ids:
        # A proposal has no codings yet: it opens on its member answers (those still analysable).
        wanted = _analysable_among(consultation, sorted(set(theme.member_ids)))
    if conditions:
        kept: set[int] = set()
        for start in range(0, len(wanted), 900):
            kept |= set(db.session.scalars(select(Answer.id).join(Response, Answer.response_id == Response.id)
                                           .where(Answer.id.in_(wanted[start:start + 900]), *conditions)))
        wanted = [i for i in wanted if i in kept]
    total = len(wanted)
    page = max(1, min(int(page), max(1, -(-total // per_page))))
    ids = wanted[(page - 1) * per_page: page * per_page]
    rows = {a.id: (a, aud) for a, aud in db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(Answer.id.in_(ids))).all()} if ids else {}
    return [(rows[i][0], rows[i][1], sorted(effective.get(i, set()))) for i in ids if i in rows], total


def _analysable_among(consultation: Consultation, ids: list[int]) -> list[int]:
    kept: set[int] = set()
    for start in range(0, len(ids), 900):
        kept |= set(db.session.scalars(select(Answer.id).join(Response, Answer.response_id == Response.id)
                                       .where(Answer.id.in_(ids[start:start + 900]),
                                              *_analysable_filter(consultation))))
    return [i for i in ids if i in kept]


def proposal_members(consultation: Consultation, proposals: list[Theme]) -> dict[int, int]:
    """Return {proposal id: how many of its member answers are analysable (never a flagged one)}."""
    ids = sorted({i for t in proposals for i in (t.member_ids or [])})
    kept = set(_analysable_among(consultation, ids))
    return {t.id: len(set(t.member_ids or []) & kept) for t in proposals}


def get_answer(consultation: Consultation, answer_id: int) -> tuple[Answer, str] | None:
    """Return an analysable (submitted, unflagged) answer of this consultation with its audience, or None."""
    row = db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(Answer.id == answer_id, Response.consultation_id == consultation.id,
               Response.status == "submitted", Response.safeguarding.is_(False), Answer.text.is_not(None))
    ).first()
    return (row[0], row[1]) if row else None


def answer_codes(answer_id: int) -> tuple[set[int], set[int], dict[int, bool]]:
    """Return (machine theme ids, effective theme ids, {theme id: present} of human codes) for one answer."""
    machine: set[int] = set()
    human: dict[int, bool] = {}
    for c in db.session.scalars(select(Coding).where(Coding.answer_id == answer_id)):
        if c.source == "human":
            human[c.theme_id] = c.present
        else:
            machine.add(c.theme_id)
    effective = {t for t in machine if human.get(t, True)} | {t for t, p in human.items() if p}
    return machine, effective, human


def set_human_code(answer: Answer, theme: Theme, *, present: bool, coder_id: int | None) -> Coding:
    """Record a person's decision that a theme does (or does not) apply to an answer."""
    row = db.session.scalar(select(Coding).where(Coding.answer_id == answer.id, Coding.theme_id == theme.id,
                                                 Coding.source == "human"))
    if row is None:
        row = Coding(answer_id=answer.id, theme_id=theme.id, source="human")
        db.session.add(row)
    row.present, row.coder_id, row.confidence = present, coder_id, 1.0
    db.session.flush()
    return row


def reviewed_labels(consultation: Consultation, *, codes: Codes | None = None) -> dict[int, list[str]]:
    """Return {answer id: theme keys} for answers a person has reviewed.

    A reviewed answer's labels are its effective codes: the person's additions, minus the codes they
    removed, plus the machine's codes they left standing (which they saw and accepted).
    """
    active = {t.id: t for t in themes_for(consultation)}
    effective, reviewed = codes or codes_of(consultation)
    if not reviewed:
        return {}
    return {aid: sorted(active[t].key for t in effective.get(aid, set()) if t in active) for aid in sorted(reviewed)}


def agreement(consultation: Consultation, *, codes: Codes | None = None):  # type: ignore[no-untyped-def]
    """Return analysis.Evaluation of the machine's codes against people's, on reviewed answers (or None)."""
    import analysis

    gold = reviewed_labels(consultation, codes=codes)
    if not gold:
        return None
    active = {t.id: t for t in themes_for(consultation)}
    machine: dict[int, set[str]] = defaultdict(set)
    ids = list(gold)
    for start in range(0, len(ids), 900):
        for c in db.session.scalars(select(Coding).where(Coding.source == "machine",
                                                         Coding.answer_id.in_(ids[start:start + 900]))):
            if c.theme_id in active:
                machine[c.answer_id].add(active[c.theme_id].key)
    keys = sorted(t.key for t in active.values())
    return analysis.evaluate([gold[i] for i in ids], [sorted(machine[i]) for i in ids], keys, n_boot=200)


def _key_for(consultation: Consultation, name: str) -> str:
    base = "planner-" + ("-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split()) or "theme")
    base = base[:70]
    taken = set(db.session.scalars(select(Theme.key).where(Theme.consultation_id == consultation.id)))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _check_new_name(consultation: Consultation, name: str, *, except_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ThemeError("empty")
    if len(name) > 200:
        raise ThemeError("long")
    for t in themes_for(consultation, statuses=("active", "proposed")):
        if t.id != except_id and t.name.casefold() == name.casefold():
            raise ThemeError("taken")
    return name


def rename_theme(consultation: Consultation, theme: Theme, name: str) -> Theme:
    """Rename a theme; refuse an empty name or one another theme already has."""
    theme.name = _check_new_name(consultation, name, except_id=theme.id)
    db.session.flush()
    return theme


def merge_themes(consultation: Consultation, source: Theme, target: Theme) -> Theme:
    """Merge source into target: its codes move across, it stops being a theme of its own."""
    from ..models import Action

    if source.id == target.id:
        raise ThemeError("self")
    if source.status != "active" or target.status != "active":
        raise ThemeError("inactive")
    # Every answer that had either theme has the target afterwards: moving rows alone lost answers whose
    # person's "not this theme" on one side met the other side's code (merging a split back lost them all).
    had = effective_codings(consultation)
    keep = sorted(aid for aid, tids in had.items() if source.id in tids or target.id in tids)
    existing = {(c.answer_id, c.source) for c in db.session.scalars(select(Coding).where(Coding.theme_id == target.id))}
    for c in list(db.session.scalars(select(Coding).where(Coding.theme_id == source.id))):
        if (c.answer_id, c.source) in existing:
            db.session.delete(c)
        else:
            c.theme_id = target.id
            existing.add((c.answer_id, c.source))
    db.session.execute(delete(ThemePriority).where(ThemePriority.theme_id == source.id))
    for action in db.session.scalars(select(Action).where(Action.theme_id == source.id)):
        action.theme_id = target.id
    target.examples = list(dict.fromkeys([*(target.examples or []), *(source.examples or [])]))[:20]
    source.status, source.merged_into_id = "merged", target.id
    db.session.flush()
    now = effective_codings(consultation)
    lost = [aid for aid in keep if target.id not in now.get(aid, set())]
    for answer in db.session.scalars(select(Answer).where(Answer.id.in_(lost))) if lost else ():
        set_human_code(answer, target, present=True, coder_id=None)
    return target


def split_theme(consultation: Consultation, theme: Theme, name: str, answer_ids: list[int],
                *, coder_id: int | None, description: str = "") -> Theme:
    """Move the chosen answers from a theme to a new theme with this name (codes recorded as a person's).

    The new theme has its own description (empty unless given): the parent's describes the parent.
    """
    name = _check_new_name(consultation, name)
    coded = {a.id: a for a, _aud, _t in answers_for_theme(consultation, theme)}
    chosen = [coded[i] for i in dict.fromkeys(answer_ids) if i in coded]
    if not chosen:
        raise ThemeError("none")
    new = Theme(consultation_id=consultation.id, key=_key_for(consultation, name), name=name, source="planner",
                status="active", description=" ".join((description or "").split())[:2000], examples=[a.text or "" for a in chosen[:5]])
    db.session.add(new)
    db.session.flush()
    for answer in chosen:
        set_human_code(answer, new, present=True, coder_id=coder_id)
        set_human_code(answer, theme, present=False, coder_id=coder_id)
    return new


def review_proposal(consultation: Consultation, theme: Theme, *, accept: bool) -> Theme:
    """Accept an emergent theme into the codebook, or reject it so it is not proposed again."""
    if theme.status != "proposed":
        raise ThemeError("not_proposed")
    if accept:
        theme.name = _check_new_name(consultation, theme.name, except_id=theme.id)
    theme.status = "active" if accept else "rejected"
    db.session.flush()
    if accept and theme.member_ids:
        # Until the next analysis run themes them, the accepted theme keeps its member answers (machine codes).
        members = _analysable_among(consultation, sorted(set(theme.member_ids)))
        db.session.bulk_insert_mappings(Coding, [  # type: ignore[arg-type]
            {"answer_id": a, "theme_id": theme.id, "source": "machine", "confidence": 1.0, "present": True}
            for a in members])
    return theme


# ---- quotes ----------------------------------------------------------------------------------------

def quotes_for_theme(consultation: Consultation, theme: Theme, *, limit: int = 3) -> list[tuple[Answer, str]]:
    """Return publishable quotes for a theme: moderated (approved), from people who allowed quoting, unflagged."""
    candidates = db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(*_analysable_filter(consultation), Answer.quote_status == "approved", Response.may_quote.is_(True))
        .order_by(Answer.id)).all()
    if not candidates:
        return []
    effective = effective_codings(consultation, [a.id for a, _aud in candidates][:900])
    return [(a, aud) for a, aud in candidates if theme.id in effective.get(a.id, ())][:limit]


def propose_quote(consultation: Consultation, answer: Answer) -> bool:
    """Put an answer in the moderator's queue; False if its author did not allow quoting."""
    found = get_answer(consultation, answer.id)
    if found is None or not answer.response.may_quote:
        return False
    if answer.quote_status in ("none", "rejected"):
        answer.quote_status = "pending"
    db.session.flush()
    return True


def moderation_queue(*, limit: int = 100, partnership_id: int | None = None) -> list[tuple[Answer, str, Consultation]]:
    """Return quotes waiting for the moderator, oldest first (never from flagged responses); one partnership's if given."""
    q = (select(Answer, Response.audience, Consultation).join(Response, Answer.response_id == Response.id)
         .join(Consultation, Response.consultation_id == Consultation.id)
         .where(Answer.quote_status == "pending", Response.may_quote.is_(True), Response.safeguarding.is_(False),
                Response.status == "submitted"))
    if partnership_id is not None:
        q = q.where(Consultation.plan_id.in_(select(Plan.id).where(Plan.partnership_id == partnership_id)))
    rows = db.session.execute(q.order_by(Answer.id).limit(limit)).all()
    return [(a, aud, c) for a, aud, c in rows]


def moderate_quote(answer_id: int, *, approve: bool) -> Answer | None:
    """Approve or reject a pending quote; None if it is not in the queue."""
    found = db.session.execute(
        select(Answer).join(Response, Answer.response_id == Response.id)
        .where(Answer.id == answer_id, Answer.quote_status == "pending", Response.may_quote.is_(True),
               Response.safeguarding.is_(False))).scalar()
    if found is None:
        return None
    found.quote_status = "approved" if approve else "rejected"
    db.session.flush()
    return found


# ---- analysis runs ----------------------------------------------------------------------------------

def latest_analysis(consultation: Consultation):  # type: ignore[no-untyped-def]
    """Return the newest analysis Job for the consultation, or None."""
    from ..models import Job

    for row in db.session.scalars(select(Job).where(Job.kind == "analyse_consultation")
                                  .order_by(Job.created_at.desc()).limit(50)):
        if int((row.params or {}).get("consultation_id", 0)) == consultation.id:
            return row
    return None


def answers_by_ids(consultation: Consultation, ids: list[int]) -> list[tuple[Answer, str]]:
    """Return analysable answers with these ids, in the order given."""
    if not ids:
        return []
    rows = {a.id: (a, aud) for a, aud in db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(Answer.id.in_(ids), Response.consultation_id == consultation.id, Response.status == "submitted",
               Response.safeguarding.is_(False))).all()}
    return [rows[i] for i in ids if i in rows]
