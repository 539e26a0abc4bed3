"""Is training still working? The checks the live session runs after every slice of training.

The engine's trainer stops by itself only when a loss or a weight becomes NaN or infinite. A
classifier can break down without that: with a learning rate of 10 on moons the first epoch
throws the weights to 10^10, every ReLU of the second layer then outputs 0 for every point, and
the loss stays finite (the sigmoid + cross-entropy head is numerically stable) while the
accuracy sits at 0.5 for ever. So the Playground watches, on real values of the network:

- exploding weights: the largest |w| or |b| over `WEIGHT_LIMIT` (the neuron inspector's range);
- exploding gradients: a layer's gradient norm (`EpochRecord.grad_norms`, measured on the
  epoch's last mini-batch) over `GRADIENT_LIMIT`;
- a loss far above its start: the training loss over `LOSS_RATIO` times the loss before any
  training, for `LOSS_EPOCHS` epochs in a row (one bad epoch at a high rate is not broken);
- a dead layer: every neuron of a ReLU layer outputs exactly 0 on every training point, so no
  gradient flows through the layer and it can never recover;
- a stall: for `STALL_EPOCHS` epochs in a row the gradient of every hidden layer was exactly 0
  while the output layer's was not (a ReLU layer with a unit or two alive on a few points is as
  stuck as a dead one). Only after the hidden layers did learn once since the watch started: a
  network built stuck (zero initialization) is not a run that broke.

Measured on the 8 generated data sets x {relu, leaky_relu, tanh, sigmoid} x {sgd, adam}, 400
epochs each (the default 2-8-8 network): in the runs that learn (sgd up to 0.3, adam up to 0.03)
|w| stays under 30, gradient norms under 14, the loss under 1.6x its start, no layer dies, and
none of these checks fires. Most runs at sgd 3 or 10 or adam 1 trip one (moons with ReLU at 10:
weights of 10^10 and a dead second layer after one epoch; with tanh at 10: the loss over 2x its
start for 8 epochs in a row). Nor do they fire with batches of one point, after 3,000 epochs of
adam at 0.03, or on a zero-initialized network. Moons with ReLU, trained for 0 to 400 epochs and
then switched to a rate of 10: every one of 58 runs pauses within 300 epochs (most on exploding
weights, two on a stall); with tanh, 54 of 58 do (the other 4 still classify 88-93% right). A tanh
layer saturated at +-1 is not reported: well-trained networks saturate too (gaussians, adam 0.03,
2000 epochs: every unit, test accuracy 0.988).

A problem already present when training starts or resumes (a zero-initialized ReLU layer is dead
from the start; a student may press Play again on purpose) is not reported again until it has
gone away and come back: a check says what is new, it does not nag.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from core.engine.network import Network
from core.engine.records import EpochRecord
from core.playground.config import MAX_WEIGHT

WEIGHT_LIMIT = MAX_WEIGHT  # beyond what the inspector lets a student type
GRADIENT_LIMIT = 1000.0
LOSS_RATIO = 2.0
LOSS_EPOCHS = 5
DEAD_ACTIVATIONS = ("relu",)  # outputs exactly 0 for every negative input (leaky ReLU never does)
STALL_EPOCHS = 50
KINDS = ("weights", "gradients", "dead", "stalled", "loss")  # the order problems are reported in


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the run: `kind` (one of KINDS) and a sentence saying what happened."""

    kind: str
    what: str


@dataclass(frozen=True)
class Diagnosis:
    """Why training was paused: a short title, what happened and what to try."""

    title: str
    message: str
    problems: tuple[Problem, ...]


SUPERSCRIPTS = MappingProxyType(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))  # read-only


def readable(value: float) -> str:
    """A number as a student reads it: 1,746.8, or 8.0 × 10¹³ when it is huge."""
    if abs(value) < 1:
        return f"{value:.3g}"
    if abs(value) < 1e6:
        return f"{value:,.1f}"
    exponent = int(np.floor(np.log10(abs(value))))
    return f"{value / 10**exponent:.1f} × 10{str(exponent).translate(SUPERSCRIPTS)}"


def largest_parameter(network: Network) -> float:
    """The largest |weight| or |bias| of the network."""
    return float(np.max(np.abs(network.params)))


def dead_layers(network: Network, X: np.ndarray) -> list[int]:
    """Indices (0 = first hidden layer) of the ReLU layers whose every neuron outputs 0 on every
    row of X."""
    names = network.activation_names
    if not any(name in DEAD_ACTIVATIONS for name in names):
        return []  # no trace needed
    traces = network.trace(X)
    return [
        i
        for i, name in enumerate(names)
        if name in DEAD_ACTIVATIONS and not np.any(traces[i].a > 0)  # ReLU: a >= 0 everywhere
    ]


def weight_problem(network: Network, limit: float = WEIGHT_LIMIT) -> Problem | None:
    largest = largest_parameter(network)
    if largest <= limit:
        return None
    return Problem(
        "weights",
        f"The largest weight is {readable(largest)} (the inspector's range is ±{limit:,.0f}): each "
        "step overshoots so far that the next gradient pushes even harder.",
    )


def gradient_problem(records, limit: float = GRADIENT_LIMIT) -> Problem | None:
    worst = max(((norm, i) for r in records for i, norm in enumerate(r.grad_norms)), default=None)
    if worst is None or worst[0] <= limit:
        return None
    norm, layer = worst
    return Problem(
        "gradients",
        f"The gradient of layer {layer + 1}'s weights reached a length (norm) of {readable(norm)}, "
        f"over {limit:,.0f}: each step throws the weights far away.",
    )


