"""One neuron on its own: z = w·x + b and a = f(z), computed by a one-unit engine layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.activations import get_activation
from core.engine.network import Network
from core.lesson.latex import fill_formula, latex_number
from core.lesson.network import DTYPE


@dataclass(frozen=True)
class NeuronResult:
    inputs: np.ndarray  # x, shape (n,)
    weights: np.ndarray  # w, shape (n,)
    bias: float
    z: float  # weighted sum, from the engine's dense layer
    a: float  # f(z), from the engine's activation
    slope: float  # f'(z), from the activation's backward pass
    activation: str
    formula: str  # LaTeX of f


def neuron(inputs, weights, bias: float, activation: str = "relu") -> NeuronResult:
    """One neuron, z = sum_i w_i x_i + b and a = f(z), computed by a 1-unit engine layer."""
    x = np.asarray(inputs, dtype=DTYPE).reshape(1, -1)
    w = np.asarray(weights, dtype=DTYPE).reshape(-1, 1)
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"need one weight per input; got {x.shape[1]} inputs and {w.shape[0]} weights")
    # A network with no hidden layer and a linear head is exactly one dense layer: z = x W + b.
    layer_net = Network([x.shape[1], 1], [], output="linear_mse", init="zeros", dtype=DTYPE)
    layer_net.set_parameters([w], [[bias]])
    z = layer_net.trace(x)[0].z
    act = get_activation(activation)
    a = act.forward(z, None)
    # f'(z) is what the backward pass multiplies an incoming gradient of 1 by.
    slope = act.backward(np.ones_like(z), z, a, None)
    return NeuronResult(
        x[0].copy(),
        w[:, 0].copy(),
        float(bias),
        float(z[0, 0]),
        float(a[0, 0]),
        float(slope[0, 0]),
        act.name,
        act.formula,
    )


def activation_curve(activation: str, low: float = -4.0, high: float = 4.0, points: int = 161):
    """(z, f(z)) over a range, for plotting the activation the neuron uses."""
    z = np.linspace(low, high, points).reshape(1, -1)
    return z[0], get_activation(activation).forward(z, None)[0]


def weighted_sum_latex(r: NeuronResult) -> str:
    """z = w_1 x_1 + ... + b with every weight and input put in, and the sum."""
    n = latex_number
    symbols = " + ".join(f"w_{i} x_{i}" for i in range(1, len(r.inputs) + 1))
    terms = " + ".join(rf"({n(w, 4)})({n(v, 4)})" for w, v in zip(r.weights, r.inputs))
    return rf"z = {symbols} + b = {terms} + ({n(r.bias, 4)}) = {n(r.z, 6)}"


def activation_latex(r: NeuronResult) -> str:
    """a = f(z) as the activation's formula, with z put in, and its value."""
    return rf"a = f(z) = {r.formula} = {fill_formula(r.formula, r.z)} = {latex_number(r.a, 6)}"
