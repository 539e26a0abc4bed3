"""The time budget every experiment shares: one request must end in seconds, whatever the network."""

from __future__ import annotations

import math
import time

from core.playground.session import PlaygroundSession

MAX_TIME_BUDGET_S = 30.0
MAX_RACE_EPOCHS = 5000
SLICE_MS = 20.0  # racers take turns in slices this long


def time_budget(seconds: float) -> float:
    """The budget asked for, at most MAX_TIME_BUDGET_S; refuses zero, negative or NaN."""
    seconds = float(seconds)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"the time budget must be a positive number of seconds; got {seconds!r}")
    return min(seconds, MAX_TIME_BUDGET_S)


def train_until(session: PlaygroundSession, epochs: int, deadline: float) -> None:
    """Train `session` up to `epochs` epochs or the deadline (a time.perf_counter() value),
    whichever comes first."""
    while session.epoch < epochs and not session.stopped:
        left_ms = (deadline - time.perf_counter()) * 1000.0
        if left_ms <= 0:
            break
        # Slices of at most 200 ms: the deadline is checked between them.
        session.train(min(left_ms, 200.0), max_epochs=epochs - session.epoch)
