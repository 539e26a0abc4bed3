"""The decision boundary over training: a fresh network trained from the page's starting weights,
its boundary recorded every few epochs. Only the data; core/figures/training_gif.py draws it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from core.data import Dataset2D
from core.playground.config import PlaygroundConfig
from core.playground.experiments.timing import MAX_RACE_EPOCHS, time_budget, train_until
from core.playground.session import Boundary, PlaygroundSession

MAX_GIF_FRAMES = 120


@dataclass
class BoundaryFrames:
    """The frames of a training: frame k is `boundaries[k]`, after `epochs[k]` epochs, when the
    test loss was `test_losses[k]`. The data set and the config's `discretize` travel along, so
    whoever draws the frames draws the same points and colours as the page."""

    boundaries: list[Boundary]
    epochs: list[int]
    test_losses: list[float]
    dataset: Dataset2D
    discretize: bool
    seconds: float  # training and evaluation time


def boundary_frames(
    config: PlaygroundConfig,
    dataset: Dataset2D,
    epochs: int = 300,
    frames: int = 30,
    time_budget_s: float = 10.0,
    resolution: int = 60,
    data_token=None,
) -> BoundaryFrames:
    """Train a fresh network of this config (the same starting weights as the page after Reset)
    and record its decision boundary at epoch 0 and every epochs/(frames - 1) epochs after,
    until `epochs`, `frames` frames, a stop or the time budget."""
    started = time.perf_counter()
    deadline = started + time_budget(time_budget_s)
    frames = max(2, min(int(frames), MAX_GIF_FRAMES))
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    session = PlaygroundSession(replace(config, early_stopping=False), dataset, data_token)
    per_frame = max(1, math.ceil(epochs / (frames - 1)))
    recording = BoundaryFrames([], [], [], dataset, config.discretize, 0.0)
    while True:
        recording.boundaries.append(session.boundary(resolution))
        recording.epochs.append(session.epoch)
        recording.test_losses.append(float(session.latest.test_loss))
        if (
            session.epoch >= epochs
            or session.stopped
            or len(recording.boundaries) >= frames
            or time.perf_counter() >= deadline
        ):
            break
        train_until(session, min(epochs, session.epoch + per_frame), deadline)
    recording.seconds = time.perf_counter() - started
    return recording
