"""Guth with consultations.definition_of cached per consultation: what the respond pages would do
if they did not rebuild and re-validate the whole definition on every request.

A measurement aid for bench/submit_ratio.py and bench/load_school.py (--app cached), not for
production: it assumes questions do not change while the server runs (true once a consultation
is open; a real cache would key on the consultation's last change).
"""

from __future__ import annotations

from consult import create_app
from consult.data import consultations

_original = consultations.definition_of
_cache: dict[int, object] = {}


def _cached(consultation):  # type: ignore[no-untyped-def]
    found = _cache.get(consultation.id)
    if found is None:
        found = _cache[consultation.id] = _original(consultation)
    return found


consultations.definition_of = _cached  # type: ignore[assignment]
app = create_app()
