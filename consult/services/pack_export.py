"""The evidence pack as tables people can publish: labelled, numeric, every figure suppressed.

One builder (`pack_tables`) turns the pack's figures into `Table`s with human headers and labels; the
printable page, the PDF, the XLSX, the CSVs and share links all show these tables, so a figure is
suppressed once, here, by the one rule in `consult.services.suppression`, and no export can show a
count that the page hides.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..data import pack as pack_data
from ..data import themes as theme_data
from ..data.filters import ResultFilter
from ..i18n import LANGUAGE_NAMES, current_language, localised
from ..labels import AUDIENCE_LABELS, CHANNEL_LABELS, GROUP_LABELS
from ..models import AUDIENCES, Action, Consultation
from . import suppression
from .suppression import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ACTION_STATUS = {"done": _l("Done"), "will_do": _l("We will do this"), "cannot_do": _l("We cannot do this")}


@dataclass
class Table:
    """One table of the pack: a key (for file names), a title, what it shows, headers and rows."""

    key: str
    title: str
    description: str
    headers: list[str]
    rows: list[list[object]]
    numeric: frozenset[int] = frozenset()
    section: str = ""

    def as_rows(self) -> list[list[object]]:
        """Return the header row then the rows, every cell as it is written to a file."""
        return [list(self.headers)] + [[cell_value(v) for v in row] for row in self.rows]


@dataclass
class Quote:
    """A moderated quote from someone who allowed quoting."""

    theme: str
    audience: str
    text: str


@dataclass
class PackTables:
    """The whole pack, ready to publish: cover figures, tables, what changed and quotes."""

    consultation: Consultation
    title: str
    partnership: str
    made_at: datetime
    threshold: int
    filters: list[str]
    total: object
    by_audience: list[tuple[str, object]]
    overall_rate: float | None
    top_themes: list[tuple[str, object]]
    tables: list[Table]
    actions: list[tuple[str, str, str, str]]  # (theme or priority, status, text, reason)
    quotes: list[Quote] = field(default_factory=list)
    results: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables + self.results if t.key == key), None)

    @property
    def all_tables(self) -> list[Table]:
        return self.tables + self.results

    @property
    def sections(self) -> list[tuple[str, list[Table]]]:
        """Return (section heading, its tables) in order, for the page: what changed and quotes are set out apart."""
        out: dict[str, list[Table]] = {}
        for t in self.tables:
            if t.key not in ("changes", "quotes"):
                out.setdefault(t.section, []).append(t)
        return list(out.items())

    @property
    def rule(self) -> str:
        return _("Figures below %(n)s are shown as “fewer than %(n)s”, and any figure that would let a hidden one "
                 "be worked out from a total is hidden too, so no small group can be picked out.", n=self.threshold)


def cell_value(value: object) -> object:
    """Return a value as written to a spreadsheet cell: numbers stay numbers, text cannot run as a formula."""
    if isinstance(value, Cell):
        return value.value if not value.suppressed else value.display
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def audience_name(code: str) -> str:
    return str(AUDIENCE_LABELS.get(code, code or _("Not known")))


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code or _("Not known"))


def _protect(counts: list[int], threshold: int, *, total: int | None = None) -> list[Cell]:
    """Return counts as publishable cells: small ones, and any that would give a small one away, hidden."""
    cells = suppression.suppress_counts({str(i): n for i, n in enumerate(counts)}, threshold, total=total)
    return [cells[str(i)] for i in range(len(counts))]


def _protect_total(total: int, threshold: int) -> Cell:
    return suppression.suppress_counts({}, threshold, total=total)[""]


def _count_table(key: str, title: str, description: str, label_header: str, rows: list[tuple[str, int]],
                 threshold: int, total: int, section: str) -> Table:
    figures = _protect([n for _label, n in rows], threshold, total=total)
    return Table(key, title, description, [label_header, _("Responses")],
                 [[label, figure] for (label, _n), figure in zip(rows, figures, strict=True)],
                 frozenset({1}), section)


def pack_tables(consultation: Consultation, built: pack_data.Pack, *, filters: list[str] | None = None,
                threshold: int | None = None, result_filter: ResultFilter | None = None) -> PackTables:
    """Return the pack's tables with human headers and every figure suppressed by the one rule."""
    k = threshold or suppression.threshold_for(consultation.plan.partnership)
    board = built.board
    reach, said, changed = _("Who we reached"), _("What they said"), _("What changed")
    total = _protect_total(board.total, k)
    tables = [
        _count_table("audiences", _("Responses by audience"), _("Submitted responses from each audience."),
                     _("Audience"), [(audience_name(a), n) for a, n in board.by_audience], k, board.total, reach),
        _count_table("areas", _("Responses by area"), _("Submitted responses from each area of the partnership."),
                     _("Area"), [(a or _("Not given"), n) for a, n in board.by_area], k, board.total, reach),
        _count_table("languages", _("Responses by language"), _("The language each response was given in."),
                     _("Language"), [(language_name(x), n) for x, n in board.by_language], k, board.total, reach),
        _count_table("channels", _("Responses by channel"), _("How each response was given: online, on paper, "
                                                               "at an event or in a group."),
                     _("Channel"), [(str(CHANNEL_LABELS.get(x, x)), n) for x, n in board.by_channel], k,
                     board.total, reach),
    ]
    groups = _protect([n for _g, n in board.groups], k)  # people choose several: no total to protect
    tables.append(Table("groups", _("Groups the plan must not miss"),
                        _("Responses from people who said they belong to each group (people can choose several)."),
                        [_("Group"), _("Responses")],
                        [[str(GROUP_LABELS.get(g, g)), n] for (g, _n), n in zip(board.groups, groups, strict=True)],
                        frozenset({1}), reach))
    if board.reach:
        tables.append(_reach_table(board, k, reach))
    days = _protect([n for _d, n in board.by_day], k, total=board.total)
    tables.append(Table("days", _("Responses by day"), _("Submitted responses on each day the consultation was open."),
                        [_("Day"), _("Responses")], [[d, n] for (d, _n), n in zip(board.by_day, days, strict=True)],
                        frozenset({1}), reach))
    audiences = [a for a in AUDIENCES if any(per.get(a) for _t, _n, per in built.themes)]
    # Each row is checked against its own total, the only total the table shows: the per-audience column
    # sums (answer-theme pairs) are published nowhere, so nothing else can give a hidden cell away.
    theme_rows = []
    for t, n, per in built.themes:
        cells = suppression.suppress_counts({a: per.get(a, 0) for a in audiences}, k, total=n)
        theme_rows.append([t.name, cells[""], *[cells[a] for a in audiences]])
    tables.append(Table("themes", _("Themes, most raised first"),
                        _("Answers that raised each theme, in all and from each audience. One answer can raise "
                          "several themes."), [_("Theme"), _("Answers"), *[audience_name(a) for a in audiences]],
                        theme_rows, frozenset(range(1, 2 + len(audiences))), said))
    if built.gaps:
        gap_counts = _protect([n for _t, n in built.gaps], k)
        tables.append(Table("gaps", _("Raised often but covered by no priority"),
                            _("Themes many people raised that no priority of the plan covers."),
                            [_("Theme"), _("Answers")],
                            [[t.name, n] for (t, _n), n in zip(built.gaps, gap_counts, strict=True)],
                            frozenset({1}), said))
    actions = [_action_row(a) for a in built.actions]
    tables.append(Table("changes", _("What changed"), _("What the partnership did about what people said."),
                        [_("Theme or priority"), _("Status"), _("What we did"), _("Why not")],
                        [list(a) for a in actions], frozenset(), changed))
    quotes = [Quote(t.name, audience_name(aud), a.text or "") for t, _n, _per in built.themes
              for a, aud in theme_data.quotes_for_theme(consultation, t, limit=20)
              if built.answer_ids is None or a.id in built.answer_ids][:2 * len(built.themes)]
    if quotes:
        tables.append(Table("quotes", _("In their words"), _("Quotes a moderator approved, from people who said "
                                                              "they could be quoted."),
                            [_("Theme"), _("Audience"), _("Quote")], [[q.theme, q.audience, q.text] for q in quotes],
                            frozenset(), said))
    top = [(r[0], r[1]) for r in theme_rows[:5]]
    basis = [r for r in board.reach if r.area_id is None] or board.reach
    return PackTables(
        consultation=consultation, title=localised(consultation.title)[0],
        partnership=consultation.plan.partnership.name, made_at=datetime.now(UTC), threshold=k,
        filters=filters or [], total=total,
        by_audience=[(row[0], row[1]) for row in tables[0].rows],
        overall_rate=round(board.overall_rate, 1) if basis and sum(r.responses for r in basis) >= k else None,
        top_themes=top, tables=tables, actions=actions, quotes=quotes,
        results=results_tables(consultation, result_filter or ResultFilter(), k))


