"""The gradient check: backprop's dL/dW_ij beside a central finite difference of the loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.network import Network
from core.lesson.latex import latex_number, weight_symbol
from core.lesson.network import DTYPE


@dataclass(frozen=True)
class GradientCheck:
    layer: int
    row: int
    col: int
    weight: float
    epsilon: float
    loss_plus: float  # L(w + eps)
    loss_minus: float  # L(w - eps)
    numerical: float  # (L(w + eps) - L(w - eps)) / (2 eps)
    analytic: float  # from backprop (gradient_trace)
    relative_error: float  # |analytic - numerical| / max(|analytic|, |numerical|)

    def latex(self, digits: int = 10) -> str:
        """The central difference written out with its numbers: dL/dW_ij ≈ (L+ - L-) / 2ε = ..."""
        n = latex_number
        return (
            rf"\frac{{\partial L}}{{\partial {weight_symbol(self.layer, self.row, self.col)}}} \approx "
            rf"\frac{{L(w + \varepsilon) - L(w - \varepsilon)}}{{2\varepsilon}} = "
            rf"\frac{{{n(self.loss_plus, digits)} - {n(self.loss_minus, digits)}}}"
            rf"{{2 \cdot {n(self.epsilon)}}} = "
            rf"{n(self.numerical, digits)}"
        )


def gradient_check(
    net: Network, x, label: int, layer: int, row: int, col: int, epsilon: float = 1e-5
) -> GradientCheck:
    """Backprop's dL/dW_ij beside the central finite difference of Network.objective."""
    x = np.asarray(x, dtype=DTYPE).reshape(1, -1)
    probe = net.copy(dtype=DTYPE)  # nudge a copy: the lesson network keeps its weights
    targets = probe.prepare_targets([label])
    w = probe.layers[layer - 1].weights
    original = float(w[row, col])
    w[row, col] = original + epsilon
    loss_plus = probe.objective(x, targets)
    w[row, col] = original - epsilon
    loss_minus = probe.objective(x, targets)
    w[row, col] = original
    numerical = (loss_plus - loss_minus) / (2 * epsilon)
    analytic = float(probe.gradient_trace(x, [label])[layer - 1]["grad_weights"][row, col])
    scale = max(abs(analytic), abs(numerical))
    relative = abs(analytic - numerical) / scale if scale > 0 else 0.0
    return GradientCheck(
        layer, row, col, original, epsilon, loss_plus, loss_minus, numerical, analytic, relative
    )
