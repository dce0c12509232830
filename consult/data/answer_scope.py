"""One consultation's answers, found through its responses' ids so a page's cost stays with its own data.

Every planner page reads a consultation's answers by joining ``answer`` to ``response`` on the response id
and filtering the response by consultation. On PostgreSQL, with one Guth serving 32 partnerships, the
planner estimates that probing ``answer`` once per response costs more than reading the whole table, so
it scans every partnership's answers (bench/national.py: 125 ms a query at 32 × 5,000 responses, growing
with each partnership added). ``answer_in(consultation_id)`` adds a condition that says the same thing in
a form the planner reads as selective:

    answer.response_id = ANY (ARRAY(SELECT id FROM response WHERE consultation_id = :id))

The ARRAY is computed once (an InitPlan on the consultation index), and the answers are then read through
``ix_answer_response_id``, whatever else the table holds. SQLite's planner already probes the index, so
there the condition is the plain ``IN (SELECT ...)``. The condition is redundant with the join (it never
changes which rows are returned), only how they are found.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

from ..models import Answer, Response


class _AnswersOf(ColumnElement[bool]):
    """``answer.response_id`` among the ids of one consultation's responses (see the module docstring)."""

    inherit_cache = True
    type = Boolean()
    # the subquery (with its consultation id) is part of the statement's cache key and bound parameters
    _traverse_internals = [("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, consultation_id: Any) -> None:
        self.ids = select(Response.id).where(Response.consultation_id == consultation_id).scalar_subquery()


@compiles(_AnswersOf)
def _compile_default(element: _AnswersOf, compiler: Any, **kw: Any) -> str:
    return compiler.process(Answer.response_id.in_(element.ids), **kw)


@compiles(_AnswersOf, "postgresql")
def _compile_postgresql(element: _AnswersOf, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(Answer.response_id, **kw)} = ANY (ARRAY({compiler.process(element.ids.element, **kw)}))"


def answer_in(consultation_id: Any) -> ColumnElement[bool]:
    """Return a condition true of the consultation's answers (for ``.where()``; redundant with the response join)."""
    return _AnswersOf(consultation_id)
