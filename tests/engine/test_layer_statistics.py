"""Training health statistics on networks whose weights are set by hand, so the answers are known."""

import math

import numpy as np
import pytest

from core.engine.layer_statistics import HISTOGRAM_BINS, GradientHistory, layer_statistics
from core.engine.network import Network
from core.engine.records import EpochRecord
from core.engine.trainer import Trainer

RNG = np.random.default_rng(0)
X = RNG.normal(size=(300, 2)).astype(np.float32)
Y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def _relu_net(n_units: int, dead: int) -> Network:
    """2 -> n ReLU -> 1: the first `dead` units have bias -1000 (z < 0 for every |x| < 100),
    the others weights 0 and bias 1 (a = 1 everywhere)."""
    net = Network([2, n_units, 1], "relu", "sigmoid_bce", rng=0)
    w = np.zeros((2, n_units))
    b = np.where(np.arange(n_units) < dead, -1000.0, 1.0)
    net.set_parameters([w, np.ones((n_units, 1))], [b, [0.0]])
    return net


@pytest.mark.parametrize("dead", [0, 3, 7])
def test_exactly_k_dead_relus_give_share_k_over_n(dead):
    stats = layer_statistics(_relu_net(7, dead), X)
    assert stats[0].dead_share == pytest.approx(dead / 7)
    assert math.isnan(stats[0].saturated_share)
    assert math.isnan(stats[1].dead_share)  # the output layer is not a ReLU


def test_sigmoid_with_huge_weights_is_saturated_and_small_weights_are_not():
    net = Network([2, 4, 1], "sigmoid", "sigmoid_bce", rng=0)
    # units 0, 1: |z| = 1000 |x_0| > 4.6 (sigmoid's 1 % tail) unless |x_0| < 0.0046: ~0.4 % of points
    w = np.array([[1000.0, -1000.0, 0.01, 0.0], [0.0, 0.0, 0.0, 0.01]])
    net.set_parameters([w, np.ones((4, 1))], [np.zeros(4), [0.0]])
    assert layer_statistics(net, X)[0].saturated_share == pytest.approx(0.5)


def test_tanh_saturation_threshold():
    net = Network([2, 2, 1], "tanh", "sigmoid_bce", rng=0)
    # unit 0: bias 3 -> tanh(3) = 0.995 > 0.99 everywhere; unit 1: bias 2 -> tanh(2) = 0.964
    net.set_parameters([np.zeros((2, 2)), np.ones((2, 1))], [[3.0, 2.0], [0.0]])
    assert layer_statistics(net, X)[0].saturated_share == pytest.approx(0.5)


def test_histograms_match_numpy_and_count_every_activation():
    net = Network([2, 5, 3, 1], ["tanh", "sigmoid"], "sigmoid_bce", rng=3)
    stats = layer_statistics(net, X)
    hidden_1 = np.tanh(X.astype(np.float64) @ net.weights[0] + net.biases[0])
    hidden_2 = 1 / (1 + np.exp(-(hidden_1 @ net.weights[1] + net.biases[1])))
    for stat, a, lo, hi in ((stats[0], hidden_1, -1, 1), (stats[1], hidden_2, 0, 1)):
        expected, edges = np.histogram(a, bins=HISTOGRAM_BINS, range=(lo, hi))
        assert stat.counts.sum() == len(X) * a.shape[1]
        np.testing.assert_allclose(stat.edges, edges)
        # float32 forward vs float64 here: a value on a bin edge may move by one bin
        assert np.abs(stat.counts - expected).sum() <= 2
    assert stats[2].counts.sum() == len(X)  # the output layer: one sigmoid unit


def test_relu_histogram_runs_from_zero_to_the_largest_activation():
    net = Network([2, 6, 1], "relu", "sigmoid_bce", rng=1)
    stat = layer_statistics(net, X)[0]
    a = np.maximum(X @ net.weights[0] + net.biases[0], 0)
    assert stat.edges[0] == 0 and stat.edges[-1] == pytest.approx(a.max(), rel=1e-5)


def test_weight_norms_are_frobenius_norms():
    net = Network([2, 5, 4, 3], "relu", "softmax_ce", rng=2)
    net.set_parameters(
        [np.full((2, 5), 2.0), np.full((5, 4), -1.0), np.eye(4, 3)], [np.full(5, 3.0), np.zeros(4), [1, 2, 2]]
    )
    stats = layer_statistics(net, X)
    # sqrt(10 * 4), sqrt(20 * 1), sqrt(3); biases sqrt(5 * 9), 0, sqrt(1 + 4 + 4)
    assert [s.weight_norm for s in stats] == pytest.approx([math.sqrt(40), math.sqrt(20), math.sqrt(3)])
    assert [s.bias_norm for s in stats] == pytest.approx([math.sqrt(45), 0.0, 3.0])


def test_deep_sigmoid_network_shows_vanishing_gradients():
    """Six sigmoid layers: f'(z) <= 1/4 per layer, so dL/dW of the first layer is orders of
    magnitude below the last's."""
    net = Network([2] + [8] * 6 + [1], "sigmoid", "sigmoid_bce", init="xavier", rng=0)
    record = Trainer(net, X, Y, learning_rate=0.03, optimizer="sgd", batch_size=10).train_epochs(3)[-1]
    first, last = record.grad_norms[0], record.grad_norms[-1]
    assert first < last / 1000
    relu = Network([2] + [8] * 6 + [1], "relu", "sigmoid_bce", init="he", rng=0)
    record = Trainer(relu, X, Y, learning_rate=0.03, optimizer="sgd", batch_size=10).train_epochs(3)[-1]
    assert record.grad_norms[0] > record.grad_norms[-1] / 100  # ReLU does not vanish like that


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_relu_at_learning_rate_1_dies(seed):
    """Adam at lr 1 throws the ReLUs' biases far below 0: at least half the hidden units die;
    at lr 0.01 (a few are dead on the sample from the start) far fewer."""

    def dead_after(rate):
        net = Network([2, 8, 8, 1], "relu", "sigmoid_bce", init="he", rng=seed)
        with np.errstate(all="ignore"):
            Trainer(net, X, Y, learning_rate=rate, optimizer="adam", batch_size=10, seed=seed).train_epochs(
                20
            )
        stats = layer_statistics(net, X)[:-1]
        return sum(s.dead_share * s.n_units for s in stats) / sum(s.n_units for s in stats)

    fast = dead_after(1.0)
    assert fast >= 0.5
    assert fast >= dead_after(0.01) + 0.25


def _record(epoch, norms):
    return EpochRecord(epoch, 0.0, 0.0, None, None, 0.1, tuple(norms), 0.0)


def test_gradient_history_is_bounded_and_keeps_the_first_and_every_stride_th_epoch():
    history = GradientHistory(max_points=10)
    history.add(_record(e, (e, 2 * e)) for e in range(1, 101))
    epochs, norms = history.arrays()
    assert len(history) <= 10
    assert np.all(epochs % history.stride == 0)
    np.testing.assert_array_equal(norms[:, 1], 2 * epochs)
    assert history.stride == 16  # 100 epochs into at most 10 points: 16 (6 points), 8 would be 12
    empty = GradientHistory().arrays()
    assert empty[0].shape == (0,)
