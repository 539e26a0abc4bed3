"""Backpropagation is checked against float64 central differences of the objective.

Covers every hidden activation x output head x regularization, random architectures (0-3 hidden
layers), dropout (same masks on both sides), `gradient_trace`, each activation's derivative, the
loss values themselves, and numerical stability of the heads for huge logits.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import scipy.special

from core.engine.activations import ACTIVATIONS
from core.engine.losses import OUTPUT_HEADS, log_softmax, softmax
from core.engine.network import Network
from tests.helpers_engine import (
    all_weights,
    engine_gradients,
    numeric_gradient,
    ref_activation,
    ref_derivative,
    rel_error,
)

HIDDEN = ["relu", "leaky_relu", "tanh", "sigmoid", "linear"]
HEADS = ["sigmoid_bce", "softmax_ce", "linear_mse", "sigmoid_bce_multilabel", "exp_poisson"]
REGULARIZATION = {"none": (0.0, 0.0), "l1": (0.03, 0.0), "l2": (0.0, 0.07), "both": (0.03, 0.07)}
H = 1e-6
TOLERANCE = 1e-6
KINK_MARGIN = 1e-3  # >> 10 h: a +-h change of one parameter cannot move z or w across 0
KINKY = {"relu", "leaky_relu"}


def _targets(net: Network, n: int, rng: np.random.Generator):
    """Labels (or regression values) for the net's head, with every class present."""
    task = net.head.task
    if task == "binary":
        y = np.arange(n) % 2
        rng.shuffle(y)
    elif task == "multiclass":
        y = np.arange(n) % net.n_outputs
        rng.shuffle(y)
    elif task == "multilabel":
        # 0/1 per label, each column holding both values; rows with 0, 1 or several labels on
        y = rng.integers(0, 2, size=(n, net.n_outputs))
        y[0], y[1] = 0, 1
    elif net.head.name == "exp_poisson":
        y = rng.poisson(2.0, size=(n, net.n_outputs))  # counts, zeros among them
        y[0, 0] = 0
    else:
        y = rng.normal(size=(n, net.n_outputs))
    return y


def _setup(layer_sizes, activations, head, l1, seed, n=7):
    """A float64 network with random weights AND biases, inputs and targets, resampled until no
    hidden pre-activation (for ReLU-like layers) and no weight (for L1) lies near a kink."""
    net = Network(layer_sizes, activations, head, dtype=np.float64)
    names = net.activation_names
    rng = np.random.default_rng(seed)
    for _ in range(200):
        net.params[...] = rng.normal(0.0, 0.9, net.n_params)
        X = rng.normal(size=(n, layer_sizes[0]))
        hidden_z = [t.z for t in net.trace(X)[:-1]]
        z_ok = all(np.min(np.abs(z)) > KINK_MARGIN for z, name in zip(hidden_z, names) if name in KINKY)
        w_ok = not l1 or np.min(np.abs(all_weights(net))) > KINK_MARGIN
        if z_ok and w_ok:
            break
    else:  # pragma: no cover - would be a bug in the test set-up
        raise AssertionError("could not sample parameters away from the kinks")
    y = _targets(net, n, rng)
    return net, X, y, net.prepare_targets(y)


def _check(net, X, T, l1, l2):
    analytic = engine_gradients(net, X, T, l1, l2).copy()
    numeric = numeric_gradient(lambda: net.objective(X, T, l1, l2), net.params, H)
    assert np.linalg.norm(numeric) > 1e-3, "degenerate check: the gradient is ~0"
    err = rel_error(analytic, numeric)
    assert err < TOLERANCE, f"relative error {err:.3g} (worst entry {np.argmax(abs(analytic - numeric))})"


@pytest.mark.parametrize("reg", list(REGULARIZATION))
@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("activation", HIDDEN)
def test_gradient_every_activation_head_regularization(activation, head, reg):
    l1, l2 = REGULARIZATION[reg]
    n_out = 1 if head == "sigmoid_bce" else 3
    seed = 1000 + 100 * HIDDEN.index(activation) + 10 * HEADS.index(head) + list(REGULARIZATION).index(reg)
    net, X, _, T = _setup([4, 5, 4, n_out], activation, head, l1, seed)
    _check(net, X, T, l1, l2)


