"""How big a Playground network may be: a cost model of one point's forward pass, fitted to timings,
that keeps the live boundary grid under 2 ms and one student from starving a class.
"""

from __future__ import annotations

import math

from core.playground.config import GRID_SIZE

# Cost model of one point's forward pass (`forward_cost`), in multiply-add equivalents: the
# multiply-adds, plus ELEMENTWISE_COST per neuron (bias add and activation), plus LAYER_COST per
# layer (the fixed cost of its NumPy calls, spread over a 100 x 100 grid). Fitted to grid
# timings of very different shapes (one layer of 256 .. eight layers of 19): ~0.29 us per unit
# for 10,000 points on one core, at worst.
ELEMENTWISE_COST = 20
LAYER_COST = 300

# The largest network the Playground allows, in that model. Chosen so that the full 100 x 100
# boundary grid of any allowed network evaluates in < 2 ms on one core (measured by
# `python -m benchmarks.playground_grid`), and so that one student's training cannot starve a
# class. Examples that fit (2 features): 1 layer of 256 neurons, 2 x 48, 3 x 32, 8 x 14 (TF
# Playground's largest: 6 x 8). Bigger networks belong on the MNIST page.
MAX_NETWORK_COST = 6_600.0

# Work budget of one grid evaluation while training is live. Every allowed network fits it at
# 100 x 100; the coarser live grid (never below MIN_LIVE_GRID) only guards against a network
# built outside the page's validation.
LIVE_GRID_BUDGET = GRID_SIZE * GRID_SIZE * MAX_NETWORK_COST
MIN_LIVE_GRID = 20


def network_cost(n_inputs: int, hidden, n_outputs: int = 1) -> float:
    """Work of one point's forward pass through [n_inputs, *hidden, n_outputs] (`forward_cost`)."""
    return forward_cost([n_inputs, *hidden, n_outputs])


def fit_network_budget(
    n_inputs: int, hidden, n_outputs: int = 1, changed=(), budget: float = MAX_NETWORK_COST
) -> tuple:
    """Hidden-layer widths that fit the Playground's network budget (`MAX_NETWORK_COST`).

    Unchanged if they fit. Otherwise the layers in `changed` (the ones the student just edited
    or added) are narrowed first, each to the widest width that fits with the others as they
    are; if that is not enough (or nothing was named), every layer is scaled down by the same
    factor, so the network keeps its shape.
    """
    hidden = [int(h) for h in hidden]
    if network_cost(n_inputs, hidden, n_outputs) <= budget:
        return tuple(hidden)
    for i in sorted(set(changed), reverse=True):
        if 0 <= i < len(hidden):
            # cost is linear in one layer's width w: cost(w) = rest + w * per_unit
            rest = network_cost(n_inputs, hidden[:i] + [0] + hidden[i + 1 :], n_outputs)
            before = n_inputs if i == 0 else hidden[i - 1]
            after = n_outputs if i == len(hidden) - 1 else hidden[i + 1]
            per_unit = before + after + ELEMENTWISE_COST
            hidden[i] = max(1, min(hidden[i], int((budget - rest) // per_unit)))
            if network_cost(n_inputs, hidden, n_outputs) <= budget:
                return tuple(hidden)
    low, high = 0.0, 1.0  # largest common factor that fits (bisection)
    for _ in range(30):
        middle = (low + high) / 2
        trial = [max(1, int(h * middle)) for h in hidden]
        low, high = (middle, high) if network_cost(n_inputs, trial, n_outputs) <= budget else (low, middle)
    return tuple(max(1, int(h * low)) for h in hidden)


def forward_cost(layer_sizes) -> float:
    """Approximate work of one forward pass per point (see ELEMENTWISE_COST, LAYER_COST)."""
    sizes = list(layer_sizes)
    return float(
        sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        + ELEMENTWISE_COST * sum(sizes[1:])
        + LAYER_COST * (len(sizes) - 1)
    )


def grid_resolution(
    layer_sizes, budget: float = LIVE_GRID_BUDGET, low: int = MIN_LIVE_GRID, high: int = GRID_SIZE
) -> int:
    """The finest square grid whose evaluation fits in `budget` multiply-adds, within [low, high]."""
    side = int(math.sqrt(budget / max(1.0, forward_cost(layer_sizes))))
    return max(low, min(high, side))
