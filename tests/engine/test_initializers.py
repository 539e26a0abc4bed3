"""Each initializer draws weights at the scale its docstring promises (initializers.py).

Statistical checks on large matrices: with 200,000+ draws the sample variance is within about
1% of the true one, so the 3% tolerances below hold for any seed, while a scheme off by a
factor (He with variance 1/n_in instead of 2/n_in, Xavier's limit for a normal draw, ...) fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine import INITIALIZERS, Network, initial_weights

N_IN, N_OUT = 500, 400  # 200,000 weights
TOLERANCE = 0.03  # relative, on variances (the sampling error is ~0.3%)


def kurtosis(w) -> float:
    """E[(w - mean)^4] / var^2: 3 for a normal distribution, 1.8 for a uniform one."""
    centred = w.ravel() - w.mean()
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2)


def draw(name, n_in=N_IN, n_out=N_OUT, seed=0):
    return initial_weights(name, np.random.default_rng(seed), n_in, n_out)


@pytest.mark.parametrize("n_in, n_out", [(500, 400), (2_000, 100), (50, 4_000)])
def test_he_is_normal_with_variance_2_over_fan_in(n_in, n_out):
    w = draw("he", n_in, n_out)
    assert w.shape == (n_in, n_out)
    assert w.var() == pytest.approx(2.0 / n_in, rel=TOLERANCE)
    assert abs(w.mean()) < 4 * math.sqrt(2.0 / n_in / w.size)  # centred (4 standard errors)
    # normal, not uniform of the same variance: kurtosis 3 (a uniform's is 1.8)
    assert kurtosis(w) == pytest.approx(3.0, abs=0.1)
    # the fan-out does not enter the scale
    assert draw("he", n_in, 2 * n_out).var() == pytest.approx(w.var(), rel=TOLERANCE)


@pytest.mark.parametrize("n_in, n_out", [(500, 400), (2_000, 100), (50, 4_000)])
def test_xavier_is_uniform_within_sqrt_6_over_fan_in_plus_fan_out(n_in, n_out):
    limit = math.sqrt(6.0 / (n_in + n_out))
    w = draw("xavier", n_in, n_out)
    assert w.shape == (n_in, n_out)
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.999 * limit  # the whole interval is used
    assert w.var() == pytest.approx(limit**2 / 3, rel=TOLERANCE)  # = 2 / (n_in + n_out)
    assert w.var() == pytest.approx(2.0 / (n_in + n_out), rel=TOLERANCE)
    assert kurtosis(w) == pytest.approx(1.8, abs=0.05)


def test_uniform_is_uniform_on_minus_half_to_half_whatever_the_fans():
    for n_in, n_out in [(500, 400), (2, 100_000)]:
        w = draw("uniform", n_in, n_out)
        assert w.min() >= -0.5 and w.max() < 0.5
        assert w.min() < -0.499 and w.max() > 0.499
        assert w.var() == pytest.approx(1.0 / 12.0, rel=TOLERANCE)
        assert abs(w.mean()) < 4 * math.sqrt(1.0 / 12.0 / w.size)


def test_zeros_is_all_zeros():
    w = draw("zeros", 30, 20)
    assert w.shape == (30, 20)
    assert not np.any(w)


def test_same_is_one_value_scaled_by_the_fan_in():
    w = draw("same", 25, 8)
    assert w.shape == (25, 8)
    np.testing.assert_array_equal(w, np.full((25, 8), 0.2))  # 1 / sqrt(25)


def test_every_initializer_is_pinned_here():
    assert set(INITIALIZERS) == {"he", "xavier", "uniform", "same", "zeros"}


def test_same_seed_same_weights_other_seed_other_weights():
    for name in ("he", "xavier", "uniform"):
        np.testing.assert_array_equal(draw(name, 40, 30, seed=3), draw(name, 40, 30, seed=3))
        assert not np.array_equal(draw(name, 40, 30, seed=3), draw(name, 40, 30, seed=4))


def test_a_network_draws_each_layer_with_its_own_fan_in_and_zero_biases():
    net = Network([1_000, 300, 200, 10], "relu", "softmax_ce", init="he", rng=0)
    for layer in net.layers:
        assert layer.weights.dtype == np.float32
        assert layer.weights.var() == pytest.approx(2.0 / layer.n_in, rel=TOLERANCE)
        assert not np.any(layer.bias)
    net = Network([1_000, 300, 200, 10], "tanh", "softmax_ce", init="xavier", rng=0)
    for layer in net.layers[:2]:  # the 2,000-weight last layer is too small for a 3% test
        assert layer.weights.var() == pytest.approx(2.0 / (layer.n_in + layer.n_out), rel=TOLERANCE)


def test_unknown_initializer_is_refused_with_the_allowed_names():
    allowed = r"\['he', 'same', 'uniform', 'xavier', 'zeros'\]"
    with pytest.raises(ValueError, match=r"init must be one of " + allowed):
        draw("glorot")
