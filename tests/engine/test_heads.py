"""The output heads beyond their gradients (tests/engine/test_gradients.py checks those): the
sigmoid's tails against scipy's expit, and the multilabel head (k sigmoids, BCE summed over the
labels) end to end: targets, loss, predictions, the subset-accuracy metric, and learning."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

from core.engine.activations import sigmoid
from core.engine.losses import HEAD_FOR_TASK, get_output_head
from core.engine.network import Network
from core.engine.records import metric_value
from core.engine.trainer import Trainer


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_tails_match_expit(dtype):
    """exp(z) / (1 + exp(z)) for z < 0: sigmoid(-30) is 9.4e-14, not 0 (the tanh form gave 0
    below about -17 in float32 and -37 in float64)."""
    z = np.array([-80.0, -50.0, -30.0, -20.0, -1.0, 0.0, 1.0, 20.0, 30.0, 50.0, 80.0], dtype)
    expected = scipy.special.expit(z.astype(np.float64))
    p = sigmoid(z)
    assert p.dtype == dtype
    assert expected[0] == pytest.approx(1.8e-35, rel=0.01)  # the values are really that small
    assert np.all(p[:5] > 0)
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(p, expected, rtol=rtol, atol=0)
    in_place = z.copy()
    assert sigmoid(in_place, out=in_place) is in_place
    np.testing.assert_array_equal(in_place, p)


def test_sigmoid_float32_floor_below_minus_88():
    """Stated limit: -z is capped at 88 in float32 (e^88 is the largest finite power), so below
    z = -88 the result stays at 1 / (1 + e^88), about 6e-39: within 6e-39 of the exact value."""
    z = np.array([-87.0, -100.0, -104.0, -200.0], np.float32)
    with np.errstate(over="raise"):  # nothing overflows on the way (the result is subnormal)
        p = sigmoid(z)
    assert p[0] == pytest.approx(scipy.special.expit(-87.0), rel=1e-5)
    floor = 1 / (1 + np.exp(np.float64(88.0)))
    assert floor == pytest.approx(6.05e-39, rel=0.01)
    np.testing.assert_allclose(p[1:], floor, rtol=1e-5)
    assert sigmoid(np.float64(-700.0)) == pytest.approx(scipy.special.expit(-700.0), rel=1e-12)


def test_sigmoid_scalars_and_integers():
    assert sigmoid(0) == 0.5
    assert sigmoid(np.float32(-30.0)) == pytest.approx(9.357622968840175e-14, rel=1e-6)
    np.testing.assert_allclose(sigmoid([-2, 3]), scipy.special.expit([-2.0, 3.0]), rtol=1e-15)


def _multilabel_net(k=3, dtype=np.float64):
    return Network([2, 4, k], "tanh", "sigmoid_bce_multilabel", rng=1, dtype=dtype)


def test_multilabel_head_targets_and_loss():
    head = get_output_head("sigmoid_bce_multilabel")
    assert head.task == "multilabel" and HEAD_FOR_TASK["multilabel"] == head.name
    assert head.n_outputs(4) == 4
    y = np.array([[0, 1, 1], [1, 0, 0]])
    np.testing.assert_array_equal(head.prepare_targets(y, 3), y.astype(np.float32))
    with pytest.raises(ValueError, match="0/1 labels"):
        head.prepare_targets(np.array([[0, 2, 1]]), 3)
    with pytest.raises(ValueError, match="3 column"):
        head.prepare_targets(np.array([[0, 1]]), 3)
    # the loss: per sample the sum of the k binary cross-entropies, averaged over samples
    z = np.array([[2.0, -1.0, 0.5], [-3.0, 4.0, 0.0]])
    p = scipy.special.expit(z)
    expected = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / 2
    assert head.loss_from_logits(z, y.astype(float)) == pytest.approx(expected, rel=1e-12)


def test_multilabel_network_predictions_and_subset_accuracy():
    net = _multilabel_net()
    X = np.array([[0.3, -1.0], [2.0, 0.5], [-1.5, 1.5]])
    z = net.logits(X)
    np.testing.assert_allclose(net.predict_output(X), scipy.special.expit(z), rtol=1e-14)
    np.testing.assert_allclose(net.predict_proba(X), scipy.special.expit(z), rtol=1e-14)
    np.testing.assert_array_equal(net.predict(X), (z > 0).astype(int))
    # subset accuracy: a sample counts only when all its labels are right
    output = np.array([[0.9, 0.2, 0.7], [0.6, 0.6, 0.1], [0.1, 0.1, 0.1]])
    y = np.array([[1, 0, 1], [1, 0, 0], [0, 0, 0]])
    assert metric_value("multilabel", output, y) == pytest.approx(2 / 3)


def test_multilabel_network_learns_independent_labels():
    """Three labels of the plane: x > 0, y > 0 and |x| < 0.5 (any combination, also none)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (600, 2)).astype(np.float32)
    Y = np.stack([X[:, 0] > 0, X[:, 1] > 0, np.abs(X[:, 0]) < 0.5], axis=1).astype(int)
    net = Network([2, 16, 3], "tanh", "sigmoid_bce_multilabel", rng=0)
    trainer = Trainer(net, X[:400], Y[:400], X[400:], Y[400:], learning_rate=0.02, batch_size=16)
    first = trainer.train_epochs(1)[0]
    last = trainer.train_epochs(60)[-1]
    assert last.train_loss < first.train_loss / 3
    assert last.val_metric >= 0.9  # all three labels right on 90% of held-out points
    per_label = np.mean(net.predict(X[400:]) == Y[400:], axis=0)
    assert np.all(per_label >= 0.95), per_label