def dead_problem(network: Network, X: np.ndarray) -> Problem | None:
    dead = dead_layers(network, X)
    if not dead:
        return None
    layers = " and ".join(f"hidden layer {i + 1}" for i in dead)
    count = sum(network.layers[i].n_out for i in dead)
    return Problem(
        "dead",
        f"Every ReLU of {layers} is dead ({count} neurons): each outputs 0 for every training "
        "point, so no gradient flows back through the layer and the network can no longer learn "
        "(a step pushed all their inputs below 0; a dead ReLU does not come back by itself).",
    )


def stall_problem(streak: int) -> Problem | None:
    if streak < STALL_EPOCHS:
        return None
    return Problem(
        "stalled",
        f"For {streak} epochs in a row no gradient has reached the hidden layers (their gradients "
        "are exactly 0, only the output layer still learns): almost every hidden neuron passes "
        "nothing back, so the network is stuck where it is.",
    )


def loss_problem(streak: int, loss: float, start: float) -> Problem | None:
    if streak < LOSS_EPOCHS:
        return None
    return Problem(
        "loss",
        f"The training loss reached {loss:.3g}, against {start:.3g} before training, and stayed "
        f"over {LOSS_RATIO:g}x that for {streak} epochs in a row: the steps overshoot the minimum "
        "instead of going down into it.",
    )


def advice(kinds, learning_rate: float) -> str:
    """What to try, for these kinds of problem at this learning rate."""
    lower = f"Lower the learning rate (try {learning_rate / 10:g})"
    if kinds & {"weights", "dead", "stalled"}:
        # Huge weights and dead layers stay broken at any learning rate: start again.
        return f"{lower}, then press ↺ Reset to start again from the initial weights."
    return f"{lower} and press ▶ Play again, or press ↺ Reset to start again from the initial weights."


def diagnose(problems, learning_rate: float) -> Diagnosis | None:
    """The pause message for these problems (None if there are none)."""
    problems = sorted(problems, key=lambda p: KINDS.index(p.kind))
    if not problems:
        return None
    titles = {
        "weights": "the weights are exploding",
        "gradients": "the gradients are exploding",
        "dead": "a layer of ReLUs is dead",
        "stalled": "no gradient reaches the hidden layers",
        "loss": "the loss is far above where it started",
    }
    text = " ".join(p.what for p in problems)
    kinds = {p.kind for p in problems}
    return Diagnosis(
        f"Training paused: {titles[problems[0].kind]}.",
        f"{text} {advice(kinds, learning_rate)}",
        tuple(problems),
    )


class HealthWatch:
    """The checks of one run: call `check` after each slice of training with its records.

    X_train: the training inputs (as the network sees them); start_loss: the training loss
    before any training. Problems present now are taken as known (see the module docstring).
    """

    def __init__(self, network: Network, X_train: np.ndarray, start_loss: float):
        self.network = network
        self.X_train = X_train
        self.start_loss = float(start_loss)
        self.streak = 0  # epochs in a row with the loss over LOSS_RATIO x start_loss
        self.stall = 0  # epochs in a row with no gradient in any hidden layer
        self.hidden_learned = False  # a hidden layer had a gradient since the watch started
        self.known: set[str] = set()
        self.acknowledge()

    def problems(self, records=()) -> list[Problem]:
        """Everything wrong now; `records` are the epochs just trained (for the gradients)."""
        # The longest run of bad epochs in these records, not only the one they end with: a
        # slice of many epochs may hold a run of bad ones and end on a good one.
        longest, worst, stalled = self.streak, self.start_loss, self.stall
        for record in records:
            bad = record.train_loss > LOSS_RATIO * self.start_loss
            self.streak = self.streak + 1 if bad else 0
            if bad and self.streak >= longest:
                longest, worst = self.streak, record.train_loss
            *hidden, output = record.grad_norms
            blocked = bool(hidden) and output > 0 and not any(hidden)
            self.hidden_learned = self.hidden_learned or any(hidden)
            self.stall = self.stall + 1 if blocked else 0
            stalled = max(stalled, self.stall)
        # A ReLU layer dead on every training point passes no gradient to its weights and
        # biases, so its gradient norm is exactly 0 on every batch: only then is the forward pass
        # over the whole training set worth its cost (it would otherwise run on every live update).
        suspect_dead = not records or any(norm == 0 for r in records for norm in r.grad_norms[:-1])
        found = [
            weight_problem(self.network),
            gradient_problem(records),
            dead_problem(self.network, self.X_train) if suspect_dead else None,
            stall_problem(stalled if self.hidden_learned else 0),
            loss_problem(longest, worst, self.start_loss),
        ]
        return [p for p in found if p is not None]

    def check(self, records: list[EpochRecord], learning_rate: float) -> Diagnosis | None:
        """A diagnosis when a new problem appeared in these records (None: carry on)."""
        current = self.problems(records)
        kinds = {p.kind for p in current}
        self.known &= kinds  # a problem that went away will be reported if it comes back
        if kinds <= self.known:
            return None
        self.known |= kinds
        return diagnose(current, learning_rate)

    def acknowledge(self) -> None:
        """Training (re)starts as it is: what is wrong now is known and will not pause it again."""
        self.known = {p.kind for p in self.problems()}
