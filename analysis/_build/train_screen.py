"""Train the safeguarding screen model on the corpus's train split and write data/safeguarding/model_en.npz and model_ml.npz.

Usage: python analysis/_build/train_screen.py
Run it after changing the corpus (tests/analysis/test_screen_corpus.py fails while the shipped model was
trained on other data). Then `python bench/screen_quality.py --tune` to choose thresholds by CV on train.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analysis._build import nhs_fft  # noqa: E402
from analysis.screen_model import MODEL_ML_PATH, MODEL_PATH, Screeners, split_corpus  # noqa: E402


def main() -> None:
    if not nhs_fft.available():
        sys.exit(f"needs the NHS FFT comments in place at {nhs_fft.FFT} (the English model learns real everyday "
                 "comments as negatives; see analysis/_build/nhs_fft.py)")
    train, test = split_corpus()
    extra = nhs_fft.training_negatives()
    t0 = time.perf_counter()
    Screeners.train(train, extra).save()
    print(f"trained on {len(train)} rows and {len(extra)} NHS FFT comments (test split {len(test)} left out) "
          f"in {time.perf_counter() - t0:.1f} s "
          f"-> {MODEL_PATH.name} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB), "
          f"{MODEL_ML_PATH.name} ({MODEL_ML_PATH.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
