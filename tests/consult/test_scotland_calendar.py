"""Guth's days are Scotland's calendar days, read from consult.clock, never the machine's own date.

The machine's date (``date.today()``, a naive ``datetime.now()``) is another day than Scotland's for part of
every day wherever the server's time zone is not Europe/London (between 23:00 and midnight UTC in summer on a
UTC server). Code that asked it put a different "today" on the evidence report, the notice an invitation gives,
a new plan's years and a new consultation's dates than the rest of the app, which asks ``consult.clock``; the
tests that built their dates the same way failed once a day. ``scripts/run_tests.py`` runs the PostgreSQL leg
with the machine's time zone set half a world away, so any new reader of the machine's date fails there.
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

from consult import clock
from consult.data import invitations
from tests.consult.test_one_pipeline import _sources

ROOT = Path(__file__).resolve().parents[2]


def _reads_the_machines_date(node: ast.AST) -> bool:
    """``date.today()``, ``datetime.today()``, ``datetime.utcnow()`` or a naive ``datetime.now()`` (no zone given)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id in ("date", "datetime")):
        return False
    name = node.func.attr
    return name in ("today", "utcnow") or (name == "now" and not node.args and not node.keywords)


def test_no_code_reads_the_machines_date() -> None:
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for package in ("consult", "forms", "analysis") for path in _sources(ROOT / package)
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if _reads_the_machines_date(node)]
    assert found == [], "ask consult.clock.today() or clock.now() instead:\n" + "\n".join(found)


def test_an_invitations_notice_counts_from_scotlands_day(world) -> None:  # type: ignore[no-untyped-def]
    """At 23:30 on 29 April in Scotland an invitation gives notice from 29 April, to the 1 May opening."""
    consultation = world.consultation
    assert consultation.opens_on == date(2026, 5, 1)
    clock.set_now(datetime(2026, 4, 29, 22, 30, tzinfo=UTC))  # 23:30 in Scotland (BST)
    try:
        check = invitations.check_notice(consultation)
        assert check.notice_days == 2
        assert check == invitations.check_notice(consultation, date(2026, 4, 29))
    finally:
        clock.reset()