def results_tables(consultation: Consultation, result_filter: ResultFilter, threshold: int) -> list[Table]:
    """Return each structured question's answers by audience (people choosing each option), each audience's
    row suppressed with its total, from the one summary the results page shows (consult.data.results)."""
    from ..data import results as results_data

    out: list[Table] = []
    for n, s in enumerate(results_data.summaries(consultation, result_filter, lang=current_language()), 1):
        if not s.structured or not s.options:
            continue
        # Row by row against the row's own total (those who answered): the pack shows no column totals, so
        # no other sum can give a hidden cell away (and the exact solver behind two-way tables takes about
        # a second a question, which would make the pack page wait).
        values = [v for v, _label in s.options]
        rows: list[list[object]] = []
        for r in s.shown:
            cells = suppression.suppress_counts({v: r.count(v) for v in values}, threshold, total=r.answered)
            rows.append([audience_name(r.audience), cells[""], *[cells[v] for v in values]])
        note = _("People can choose more than one, so the options add up to more than those who answered.") \
            if s.multiple else _("People who chose each answer.")
        out.append(Table(f"q{n}-{s.core_id}"[:40], s.text, note,
                         [_("Audience"), _("Answered"), *[s.label(v) for v in values]], rows,
                         frozenset(range(1, 2 + len(values))), _("Results by question")))
    return out


