"""Planners: dashboards, themes, traceability, safeguarding queue, "You said, we did"."""
# ruff: noqa: I001  (one import line per feature module, so parallel work does not collide)

from .views import bp

from . import dashboard  # noqa: E402,F401  (dashboard and population counts)
from . import themes  # noqa: E402,F401  (themes, re-coding, agreement)
from . import trace  # noqa: E402,F401  (traceability and gaps)
from . import safeguarding  # noqa: E402,F401  (safeguarding queue)
from . import actions  # noqa: E402,F401  (you said, we did; publishing)
from . import theme_names  # noqa: E402,F401  (a theme's names on the public pages, per language)
from . import pack  # noqa: E402,F401  (evidence pack)
from . import results  # noqa: E402,F401  (results by question, filtered)
from . import share  # noqa: E402,F401  (read-only share links to the pack)
from . import moderation  # noqa: E402,F401  (quote moderation)
from . import evidence  # noqa: E402,F401  (evidence of consultation)
from . import organisations  # noqa: E402,F401  (the consultee register, invitations, outbox)
from . import paper  # noqa: E402,F401  (paper and event responses: entry and import)
from . import definitions  # noqa: E402,F401  (edit a consultation's questions, with readability)
from . import builder  # noqa: E402,F401  (create consultations; question editor; preview)
from . import coding  # noqa: E402,F401  (bulk coding, the coding history and undo, answers needing a person)
from . import search  # noqa: E402,F401  (search across answers)
from . import lifecycle  # noqa: E402,F401  (schedule and lifecycle; the lifecycle sweep)
from . import settings  # noqa: E402,F401  (email wording and retention, per partnership)
from . import plans  # noqa: E402,F401  (plans, priorities, outcome indicators, annual reviews)

__all__ = ["bp"]
