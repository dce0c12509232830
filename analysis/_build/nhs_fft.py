"""Real everyday comments as negatives for the English screen: the NHS Friends and Family Test comments in
``../shared/data/nhs-fft-phase1`` (adult health feedback, open data), read in place and never copied.

Half of the comments (by a salted SHA-256 of their row index, fixed before any training) train the English
model's "a lead must see this" column as negatives; the other half is held out, and the quality bench reports
its flag rate. A comment in which the English rules find any trigger is left out of the training half (an
adult may write "I came into hospital suicidal": that is not a safe answer to learn from). Only the corpus's
own vocabulary is used: the comments' words that the corpus never saw add no feature, so the shipped artefact
holds no word of them, only weights.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

FFT = Path(__file__).resolve().parents[3] / "shared" / "data" / "nhs-fft-phase1" / "text_data.csv"


def rows() -> list[tuple[str, str]]:
    with FFT.open(encoding="utf-8") as fh:
        return [(r.get("row_index") or str(i), r["feedback"]) for i, r in enumerate(csv.DictReader(fh))
                if (r.get("feedback") or "").strip()]


def in_training_half(row_index: str) -> bool:
    return int(hashlib.sha256(f"guth-fft-v1:{row_index}".encode()).hexdigest()[:8], 16) % 2 == 0


def available() -> bool:
    return FFT.is_file()


def training_negatives() -> list[str]:
    """The training half, less every comment the English rules find a trigger in."""
    from analysis.screen_rules import rule_screen

    out = []
    for idx, text in rows():
        if in_training_half(idx):
            rs = rule_screen(text)
            if not (rs.triggers or rs.set_aside):
                out.append(text)
    return out


def held_out() -> list[str]:
    """The half no model is trained on: its flag rate is a false-alarm rate on real words."""
    return [text for idx, text in rows() if not in_training_half(idx)]
