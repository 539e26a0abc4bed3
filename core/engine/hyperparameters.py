"""The trainer's hyperparameters: the settings a page may change between two calls, and their rules.

`Hyperparameters.with_changes(...)` checks every changed value and returns a new set, so a
rejected change (a ValueError naming the setting) leaves the trainer's settings as they were.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from core.engine.checks import check_fraction, check_learning_rate, check_positive_int, check_range
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import validate_schedule

MAX_DROPOUT = 0.95  # dropping more than 95% of a layer's units leaves almost nothing to learn from
MAX_PENALTY = 10.0  # l1 / l2 above this crush every weight to zero


@dataclass(frozen=True)
class Hyperparameters:
    learning_rate: float = 0.01  # the base rate; the schedule derives each epoch's rate from it
    optimizer: str = "adam"  # a name of optimizers.OPTIMIZERS
    batch_size: int = 32  # samples per mini-batch (one optimizer update each)
    l1: float = 0.0  # penalty l1 * sum |w| on weights (not biases)
    l2: float = 0.0  # penalty l2/2 * sum w^2 on weights (not biases)
    dropout: float = 0.0  # probability of dropping each hidden unit during training
    schedule: str = "constant"  # a name of schedules.SCHEDULES
    schedule_options: dict = field(default_factory=dict)
    optimizer_options: dict = field(default_factory=dict)  # e.g. {"beta1": 0.8} for Adam

    def with_changes(self, **changes) -> Hyperparameters:
        """A copy with `changes` applied, each one checked (unknown names are refused too)."""
        unknown = set(changes) - set(self.__dataclass_fields__)
        if unknown:
            raise ValueError(
                f"unknown hyperparameter(s) {sorted(unknown)}; allowed: {sorted(self.__dataclass_fields__)}"
            )
        checked = {}
        if "learning_rate" in changes:
            checked["learning_rate"] = check_learning_rate(changes["learning_rate"])
        if "batch_size" in changes:
            checked["batch_size"] = check_positive_int("batch_size", changes["batch_size"])
        for name in ("l1", "l2"):
            if name in changes:
                checked[name] = check_range(name, changes[name], MAX_PENALTY)
        if "dropout" in changes:
            checked["dropout"] = check_fraction("dropout", changes["dropout"], 0.0, MAX_DROPOUT)
        if "schedule" in changes or "schedule_options" in changes:
            name = changes.get("schedule", self.schedule)
            options = dict(changes.get("schedule_options", self.schedule_options))
            validate_schedule(name, options)
            checked["schedule"], checked["schedule_options"] = name, options
        if "optimizer" in changes or "optimizer_options" in changes:
            name = changes.get("optimizer", self.optimizer)
            if name not in OPTIMIZERS:
                raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}; got {name!r}")
            checked["optimizer"] = name
            checked["optimizer_options"] = dict(changes.get("optimizer_options", self.optimizer_options))
        return dataclasses.replace(self, **checked)
