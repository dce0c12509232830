"""Paper and event responses: the channels and choices staff enter them with (stored by consult.services.paper_import)."""

from __future__ import annotations

from ..models import Consultation

PAPER_CHANNELS = ["paper", "event", "group"]


def area_options(consultation: Consultation) -> list[tuple[str, str]]:
    """Return the partnership's coarse areas as (code, name) choices."""
    return [(a.code, a.name) for a in consultation.plan.partnership.areas]
