"""The six engine optimizers side by side on one 2-D surface, with their state at every step.

Each optimizer is the engine's own class (core/engine/optimizers.py) updating a 2-vector
parameter; its state is read through the public `state_arrays()` (velocity for Momentum and
Nesterov, the sum or running mean of g^2 for AdaGrad and RMSProp, m and v for Adam). The
bias-corrected m-hat = m / (1 - b1^t) and v-hat = v / (1 - b2^t) are derived here for display.

Adam's first step: m1 = (1 - b1) g and v1 = (1 - b2) g^2, so m-hat = g and v-hat = g^2 and the
step is lr g / (|g| + eps), i.e. about lr * sign(g) for every weight, whatever the size of g.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.optimizers import OPTIMIZERS
from core.lesson.descent import Surface

# The hyperparameters the page shows and lets a student edit, with the lesson's defaults.
HYPERPARAMETERS = {
    "sgd": {"learning_rate": 0.05},
    "momentum": {"learning_rate": 0.05, "momentum": 0.9},
    "nesterov": {"learning_rate": 0.05, "momentum": 0.9},
    "adagrad": {"learning_rate": 0.5, "epsilon": 1e-8},
    "rmsprop": {"learning_rate": 0.05, "rho": 0.9, "epsilon": 1e-8},
    "adam": {"learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
STATE_NAMES = {  # names of state_arrays(), in order
    "sgd": (),
    "momentum": ("velocity v",),
    "nesterov": ("velocity v",),
    "adagrad": ("G = sum of g²",),
    "rmsprop": ("s = running mean of g²",),
    "adam": ("m", "v"),
}


@dataclass(frozen=True)
class OptimizerRun:
    name: str
    hyperparameters: dict
    points: np.ndarray  # (steps + 1, 2)
    losses: np.ndarray  # (steps + 1,)
    gradients: np.ndarray  # (steps, 2): the gradient each update used
    states: list  # per step: {state name: 2-vector after that update}


def make_lesson_optimizer(name: str, hyperparameters: dict):
    """The engine's optimizer class `name` with these hyperparameters (ValueError if bad)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}; got {name!r}")
    options = dict(hyperparameters)
    return OPTIMIZERS[name](options.pop("learning_rate"), **options)


def _state_after(name: str, optimizer) -> dict:
    arrays = [np.array(a, dtype=np.float64) for a in optimizer.state_arrays()]
    state = dict(zip(STATE_NAMES[name], arrays))
    if name == "adam":
        t = optimizer.n_updates
        state["m-hat = m / (1 - β1^t)"] = state["m"] / (1 - optimizer.beta1**t)
        state["v-hat = v / (1 - β2^t)"] = state["v"] / (1 - optimizer.beta2**t)
    return state


def run_optimizer(surface: Surface, name: str, hyperparameters: dict, steps: int) -> OptimizerRun:
    optimizer = make_lesson_optimizer(name, hyperparameters)
    p = np.array(surface.start, dtype=np.float64)
    points, losses, gradients, states = [p.copy()], [surface.loss(p)], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            g = surface.gradient(p)
            optimizer.update([p], [g])
            gradients.append(g)
            states.append(_state_after(name, optimizer))
            points.append(p.copy())
            losses.append(surface.loss(p))
    return OptimizerRun(
        name, dict(hyperparameters), np.array(points), np.array(losses), np.array(gradients), states
    )


def race(surface: Surface, settings: dict, steps: int) -> list[OptimizerRun]:
    """One run per optimizer in `settings` ({name: hyperparameters}), same start, same surface."""
    return [run_optimizer(surface, name, hyper, steps) for name, hyper in settings.items()]
