"""Typed SQLAlchemy models, one module per aggregate."""

from .coding_history import CodingBatch, CodingChange
from .consultation import AUDIENCES, CHILD_AUDIENCES, ORG_AUDIENCES, AudienceVariant, Consultation, Question
from .email_template import EMAIL_KINDS, EmailTemplate
from .job import Job
from .organisation import (
    ORG_TYPES,
    Contact,
    DraftEdit,
    EvidenceFile,
    Invitation,
    Organisation,
    OutboxEmail,
    Reminder,
    SectorPoint,
    SectorResponse,
)
from .partnership import Area, Partnership, PopulationCount
from .plan import SHANARRI, IndicatorValue, OutcomeIndicator, Plan, PlanAction, PlanReview, Priority
from .response import CHANNELS, Answer, Response, SafeguardingFlag
from .share import SHARE_TARGETS, ShareLink
from .theme import Action, Coding, LinkDecision, Theme, ThemePriority
from .user import OPERATOR, ROLES, AuditEvent, StaffSession, User, UserRole

__all__ = [
    "AUDIENCES", "CHILD_AUDIENCES", "ORG_AUDIENCES", "CHANNELS", "ORG_TYPES", "OPERATOR", "ROLES", "SHANARRI",
    "Action", "Answer", "Area", "AudienceVariant", "AuditEvent", "Coding", "CodingBatch", "CodingChange", "Consultation", "Contact",
    "DraftEdit", "EMAIL_KINDS", "EmailTemplate", "EvidenceFile", "Invitation", "Job", "LinkDecision", "Organisation", "OutboxEmail", "Partnership", "Plan", "PlanAction",
    "PopulationCount", "Priority", "OutcomeIndicator", "IndicatorValue", "PlanReview", "Question", "Reminder", "Response", "SafeguardingFlag", "SectorPoint",
    "SectorResponse", "SHARE_TARGETS", "ShareLink", "StaffSession", "Theme", "ThemePriority", "User", "UserRole",
]
