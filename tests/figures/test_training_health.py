"""The training health figures: log axis, one trace per layer, the values given."""

import numpy as np

from core.engine.layer_statistics import layer_statistics
from core.engine.network import Network
from core.figures import training_health as th


def test_gradient_figure_has_a_log_axis_and_one_line_per_layer():
    epochs = np.array([1.0, 2.0, 3.0])
    norms = np.array([[1e-4, 0.5], [0.0, 0.4], [1e-5, 0.3]])
    figure = th.gradient_norm_figure(epochs, norms)
    assert figure.layout.yaxis.type == "log"
    assert [t.name for t in figure.data] == ["layer 1", "output"]
    assert list(figure.data[1].y) == [0.5, 0.4, 0.3]
    assert figure.data[0].y[1] is None  # 0 cannot be drawn on a log axis: a gap
    assert list(figure.data[0].x) == [1.0, 2.0, 3.0]


def test_histograms_and_shares_show_each_layers_values():
    X = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    net = Network([2, 4, 3, 1], ["relu", "tanh"], "sigmoid_bce", rng=0)
    stats = layer_statistics(net, X)
    hist = th.activation_histograms_figure(stats)
    assert len(hist.data) == 3
    assert [sum(t.y) for t in hist.data] == [200, 150, 50]  # every activation counted once
    shares = th.shares_figure(stats)
    dead, saturated, w, b = shares.data
    assert list(dead.x) == ["layer 1", "layer 2"]
    assert dead.y[0] == stats[0].dead_share and dead.y[1] == 0.0  # tanh: no dead share
    assert saturated.y[1] == stats[1].saturated_share
    assert list(w.y) == [s.weight_norm for s in stats]
    assert list(b.y) == [s.bias_norm for s in stats]