ARCHITECTURES = [
    ([3, 1], []),  # 0 hidden: logistic / linear regression
    ([5, 2], []),
    ([3, 8, 2], ["tanh"]),
    ([6, 3, 2], ["relu"]),
    ([2, 4, 7, 3], ["leaky_relu", "sigmoid"]),
    ([4, 9, 2, 2], ["relu", "tanh"]),
    ([3, 5, 6, 4, 3], ["tanh", "relu", "linear"]),
    ([2, 3, 3, 3, 2], ["sigmoid", "leaky_relu", "relu"]),
]


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("arch", range(len(ARCHITECTURES)))
def test_gradient_random_architectures(arch, head):
    sizes, activations = ARCHITECTURES[arch]
    sizes = list(sizes)
    if head == "sigmoid_bce":
        sizes[-1] = 1
    elif head == "softmax_ce":
        sizes[-1] = max(sizes[-1], 3)  # a 1-unit softmax is constant
    l1, l2 = 0.02, 0.05
    net, X, _, T = _setup(sizes, activations, head, l1, seed=7 + 31 * arch, n=9)
    _check(net, X, T, l1, l2)


def test_gradient_single_sample_and_float32_copy():
    """Batch of one sample; and a float32 network's gradient, checked through a float64 copy."""
    net, X, _, T = _setup([3, 4, 3], "tanh", "softmax_ce", 0.0, seed=5, n=1)
    _check(net, X, T, 0.0, 0.01)
    net32 = Network([3, 4, 3], "tanh", "softmax_ce", dtype=np.float32)
    net32.params[...] = net.params
    g32 = engine_gradients(net32, X.astype(np.float32), T.astype(np.float32), 0.0, 0.01).copy()
    g64 = engine_gradients(net32.copy(np.float64), X, T, 0.0, 0.01)
    assert g32.dtype == np.float32
    assert rel_error(g32, g64) < 1e-5


# ------------------------------------------------------------------------------ sample weights
def _weighted_gradient(net, X, T, l1, l2, w):
    return net.compute_gradients(net.with_ones_column(X), T, l1, l2, 0.0, None, w).copy()


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_weighted_gradient_matches_central_differences(activation, head):
    """The weighted objective sum_i w_i l_i / sum_i w_i + penalty, one weight 0 among them."""
    n_out = 1 if head == "sigmoid_bce" else 3
    l1, l2 = 0.02, 0.05
    net, X, _, T = _setup([4, 5, n_out], activation, head, l1, seed=300 + HEADS.index(head), n=8)
    w = np.random.default_rng(HEADS.index(head)).uniform(0.2, 3.0, 8)
    w[2] = 0.0
    analytic = _weighted_gradient(net, X, T, l1, l2, w)
    numeric = numeric_gradient(lambda: net.objective(X, T, l1, l2, w), net.params, H)
    assert np.linalg.norm(numeric) > 1e-3
    assert rel_error(analytic, numeric) < TOLERANCE
    assert rel_error(analytic, engine_gradients(net, X, T, l1, l2)) > 1e-3  # the weights matter
    # the value: each sample's loss (the head on that row alone), averaged with the weights
    per_sample = np.array([net.data_loss(X[i : i + 1], T[i : i + 1]) for i in range(8)])
    assert net.data_loss(X, T, w) == pytest.approx(np.sum(w * per_sample) / np.sum(w), rel=1e-12)


@pytest.mark.parametrize("head", HEADS)
def test_sample_weights_all_equal_are_no_weights_and_zero_removes_a_sample(head):
    n_out = 1 if head == "sigmoid_bce" else 3
    net, X, _, T = _setup([3, 4, n_out], "tanh", head, 0.0, seed=400 + HEADS.index(head), n=6)
    plain = engine_gradients(net, X, T, 0.0, 0.1).copy()
    np.testing.assert_array_equal(_weighted_gradient(net, X, T, 0.0, 0.1, np.ones(6)), plain)
    np.testing.assert_allclose(_weighted_gradient(net, X, T, 0.0, 0.1, np.full(6, 2.5)), plain, rtol=1e-14)
    w = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    kept = w > 0
    subset = engine_gradients(net, X[kept], T[kept], 0.0, 0.1).copy()
    np.testing.assert_allclose(_weighted_gradient(net, X, T, 0.0, 0.1, w), subset, rtol=1e-13, atol=1e-15)
    assert net.data_loss(X, T, w) == pytest.approx(net.data_loss(X[kept], T[kept]), rel=1e-13)
    # a weight of 2 is the sample taken twice (in one batch)
    twice = np.r_[X, X[:1]], np.r_[T, T[:1]]
    w2 = np.r_[2.0, np.ones(5)]
    np.testing.assert_allclose(
        _weighted_gradient(net, X, T, 0.0, 0.1, w2), engine_gradients(net, *twice, 0.0, 0.1), rtol=1e-13
    )