def _reach_table(board, k: int, section: str) -> Table:  # type: ignore[no-untyped-def]
    """Return reach against population: each audience's areas checked against its whole-partnership figure."""
    shown: dict[int, Cell] = {}
    by_audience: dict[str, list[int]] = {}
    for i, r in enumerate(board.reach):
        by_audience.setdefault(r.audience, []).append(i)
    for indexes in by_audience.values():
        parts = [i for i in indexes if board.reach[i].area_id is not None]
        whole = [i for i in indexes if board.reach[i].area_id is None]
        total = board.reach[whole[0]].responses if whole else None
        cells = suppression.suppress_counts({str(i): board.reach[i].responses for i in parts}, k, total=total)
        shown.update({i: cells[str(i)] for i in parts})
        shown.update({i: cells[""] for i in whole})
    rows: list[list[object]] = []
    for i, r in enumerate(board.reach):
        cell = shown[i]
        rows.append([audience_name(r.audience), r.area_name or _("Whole partnership"), cell, r.population,
                     cell if cell.suppressed else round(r.rate, 1),
                     _("Yes") if board.under_represented(r) else _("No")])
    return Table("reach", _("Reach against population"),
                 _("Responses per 1,000 people in each audience and area, from the population counts the "
                   "partnership entered."),
                 [_("Audience"), _("Area"), _("Responses"), _("Population"), _("Per 1,000 people"),
                  _("Under-represented")], rows, frozenset({2, 3, 4}), section)


def _action_row(a: Action) -> tuple[str, str, str, str]:
    text = localised({key: v.get("adult", "") for key, v in (a.texts or {}).items() if v.get("adult")})[0]
    target = a.theme.name if a.theme else (a.priority.title if a.priority else "")
    return target, str(ACTION_STATUS.get(a.status, a.status)), text, a.reason or ""


# ---- files -------------------------------------------------------------------------------------------

def csv_text(rows: list[list[object]]) -> str:
    """Return rows as CSV text (formula-safe)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([cell_value(v) for v in row] for row in rows)
    return buffer.getvalue()


def readme_rows(tables: PackTables) -> list[list[object]]:
    """Return the README sheet: what the workbook is, its date, filters, the suppression rule, each sheet."""
    rows: list[list[object]] = [
        [_("Evidence pack"), tables.title],
        [_("Partnership"), tables.partnership],
        [_("Made on"), tables.made_at.strftime("%Y-%m-%d %H:%M UTC")],
        [_("Filters applied"), "; ".join(tables.filters) or _("None: every submitted response")],
        [_("Small numbers"), tables.rule],
        [],
        [_("Sheet"), _("What it shows")],
    ]
    rows += [[t.title, t.description] for t in tables.all_tables]
    return rows


def xlsx_bytes(tables: PackTables) -> bytes:
    """Return the pack as a workbook: a README sheet, then one sheet per table, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    readme = book.active
    readme.title = _("README")[:31]
    for row in readme_rows(tables):
        readme.append([cell_value(v) for v in row])
    readme.column_dimensions["A"].width, readme.column_dimensions["B"].width = 34, 100
    used = {readme.title.lower()}
    for table in tables.all_tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        for row in table.as_rows():
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, header in enumerate(table.headers):
            width = max([len(str(header))] + [len(str(r[i])) for r in table.rows if i < len(r)])
            sheet.column_dimensions[chr(65 + i) if i < 26 else "Z"].width = min(max(width + 2, 10), 80)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    """Return a sheet title Excel accepts (31 characters, none of []:*?/\\) that no other sheet has."""
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


