"""core.playground.fit1d: the targets, the samples, clicked-point validation, the network built
from the sidebar's configuration and the per-unit contributions, which must add up to the curve."""

from dataclasses import replace

import numpy as np
import pytest

from core.playground import DEFAULT, fit1d, trainer_options


def config(hidden, activation, **changes):
    return replace(DEFAULT, hidden=tuple(hidden), activations=(activation,) * len(hidden), **changes)


def random_biases(network, seed=0):
    """Biases away from zero, so the ReLU kinks fall at different places inside X_RANGE."""
    rng = np.random.default_rng(seed)
    for bias in network.biases:
        bias[...] = rng.uniform(-1.0, 1.0, bias.shape)


# ----------------------------------------------------------------------------- targets and samples
def test_target_values():
    x = np.array([-1.0, 0.0, 1.0], np.float32)
    assert fit1d.target_values("abs", [-1.0, 0.5]).tolist() == [1.0, 0.5]
    np.testing.assert_allclose(fit1d.target_values("cubic", x), [0.0, 0.0, 0.0], atol=1e-7)
    assert fit1d.target_values("cubic", [0.5])[0] == pytest.approx(0.125 - 0.5)
    assert fit1d.target_values("step", [-0.7, -0.01, 0.01, 1.2]).tolist() == [-1.0, -1.0, 1.0, 1.0]
    np.testing.assert_allclose(fit1d.target_values("sin", [np.pi / 4]), [1.0], atol=1e-6)  # sin(2 * pi/4)
    for name in fit1d.TARGETS:
        assert fit1d.target_values(name, x).dtype == np.float32
    with pytest.raises(ValueError, match="unknown target"):
        fit1d.target_values("tan", x)


def test_sample_is_seeded_inside_the_range_and_noisy_by_the_given_amount():
    x, y = fit1d.sample_target("abs", 200, 0.2, seed=3)
    assert x.shape == (200, 1) and y.shape == (200,) and x.dtype == y.dtype == np.float32
    assert x.min() >= fit1d.X_RANGE[0] and x.max() <= fit1d.X_RANGE[1]
    x2, y2 = fit1d.sample_target("abs", 200, 0.2, seed=3)
    assert (x == x2).all() and (y == y2).all()
    residual = y - np.abs(x[:, 0])
    assert 0.15 < residual.std() < 0.25  # N(0, 0.2^2) noise, 200 draws
    _, clean = fit1d.sample_target("abs", 50, 0.0, seed=3)
    x3, _ = fit1d.sample_target("abs", 50, 0.0, seed=3)
    assert (clean == np.abs(x3[:, 0])).all()
    with pytest.raises(ValueError, match="number of points"):
        fit1d.sample_target("abs", 5, 0.1, seed=0)
    with pytest.raises(ValueError, match="noise"):
        fit1d.sample_target("abs", 50, 2.0, seed=0)


@pytest.mark.parametrize(
    "points, message",
    [
        ([], "at least 2"),
        ([(0.0, 0.0)], "at least 2"),
        ([(0.0, 0.0), (float("nan"), 1.0)], "finite"),
        ([(0.0, 0.0), (0.5, float("inf"))], "finite"),
        ([(0.0, 0.0), (2.0, 1.0)], r"x in \[-1.5, 1.5\]"),
        ([(0.0, 0.0), (1.0, -3.5)], "y in"),
        ([(0.0, 0.0, 1.0), (1.0, 1.0, 1.0)], "pair"),
        ([("a", 0.0), (1.0, 1.0)], "pair"),
        ([(0.0, 0.0)] * (fit1d.MAX_POINTS + 1), "at most"),
    ],
)
def test_clicked_points_validation(points, message):
    with pytest.raises(ValueError, match=message):
        fit1d.validate_points(points)


def test_clicked_points_become_arrays():
    x, y = fit1d.validate_points([(-1.0, 0.5), (1.5, -3.0)])
    assert x.tolist() == [[-1.0], [1.5]] and y.tolist() == [0.5, -3.0]
    assert x.dtype == y.dtype == np.float32


# ----------------------------------------------------------------------------- network and contributions
def test_network_uses_the_sidebar_shape_with_one_input_and_a_linear_output():
    network = fit1d.fit_network(config((5, 3), "relu", head="sigmoid_bce", init="he", seed=4))
    assert network.layer_sizes == [1, 5, 3, 1]
    assert network.activation_names == ["relu", "relu"] and network.head.task == "regression"
    again = fit1d.fit_network(config((5, 3), "relu", init="he", seed=4))
    assert (network.params == again.params).all()  # seeded


