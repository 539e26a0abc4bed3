"""Why weights do not start at zero: train two copies of a network, one from zeros and one
from a random initializer, and measure how different their neurons end up."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.optimizers import make_optimizer
from core.lesson.network import lesson_network


@dataclass(frozen=True)
class SymmetryRun:
    init: str
    weights: np.ndarray  # first hidden layer's W after training, (n_in, n_hidden): column j = neuron j
    bias: np.ndarray
    hidden: np.ndarray  # first hidden layer's activations on the batch, (n, n_hidden)
    spread: float  # largest difference between any neuron's (weights, bias) and neuron 1's
    losses: list[float]  # objective before training and after each step


def symmetry_batch(n_inputs: int, n_classes: int, seed: int = 0, n: int = 8):
    """A tiny fixed training batch (X, labels) for the initialization lesson."""
    rng = np.random.default_rng([int(seed), 11])
    X = np.round(rng.uniform(-2, 2, (n, n_inputs)), 1)
    return X, np.arange(n) % n_classes  # every class present


def neuron_spread(weights: np.ndarray, bias: np.ndarray) -> float:
    """max over neurons j of max |(W[:, j], b_j) - (W[:, 0], b_0)|: 0 means all neurons identical."""
    params = np.vstack([weights, bias.reshape(1, -1)])
    return float(np.max(np.abs(params - params[:, :1])))


def symmetry_run(
    layer_sizes, activation: str, init: str, seed: int = 0, steps: int = 20, learning_rate: float = 0.5
) -> SymmetryRun:
    """Train a fresh network with `init` for `steps` full-batch SGD steps; see if its neurons differ."""
    net = lesson_network(layer_sizes, activation, init, seed)
    X, labels = symmetry_batch(net.n_inputs, net.n_outputs, seed)
    targets = net.prepare_targets(labels)
    optimizer = make_optimizer("sgd", learning_rate)
    losses = [net.objective(X, targets)]
    for _ in range(int(steps)):
        net.gradient_trace(X, labels)  # backprop into net.grads, as in training
        optimizer.update([net.params], [net.grads])
        losses.append(net.objective(X, targets))
    first = net.layers[0]
    return SymmetryRun(
        init,
        first.weights.copy(),
        first.bias.copy(),
        net.trace(X)[0].a,
        neuron_spread(first.weights, first.bias),
        losses,
    )