# ------------------------------------------------------------------------------------ dropout
def _masked_objective(net, X, T, masks, l1, l2):
    """Reference forward pass with the given (already 1/(1-p)-scaled) dropout masks."""
    a = X
    for index, layer in enumerate(net.layers):
        z = a @ layer.weights + layer.bias
        if index == len(net.layers) - 1:
            return net.head.loss_from_logits(z, T) + net.penalty(l1, l2)
        a = ref_activation(net.activation_names[index], z) * masks[index]


@pytest.mark.parametrize("activation", HIDDEN)
def test_dropout_gradient_matches_masked_objective(activation):
    """compute_gradients with dropout is the gradient of the objective under *its* masks.

    The masks are rebuilt from an identically seeded generator: one uniform draw per hidden unit,
    layer by layer, unit kept if u < 1 - p and then scaled by 1 / (1 - p) (inverted dropout).
    (If this reconstruction were wrong, the `linear` case would fail too.)
    """
    p, seed, l1, l2 = 0.4, 2024, 0.0, 0.03
    for setup_seed in range(55, 155):
        net, X, _, T = _setup([4, 6, 5, 3], activation, "softmax_ce", l1, seed=setup_seed, n=8)
        mask_rng = np.random.default_rng(seed)
        masks = [(mask_rng.random((X.shape[0], width)) < 1 - p) / (1 - p) for width in net.layer_sizes[1:-1]]
        # the 2nd hidden layer's z depends on the masks: keep it away from ReLU's kink too
        a1 = ref_activation(activation, X @ net.weights[0] + net.biases[0]) * masks[0]
        if activation not in KINKY or np.min(np.abs(a1 @ net.weights[1] + net.biases[1])) > KINK_MARGIN:
            break
    assert all(0 < np.count_nonzero(m) < m.size for m in masks)  # some dropped, some kept
    analytic = engine_gradients(net, X, T, l1, l2, dropout=p, rng=np.random.default_rng(seed)).copy()
    numeric = numeric_gradient(lambda: _masked_objective(net, X, T, masks, l1, l2), net.params, H)
    no_dropout = engine_gradients(net, X, T, l1, l2).copy()
    assert rel_error(numeric, no_dropout) > 1e-3  # the masks really change the objective
    err = rel_error(analytic, numeric)
    assert err < TOLERANCE, f"{activation}: relative error {err:.3g} with dropout {p}"


def test_dropout_zero_is_no_dropout_and_masks_depend_on_rng():
    net, X, _, T = _setup([3, 6, 6, 2], "tanh", "softmax_ce", 0.0, seed=3)
    plain = engine_gradients(net, X, T, 0.0, 0.01).copy()
    zero = engine_gradients(net, X, T, 0.0, 0.01, dropout=0.0, rng=np.random.default_rng(0)).copy()
    np.testing.assert_array_equal(zero, plain)
    g1 = engine_gradients(net, X, T, dropout=0.5, rng=np.random.default_rng(1)).copy()
    g1_again = engine_gradients(net, X, T, dropout=0.5, rng=np.random.default_rng(1)).copy()
    g2 = engine_gradients(net, X, T, dropout=0.5, rng=np.random.default_rng(2)).copy()
    np.testing.assert_array_equal(g1, g1_again)
    assert not np.array_equal(g1, g2)


def test_dropout_expected_gradient_of_linear_net_is_unbiased():
    """Linear hidden layer and linear output: with inverted dropout
    E[mask] = 1, so the gradient w.r.t. the OUTPUT bias (linear in the masked activations) averages
    to the no-dropout one. A wrong scale (e.g. no 1/(1-p), or 1/p) shifts this mean."""
    net = Network([3, 40, 1], "linear", "linear_mse", dtype=np.float64)
    p = 0.3  # 1/(1-p) != 1/p, so a wrong keep scale is visible
    rng = np.random.default_rng(0)
    net.params[...] = rng.normal(0, 0.3, net.n_params)
    X = rng.normal(size=(50, 3)) + 2.0
    T = net.prepare_targets(np.zeros(50))
    out_bias = net.layers[-1].grad_bias  # a view into net.grads
    engine_gradients(net, X, T)
    exact = out_bias.copy()
    mask_rng = np.random.default_rng(9)
    samples = []
    for _ in range(3000):
        engine_gradients(net, X, T, dropout=p, rng=mask_rng)
        samples.append(out_bias[0])
    mean = np.mean(samples)
    assert abs(exact[0]) > 0.5
    assert mean == pytest.approx(exact[0], rel=0.03)


