"""An organisation's response: its questions as forms, evidence files checked by content, the copy text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from forms import QUESTION_TYPES, QuestionDef, build_form

from ..data import consultations, org_responses
from ..data.responses import answer_data, answers_by_core_id, questions_for
from ..i18n import localised
from ..models import Answer, Question, Response

# Kinds of file accepted as evidence, recognised by their first bytes, never by the name alone.
FILE_KINDS = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}
MSG_TOO_BIG = _l("The file is too big. Attach a file of %(max)s MB or less, or add a link instead.")
MSG_BAD_KIND = _l("The file must be a PDF, Word (.docx), OpenDocument text (.odt), PNG or JPEG file.")
MSG_NOT_WHAT_IT_SAYS = _l("The file's contents are not a %(kind)s file, although its name says so. Attach the "
                          "file again, or save it as PDF first.")
MSG_EMPTY = _l("Choose a file to attach.")


class PartForm(FlaskForm):
    """Base for one part of the draft: carries the answer version the editor started from."""

    version = HiddenField()


def question_def(response: Response, question: Question) -> QuestionDef:
    """Return the forms package's definition of a stored question."""
    definition = consultations.definition_of(response.variant.consultation)
    return definition.audience(response.audience).question(question.core_id)


def area_options(response: Response) -> list[tuple[str, str]]:
    """Return the partnership's areas as (code, name)."""
    return [(a.code, a.name) for a in response.variant.consultation.plan.partnership.areas]


def part_form(response: Response, question: Question, lang: str, *, formdata=None, answer: Answer | None = None):  # type: ignore[no-untyped-def]
    """Return the bound form for one part, pre-filled with the stored answer when not posted."""
    qdef = question_def(response, question)
    cls = build_form(qdef, lang, base=PartForm, area_options=area_options(response))
    data = QUESTION_TYPES[qdef.type].form_data(answer_data(answer))
    data["version"] = str(answer.version if answer is not None else 0)
    if formdata is None:
        return cls(formdata=None, data=data)
    return cls(formdata=formdata)


def find_question(response: Response, core_id: str) -> Question | None:
    """Return the response's question with this core id, or None."""
    return next((q for q in questions_for(response.variant) if q.core_id == core_id), None)


@dataclass(frozen=True)
class PartRow:
    """One part of the draft for the overview page."""

    question: Question
    text: str
    answer: str
    answered: bool
    edited_by: str
    edited_at: object


def overview(response: Response, lang: str) -> tuple[list[PartRow], list[PartRow]]:
    """Return (priority parts, other parts) with current answers and who last edited each."""
    stored = answers_by_core_id(response)
    edits = org_responses.last_edits(response)
    definition = consultations.definition_of(response.variant.consultation).audience(response.audience)
    areas = area_options(response)
    priorities, others = [], []
    for q in questions_for(response.variant):
        qdef = definition.question(q.core_id)
        answer = stored.get(q.core_id)
        shown = QUESTION_TYPES[q.type].display(qdef, answer_data(answer), lang, area_options=areas) if answer else ""
        edit = edits.get(q.core_id)
        row = PartRow(q, localised(q.text, lang)[0], shown, answer is not None and not answer.skipped,
                      edit.contact_name if edit else "", edit.at if edit else None)
        (priorities if q.type == "agree_priority" else others).append(row)
    return priorities, others


def response_copy_text(response: Response) -> str:
    """Return the submitted response as plain text, for the organisation's copy by email."""
    priorities, others = overview(response, "en")
    lines = []
    for row in priorities + others:
        lines.append(f"{row.text}\n  {row.answer or '-'}")
    files = org_responses.evidence_files(response)
    if files:
        lines.append("Evidence files: " + ", ".join(f.filename for f in files))
    return "\n\n".join(lines)


def upload_dir() -> Path:
    """Return the folder evidence files are kept in (outside the web root), creating it."""
    path = Path(current_app.config.get("UPLOAD_FOLDER") or os.path.join(current_app.instance_path, "uploads"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_file(filename: str, head: bytes, size: int) -> tuple[str | None, str]:
    """Return (error message or None, content type) for an upload, judged by size and by content."""
    max_bytes = int(current_app.config.get("UPLOAD_MAX_BYTES", 2 * 1024 * 1024))
    if size == 0 or not filename:
        return str(MSG_EMPTY), ""
    if size > max_bytes:
        return str(_l("The file is too big. Attach a file of %(max)s MB or less, or add a link instead.",
                      max=max_bytes // (1024 * 1024))), ""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in FILE_KINDS:
        return str(MSG_BAD_KIND), ""
    content_type, magics = FILE_KINDS[ext]
    if not any(head.startswith(m) for m in magics):
        return str(_l("The file's contents are not a %(kind)s file, although its name says so. Attach the file "
                      "again, or save it as PDF first.", kind=ext.upper())), ""
    if ext in ("docx", "odt") and not _zip_holds(head, ext):
        return str(_l("The file's contents are not a %(kind)s file, although its name says so. Attach the file "
                      "again, or save it as PDF first.", kind=ext.upper())), ""
    return None, content_type


def _zip_holds(data: bytes, ext: str) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if ext == "docx":
        return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
    return "mimetype" in names and "content.xml" in names


def store_file(data: bytes, ext: str) -> str:
    """Write an accepted file under a random name; return that name."""
    stored = f"{secrets.token_hex(16)}.{ext}"
    (upload_dir() / stored).write_bytes(data)
    return stored


def clean_filename(name: str) -> str:
    """Return a display-safe version of the name the file was uploaded with."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*')
    return base[:200] or "evidence"
