"""The one way a number reaches a public page: small counts are suppressed."""

from __future__ import annotations

from flask_babel import gettext as _

DEFAULT_THRESHOLD = 5


def public_count(n: int | None, threshold: int | None = DEFAULT_THRESHOLD) -> str:
    """Return a count for a public page: "fewer than 5" (for threshold 5) below the threshold, else the number.

    Every public figure goes through this function, so no small group can be picked out.
    """
    limit = threshold if threshold and threshold > 0 else DEFAULT_THRESHOLD
    if n is None or n < limit:
        return _("fewer than %(n)s", n=limit)
    return str(int(n))
