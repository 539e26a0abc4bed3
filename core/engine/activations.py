"""Activation functions f(z) and their derivatives, written for in-place use on float arrays.

Each activation has a forward `f(z) -> a` and a backward `grad_z = grad_a * f'(z)` that is computed
from whichever of z (the pre-activation) or a (the output) makes it cheapest. All functions accept an
`out=` array so the trainer can reuse buffers and avoid allocations on its hot path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01  # leaky ReLU slope for z < 0, as in most libraries


def _relu(z, out):
    # a = max(0, z)
    return np.maximum(z, 0, out=out)


def _relu_backward(grad_a, z, a, out):
    # f'(z) = 1 if z > 0 else 0
    return np.multiply(grad_a, a > 0, out=out)


def _leaky_relu(z, out):
    # a = z if z > 0 else 0.01 z  ==  max(z, 0.01 z)
    return np.maximum(z, z * LEAKY_SLOPE, out=out)


def _leaky_relu_backward(grad_a, z, a, out):
    # f'(z) = 1 if z > 0 else 0.01
    slope = np.where(z > 0, z.dtype.type(1), z.dtype.type(LEAKY_SLOPE))
    return np.multiply(grad_a, slope, out=out)


def _tanh(z, out):
    return np.tanh(z, out=out)


def _tanh_backward(grad_a, z, a, out):
    # f'(z) = 1 - tanh(z)^2 = 1 - a^2
    out = np.multiply(a, a, out=out)
    np.subtract(1, out, out=out)
    return np.multiply(grad_a, out, out=out)


# The largest x whose e^x is finite, per float type: sigmoid caps -z there so e^-z never overflows.
_MAX_EXPONENT = {
    np.dtype(t): float(np.floor(np.log(np.finfo(t).max))) for t in (np.float16, np.float32, np.float64)
}


def sigmoid(z, out=None):
    """Logistic function sigmoid(z) = 1 / (1 + e^-z), right in the tails.

    For z < 0, e^-z is huge and 1 / (1 + e^-z) keeps every digit: sigmoid(-30) = 9.36e-14 to float
    precision, where the tanh form (1 + tanh(z/2)) / 2 loses them all (it gave 0 below about -17
    in float32). -z is capped at the largest exponent whose e^ is finite (88 in float32, 709 in
    float64), so nothing overflows: below z = -88 a float32 result stays at 1 / (1 + e^88), about
    6e-39, where the exact value is smaller still (subnormal, then 0). Four in-place operations:
    this runs on every mini-batch of the Playground's small networks.
    """
    scalar = not isinstance(z, np.ndarray)
    if scalar or z.dtype.kind != "f":
        z = np.asarray(z, dtype=np.float64 if np.asarray(z).dtype.kind != "f" else None)
    out = np.negative(z, out=np.empty_like(z) if out is None else out)  # an array, also for 0-d z
    np.minimum(out, _MAX_EXPONENT[out.dtype], out=out)
    np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)
    return out[()] if scalar and out.ndim == 0 else out


def _sigmoid_backward(grad_a, z, a, out):
    # f'(z) = sigmoid(z) (1 - sigmoid(z)) = a (1 - a)
    out = np.subtract(1, a, out=out)
    out *= a
    return np.multiply(grad_a, out, out=out)


def _linear(z, out):
    if out is None:
        return z.copy()
    if out is not z:
        np.copyto(out, z)
    return out


def _linear_backward(grad_a, z, a, out):
    # f'(z) = 1
    return _linear(grad_a, out)


@dataclass(frozen=True)
class Activation:
    """An activation function: `forward(z, out)` and `backward(grad_a, z, a, out) -> grad_z`."""

    name: str
    forward: Callable
    backward: Callable
    formula: str  # LaTeX, for the Learn page

    def __call__(self, z, out=None):
        return self.forward(z, out)


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", _relu, _relu_backward, r"\max(0, z)"),
    "leaky_relu": Activation("leaky_relu", _leaky_relu, _leaky_relu_backward, r"\max(0.01z, z)"),
    "tanh": Activation("tanh", _tanh, _tanh_backward, r"\tanh(z)"),
    "sigmoid": Activation(
        "sigmoid", lambda z, out=None: sigmoid(z, out), _sigmoid_backward, r"\frac{1}{1 + e^{-z}}"
    ),
    "linear": Activation("linear", _linear, _linear_backward, r"z"),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name; unknown names raise a ValueError listing the allowed ones."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}; got {name!r}") from None