# ------------------------------------------------------------------------------ gradient_trace
def test_gradient_trace_agrees_with_compute_gradients_and_chain_rule():
    l1, l2 = 0.01, 0.02
    net, X, y, T = _setup([4, 6, 5, 3], ["tanh", "relu"], "softmax_ce", l1, seed=77, n=6)
    trace = net.gradient_trace(X, y, l1, l2)
    engine_gradients(net, X, T, l1, l2)
    assert len(trace) == len(net.layers)
    # the same numbers as compute_gradients (its per-layer views into the flat `grads`)
    for record, layer in zip(trace, net.layers):
        np.testing.assert_allclose(record["grad_weights"], layer.grad_weights, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(record["grad_bias"], layer.grad_bias, rtol=1e-13, atol=1e-15)
    # and each intermediate is what it claims to be
    layers = net.layers
    zs = [t.z for t in net.trace(X)]
    acts = [X] + [ref_activation(name, z) for name, z in zip(net.activation_names, zs[:-1])]
    exps = np.exp(zs[-1] - zs[-1].max(axis=1, keepdims=True))
    probs = exps / exps.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(trace[-1]["grad_z"], (probs - T) / X.shape[0], rtol=1e-12, atol=1e-15)
    assert trace[0]["grad_a_prev"] is None
    for i in range(len(layers)):
        gz = trace[i]["grad_z"]
        w = layers[i].weights
        expected_gw = acts[i].T @ gz + l2 * w + l1 * np.sign(w)
        np.testing.assert_allclose(trace[i]["grad_weights"], expected_gw, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(trace[i]["grad_bias"], gz.sum(axis=0), rtol=1e-12, atol=1e-15)
        if i:
            np.testing.assert_allclose(trace[i]["grad_a_prev"], gz @ w.T, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(
                trace[i - 1]["grad_z"],
                trace[i]["grad_a_prev"] * ref_derivative(net.activation_names[i - 1], zs[i - 1]),
                rtol=1e-12,
                atol=1e-15,
            )


# ------------------------------------------------------------------- activations, losses, penalty
@pytest.mark.parametrize("name", HIDDEN)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_activation_forward_and_derivative_match_textbook(name, dtype):
    z = np.concatenate([-np.geomspace(8, 0.01, 25), np.geomspace(0.01, 8, 25)]).astype(dtype)
    act = ACTIVATIONS[name]
    a = act.forward(z, np.empty_like(z))
    grad_z = act.backward(np.ones_like(z) * dtype(0.5), z, a, np.empty_like(z))
    assert a.dtype == dtype and grad_z.dtype == dtype
    # relative tolerance, plus a few ulps of absolute slack (sigmoid near 1, tanh near +-1)
    rtol = 1e-12 if dtype == np.float64 else 2e-6
    atol = 4 * np.finfo(dtype).eps
    z64 = z.astype(np.float64)
    np.testing.assert_allclose(a, ref_activation(name, z64), rtol=rtol, atol=atol)
    np.testing.assert_allclose(grad_z, 0.5 * ref_derivative(name, z64), rtol=rtol, atol=atol)


def _textbook_log_softmax(z):
    z = z.astype(np.float64)
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_is_exact_for_rows_far_apart(dtype):
    # Each row is shifted by its own max: a row 60, 500 or 1e4 below the others loses nothing.
    rng = np.random.default_rng(8)
    base = rng.normal(0, 3, size=(6, 5))
    tol = dict(rtol=1e-12, atol=1e-300) if dtype == np.float64 else dict(rtol=2e-5, atol=1e-30)
    for offsets in ([0, 1, -2, 3, 0, -1], [0, -60, 0, 0, 0, 0], [0, -500, 2, -1e4, 0, 0]):
        z = (base + np.array(offsets)[:, None]).astype(dtype)
        expected = _textbook_log_softmax(z)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            p = softmax(z)
            log_p = log_softmax(z)
            z_copy = z.copy()
            softmax(z_copy, z_copy)  # in place, as predict_output uses it
        assert p.dtype == log_p.dtype == dtype
        np.testing.assert_allclose(p, np.exp(expected), **tol)
        np.testing.assert_allclose(
            log_p, expected, rtol=tol["rtol"], atol=1e-5 if dtype == np.float32 else 1e-12
        )
        np.testing.assert_array_equal(z_copy, p)
    assert softmax(np.zeros((0, 3), dtype)).shape == log_softmax(np.zeros((0, 3), dtype)).shape == (0, 3)


def _ref_losses(z, T):
    n = z.shape[0]
    p = 1 / (1 + np.exp(-z))
    bce = -np.sum(T * np.log(p) + (1 - T) * np.log(1 - p)) / n
    log_sm = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    ce = -np.sum(T * log_sm) / n
    mse = np.sum((z - T) ** 2) / (2 * n)
    # half the Poisson deviance, sum of t log(t / p) - t + p with p = e^z (scikit-learn's poisson_loss)
    poisson = np.sum(scipy.special.xlogy(T, T / np.exp(z)) - T + np.exp(z)) / n
    return bce, ce, mse, bce, poisson  # multilabel: the same BCE, summed over the k columns


def test_objective_values_match_textbook_formulas():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(10, 3))
    cases = {
        "sigmoid_bce": 1,
        "softmax_ce": 4,
        "linear_mse": 2,
        "sigmoid_bce_multilabel": 3,
        "exp_poisson": 2,
    }
    for head, n_out in cases.items():
        net = Network([3, 5, n_out], "tanh", head, rng=3, dtype=np.float64)
        net.params[...] = rng.normal(0, 0.7, net.n_params)
        y = {
            "sigmoid_bce": rng.integers(0, 2, 10),
            "softmax_ce": rng.integers(0, 4, 10),
            "linear_mse": rng.normal(size=(10, 2)),
            "sigmoid_bce_multilabel": rng.integers(0, 2, (10, 3)),
            "exp_poisson": rng.poisson(3.0, (10, 2)),
        }[head]
        T = net.prepare_targets(y)
        z = np.tanh(X @ net.weights[0] + net.biases[0]) @ net.weights[1] + net.biases[1]
        expected = dict(zip(HEADS, _ref_losses(z, T)))[head]
        w = all_weights(net)
        penalty = 0.1 * np.abs(w).sum() + 0.5 * 0.2 * (w**2).sum()
        assert net.data_loss(X, T) == pytest.approx(expected, rel=1e-12)
        assert net.objective(X, T, 0.1, 0.2) == pytest.approx(expected + penalty, rel=1e-12)
        assert net.penalty() == 0.0


# ----------------------------------------------------------------------------- stability
def _no_fp_trouble():
    """Overflow, invalid operations and division by zero raise. (Underflow, e.g. exp(-1e4) -> 0,
    is harmless and the intended result of the stable formulas, so it is allowed.)"""
    return np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")


# e^z has no stable form for huge z: it overflows (z > 88 in float32, 709 in float64) and the
# trainer's divergence guard stops the run; test_poisson_loss_is_zero_at_a_perfect_prediction
# covers its range instead.
@pytest.mark.parametrize("head", [head for head in HEADS if head != "exp_poisson"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_huge_logits_give_finite_loss_and_gradients(head, dtype):
    n_out = 1 if head == "sigmoid_bce" else 3
    net = Network([2, n_out], [], head, dtype=dtype)
    # logits z = X @ W + b reach +-1e4 exactly
    W = np.array([[1.0, -1.0, 0.5][:n_out], [-0.5, 1.0, 0.25][:n_out]])
    net.set_parameters([W], [np.zeros(n_out)])
    X = np.array([[1e4, 0.0], [0.0, 1e4], [1e4, 1e4], [-1e4, 0.0]], dtype=dtype)
    z = X.astype(np.float64) @ W
    y = {
        "sigmoid_bce": np.array([0, 0, 1, 1]),
        "softmax_ce": np.array([1, 0, 2, 2]),
        "linear_mse": np.zeros((4, n_out)),
        "sigmoid_bce_multilabel": np.array([[0, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1]]),
    }[head]
    T = net.prepare_targets(y)
    with warnings.catch_warnings(), _no_fp_trouble():
        warnings.simplefilter("error")
        loss = net.objective(X, T, 0.0, 0.0)
        grads = engine_gradients(net, X, T, 0.0, 0.0).copy()
        out = net.predict_output(X)
    assert np.isfinite(loss) and np.all(np.isfinite(grads)) and np.all(np.isfinite(out))
    # exact values for these saturated logits (computed in float64 with stable formulas)
    T64 = T.astype(np.float64)
    if head in ("sigmoid_bce", "sigmoid_bce_multilabel"):  # summed over the columns, mean over rows
        expected = np.sum(np.maximum(z, 0) - z * T64 + np.log1p(np.exp(-np.abs(z)))) / 4
        p_expected = scipy.special.expit(z)  # 0 or 1 here, and 0.5 where z = 0 (one multilabel logit)
    elif head == "softmax_ce":
        shifted = z - z.max(axis=1, keepdims=True)
        log_sm = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        expected = -np.sum(T64 * log_sm) / 4
        p_expected = np.exp(log_sm)
    else:
        expected = np.sum(z**2) / 8
        p_expected = z
    assert expected > 1e3  # really saturated
    assert loss == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(out, p_expected, rtol=1e-6, atol=1e-6)
    g_z = (p_expected - T64) / 4
    np.testing.assert_allclose(
        grads[: W.size].reshape(W.shape), X.astype(np.float64).T @ g_z, rtol=1e-5, atol=1e-3
    )


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("head", HEADS)
def test_saturated_hidden_units_are_stable(activation, head):
    n_out = 1 if head == "sigmoid_bce" else 2
    net = Network([2, 4, n_out], activation, head, rng=0, dtype=np.float32)
    X = np.array([[1e4, -1e4], [-1e4, 1e4], [3e4, 0.0]], dtype=np.float32)
    y = {
        "sigmoid_bce": [0, 1, 1],
        "softmax_ce": [0, 1, 1],
        "linear_mse": np.ones((3, n_out)),
        "sigmoid_bce_multilabel": [[0, 1], [1, 1], [1, 0]],
        "exp_poisson": [[0, 2], [1, 0], [5, 3]] if n_out == 2 else [[0], [1], [5]],
    }[head]
    T = net.prepare_targets(np.asarray(y))
    with warnings.catch_warnings(), _no_fp_trouble():
        warnings.simplefilter("error")
        loss = net.objective(X, T, 0.01, 0.01)
        grads = engine_gradients(net, X, T, 0.01, 0.01, dropout=0.3, rng=np.random.default_rng(0))
    assert np.isfinite(loss) and np.all(np.isfinite(grads))
    a = net.trace(X)[0].a
    assert np.all(np.abs(a) <= 1)


def test_every_registered_activation_is_gradient_checked():
    # a new activation added to the registry must be added to the checks above
    assert set(HIDDEN) == set(ACTIVATIONS)
    assert len(list(itertools.product(HIDDEN, HEADS, REGULARIZATION))) == 100


def test_every_registered_head_is_gradient_checked():
    assert set(HEADS) == set(OUTPUT_HEADS)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_poisson_loss_is_zero_at_a_perfect_prediction_and_refuses_negative_targets(dtype):
    """Half the Poisson deviance: 0 where e^z = t (t = 0 included, as z -> -inf), positive
    elsewhere; finite for very negative logits (e^z underflows to 0), and y < 0 is refused."""
    net = Network([1, 2], [], "exp_poisson", dtype=dtype)
    T = np.array([[0.0, 1.0], [4.0, 0.5]], dtype)
    head = net.head
    z_perfect = np.log(np.where(T > 0, T, 1e-30)).astype(dtype)
    assert head.loss_from_logits(z_perfect, T) == pytest.approx(0.0, abs=1e-6)
    assert head.loss_from_logits(z_perfect + dtype(0.1), T) > 0
    with _no_fp_trouble():
        assert np.isfinite(head.loss_from_logits(np.full((2, 2), -1e4, dtype), T))
    np.testing.assert_allclose(head.output(np.log(T[1:]).astype(dtype)), T[1:], rtol=1e-6)
    with pytest.raises(
        ValueError,
        match=r"y must be >= 0 for a Poisson loss \(counts or rates\); got values such as \[-1.0\]",
    ):
        net.prepare_targets(np.array([[1.0, -1.0]]))
