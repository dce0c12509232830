"""The coding history: every change a person makes to which themes answers have, in undoable batches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import created_at_column

BATCH_KINDS = ["add", "remove", "move", "recode", "merge", "split", "undo"]


class CodingBatch(db.Model):
    """One coding action by one person (a bulk add, a move, a merge…): undone as a whole."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # The theme acted on and, for a move or merge, the theme the answers went to (a split: the new theme).
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    target_theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    answers: Mapped[int] = mapped_column(Integer, default=0)
    # What else the batch changed, to put back on undo (ids and statuses only, never answer text).
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # Set on an "undo" batch: the batch it undid.
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("coding_batch.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    user = relationship("User")
    changes: Mapped[list[CodingChange]] = relationship(back_populates="batch", order_by="CodingChange.id")


class CodingChange(db.Model):
    """One (answer, theme, source) coding before and after a batch: None for no row, else its values."""

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("coding_batch.id"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    batch: Mapped[CodingBatch] = relationship(back_populates="changes")
