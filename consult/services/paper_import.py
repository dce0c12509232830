"""Importing paper and event responses from CSV/XLSX: every row is checked as the online form would, then all are
stored or none (the rows are read by consult.services.imports); and storing one paper response, through the answers' one
door (consult.services.answers), as the online form stores it."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from forms import QUESTION_TYPES, AnswerData, AudienceDef, QuestionDef, build_form
from forms.types import RANK_FIELDS

from ..data import consultations, responses
from ..data.paper import PAPER_CHANNELS, area_options
from ..models import Consultation, Response
from . import answers as answers_service
from .imports import TableReadError
from .imports import read_table as read_rows

FIXED_COLUMNS = ["audience", "channel", "language"]
MAX_ROWS = 5000


class TableError(ValueError):
    """The uploaded file could not be read as a table."""


@dataclass
class ImportResult:
    """What an import did, or every problem that stopped it (with row numbers)."""

    created: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def enter_response(consultation: Consultation, audience: str, *, channel: str, language: str,
                   answers: dict[str, AnswerData], user_id: int | None) -> tuple[Response, bool]:
    """Store one paper/event response, submitted; return (response, gone to the safeguarding lead)."""
    if channel not in PAPER_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    variant = consultations.variant_for(consultation, audience)
    if variant is None:
        raise ValueError(f"no {audience!r} variant")
    response, _code = responses.start_response(consultation, variant, language=language, channel=channel,
                                               entered_by_user_id=user_id)
    flagged = False
    for question in responses.questions_for(variant):
        data = answers.get(question.core_id)
        if data is not None:
            flagged = answers_service.save(response, question, data).alert or flagged
    answers_service.submit(response)
    return response, flagged


def columns_for(audience: AudienceDef) -> list[str]:
    """Return the import columns for one audience: the fixed ones, then one (or two) per question."""
    cols = list(FIXED_COLUMNS)
    for q in audience.questions:
        cols.append(q.core_id)
        if q.type == "agree_priority":
            cols.append(f"{q.core_id}.why")
    return cols


def formdata_for(question: QuestionDef, row: dict[str, str]) -> MultiDict:
    """Turn one question's cells into the form data its built form expects."""
    raw = (row.get(question.core_id) or "").strip()
    data: MultiDict = MultiDict()
    if question.type == "rank_top3":
        for name, value in zip(RANK_FIELDS, [v.strip() for v in raw.split(";") if v.strip()], strict=False):
            data.add(name, value)
        if len([v for v in raw.split(";") if v.strip()]) > 3:
            data.add("rank_3", "(more than three)")
    elif question.type == "multiple_choice" or (question.type == "picture_choice" and question.spec.get("multiple")):
        for value in [v.strip() for v in raw.split(";") if v.strip()]:
            data.add("answer", value)
    elif raw:
        data.add("answer", raw)
    if question.type == "agree_priority":
        why = (row.get(f"{question.core_id}.why") or "").strip()
        if why:
            data.add("why", why)
    return data


def check_answer(question: QuestionDef, formdata: MultiDict, lang: str,
                 areas: list[tuple[str, str]]) -> tuple[AnswerData | None, list[str]]:
    """Validate one question's answer as the online form would; blank means not answered."""
    qtype = QUESTION_TYPES[question.type]
    form = build_form(question, lang, area_options=areas)(formdata)
    if qtype.is_empty(form):
        return AnswerData(skipped=True), []
    if form.validate():
        return form.answer_data(), []
    messages = [f"{name}: {e}" if len(form.answer_fields) > 1 else str(e)
                for name in form.answer_fields for e in getattr(form, name).errors]
    return None, messages or ["invalid answer"]


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """Read a CSV (UTF-8) or XLSX upload into rows of {column: text}, stopping at the row limit (streamed)."""
    try:
        values = read_rows(filename, data, max_rows=MAX_ROWS)
    except TableReadError as exc:
        raise TableError(_table_message(exc)) from exc
    if not values:
        raise TableError(_("The file is empty."))
    header = [h.strip() for h in values[0]]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in values[1:]]


def _table_message(exc: Exception) -> str:
    kind, line = getattr(exc, "kind", ""), getattr(exc, "line", 0)
    if kind == "not_xlsx":
        return _("The file is not a readable XLSX workbook.")
    if kind == "not_utf8":
        return _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
    if kind in ("too_many_rows", "too_large"):
        return _("The file has more than %(n)s rows. Split it into smaller files.", n=MAX_ROWS)
    return _("Row %(row)s: the CSV is malformed (check for a stray quote mark or line break "
             "inside a value). Save it again as CSV UTF-8 and try again.", row=line or 1)


def import_rows(consultation: Consultation, rows: list[dict[str, str]], *, user_id: int | None) -> ImportResult:
    """Check every row, then store them all; any problem stores none (row 2 is the first data row)."""
    definition = consultations.definition_of(consultation)
    areas = area_options(consultation)
    result = ImportResult()
    parsed: list[tuple[str, str, str, dict[str, AnswerData]]] = []
    for number, row in enumerate(rows, start=2):
        audience = (row.get("audience") or "").strip()
        channel = (row.get("channel") or "").strip().lower()
        language = (row.get("language") or "en").strip().lower() or "en"
        problems: list[str] = []
        if audience not in definition.audience_codes:
            problems.append(_("Row %(row)s, audience: '%(value)s' is not one of %(allowed)s", row=number,
                              value=audience, allowed=", ".join(definition.audience_codes)))
        if channel not in PAPER_CHANNELS:
            problems.append(_("Row %(row)s, channel: '%(value)s' is not one of %(allowed)s", row=number,
                              value=channel, allowed=", ".join(PAPER_CHANNELS)))
        if language not in consultation.languages:
            problems.append(_("Row %(row)s, language: '%(value)s' is not one of %(allowed)s", row=number,
                              value=language, allowed=", ".join(consultation.languages)))
        result.errors.extend(problems)
        if audience not in definition.audience_codes:
            continue
        if language not in consultation.languages:
            language = "en"
        aud = definition.audience(audience)
        known = set(columns_for(aud))
        unknown = [c for c, v in row.items() if c and c not in known and (v or "").strip()]
        for col in unknown:
            result.errors.append(_("Row %(row)s, %(column)s: this column is not a question for %(audience)s",
                                   row=number, column=col, audience=audience))
        answers: dict[str, AnswerData] = {}
        for question in aud.questions:
            data, errors = check_answer(question, formdata_for(question, row), language, areas)
            result.errors.extend(_("Row %(row)s, %(column)s: %(problem)s", row=number, column=question.core_id,
                                   problem=e) for e in errors)
            if data is not None:
                answers[question.core_id] = data
        parsed.append((audience, channel, language, answers))
    if result.errors:
        return result
    for audience, channel, language, answers in parsed:
        _response, flagged = enter_response(consultation, audience, channel=channel, language=language,
                                            answers=answers, user_id=user_id)
        result.created += 1
        result.flagged += int(flagged)
    return result