# ---- the answers export --------------------------------------------------------------------------------

#: Descriptive columns, in the order they are withheld from answers in a small group (the broadest kept last).
DESCRIBING = ("channel", "area", "language", "audience")


def answers_table(rows: list[pack_data.AnswerRow], threshold: int) -> tuple[Table, int]:
    """Return the answers export table and how many answers had a describing column withheld.

    Each answer is described by audience, language, area and channel. Where fewer than ``threshold``
    answers share one description, its channel is withheld for all of them, then (if the group is still
    small) its area, then its language, then its audience, until every description shown is shared by at
    least ``threshold`` answers: no small group can be picked out by what describes it.
    """
    k = max(int(threshold), 1)
    withheld = _("Withheld: fewer than %(n)s", n=k)
    described = [{"audience": audience_name(r.audience), "language": language_name(r.language),
                  "area": r.area or _("Not given"), "channel": str(CHANNEL_LABELS.get(r.channel, r.channel))}
                 for r in rows]
    touched: set[int] = set()
    for column in DESCRIBING:
        groups: dict[tuple, list[int]] = {}
        for i, d in enumerate(described):
            groups.setdefault(tuple(d[c] for c in DESCRIBING), []).append(i)
        small = [i for members in groups.values() if len(members) < k for i in members]
        if not small:
            break
        for i in small:
            described[i][column] = withheld
            touched.add(i)
    table_rows: list[list[object]] = []
    for r, d in zip(rows, described, strict=True):
        table_rows.append([r.answer_id, localised(r.question)[0] or r.core_id, d["audience"], d["language"],
                           d["area"], d["channel"], "; ".join(r.themes), r.text])
    table = Table("answers", _("Answers"),
                  _("Every free-text answer that analysis uses, after personal details were taken out (redacted); "
                    "answers flagged for safeguarding are never included. Where fewer than %(n)s answers share a "
                    "description, the describing columns are withheld, broadest last.", n=k),
                  [_("Answer number"), _("Question"), _("Audience"), _("Language"), _("Area"), _("Channel"),
                   _("Themes"), _("Answer (redacted)")], table_rows, frozenset({0}))
    return table, len(touched)


def answers_xlsx(table: Table, readme: list[list[object]]) -> bytes:
    """Return the answers export as a workbook: a README sheet and the answers sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _("README")[:31]
    for row in readme:
        sheet.append([cell_value(v) for v in row])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 30, 100
    answers = book.create_sheet(_sheet_title(table.title, {sheet.title.lower()}))
    for row in table.as_rows():
        answers.append(row)
    for cell in answers[1]:
        cell.font = Font(bold=True)
    answers.freeze_panes = "A2"
    for col, width in zip("ABCDEFGH", (10, 40, 26, 14, 16, 16, 30, 80), strict=True):
        answers.column_dimensions[col].width = width
    for cell in answers["H"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filter_labels(consultation: Consultation, result_filter: ResultFilter) -> list[str]:
    """Return the filter in words, one "Name: value" per field set, for covers and README sheets."""
    from ..data.filters import NO_AREA

    areas = {str(a.id): a.name for a in consultation.plan.partnership.areas}
    out = []
    if result_filter.audience:
        out.append(_("Audience: %(v)s", v=_("Children and young people") if result_filter.audience == "children"
                                        else audience_name(result_filter.audience)))
    if result_filter.age:
        out.append(_("Age: %(v)s", v=result_filter.age.replace("-", " to ")))
    if result_filter.area:
        out.append(_("Area: %(v)s", v=_("Not given") if result_filter.area == NO_AREA
                                    else areas.get(result_filter.area, "")))
    if result_filter.language:
        out.append(_("Language: %(v)s", v=language_name(result_filter.language)))
    if result_filter.channel:
        out.append(_("Channel: %(v)s", v=str(CHANNEL_LABELS.get(result_filter.channel, result_filter.channel))))
    if result_filter.group:
        out.append(_("Group: %(v)s", v=str(GROUP_LABELS.get(result_filter.group, result_filter.group))))
    return out
