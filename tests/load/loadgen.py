"""Many simulated pupils answering a consultation at once against a real server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import random
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.load.formbot import HttpBrowser, Journey, answer_consultation


@dataclass
class RunResult:
    """What a class run saw."""

    journeys: list[Journey] = field(default_factory=list)
    timings: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0
    exceptions: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> list[str]:
        """Receipt codes shown on confirmation pages: submissions the server said it kept."""
        return [j.receipt_code for j in self.journeys if j.completed and j.receipt_code]

    @property
    def completed(self) -> int:
        return sum(j.completed for j in self.journeys)

    @property
    def errors(self) -> int:
        """HTTP 5xx answers and failed requests."""
        return sum(1 for _m, status, _s in self.timings if status >= 500) + len(self.exceptions)

    def percentile(self, p: float, method: str | None = None) -> float:
        values = sorted(s for m, _st, s in self.timings if method is None or m == method)
        if not values:
            return 0.0
        k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
        return values[k]

    def summary(self, label: str) -> str:
        n = len(self.timings)
        rate = n / self.seconds if self.seconds else 0.0
        return (f"{label}: {len(self.journeys)} pupils, {self.completed} completed, {n} requests in "
                f"{self.seconds:.1f} s ({rate:.0f}/s); p50 {self.percentile(50) * 1000:.0f} ms, "
                f"p95 {self.percentile(95) * 1000:.0f} ms, p95 POST {self.percentile(95, 'POST') * 1000:.0f} ms; "
                f"errors {self.errors}; retries {sum(j.retries for j in self.journeys)}")


def receipt_hash(code: str) -> str:
    """Return the stored hash of a receipt code (consult.data.users.hash_token of the normal form)."""
    return hashlib.sha256(code.encode()).hexdigest()


def pupil_text(i: int) -> Callable:
    """Return a text generator whose answers carry the pupil's number, to find them afterwards."""
    def text(_field) -> str:  # type: ignore[no-untyped-def]
        return f"Pupil {i}: more clubs after school and a safe path to the park."
    return text


def run_class(base: str, slug: str, pupils: int, *, concurrency: int | None = None, seed: int = 7,
              retries: int = 0, deadline_s: float = 600, think_s: float = 0.0, ramp_s: float = 0.0,
              on_progress: Callable[[int], None] | None = None) -> RunResult:
    """Have `pupils` simulated pupils answer at once (at most `concurrency` at a time); bounded by deadline_s."""
    result = RunResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s
    done = [0]

    def one(i: int) -> None:
        if time.monotonic() > stop_at:
            return
        browser = HttpBrowser(base)
        rng = random.Random(seed * 100003 + i)
        if ramp_s:
            time.sleep(ramp_s * i / max(1, pupils))
        think = (lambda: time.sleep(rng.uniform(0.5, 1.5) * think_s)) if think_s else None
        try:
            journey = answer_consultation(browser, f"{base}/c/{slug}/", rng=rng, text=pupil_text(i),
                                          retries=retries, max_steps=80, think=think)
        except Exception as exc:  # a failed pupil is counted, never hides the others
            with lock:
                result.exceptions.append(f"{type(exc).__name__}: {exc}")
            return
        finally:
            browser.close()
        with lock:
            result.journeys.append(journey)
            result.timings.extend(browser.timings)
            done[0] += 1
            if on_progress:
                on_progress(done[0])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency or pupils) as pool:
        list(pool.map(one, range(pupils)))
    result.seconds = time.perf_counter() - started
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
