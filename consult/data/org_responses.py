"""Organisations' shared draft responses: parts, the co-drafting history, evidence files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Consultation, Contact, DraftEdit, EvidenceFile, Organisation, Question, Response
from . import responses
from .consultations import variant_for
from .invitations import org_response


class EditConflict(Exception):
    """Someone else saved this part since the editor loaded it."""

    def __init__(self, current: Answer | None) -> None:
        super().__init__("conflict")
        self.current = current


def get_or_start(consultation: Consultation, org: Organisation, audience: str, *, language: str = "en") -> Response:
    """Return the organisation's draft (or submitted) response, starting one with its own variant."""
    response = org_response(consultation.id, org.id)
    if response is not None:
        return response
    variant = variant_for(consultation, audience) or variant_for(consultation, "organisation")
    if variant is None:
        raise LookupError("consultation has no organisation variant")
    response, _code = responses.start_response(consultation, variant, language=language, channel="online_form",
                                               organisation_id=org.id)
    return response


def answer_for(response: Response, question: Question) -> Answer | None:
    """Return the stored answer to one question, or None."""
    return db.session.scalar(select(Answer).where(Answer.response_id == response.id,
                                                  Answer.question_id == question.id))


def add_draft_edit(*, answer_id: int, contact_id: int, version: int, text: str | None, value: object) -> None:
    """Record who saved which version of a part of the draft."""
    db.session.add(DraftEdit(answer_id=answer_id, contact_id=contact_id, version=version, text=text, value=value))
    db.session.flush()


@dataclass(frozen=True)
class EditRow:
    """One entry in the co-drafting history."""

    core_id: str
    contact_name: str
    at: datetime
    version: int


def history(response: Response, limit: int = 50) -> list[EditRow]:
    """Return who changed which part of the draft and when, newest first."""
    rows = db.session.execute(
        select(Answer.core_id, Contact.name, DraftEdit.created_at, DraftEdit.version)
        .join(Answer, Answer.id == DraftEdit.answer_id)
        .outerjoin(Contact, Contact.id == DraftEdit.contact_id)
        .where(Answer.response_id == response.id)
        .order_by(DraftEdit.id.desc()).limit(limit)).all()
    return [EditRow(core, name or "", at, version) for core, name, at, version in rows]


def last_edits(response: Response) -> dict[str, EditRow]:
    """Return the latest edit of each part, keyed by question core id."""
    out: dict[str, EditRow] = {}
    for row in history(response, limit=500):
        out.setdefault(row.core_id, row)
    return out


def last_editor_name(answer: Answer) -> str:
    """Return the name of whoever saved this answer last."""
    name = db.session.scalar(select(Contact.name).join(DraftEdit, DraftEdit.contact_id == Contact.id)
                             .where(DraftEdit.answer_id == answer.id).order_by(DraftEdit.id.desc()).limit(1))
    return name or ""


def evidence_files(response: Response) -> list[EvidenceFile]:
    """Return the files attached to a response, oldest first."""
    return list(db.session.scalars(select(EvidenceFile).where(EvidenceFile.response_id == response.id)
                                   .order_by(EvidenceFile.id)))


def get_evidence_file(response: Response, file_id: int) -> EvidenceFile | None:
    """Return one of the response's files, or None (another response's file gives None)."""
    row = db.session.get(EvidenceFile, file_id)
    return row if row is not None and row.response_id == response.id else None


def add_evidence_file(response: Response, *, filename: str, stored_name: str, content_type: str, size: int,
                      contact: Contact | None) -> EvidenceFile:
    """Record a stored evidence file."""
    row = EvidenceFile(response_id=response.id, filename=filename, stored_name=stored_name,
                       content_type=content_type, size=size,
                       uploaded_by_contact_id=contact.id if contact else None)
    db.session.add(row)
    db.session.flush()
    return row


def delete_evidence_file(row: EvidenceFile) -> None:
    """Forget a file (the caller removes it from disk after the commit)."""
    db.session.delete(row)
    db.session.flush()


def submitted_responses(consultation_id: int, organisation_ids: list[int]) -> list[Response]:
    """Return submitted responses of these organisations (not flagged for safeguarding)."""
    if not organisation_ids:
        return []
    return list(db.session.scalars(select(Response).where(
        Response.consultation_id == consultation_id, Response.status == "submitted",
        Response.safeguarding.is_(False), Response.organisation_id.in_(organisation_ids)).order_by(Response.id)))


def get_contact(contact_id: int | None) -> Contact | None:
    """Return a contact by id."""
    return db.session.get(Contact, contact_id) if contact_id else None
