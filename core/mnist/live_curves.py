"""The MNIST page's live curves as compact numbers for the browser to draw.

While training plays, the page sends these few hundred numbers on every slice and a small canvas
component draws them (app_pages/mnist_parts/live_curves.js): two Plotly figures rebuilt and
re-rendered on every slice stalled the browser for seconds. Values are rounded to 4 significant
digits, which no curve a learner reads can tell apart, and keep the message small.
"""

from __future__ import annotations

import math

import numpy as np

from core.mnist.run import ImageTrainingRun

LIVE_BATCH_POINTS = 300  # mini-batch losses drawn while playing (the paused chart shows 500)
SIGNIFICANT_DIGITS = 4


def _rounded(values) -> list[float | None]:
    """Finite values to 4 significant digits; NaN, infinity or None -> None (a gap in the line)."""
    array = np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    finite = np.isfinite(array)
    out: list[float | None] = [None] * len(array)
    for i in np.flatnonzero(finite):
        out[i] = float(f"{array[i]:.{SIGNIFICANT_DIGITS}g}")
    return out


def live_curve_data(run: ImageTrainingRun, playing: bool, max_points: int = LIVE_BATCH_POINTS) -> dict:
    """What the live canvas needs: the thinned mini-batch losses against the fractional epoch,
    the per-epoch train and validation loss and accuracy, and how many epochs the run asks for
    (the x axis of the epoch curves spans them all from the start, so it never rescales)."""
    x, y = run.batch_loss_curve(max_points)
    history = run.history
    has_val = bool(history) and history[0].val_loss is not None
    return {
        "playing": bool(playing),
        "epochs_total": int(run.config.epochs),
        "batch": {"x": _rounded(x), "y": _rounded(y)},
        "epoch": {
            "x": [int(r.epoch) for r in history],
            "train_loss": _rounded(r.train_loss for r in history),
            "val_loss": _rounded(r.val_loss for r in history) if has_val else [],
            "train_acc": _rounded(r.train_metric for r in history),
            "val_acc": _rounded(r.val_metric for r in history) if has_val else [],
        },
    }
