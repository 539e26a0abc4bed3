"""The forward pass of the lesson network on one sample, layer by layer, with the softmax's
intermediate steps and the cross-entropy loss; every number comes from `Network.trace`,
`core.engine.losses` and `Network.objective`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.losses import log_softmax, softmax
from core.engine.network import Network


@dataclass(frozen=True)
class LayerForward:
    index: int  # 1-based layer number, as in the formulas
    is_output: bool
    a_prev: np.ndarray  # (n, n_in): the input x for layer 1
    weights: np.ndarray  # (n_in, n_out)
    bias: np.ndarray  # (n_out,)
    z: np.ndarray  # (n, n_out) = a_prev @ W + b
    a: np.ndarray  # (n, n_out) = f(z); softmax probabilities for the output layer
    activation: str
    formula: str


@dataclass(frozen=True)
class SoftmaxSteps:
    z: np.ndarray  # logits
    shifted: np.ndarray  # z - max z: the largest becomes 0, so exp never overflows
    exps: np.ndarray  # e^(z - max z)
    total: float  # their sum
    p: np.ndarray  # core.engine.losses.softmax(z) = exps / total


@dataclass(frozen=True)
class ForwardPass:
    layers: list[LayerForward]
    softmax: SoftmaxSteps
    label: int
    target: np.ndarray  # one-hot row from the head's prepare_targets
    log_p: np.ndarray  # core.engine.losses.log_softmax(z)
    loss: float  # Network.objective, what training minimizes
    predicted: int


SOFTMAX_FORMULA = r"\operatorname{softmax}(z)_k = \frac{e^{z_k - \max z}}{\sum_j e^{z_j - \max z}}"


def forward_pass(net: Network, x, label: int) -> ForwardPass:
    x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
    traces = net.trace(x)
    layers, a_prev = [], x
    for i, (layer, tr) in enumerate(zip(net.layers, traces)):
        is_output = i == len(net.layers) - 1
        # The output layer has no activation of its own: the head applies softmax (net.head).
        formula = SOFTMAX_FORMULA if is_output else layer.activation.formula
        activation = net.head.output_name if is_output else layer.activation.name
        layers.append(
            LayerForward(
                i + 1,
                is_output,
                a_prev,
                layer.weights.copy(),
                layer.bias.copy(),
                tr.z,
                tr.a,
                activation,
                formula,
            )
        )
        a_prev = tr.a
    z = traces[-1].z
    # The softmax's intermediate steps, for display; p itself is core's softmax (= traces[-1].a).
    shifted = z - z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    p = softmax(z)
    targets = net.prepare_targets([label])
    return ForwardPass(
        layers,
        SoftmaxSteps(z, shifted, exps, float(exps.sum()), p),
        int(label),
        targets,
        log_softmax(z),
        net.objective(x, targets),
        int(p.argmax()),
    )