def test_trainer_uses_the_sidebar_hyperparameters():
    c = config((4,), "tanh", learning_rate=0.1, optimizer="adam", batch_size=7, l2=0.001)
    x, y = fit1d.sample_target("sin", 30, 0.1, seed=1)
    trainer = fit1d.fit_trainer(c, x, y)
    hp = trainer.hp
    expected = trainer_options(c, 30)
    assert (hp.learning_rate, hp.optimizer, hp.batch_size, hp.l2) == (
        expected["learning_rate"],
        expected["optimizer"],
        expected["batch_size"],
        expected["l2"],
    )


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("hidden", [(6,), (5, 4)])
def test_contributions_plus_bias_are_the_network_output(activation, hidden):
    network = fit1d.fit_network(config(hidden, activation, init="he", seed=2))
    random_biases(network)
    curve = fit1d.fit_curve(network)
    assert curve.contributions.shape == (fit1d.GRID_POINTS, hidden[-1])
    assert curve.hidden_layers == len(hidden)
    output = network.predict_output(curve.x[:, None])[:, 0]
    np.testing.assert_allclose(curve.y_hat, output, atol=1e-6)
    np.testing.assert_allclose(curve.bias + curve.contributions.sum(axis=1), output, atol=1e-5)
    if len(hidden) == 1:  # independently: v_j * g(w_j x + b_j), in float64
        w, b = network.weights[0][0].astype(np.float64), network.biases[0].astype(np.float64)
        v = network.weights[1][:, 0].astype(np.float64)
        z = curve.x[:, None].astype(np.float64) * w + b
        g = np.maximum(z, 0.0) if activation == "relu" else np.tanh(z)
        np.testing.assert_allclose(curve.contributions, v * g, atol=1e-5)


def test_no_hidden_layer_is_a_line():
    network = fit1d.fit_network(config((), "tanh"))
    network.biases[0][...] = 0.3
    curve = fit1d.fit_curve(network)
    v = float(network.weights[0][0, 0])
    np.testing.assert_allclose(curve.contributions[:, 0], v * curve.x, atol=1e-6)
    np.testing.assert_allclose(curve.y_hat, 0.3 + v * curve.x, atol=1e-6)


def test_relu_contributions_are_hinges_with_the_kink_at_minus_b_over_w():
    network = fit1d.fit_network(config((8,), "relu", init="he", seed=5))
    random_biases(network, seed=1)
    x = np.linspace(*fit1d.X_RANGE, 3001, dtype=np.float32)
    curve = fit1d.fit_curve(network, x)
    step = float(x[1] - x[0])
    w, b, v = network.weights[0][0], network.biases[0], network.weights[1][:, 0]
    kinks_inside = 0
    for j in range(8):
        kink = -b[j] / w[j]
        c = curve.contributions[:, j].astype(np.float64)
        slope = np.diff(c) / step  # slope of each grid interval
        left, right = x[1:] < kink - step, x[:-1] > kink + step  # intervals clear of the kink
        active_right = w[j] > 0  # relu(w x + b) is on where w x + b > 0: right of the kink if w > 0
        on, off = (right, left) if active_right else (left, right)
        np.testing.assert_allclose(slope[on], v[j] * w[j], rtol=1e-3, atol=1e-3)
        np.testing.assert_allclose(c[np.r_[off, False]], 0.0, atol=1e-6)
        if fit1d.X_RANGE[0] < kink < fit1d.X_RANGE[1]:
            kinks_inside += 1
            # the slope jumps by v_j |w_j| at the kink and nowhere else: the second differences
            # near the kink sum to that jump times the grid step, all the others are 0
            second = np.diff(c, 2)
            near = np.abs(x[1:-1] - kink) <= 2 * step
            jump = v[j] * abs(w[j]) * step
            assert abs(second[near].sum() - jump) <= 1e-3 * abs(jump) + 1e-6
            np.testing.assert_allclose(second[~near], 0.0, atol=2e-6)
    assert kinks_inside >= 3  # the test saw real hinges, not just straight lines


def test_eight_tanh_units_fit_sin():
    c = config((8,), "tanh", optimizer="adam", learning_rate=0.03, batch_size=10, seed=1)
    x, y = fit1d.sample_target("sin", 100, 0.05, seed=1)
    trainer = fit1d.fit_trainer(c, x, y)
    before = fit1d.r_squared(y, trainer.network.predict_output(x)[:, 0])
    trainer.train_epochs(400)
    after = fit1d.r_squared(y, trainer.network.predict_output(x)[:, 0])
    assert before < 0.5 < 0.95 < after
    assert trainer.evaluate(x, y)[1] == pytest.approx(after, abs=1e-5)  # the engine's R² agrees


def test_r_squared():
    y = np.array([1.0, 2.0, 3.0])
    assert fit1d.r_squared(y, y) == 1.0
    assert fit1d.r_squared(y, np.full(3, 2.0)) == 0.0  # the mean of y
    assert fit1d.r_squared(y, [1.0, 2.0, 4.0]) == pytest.approx(1 - 1 / 2)  # SS_res 1, SS_tot 2
