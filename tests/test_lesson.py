"""Unit tests of core/lesson/: the Learn page's numbers are the engine's numbers.

Where a test needs an independent value it computes it here from first principles (np.dot, a
finite difference) or straight from the engine (Network.objective, gradient_trace, an optimizer),
never through the lesson function under test.
"""

import re
import subprocess
import sys

import numpy as np
import pytest

from core import lesson
from core.engine.activations import ACTIVATIONS, get_activation
from core.engine.losses import softmax
from core.engine.optimizers import OPTIMIZERS, make_optimizer


def _net(sizes=(3, 4, 3), activation="relu", init="he", seed=0):
    return lesson.lesson_network(list(sizes), activation, init, seed)


# ----------------------------------------------------------------------------- formatting
def test_fmt_and_latex_number():
    assert lesson.fmt(1.5) == "1.5"
    assert lesson.fmt(-0.0) == "0"
    assert lesson.fmt(1 / 3, 4) == "0.3333"
    assert lesson.latex_number(1.5e-5) == r"1.5 \times 10^{-5}"
    assert lesson.latex_number(-2e7, 2) == r"-2 \times 10^{7}"


def test_latex_matrix():
    assert (
        lesson.latex_matrix(np.array([[1.0, -0.5], [0.25, 2.0]]))
        == r"\begin{bmatrix}1 & -0.5 \\ 0.25 & 2\end{bmatrix}"
    )
    # a 1-D bias is one row, the way it is added to z
    assert lesson.latex_matrix(np.array([1.23456, -0.0])) == r"\begin{bmatrix}1.23 & 0\end{bmatrix}"
    assert lesson.latex_matrix(np.array([[1e-6]]), 2) == r"\begin{bmatrix}1 \times 10^{-6}\end{bmatrix}"


def test_shape_text():
    assert lesson.shape_text(np.zeros((1, 3))) == r"1 \times 3"
    assert lesson.shape_text(np.zeros(4)) == "4"


@pytest.mark.parametrize(
    "text, sizes", [("3-4-3", (3, 4, 3)), ("2, 3, 2", (2, 3, 2)), (" 2-3-3-2 ", (2, 3, 3, 2))]
)
def test_parse_lesson_sizes(text, sizes):
    assert lesson.parse_lesson_sizes(text) == sizes


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "give inputs, 1 to 3 hidden layers and the classes, e.g. 3-4-3 or 2-3-3-2; got 0"),
        ("3", "got 1 number"),
        ("3-4", "got 2 number"),
        ("1-2-2-2-2-2", "got 6 number"),
        ("3-x-3", "layer sizes must be whole numbers joined by commas, spaces or dashes, e.g. 3-4-3"),
        ("3-0-3", "each layer needs 1 to 6 neurons; got 0"),
        ("3-7-3", "each layer needs 1 to 6 neurons; got 7"),
        ("3-4-1", "a softmax output needs at least 2 classes"),
    ],
)
def test_parse_lesson_sizes_rejects_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lesson.parse_lesson_sizes(text)


def test_latex_symbols():
    assert lesson.vec("z", 2) == "z^{(2)}"
    assert lesson.partial("W", 1) == r"\frac{\partial L}{\partial W^{(1)}}"
    assert lesson.transposed("x") == "x^T" and lesson.transposed("a^{(1)}") == "(a^{(1)})^T"
    assert lesson.under("x", np.zeros((1, 3))) == r"\underbrace{x}_{1 \times 3}"
    assert lesson.weight_symbol(2, 0, 2) == "W^{(2)}_{13}"


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_fill_formula_puts_the_number_in(name):
    filled = lesson.fill_formula(ACTIVATIONS[name].formula, -0.25)
    assert "z" not in filled and "0.25" in filled
    assert "--" not in filled.replace(" ", "")


