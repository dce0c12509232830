"""End-to-end throughput of the analysis library: redact + screen + theme + trace.

Usage: python bench/analysis_throughput.py [N] [LABELLED]   (default 100,000 generated answers, 2,000 labelled)

Prints answers/second/core and peak memory; asserts nothing. Runs on one process (one core).
First the steps one after another (redact_many, screen_many, Themer.predict, trace: each tokenises
again), then ``analyse_many`` (one spaCy pass shared by all steps; identical results), which is the
figure that counts for the steps. Last, in a fresh process (its own peak memory), the front door
``analyse_consultation`` learning from LABELLED reviewed answers: the end-to-end figure.
"""

from __future__ import annotations

import os

# One core: keep BLAS and OpenMP from spinning extra threads (they inflate CPU time, not throughput).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import (  # noqa: E402
    Priority,
    Themer,
    analyse_consultation,
    analyse_many,
    load_default_codebook,
    redact_many,
    screen_many,
    trace,
)

warnings.filterwarnings("ignore")

OPENERS = ["I think", "We need", "It would be good to have", "My mum says", "Please", "I don't like that", "I love"]
TOPICS = [
    "more parks and places to play", "cheaper buses into town", "help with my mental health", "less bullying at school",
    "a youth club that is open at weekends", "money for food and heating", "shorter waits for CAMHS",
    "support for young carers like me", "safe places to go at night", "teachers who listen to us",
    "better housing with no damp", "free activities in the holidays", "help for my brother who has autism",
]
TAILS = ["", " because there is nothing to do", ". Jack said the same", ", call me on 07700 900123", " in Glasgow",
         ". My dad hits me sometimes", " and I feel safe at home", " at Oakwood Primary"]


ADJECTIVES = ["better", "more", "cheaper", "safer", "closer", "bigger", "quieter", "friendlier", "newer", "cleaner",
              "kinder", "longer", "free", "local", "open", "warm", "fun", "proper", "nice", "real"]
NOUNS = ["clubs", "parks", "buses", "teachers", "doctors", "lunches", "libraries", "pitches", "toilets", "shops",
         "streets", "lights", "benches", "classes", "trips", "games", "nurses", "workers", "homes", "places",
         "paths", "swings", "bikes", "counsellors", "breakfasts", "uniforms", "phones", "trains", "pools", "halls"]


def generate(n: int, seed: int = 0) -> list[str]:
    """Answers made from parts; nearly every one is different, as in a real consultation."""
    rng = random.Random(seed)
    return [f"{rng.choice(OPENERS)} {rng.choice(TOPICS)}{rng.choice(TAILS)}{rng.choice(TAILS)}"
            f"{rng.choice(['', ' and ', ', also ', '. We want '])}{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            for _ in range(n)]


PRIORITIES = [
    Priority("mh", "Improve mental health and wellbeing", "Earlier help and shorter waits"),
    Priority("pov", "Reduce child poverty", "Help families with money, food and fuel"),
    Priority("play", "More places to play and things to do", "Parks, youth clubs and activities"),
    Priority("safe", "Keep children safe", "Protect children from harm, abuse and neglect"),
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_labelled = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    texts = generate(n)
    print(f"answers: {n} ({len(set(texts)):,} different)")
    priorities = PRIORITIES
    themer = Themer(load_default_codebook())
    warm = texts[:200]
    trace(themer.predict([r.text for r in redact_many(warm)]) and warm, priorities)
    analyse_many(warm, themer=themer, priorities=priorities)
    timings = {}
    t_all = time.perf_counter()
    chunk = 10_000
    flagged = 0
    for start in range(0, n, chunk):
        part = texts[start : start + chunk]
        t = time.perf_counter()
        red = [r.text for r in redact_many(part)]
        timings["redact"] = timings.get("redact", 0) + time.perf_counter() - t
        t = time.perf_counter()
        flagged += sum(s.flag for s in screen_many(part))
        timings["screen"] = timings.get("screen", 0) + time.perf_counter() - t
        t = time.perf_counter()
        themer.predict(red)
        timings["theme"] = timings.get("theme", 0) + time.perf_counter() - t
        t = time.perf_counter()
        trace(red, priorities)
        timings["trace"] = timings.get("trace", 0) + time.perf_counter() - t
    total = time.perf_counter() - t_all
    for k, v in timings.items():
        print(f"step {k}: {v:.1f}s ({n / v:,.0f}/s)")
    print(f"steps_answers_per_second_per_core: {n / total:,.0f}")

    t_all = time.perf_counter()
    cpu0 = time.process_time()
    flagged_once = 0
    for start in range(0, n, chunk):
        res = analyse_many(texts[start : start + chunk], themer=themer, priorities=priorities)
        flagged_once += sum(r.screening.flag for r in res)
    total_once = time.perf_counter() - t_all
    cpu_once = time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"answers: {n}")
    print(f"analyse_many total: {total_once:.1f}s")
    print(f"answers_per_second_per_core: {n / total_once:,.0f} (wall clock)")
    print(f"answers_per_cpu_second: {n / cpu_once:,.0f} (process CPU time; steadier on a busy machine)")
    print(f"peak_memory_mb: {peak_mb:,.0f}")
    print(f"flagged: {flagged} (steps) {flagged_once} (analyse_many)")

    # The front door in a fresh process, so its peak memory is its own and not the steps' above.
    import subprocess

    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, str(n), str(n_labelled), "--front-door"], check=True)


def front_door(n: int, n_labelled: int) -> None:
    """The front door, as the app calls it: everything in one pass, learning from n_labelled reviewed answers
    (their codes here are the zero-shot themes, standing in for a planner's)."""
    texts = generate(n)
    priorities = PRIORITIES
    cb = load_default_codebook()
    analyse_consultation(texts[:200], cb, priorities, {})  # load the models and word lists first
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    zero = Themer(cb).predict(texts[:n_labelled])
    reviewed = {i: a.themes for i, a in enumerate(zero)}
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    res = analyse_consultation(texts, cb, priorities, reviewed)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"analyse_consultation: {n} answers, {res.trained_on} reviewed: {wall:.1f}s wall, {cpu:.1f}s CPU")
    print(f"front_door_answers_per_second_per_core: {n / wall:,.0f} (wall clock), {n / cpu:,.0f} per CPU second")
    print(f"front_door_peak_memory_mb: {peak_mb:,.0f} (after loading the models: {base_mb:,.0f}); "
          f"needs_human {len(res.needs_human)}; emergent {len(res.emergent)}")


if __name__ == "__main__":
    if "--front-door" in sys.argv:
        front_door(int(sys.argv[1]), int(sys.argv[2]))
    else:
        main()
