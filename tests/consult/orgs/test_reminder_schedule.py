"""Reminders from the planner's button and from the scheduled command, through the job system."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Invitation, OutboxEmail, Reminder
from tests.conftest import csrf_from


def _age_invitations(days: int) -> None:
    for inv in db.session.scalars(select(Invitation)):
        inv.sent_at = inv.sent_at - timedelta(days=days)
    db.session.commit()


def test_the_planner_sends_reminders_from_the_invite_page(world, invite, staff) -> None:
    consultation = world["consultation"]
    invite(consultation, world["orgs"]["Fire Service"])
    _age_invitations(8)
    planner = staff("planner@t.example")
    page = planner.get(f"/planner/consultations/{consultation.id}/invite").get_data(as_text=True)
    done = planner.post(f"/planner/consultations/{consultation.id}/reminders", data={"csrf_token": csrf_from(page)})
    assert done.status_code == 302 and "/planner/jobs/" in done.headers["Location"]
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
    subjects = [s for (s,) in db.session.execute(select(OutboxEmail.subject).where(OutboxEmail.subject.like("Reminder%")))]
    assert len(subjects) == 2


def test_the_scheduled_command_reminds_each_open_consultation(world, invite, app) -> None:
    invite(world["consultation"], world["orgs"]["Hill Housing"])
    _age_invitations(8)
    result = app.test_cli_runner().invoke(args=["planner", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "test-csp: reminder job" in result.output
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
    # Run again the same day: nobody is reminded twice.
    app.test_cli_runner().invoke(args=["planner", "send-reminders"])
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
