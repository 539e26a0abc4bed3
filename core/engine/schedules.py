"""Learning-rate schedules: the learning rate to use in a given epoch (epochs count from 0).

constant     lr
step         lr * gamma^floor(epoch / step_size)
exponential  lr * gamma^epoch
cosine       lr_min + (lr - lr_min) (1 + cos(pi * min(epoch, T) / T)) / 2
             with restart=True the epoch counts from 0 again every T epochs ("warm restarts"), so
             the rate never stays at lr_min: it falls over T epochs, then jumps back to lr
"""

from __future__ import annotations

import math

from core.engine.checks import is_real_number


def _positive(name, value, integer=False):
    ok = (
        is_real_number(value)
        and math.isfinite(value)
        and value > 0
        and (not integer or float(value).is_integer())
    )
    if not ok:
        kind = "a positive integer" if integer else "a positive number"
        raise ValueError(f"{name} must be {kind}; got {value!r}")
    return value


def constant(base_lr: float, epoch: int) -> float:
    return base_lr


def step_decay(base_lr: float, epoch: int, step_size: int = 50, gamma: float = 0.5) -> float:
    return base_lr * gamma ** (epoch // step_size)


def exponential(base_lr: float, epoch: int, gamma: float = 0.99) -> float:
    return base_lr * gamma**epoch


def cosine(
    base_lr: float, epoch: int, period: int = 200, min_lr: float = 0.0, restart: bool = False
) -> float:
    progress = (epoch % period if restart else min(epoch, period)) / period
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


SCHEDULES = {"constant": constant, "step": step_decay, "exponential": exponential, "cosine": cosine}


def validate_schedule(name: str, options: dict) -> None:
    if name not in SCHEDULES:
        raise ValueError(f"schedule must be one of {sorted(SCHEDULES)}; got {name!r}")
    allowed = {
        "constant": set(),
        "step": {"step_size", "gamma"},
        "exponential": {"gamma"},
        "cosine": {"period", "min_lr", "restart"},
    }[name]
    unknown = set(options) - allowed
    if unknown:
        raise ValueError(f"schedule {name!r} accepts options {sorted(allowed)}; got {sorted(unknown)}")
    if "step_size" in options:
        _positive("step_size", options["step_size"], integer=True)
    if "period" in options:
        _positive("period", options["period"], integer=True)
    if "gamma" in options:
        gamma = options["gamma"]
        if not is_real_number(gamma) or not 0 < gamma <= 1:
            raise ValueError(f"gamma must be a number in (0, 1]; got {gamma!r}")
    if "restart" in options and not isinstance(options["restart"], bool):
        raise ValueError(f"restart must be True or False; got {options['restart']!r}")
    if "min_lr" in options and not (is_real_number(options["min_lr"]) and options["min_lr"] >= 0):
        raise ValueError(f"min_lr must be a number >= 0; got {options['min_lr']!r}")


def learning_rate_at(name: str, base_lr: float, epoch: int, **options) -> float:
    return SCHEDULES[name](base_lr, epoch, **options)
