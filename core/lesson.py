"""The numbers behind the Learn page, computed by calling the engine the trainer uses.

Nothing here re-implements the math of a network: weighted sums come from `Network.trace`,
gradients from `Network.gradient_trace` (which runs `compute_gradients`), losses from `Network.objective`,
probabilities from `core.engine.losses.softmax` / `log_softmax`, updates from an optimizer made by
`make_optimizer`. This module only picks those numbers apart for display (e.g. the factors of the
chain rule for one weight, or the intermediate steps of a softmax) and formats them as LaTeX.

Everything is float64: the lesson shows many digits and the gradient check needs them.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from core.engine.activations import get_activation
from core.engine.losses import log_softmax, softmax
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS, Optimizer, check_learning_rate, make_optimizer

DTYPE = np.float64
MAX_LESSON_WIDTH = 6  # wider layers make matrices too big to read on one screen
MAX_LESSON_LAYERS = 5  # input + up to 3 hidden + output

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


# ----------------------------------------------------------------------------- formatting
def fmt(value, digits: int = 6) -> str:
    """A number as plain text with `digits` significant digits ('-0' shown as '0')."""
    text = f"{float(value):.{digits}g}"
    return "0" if text in ("-0", "0") else text


def latex_number(value, digits: int = 3) -> str:
    """A number as LaTeX: 1.5e-05 -> 1.5 \\times 10^{-5}."""
    text = fmt(value, digits)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def latex_matrix(array, digits: int = 3) -> str:
    """A 2-D array as a LaTeX bmatrix; a 1-D array (a bias b) as one row, the way it is added."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 0:
        return latex_number(array, digits)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    rows = [" & ".join(latex_number(v, digits) for v in row) for row in array]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def shape_text(array) -> str:
    """(1, 3) -> '1 \\times 3' for LaTeX; a 1-D bias (3,) -> '3'."""
    return r" \times ".join(str(s) for s in np.shape(array))


def parse_layer_sizes(text: str) -> list[int]:
    """'3-4-3' (or '3, 4, 3') -> [3, 4, 3], checked to be small enough to show every number."""
    parts = [p for p in str(text).replace(",", "-").replace(" ", "-").split("-") if p]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise ValueError(
            f"layer sizes must be whole numbers joined by '-', e.g. 3-4-3; got {text!r}"
        ) from None
    if not 3 <= len(sizes) <= MAX_LESSON_LAYERS:
        raise ValueError(
            "give inputs, 1 to 3 hidden layers and the classes, e.g. 3-4-3 or 2-3-3-2; "
            f"got {len(sizes)} number(s)"
        )
    if any(not 1 <= s <= MAX_LESSON_WIDTH for s in sizes):
        raise ValueError(f"every layer needs 1 to {MAX_LESSON_WIDTH} neurons here; got {text!r}")
    if sizes[-1] < 2:
        raise ValueError("a softmax output needs at least 2 classes (the last number)")
    return sizes


# ----------------------------------------------------------------------------- one neuron
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


def fill_formula(formula: str, z: float, digits: int = 4) -> str:
    """An activation's LaTeX formula with the number put in for z: \\max(0, z) -> \\max(0, 1.5)."""
    number = latex_number(z, digits)
    signed = f"({number})" if z < 0 else number  # e^{-(-0.5)}, not e^{--0.5}
    out = []
    for k, char in enumerate(formula):
        if char != "z":
            out.append(char)
        elif k and formula[k - 1].isdigit():  # 0.01z -> 0.01 \cdot 1.5
            out.append(r" \cdot " + signed)
        elif k and formula[k - 1] == "-":
            out.append(signed)
        else:
            out.append(number)
    return "".join(out)


def activation_curve(activation: str, low: float = -4.0, high: float = 4.0, points: int = 161):
    """(z, f(z)) over a range, for plotting the activation the neuron uses."""
    z = np.linspace(low, high, points).reshape(1, -1)
    return z[0], get_activation(activation).forward(z, None)[0]


# ----------------------------------------------------------------------------- the lesson network
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


# ----------------------------------------------------------------------------- forward pass
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
        formula = SOFTMAX_FORMULA if is_output else layer.activation.formula
        layers.append(
            LayerForward(
                i + 1,
                is_output,
                a_prev,
                layer.weights.copy(),
                layer.bias.copy(),
                tr.z,
                tr.a,
                layer.activation.name,
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


# ----------------------------------------------------------------------------- backward pass
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


# ----------------------------------------------------------------------------- gradient check
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


# ----------------------------------------------------------------------------- the update
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
        optimizer.steps,
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


# ----------------------------------------------------------------------------- initialization
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
