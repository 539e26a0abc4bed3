"""The optimizer race: the same data and starting weights trained with several optimizers at once."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from core.playground.config import PlaygroundConfig
from core.playground.experiments.timing import MAX_RACE_EPOCHS, SLICE_MS, time_budget
from core.playground.session import PlaygroundSession


@dataclass
class RaceResult:
    """One racer's loss curves (train and test, per recorded epoch) and where it finished."""

    name: str
    learning_rate: float
    epochs: list
    train_loss: list
    test_loss: list
    test_metric: float
    seconds: float
    stop_reason: str | None = None


def optimizer_race(
    config: PlaygroundConfig,
    dataset,
    optimizers,
    epochs: int = 200,
    time_budget_s: float = 8.0,
    learning_rates: dict | None = None,
    data_token=None,
) -> list[RaceResult]:
    """Train one network per optimizer from the same seeded starting weights on the same data.

    learning_rates: optional per-optimizer learning rate (default: the config's for all)."""
    optimizers = list(dict.fromkeys(optimizers))
    if not optimizers:
        raise ValueError("choose at least one optimizer for the race")
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    deadline = time.perf_counter() + time_budget(time_budget_s)
    learning_rates = learning_rates or {}
    racers = []
    for name in optimizers:
        racer_config = replace(
            config,
            optimizer=name,
            early_stopping=False,
            learning_rate=learning_rates.get(name, config.learning_rate),
        )
        racers.append(PlaygroundSession(racer_config, dataset, data_token))
    seconds = [0.0] * len(racers)
    # Round robin in short slices: every optimizer gets the same share of the budget, and if
    # time runs out they have all progressed about as far.
    while time.perf_counter() < deadline:
        active = [k for k, r in enumerate(racers) if r.epoch < epochs and not r.stopped]
        if not active:
            break
        for k in active:
            started = time.perf_counter()
            racers[k].train(SLICE_MS, max_epochs=epochs - racers[k].epoch)
            seconds[k] += time.perf_counter() - started
    results = []
    for racer, spent in zip(racers, seconds):
        curves = racer.curves.arrays(max_points=600)
        results.append(
            RaceResult(
                name=racer.config.optimizer,
                learning_rate=racer.config.learning_rate,
                epochs=curves["epoch"].tolist(),
                train_loss=curves["train_loss"].tolist(),
                test_loss=curves["test_loss"].tolist(),
                test_metric=float(racer.latest.test_metric),
                seconds=spent,
                stop_reason=racer.stop_reason,
            )
        )
    return results
