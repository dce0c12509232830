"""'You said, we did': what the partnership did about each theme or priority, and publishing it."""

from __future__ import annotations

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import Action, Consultation, PlanAction, Priority, Response, Theme


class PublishError(ValueError):
    """The consultation cannot be published yet; nothing was changed."""


def actions_for(consultation: Consultation) -> list[Action]:
    """Return the consultation's actions in order."""
    return list(db.session.scalars(select(Action).where(Action.consultation_id == consultation.id)
                                   .order_by(Action.position, Action.id)))


def get_action(consultation: Consultation, action_id: int) -> Action | None:
    """Return one of the consultation's actions, or None."""
    row = db.session.get(Action, action_id)
    return row if row is not None and row.consultation_id == consultation.id else None


def plan_actions(consultation: Consultation) -> list[PlanAction]:
    """Return the plan's actions, priority by priority."""
    return list(db.session.scalars(select(PlanAction).join(Priority, PlanAction.priority_id == Priority.id)
                                   .where(Priority.plan_id == consultation.plan_id)
                                   .order_by(Priority.position, PlanAction.position)))


def create_action(consultation: Consultation, *, status: str, theme: Theme | None, priority: Priority | None,
                  plan_action: PlanAction | None, texts: dict[str, dict[str, str]], reason: str,
                  user_id: int | None) -> Action:
    """Record what was done, will be done or cannot be done about a theme or priority."""
    if theme is None and priority is None:
        raise ValueError("target")
    position = db.session.scalar(select(func.coalesce(func.max(Action.position), 0))
                                 .where(Action.consultation_id == consultation.id)) or 0
    row = Action(consultation_id=consultation.id, status=status, theme_id=theme.id if theme else None,
                 priority_id=priority.id if priority else None,
                 plan_action_id=plan_action.id if plan_action else None,
                 texts=_kept(texts),
                 reason=reason, created_by_id=user_id, position=position + 1)
    db.session.add(row)
    db.session.flush()
    return row


def update_action(action: Action, *, status: str, theme: Theme | None, priority: Priority | None,
                  plan_action: PlanAction | None, texts: dict[str, dict[str, str]], reason: str) -> Action:
    """Change what an action says (its texts replace the old ones, language by language)."""
    if theme is None and priority is None:
        raise ValueError("target")
    action.status = status
    action.theme_id = theme.id if theme else None
    action.priority_id = priority.id if priority else None
    action.plan_action_id = plan_action.id if plan_action else None
    action.texts = _kept(texts)
    action.reason = reason
    db.session.flush()
    db.session.expire(action, ["theme", "priority"])
    return action


def _kept(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {lang: {k: v for k, v in t.items() if v} for lang, t in texts.items() if any(t.values())}


def delete_action(action: Action) -> None:
    """Remove an action."""
    db.session.delete(action)
    db.session.flush()


def publish(consultation: Consultation) -> Consultation:
    """Publish the 'You said, we did' pages; refuse if no action has been recorded.

    Answering is not touched: an open consultation stays open (issue 17).
    """
    if not actions_for(consultation):
        raise PublishError("no_actions")
    consultation.published_at = consultation.published_at or clock.now()
    consultation.publish_at = None  # published by hand: a scheduled time still to come is used up
    db.session.flush()
    return consultation


def unpublish(consultation: Consultation) -> Consultation:
    """Take the public pages down again; answering is back where it was before publishing."""
    consultation.published_at = None
    db.session.flush()
    return consultation


def submitted_count(consultation: Consultation) -> int:
    """Return how many responses were submitted (flagged ones included: they are people who took part)."""
    return int(db.session.scalar(select(func.count()).select_from(Response).where(
        Response.consultation_id == consultation.id, Response.status == "submitted")) or 0)


def audience_counts(consultation: Consultation) -> dict[str, int]:
    """Return {audience: submitted responses}."""
    return {a: int(n) for a, n in db.session.execute(
        select(Response.audience, func.count()).where(Response.consultation_id == consultation.id,
                                                      Response.status == "submitted")
        .group_by(Response.audience)).all()}
