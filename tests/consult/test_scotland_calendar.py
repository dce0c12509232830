"""Guth's days are Scotland's calendar days, read from consult.clock, never the machine's own date.

The machine's date (``date.today()``, a naive ``datetime.now()``) is another day than Scotland's for part of
every day wherever the server's time zone is not Europe/London (between 23:00 and midnight UTC in summer on a
UTC server). Code that asked it put a different "today" on the evidence report, the notice an invitation gives,
a new plan's years and a new consultation's dates than the rest of the app, which asks ``consult.clock``; the
tests that built their dates the same way failed once a day. ``scripts/run_tests.py`` runs the PostgreSQL leg
with the machine's time zone set half a world away, so any new reader of the machine's date fails there.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from consult import clock
from consult.data import invitations

ROOT = Path(__file__).resolve().parents[2]
MACHINE_DATE = re.compile(r"\bdate\.today\(\)|\bdatetime\.(?:today|utcnow)\(\)|\bdatetime\.now\(\)|\btime\.localtime\(")


def test_no_code_reads_the_machines_date() -> None:
    found = []
    for package in ("consult", "forms", "analysis"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if MACHINE_DATE.search(code) and "``" not in code:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
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
