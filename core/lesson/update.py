"""One update step: backprop, then an engine optimizer's update, with the weights before and
after; the optimizer (and its momentum or Adam state) carries over from step to step."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from core.engine.checks import check_learning_rate
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from core.lesson.latex import latex_matrix, partial, vec

# The update rules, in the notation of core/engine/optimizers.py (g = dL/dw, t = step number).
OPTIMIZER_FORMULAS = {
    "sgd": r"w \leftarrow w - \eta\, g",
    "momentum": r"v \leftarrow \mu v - \eta\, g,\quad w \leftarrow w + v",
    "nesterov": r"v \leftarrow \mu v - \eta\, g,\quad w \leftarrow w + \mu v - \eta\, g",
    "adagrad": r"G \leftarrow G + g^2,\quad w \leftarrow w - \frac{\eta\, g}{\sqrt{G} + \epsilon}",
    "rmsprop": r"s \leftarrow \rho s + (1-\rho) g^2,\quad "
    r"w \leftarrow w - \frac{\eta\, g}{\sqrt{s} + \epsilon}",
    "adam": r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ "
    r"w \leftarrow w - \eta\,\frac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}",
}
assert set(OPTIMIZER_FORMULAS) == set(OPTIMIZERS)  # a new optimizer needs its formula here


@dataclass(frozen=True)
class UpdateStep:
    optimizer: str
    learning_rate: float
    step: int  # the optimizer's t after this update (1 for the first)
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    grad_weights: list[np.ndarray]
    grad_biases: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    loss_before: float
    loss_after: float

    def latex_layer(self, layer: int) -> list[str]:
        """For layer `layer` (1-based): its W, then its b, each as gradient g, value now and value
        after this step, one aligned LaTeX block apiece."""
        i = layer - 1
        blocks = []
        for name, grad, before, after in (
            ("W", self.grad_weights[i], self.weights_before[i], self.weights_after[i]),
            ("b", self.grad_biases[i], self.biases_before[i], self.biases_after[i]),
        ):
            blocks.append(
                rf"\begin{{aligned}} g = {partial(name, layer)} &= {latex_matrix(grad)} \\[2pt] "
                rf"{vec(name, layer)} &= {latex_matrix(before)} \\[2pt] "
                rf"{vec(name, layer)}_{{\text{{new}}}} &= {latex_matrix(after)} \end{{aligned}}"
            )
        return blocks


def keep_optimizer(current: Optimizer | None, name: str, learning_rate: float) -> Optimizer:
    """The optimizer for the next step: the same object (its momentum / Adam state carries over)
    unless the type changed; a new learning rate applies from the next step, as in the trainer."""
    if current is None or current.name != name:
        return make_optimizer(name, learning_rate)
    current.learning_rate = check_learning_rate(learning_rate)
    return current


def optimizer_step(net: Network, optimizer: Optimizer, x, label: int) -> UpdateStep:
    """One training step on one sample, IN PLACE: backprop, then the optimizer's update."""
    x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
    targets = net.prepare_targets([label])
    loss_before = net.objective(x, targets)
    weights_before = [w.copy() for w in net.weights]
    biases_before = [b.copy() for b in net.biases]
    # Backprop fills net.grads by the same code path as Trainer._run (gradient_trace wraps
    # compute_gradients and also keeps the intermediates, which we do not need here).
    net.gradient_trace(x, [label])
    grad_w = [layer.grad_weights.copy() for layer in net.layers]
    grad_b = [layer.grad_bias.copy() for layer in net.layers]
    optimizer.update([net.params], [net.grads])
    return UpdateStep(
        optimizer.name,
        optimizer.learning_rate,
        optimizer.n_updates,
        weights_before,
        biases_before,
        grad_w,
        grad_b,
        [w.copy() for w in net.weights],
        [b.copy() for b in net.biases],
        loss_before,
        net.objective(x, targets),
    )


def preview_step(net: Network, optimizer: Optimizer, x, label: int) -> UpdateStep:
    """The step `optimizer_step` would take, made on copies (net and optimizer state untouched)."""
    return optimizer_step(net.copy(), copy.deepcopy(optimizer), x, label)