# ----------------------------------------------------------------------------- one neuron
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_neuron_matches_weighted_sum_and_activation(name):
    x, w, b = [1.0, -0.5, 2.0], [0.6, -0.4, 0.3], -0.35
    r = lesson.neuron(x, w, b, name)
    assert r.z == pytest.approx(float(np.dot(x, w) + b), abs=1e-12)
    assert r.a == pytest.approx(float(get_activation(name)(np.array([[r.z]]))[0, 0]), abs=1e-12)
    assert np.array_equal(r.inputs, x) and np.array_equal(r.weights, w) and r.bias == b
    # f'(z) against a finite difference of f (every activation is smooth away from 0 here)
    f = get_activation(name)
    h = 1e-6
    slope = (f(np.array([[r.z + h]]))[0, 0] - f(np.array([[r.z - h]]))[0, 0]) / (2 * h)
    assert r.slope == pytest.approx(slope, rel=1e-5, abs=1e-8)


def test_neuron_formulas_put_the_numbers_in():
    r = lesson.neuron([1.0, -0.5, 2.0], [0.6, -0.4, 0.3], 0.1, "relu")
    assert lesson.weighted_sum_latex(r) == (
        "z = w_1 x_1 + w_2 x_2 + w_3 x_3 + b = (0.6)(1) + (-0.4)(-0.5) + (0.3)(2) + (0.1) = 1.5"
    )
    assert lesson.activation_latex(r) == r"a = f(z) = \max(0, z) = \max(0, 1.5) = 1.5"


def test_neuron_relu_off():
    r = lesson.neuron([1.0, 1.0, 1.0], [-1.0, -1.0, -1.0], 0.5, "relu")
    assert r.z == pytest.approx(-2.5) and r.a == 0 and r.slope == 0


def test_neuron_checks_lengths():
    with pytest.raises(ValueError):
        lesson.neuron([1.0, 2.0], [1.0], 0.0)


def test_activation_curve():
    z, a = lesson.activation_curve("relu")
    assert z[0] == -4 and z[-1] == 4 and np.array_equal(a, np.maximum(z, 0))


# ----------------------------------------------------------------------------- lesson network
def test_lesson_network_and_sample_are_deterministic():
    a, b = _net(seed=3), _net(seed=3)
    assert a.dtype == np.float64 and a.head.name == "softmax_ce"
    assert np.array_equal(a.params, b.params)
    x1, x2 = lesson.lesson_sample(a, 3), lesson.lesson_sample(b, 3)
    assert x1.shape == (1, 3) and np.array_equal(x1, x2)
    assert np.array_equal(x1, np.round(x1, 1))
    assert np.count_nonzero(a.trace(x1)[0].a) >= 1  # the backward pass has something to show


def test_lesson_sample_with_zeros_init():
    net = _net(init="zeros")
    assert lesson.lesson_sample(net, 0).shape == (1, 3)


# ----------------------------------------------------------------------------- forward pass
@pytest.mark.parametrize(
    "sizes, activation, label", [((3, 4, 3), "relu", 0), ((2, 3, 2), "tanh", 1), ((2, 3, 3, 4), "sigmoid", 3)]
)
def test_forward_pass_numbers_are_the_engines(sizes, activation, label):
    net = _net(sizes, activation, seed=1)
    x = lesson.lesson_sample(net, 1)
    fp = lesson.forward_pass(net, x, label)
    targets = net.prepare_targets([label])
    assert fp.loss == net.objective(x, targets)
    traces = net.trace(x)
    assert len(fp.layers) == len(net.layers)
    a_prev = x
    for lf, tr, layer in zip(fp.layers, traces, net.layers):
        assert np.array_equal(lf.a_prev, a_prev)
        assert np.array_equal(lf.z, tr.z) and np.array_equal(lf.a, tr.a)
        assert np.allclose(lf.z, a_prev @ layer.weights + layer.bias, atol=1e-12)
        a_prev = tr.a
    assert fp.layers[-1].is_output and not fp.layers[0].is_output
    sm = fp.softmax
    assert np.array_equal(sm.p, softmax(traces[-1].z)) and np.array_equal(sm.p, traces[-1].a)
    assert sm.shifted.max() == 0
    assert np.allclose(sm.exps / sm.total, sm.p, atol=1e-15)
    assert np.array_equal(fp.target, targets) and fp.target[0, label] == 1 and fp.target.sum() == 1
    assert fp.loss == pytest.approx(-np.log(sm.p[0, label]), rel=1e-12)
    assert fp.loss == pytest.approx(-fp.log_p[0, label], rel=1e-12)
    assert fp.predicted == int(np.argmax(sm.p))
    # the output layer's function is the head's softmax; hidden layers name their activation
    assert fp.layers[-1].activation == "softmax" and fp.layers[-1].formula == lesson.SOFTMAX_FORMULA
    assert all(lf.activation == activation for lf in fp.layers[:-1])


