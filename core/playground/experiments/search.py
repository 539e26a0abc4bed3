"""The architecture search: several hidden-layer shapes trained alike, ranked by their score on a
validation split of the training points (holdout.py: choosing by the test score would tune on the
test set); the test set only gives the winner's final report."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from core.data import expand_features, parse_layer_sizes
from core.playground.config import MAX_HIDDEN_LAYERS, MAX_NEURONS, PlaygroundConfig
from core.playground.experiments.timing import MAX_RACE_EPOCHS, time_budget, train_until
from core.playground.holdout import validation_view
from core.playground.session import PlaygroundSession

MAX_CANDIDATES = 16
DEFAULT_CANDIDATES = ((2,), (4,), (8,), (4, 4), (8, 8), (16, 16))


@dataclass
class SearchRow:
    """One architecture's line of the results table."""

    hidden: tuple
    parameters: int
    epochs: int
    val_loss: float  # on the validation split: what the ranking uses
    val_metric: float
    train_metric: float
    test_metric: float  # on the test set: reported for the winner only, never used to rank
    seconds: float
    finished: bool
    note: str = ""


def parse_candidates(text: str) -> list[tuple]:
    """'4; 8; 8,8; 16,16' -> [(4,), (8,), (8, 8), (16, 16)]: architectures separated by ';' or
    new lines, each read by `core.data.parse_layer_sizes` ('0' or 'none' is no hidden layer)."""
    candidates = []
    for item in str(text).replace("\n", ";").split(";"):
        if not item.strip():
            continue
        hidden = parse_layer_sizes(
            item.strip(), max_layers=MAX_HIDDEN_LAYERS, max_width=MAX_NEURONS, what="hidden layer"
        )
        if hidden not in candidates:
            candidates.append(hidden)
    if not candidates:
        raise ValueError("give at least one architecture, e.g. 4; 8; 8,8")
    if len(candidates) > MAX_CANDIDATES:
        raise ValueError(f"at most {MAX_CANDIDATES} architectures per search; got {len(candidates)}")
    return candidates


def architecture_search(
    config: PlaygroundConfig,
    dataset,
    candidates,
    epochs: int = 150,
    time_budget_s: float = 10.0,
    data_token=None,
) -> list[SearchRow]:
    """Train each hidden-layer shape (same activation, data, hyperparameters and seed) for up to
    `epochs` epochs and an equal share of the time budget, on 80 % of the training points. Rows
    sorted best first by the other 20 % (validation accuracy or R², then validation loss)."""
    candidates = [tuple(c) for c in candidates]
    if not candidates or len(candidates) > MAX_CANDIDATES:
        raise ValueError(f"give 1 to {MAX_CANDIDATES} architectures")
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    share = time_budget(time_budget_s) / len(candidates)
    activation = config.activations[0] if config.activations else "tanh"
    watched = validation_view(dataset, config.seed)
    rows = []
    for hidden in candidates:
        candidate = replace(
            config, hidden=hidden, activations=(activation,) * len(hidden), early_stopping=False
        )
        started = time.perf_counter()
        session = PlaygroundSession(candidate, watched, (data_token, "validation view"))
        train_until(session, epochs, started + share)
        latest = session.latest
        test_metric = math.nan  # clicked points have no test set (every one trains)
        if dataset.n_test:
            X_test = expand_features(dataset.X_test, candidate.features)
            test_metric = session.trainer.evaluate(X_test, dataset.y_test)[1]
        note = "diverged" if session.diverged else ("" if session.epoch >= epochs else "time up")
        rows.append(
            SearchRow(
                hidden=hidden,
                parameters=int(session.network.n_params),
                epochs=session.epoch,
                val_loss=float(latest.test_loss),  # the session's held-out part is the validation split
                val_metric=float(latest.test_metric),
                train_metric=float(latest.train_metric),
                test_metric=float(test_metric),
                seconds=time.perf_counter() - started,
                finished=session.epoch >= epochs,
                note=note,
            )
        )
    # NaN (a diverged run) sorts last on both keys.
    rows.sort(key=lambda r: (-np.nan_to_num(r.val_metric, nan=-1e9), np.nan_to_num(r.val_loss, nan=1e9)))
    return rows
