"""The lesson network: a tiny float64 softmax classifier, its layer sizes and its one sample.

Small enough to print every weight: at most 6 neurons per layer and 1 to 3 hidden layers.
Everything is float64: the lesson shows many digits and the gradient check needs them.
"""

from __future__ import annotations

import numpy as np

from core.data.layer_sizes import parse_layer_sizes
from core.engine.network import Network

DTYPE = np.float64
MAX_LESSON_WIDTH = 6  # wider layers make matrices too big to read on one screen
MAX_LESSON_LAYERS = 5  # input + up to 3 hidden + output
DEFAULT_LAYER_SIZES = (3, 4, 3)


def parse_lesson_sizes(text) -> tuple[int, ...]:
    """'3-4-3' (or '3, 4, 3') -> (3, 4, 3): inputs, 1 to 3 hidden layers and the classes,
    each small enough to show every number. Read by the project's one layer parser
    (core.data.parse_layer_sizes); raises its DataError (a ValueError) with a clear message."""
    sizes = parse_layer_sizes(text, max_width=MAX_LESSON_WIDTH, what="layer", example="3-4-3")
    if not 3 <= len(sizes) <= MAX_LESSON_LAYERS:
        raise ValueError(
            "give inputs, 1 to 3 hidden layers and the classes, e.g. 3-4-3 or 2-3-3-2; "
            f"got {len(sizes)} number(s)"
        )
    if sizes[-1] < 2:
        raise ValueError("a softmax output needs at least 2 classes (the last number)")
    return sizes


def lesson_network(layer_sizes, activation: str = "relu", init: str = "he", seed: int = 0) -> Network:
    """The small classifier the page dissects: softmax + cross-entropy head, float64."""
    return Network(list(layer_sizes), activation, output="softmax_ce", init=init, rng=int(seed), dtype=DTYPE)


def lesson_sample(net: Network, seed: int = 0, tries: int = 20) -> np.ndarray:
    """One input row x, shape (1, n_inputs), with one decimal per feature so it reads easily.

    Of `tries` seeded draws, keeps the first that switches on the most hidden neurons (f(z) != 0),
    so the backward pass has gradients to show: a ReLU that is off passes none back.
    """
    rng = np.random.default_rng([int(seed), 7])  # a stream apart from the one for the weights
    n_hidden = sum(net.layer_sizes[1:-1])
    best, best_active = None, -1
    for _ in range(tries):
        x = np.round(rng.uniform(-2, 2, (1, net.n_inputs)), 1)
        active = sum(int(np.count_nonzero(tr.a)) for tr in net.trace(x)[:-1])
        if active > best_active:
            best, best_active = x, active
        if best_active == n_hidden:
            break
    return best