# ----------------------------------------------------------------------------- backward pass
@pytest.mark.parametrize(
    "sizes, activation", [((3, 4, 3), "relu"), ((2, 3, 3, 2), "tanh"), ((3, 2, 4), "leaky_relu")]
)
def test_backward_pass_numbers_are_the_engines(sizes, activation):
    net = _net(sizes, activation, seed=2)
    x = lesson.lesson_sample(net, 2)
    bp = lesson.backward_pass(net, x, 1)
    reference = net.copy().gradient_trace(x, [1])
    p = softmax(net.trace(x)[-1].z)
    t = net.prepare_targets([1])
    assert np.allclose(bp.head_gradient, p - t, atol=1e-15)  # (p - t) / n with n = 1
    assert np.allclose(bp.layers[-1].grad_z, p - t, atol=1e-15)
    for lb, ref in zip(bp.layers, reference):
        assert np.array_equal(lb.grad_weights, ref["grad_weights"])
        assert np.array_equal(lb.grad_bias, ref["grad_bias"])
        assert np.array_equal(lb.grad_z, ref["grad_z"])
        assert (lb.grad_a_prev is None) == (ref["grad_a_prev"] is None)
        # the textbook formulas the page prints
        assert np.allclose(lb.grad_weights, lb.a_prev.T @ lb.grad_z, atol=1e-14)
        assert np.allclose(lb.grad_bias, lb.grad_z.sum(axis=0), atol=1e-14)
        if lb.grad_a_prev is not None:
            assert np.allclose(lb.grad_a_prev, lb.grad_z @ lb.weights.T, atol=1e-14)
        if not lb.is_output:
            assert np.allclose(lb.grad_z, lb.grad_a * lb.slope, atol=1e-14)
    assert bp.layers[0].grad_a_prev is None


def test_chain_rule_product_equals_backprop_for_every_weight():
    for activation in ("relu", "sigmoid", "tanh"):
        net = _net((3, 4, 3, 3), activation, seed=5)
        x = lesson.lesson_sample(net, 5)
        bp = lesson.backward_pass(net, x, 2)
        for layer in range(1, len(net.layers) + 1):
            n_in, n_out = net.layers[layer - 1].weights.shape
            for i in range(n_in):
                for j in range(n_out):
                    cr = lesson.chain_rule(bp, layer, i, j)
                    assert len(cr.values) == (2 if layer == len(net.layers) else 3)
                    assert cr.product == pytest.approx(cr.gradient, rel=1e-12, abs=1e-15)
                    assert cr.gradient == bp.layers[layer - 1].grad_weights[i, j]


def test_chain_rule_as_latex():
    cr = lesson.ChainRule(
        2, 0, 1, [r"\frac{\partial L}{\partial z_2} = p_2 - t_2", "a_1"], [0.5, -2.0], -1.0, -1.0
    )
    assert cr.factor_names == [r"\frac{\partial L}{\partial z_2}", "a_1"]
    dl_dw = r"\frac{\partial L}{\partial W^{(2)}_{12}}"
    assert cr.latex_product() == dl_dw + r" = \frac{\partial L}{\partial z_2} \cdot a_1"
    assert cr.latex_numbers() == dl_dw + r" = (0.5) \times (-2) = -1"


def test_neuron_is_active():
    net = _net(seed=0)
    x = lesson.lesson_sample(net, 0)
    bp = lesson.backward_pass(net, x, 0)
    hidden = net.trace(x)[0].a[0]
    for j, value in enumerate(hidden):
        assert lesson.neuron_is_active(bp, 1, j) == (value > 0)
    assert lesson.neuron_is_active(bp, 2, 0)


