"""Queries for a partnership's own email wording."""

from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import EmailTemplate


def templates_for(partnership_id: int, kind: str) -> dict[str, EmailTemplate]:
    """Return the partnership's wording of one kind of email, by language."""
    rows = db.session.scalars(select(EmailTemplate).where(EmailTemplate.partnership_id == partnership_id,
                                                          EmailTemplate.kind == kind))
    return {row.language: row for row in rows}


def kinds_customised(partnership_id: int) -> set[str]:
    """Return the kinds of email the partnership has written its own wording for."""
    return set(db.session.scalars(select(EmailTemplate.kind).where(EmailTemplate.partnership_id == partnership_id)))


def save_templates(partnership_id: int, kind: str, texts: dict[str, tuple[str, str]], *, user_id: int | None) -> None:
    """Store the wording of one kind of email, a (subject, body) per language; languages left out are removed."""
    existing = templates_for(partnership_id, kind)
    for lang, row in existing.items():
        if lang not in texts:
            db.session.delete(row)
    for lang, (subject, body) in texts.items():
        row = existing.get(lang)
        if row is None:
            row = EmailTemplate(partnership_id=partnership_id, kind=kind, language=lang)
            db.session.add(row)
        row.subject, row.body, row.updated_by_id = subject, body, user_id
    db.session.flush()


def delete_templates(partnership_id: int, kind: str) -> None:
    """Go back to Guth's standard wording for one kind of email."""
    db.session.execute(delete(EmailTemplate).where(EmailTemplate.partnership_id == partnership_id,
                                                   EmailTemplate.kind == kind)
                       .execution_options(synchronize_session=False))
    db.session.flush()
