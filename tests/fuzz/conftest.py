"""How hard the fuzz tests hunt.

By default (CI) each property runs a fixed, derandomised set of GUTH_FUZZ_EXAMPLES examples (100),
so a green run stays green. GUTH_FUZZ=full runs 10,000 random examples per property (the long
hunt; see the report for how long it takes).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FULL = os.environ.get("GUTH_FUZZ", "").lower() == "full"
EXAMPLES = 10_000 if FULL else int(os.environ.get("GUTH_FUZZ_EXAMPLES", "100"))
# Going through the whole app (a request per example) is slower: a tenth as many.
APP_EXAMPLES = 1_000 if FULL else max(20, EXAMPLES // 10)


def fuzz_settings(examples: int | None = None, shrink: bool = True) -> settings:
    """Return the settings for one fuzz property (shrink=False for a known, marked failure)."""
    from hypothesis import Phase

    phases = list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate]
    # The long hunt keeps what it finds (and replays it next time); CI keeps nothing.
    import tempfile

    from hypothesis.database import DirectoryBasedExampleDatabase

    path = os.environ.get("GUTH_FUZZ_DB") or os.path.join(tempfile.gettempdir(), "guth-fuzz-examples")
    database = DirectoryBasedExampleDatabase(path) if FULL else None
    return settings(
        phases=phases,
        max_examples=examples or EXAMPLES,
        deadline=None,
        database=database,
        print_blob=True,
        derandomize=not FULL,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture],
    )