# ----------------------------------------------------------------------------- gradient check
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradient_check_agrees_with_backprop(activation):
    net = _net((3, 4, 3), activation, seed=4)
    x = lesson.lesson_sample(net, 4)
    before = net.params.copy()
    analytic = net.copy().gradient_trace(x, [2])
    for layer in (1, 2):
        n_in, n_out = net.layers[layer - 1].weights.shape
        for i in range(n_in):
            for j in range(n_out):
                gc = lesson.gradient_check(net, x, 2, layer, i, j, 1e-5)
                assert gc.analytic == analytic[layer - 1]["grad_weights"][i, j]
                assert gc.numerical == pytest.approx(gc.analytic, rel=1e-6, abs=1e-9)
                assert gc.weight == net.layers[layer - 1].weights[i, j]
    assert np.array_equal(net.params, before)  # the lesson network was not nudged


def test_gradient_check_as_latex():
    gc = lesson.GradientCheck(1, 2, 0, 0.3, 1e-5, 1.25, 1.24, 500.0, 500.0, 0.0)
    assert gc.latex(4) == (
        r"\frac{\partial L}{\partial W^{(1)}_{31}} \approx "
        r"\frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon} = "
        r"\frac{1.25 - 1.24}{2 \cdot 1 \times 10^{-5}} = 500"
    )


def test_gradient_check_numerical_formula():
    net = _net(seed=0)
    x = lesson.lesson_sample(net, 0)
    gc = lesson.gradient_check(net, x, 0, 2, 1, 2, 1e-4)
    assert gc.numerical == (gc.loss_plus - gc.loss_minus) / 2e-4
    assert gc.relative_error < 1e-6


# ----------------------------------------------------------------------------- the update
def _engine_steps(net, x, label, name, lr, count):
    """`count` optimizer steps done directly with the engine, on a copy."""
    clone = net.copy()
    optimizer = make_optimizer(name, lr)
    for _ in range(count):
        clone.gradient_trace(x, [label])
        optimizer.update([clone.params], [clone.grads])
    return clone


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_step_is_the_engines_step(name):
    net = _net(seed=0)
    x = lesson.lesson_sample(net, 0)
    targets = net.prepare_targets([0])
    optimizer = lesson.keep_optimizer(None, name, 0.05)
    expected = _engine_steps(net, x, 0, name, 0.05, 3)
    for t in range(1, 4):
        before, loss_before = net.params.copy(), net.objective(x, targets)
        step = lesson.optimizer_step(net, optimizer, x, 0)
        assert step.step == t and step.optimizer == name and step.learning_rate == 0.05
        assert step.loss_before == loss_before
        assert step.loss_after == net.objective(x, targets)
        assert not np.array_equal(before, net.params)
    assert np.allclose(net.params, expected.params, rtol=0, atol=1e-14)
    assert step.loss_after == pytest.approx(expected.objective(x, targets), rel=1e-12)


def test_optimizer_step_records_before_and_after():
    net = _net(seed=0)
    x = lesson.lesson_sample(net, 0)
    targets = net.prepare_targets([0])
    loss0 = net.objective(x, targets)
    w0 = [w.copy() for w in net.weights]
    step = lesson.optimizer_step(net, lesson.keep_optimizer(None, "sgd", 0.01), x, 0)
    assert step.loss_before == loss0 and step.loss_after < loss0
    for i in range(len(w0)):
        assert np.array_equal(step.weights_before[i], w0[i])
        assert np.array_equal(step.weights_after[i], net.weights[i])
        # plain SGD: w_new = w - lr g
        assert np.allclose(step.weights_after[i], w0[i] - 0.01 * step.grad_weights[i], atol=1e-15)


