"""The backward pass of the lesson network on one sample, and the chain rule for one weight.

The gradients come from `Network.gradient_trace` (the same backprop code path as training);
this module only picks them apart: dL/dz, dL/dW, dL/db and dL/da_prev per layer, and the
factors whose product is dL/dW_ij.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.engine.losses import softmax
from core.engine.network import Network
from core.lesson.latex import latex_number, weight_symbol


@dataclass(frozen=True)
class LayerBackward:
    index: int  # 1-based
    is_output: bool
    a_prev: np.ndarray
    weights: np.ndarray
    z: np.ndarray
    grad_a: np.ndarray | None  # dL/da of this (hidden) layer = next layer's dL/da_prev
    slope: np.ndarray | None  # f'(z) of this hidden layer
    grad_z: np.ndarray  # dL/dz
    grad_weights: np.ndarray  # dL/dW = a_prev^T dL/dz
    grad_bias: np.ndarray  # dL/db = sum over samples of dL/dz
    grad_a_prev: np.ndarray | None  # dL/da_prev = dL/dz W^T (None for layer 1)


@dataclass(frozen=True)
class BackwardPass:
    layers: list[LayerBackward]  # first to last
    p: np.ndarray
    target: np.ndarray
    head_gradient: np.ndarray  # OutputHead.gradient(z_L, T) = (p - T) / n


def backward_pass(net: Network, x, label: int) -> BackwardPass:
    x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
    traces = net.trace(x)
    grads = net.gradient_trace(x, [label])  # the same backprop code path as training
    targets = net.prepare_targets([label])
    z_out = traces[-1].z
    layers = []
    for i, (layer, tr, g) in enumerate(zip(net.layers, traces, grads)):
        is_output = i == len(net.layers) - 1
        grad_a = slope = None
        if not is_output:
            grad_a = grads[i + 1]["grad_a_prev"]
            # f'(z): the activation's backward pass applied to an incoming gradient of ones
            slope = layer.activation.backward(np.ones_like(tr.z), tr.z, tr.a, None)
        layers.append(
            LayerBackward(
                i + 1,
                is_output,
                x if i == 0 else traces[i - 1].a,
                layer.weights.copy(),
                tr.z,
                grad_a,
                slope,
                g["grad_z"],
                g["grad_weights"],
                g["grad_bias"],
                g["grad_a_prev"],
            )
        )
    return BackwardPass(layers, softmax(z_out), targets, net.head.gradient(z_out, targets))


@dataclass(frozen=True)
class ChainRule:
    layer: int  # 1-based
    row: int  # i: which input of the layer (0-based)
    col: int  # j: which neuron of the layer (0-based)
    symbols: list[str]  # LaTeX of each factor, e.g. \partial L / \partial z_j
    values: list[float]
    product: float  # the factors multiplied
    gradient: float  # dL/dW_ij from gradient_trace

    @property
    def factor_names(self) -> list[str]:
        """Each factor's LaTeX without its value: '\\frac{dL}{dz_j} = p_j - t_j' -> '\\frac{dL}{dz_j}'."""
        return [symbol.split(" = ")[0] for symbol in self.symbols]

    def latex_product(self) -> str:
        """dL/dW_ij written as the product of its factors' symbols."""
        return rf"\frac{{\partial L}}{{\partial {self._weight}}} = " + r" \cdot ".join(self.factor_names)

    def latex_numbers(self, digits: int = 6) -> str:
        """The same product with the numbers put in, and its value."""
        factors = r" \times ".join(f"({latex_number(v, digits)})" for v in self.values)
        total = latex_number(self.product, digits)
        return rf"\frac{{\partial L}}{{\partial {self._weight}}} = {factors} = {total}"

    @property
    def _weight(self) -> str:
        return weight_symbol(self.layer, self.row, self.col)


def chain_rule(backward: BackwardPass, layer: int, row: int, col: int) -> ChainRule:
    """dL/dW_ij for ONE sample as a product of local derivatives.

    Output layer:  dL/dW_ij = dL/dz_j * dz_j/dW_ij                 = (p_j - t_j) * a_prev_i
    Hidden layer:  dL/dW_ij = dL/da_j * da_j/dz_j * dz_j/dW_ij     = dL/da_j * f'(z_j) * a_prev_i
    (for a batch the gradient of the mean loss sums these over samples, each divided by n).
    """
    lb = backward.layers[layer - 1]
    if lb.a_prev.shape[0] != 1:
        raise ValueError("the chain rule is spelled out for one sample")
    n, i, j = layer, row + 1, col + 1
    prev = "x" if layer == 1 else f"a^{{({n - 1})}}"
    dz_dw = (
        rf"\frac{{\partial z^{{({n})}}_{{{j}}}}}{{\partial W^{{({n})}}_{{{i}{j}}}}} = "
        rf"{prev}_{{{i}}}",
        float(lb.a_prev[0, row]),
    )
    if lb.is_output:
        factors = [
            (
                rf"\frac{{\partial L}}{{\partial z^{{({n})}}_{{{j}}}}} = p_{{{j}}} - t_{{{j}}}",
                float(lb.grad_z[0, col]),
            ),
            dz_dw,
        ]
    else:
        factors = [
            (rf"\frac{{\partial L}}{{\partial a^{{({n})}}_{{{j}}}}}", float(lb.grad_a[0, col])),
            (
                rf"\frac{{\partial a^{{({n})}}_{{{j}}}}}{{\partial z^{{({n})}}_{{{j}}}}} = "
                rf"f'(z^{{({n})}}_{{{j}}})",
                float(lb.slope[0, col]),
            ),
            dz_dw,
        ]
    product = math.prod(v for _, v in factors)
    return ChainRule(
        layer,
        row,
        col,
        [s for s, _ in factors],
        [v for _, v in factors],
        product,
        float(lb.grad_weights[row, col]),
    )


def neuron_is_active(backward: BackwardPass, layer: int, col: int) -> bool:
    """False when neuron j of a hidden layer has f'(z) = 0 (a ReLU that is off): no gradient passes."""
    lb = backward.layers[layer - 1]
    return lb.is_output or bool(np.any(lb.slope[:, col] != 0))