def test_preview_step_leaves_network_and_optimizer_alone():
    net = _net(seed=0)
    x = lesson.lesson_sample(net, 0)
    optimizer = lesson.keep_optimizer(None, "adam", 0.01)
    lesson.optimizer_step(net, optimizer, x, 0)  # give Adam some state
    params, state = net.params.copy(), [a.copy() for a in optimizer.state_arrays()]
    preview = lesson.preview_step(net, optimizer, x, 0)
    assert np.array_equal(net.params, params) and optimizer.n_updates == 1
    assert all(np.array_equal(a, b) for a, b in zip(optimizer.state_arrays(), state))
    committed = lesson.optimizer_step(net, optimizer, x, 0)
    assert preview.step == committed.step == 2
    assert preview.loss_after == committed.loss_after
    assert all(np.array_equal(a, b) for a, b in zip(preview.weights_after, committed.weights_after))


def test_update_step_as_latex():
    net = _net((2, 3, 2), seed=0)
    x = lesson.lesson_sample(net, 0)
    step = lesson.preview_step(net, lesson.keep_optimizer(None, "sgd", 0.1), x, 1)
    w_block, b_block = step.latex_layer(2)
    m = lesson.latex_matrix
    assert w_block == (
        rf"\begin{{aligned}} g = {lesson.partial('W', 2)} &= {m(step.grad_weights[1])} \\[2pt] "
        rf"W^{{(2)}} &= {m(step.weights_before[1])} \\[2pt] "
        rf"W^{{(2)}}_{{\text{{new}}}} &= {m(step.weights_after[1])} \end{{aligned}}"
    )
    assert m(step.biases_after[1]) in b_block and "b^{(2)}" in b_block


def test_keep_optimizer():
    first = lesson.keep_optimizer(None, "momentum", 0.1)
    assert first.name == "momentum" and first.learning_rate == 0.1
    same = lesson.keep_optimizer(first, "momentum", 0.05)
    assert same is first and same.learning_rate == 0.05
    other = lesson.keep_optimizer(first, "adam", 0.05)
    assert other is not first and other.name == "adam" and other.n_updates == 0
    with pytest.raises(ValueError):
        lesson.keep_optimizer(first, "momentum", -1)


def test_every_optimizer_has_a_formula():
    assert set(lesson.OPTIMIZER_FORMULAS) == set(OPTIMIZERS)


# ----------------------------------------------------------------------------- initialization
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_zeros_init_keeps_neurons_identical(activation):
    run = lesson.symmetry_run([3, 4, 3], activation, "zeros", seed=0, steps=30)
    assert run.spread == 0
    assert np.all(run.weights == run.weights[:, :1]) and np.all(run.bias == run.bias[0])
    assert np.all(run.hidden == run.hidden[:, :1])
    assert len(run.losses) == 31
    if activation == "sigmoid":  # sigmoid(0) = 0.5: the weights do move, but all alike
        assert np.any(run.weights != 0)


@pytest.mark.parametrize("init", ["he", "xavier", "uniform"])
def test_random_init_neurons_differ(init):
    run = lesson.symmetry_run([3, 4, 3], "sigmoid", init, seed=0, steps=10)
    assert run.spread > 1e-3
    assert len({tuple(col) for col in np.round(run.weights.T, 12)}) == run.weights.shape[1]
    assert run.losses[-1] < run.losses[0]


def test_symmetry_run_is_the_engines_training():
    run = lesson.symmetry_run([2, 3, 2], "tanh", "he", seed=1, steps=5, learning_rate=0.5)
    net = lesson.lesson_network([2, 3, 2], "tanh", "he", 1)
    X, labels = lesson.symmetry_batch(2, 2, 1)
    optimizer = make_optimizer("sgd", 0.5)
    for _ in range(5):
        net.gradient_trace(X, labels)
        optimizer.update([net.params], [net.grads])
    assert np.array_equal(run.weights, net.layers[0].weights)
    assert run.losses[-1] == net.objective(X, net.prepare_targets(labels))


def test_neuron_spread():
    w = np.array([[1.0, 1.0], [2.0, 2.5]])
    assert lesson.neuron_spread(w, np.array([0.0, 0.0])) == 0.5
    assert lesson.neuron_spread(w[:, :1].repeat(3, 1), np.zeros(3)) == 0


def test_core_lesson_does_not_import_streamlit():
    code = "import sys, core.lesson; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
