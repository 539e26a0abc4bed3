"""Sample weights in the trainer: each mini-batch's loss is the weighted mean of its samples'
losses (the gradients themselves are checked by central differences in test_gradients.py);
the weights travel with their samples through the shuffles, and the recorded losses and
metrics are weighted as scikit-learn weights its scores."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, r2_score

import core.engine.trainer as trainer_module
from core.engine.network import Network
from core.engine.trainer import Trainer

EPOCH_GATHER = trainer_module.GATHER_EPOCH_LIMIT  # the whole epoch gathered at once (these sizes)
BATCH_GATHER = 0  # each mini-batch gathered on its own, as for big data sets


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    w = rng.uniform(0.1, 3.0, n)
    return X, y, w


def _run(X, y, w=None, epochs=4, seed=0, **options):
    net = Network([3, 6, 1], "tanh", "sigmoid_bce", rng=1, dtype=np.float64)
    settings = {"learning_rate": 0.1, "optimizer": "momentum", "batch_size": 8, **options}
    trainer = Trainer(net, X, y, seed=seed, sample_weight=w, **settings)
    trainer.train_epochs(epochs)
    return trainer


def test_zero_weights_train_as_if_those_samples_were_absent():
    """Full batch in the given order: a weight of 0 removes a sample from every gradient."""
    X, y, w = _data()
    w[::3] = 0.0
    kept = w > 0
    full = dict(batch_size=len(X), shuffle=False)
    weighted = _run(X, y, w, **full)
    subset = _run(X[kept], y[kept], w[kept], **{**full, "batch_size": int(kept.sum())})
    np.testing.assert_allclose(weighted.network.params, subset.network.params, rtol=1e-12, atol=1e-14)
    assert weighted.history[-1].train_loss == pytest.approx(subset.history[-1].train_loss, rel=1e-12)
    unweighted = _run(X, y, None, **full)
    assert not np.allclose(weighted.network.params, unweighted.network.params)


@pytest.mark.parametrize("gather_limit", [EPOCH_GATHER, BATCH_GATHER])
def test_weights_follow_their_samples_through_the_shuffles(gather_limit, monkeypatch):
    """Mini-batches of shuffled samples (gathered per epoch, or per batch for big data sets):
    weights all 1 are no weights at all, bit for bit; other weights change the run."""
    monkeypatch.setattr(trainer_module, "GATHER_EPOCH_LIMIT", gather_limit)
    X, y, w = _data()
    plain = _run(X, y, None)
    ones = _run(X, y, np.ones(len(X)))
    np.testing.assert_array_equal(ones.network.params, plain.network.params)
    assert [r.train_loss for r in ones.history] == pytest.approx(
        [r.train_loss for r in plain.history], rel=1e-12
    )
    # the same weighted run whichever way the batches are gathered
    other = BATCH_GATHER if gather_limit == EPOCH_GATHER else EPOCH_GATHER
    monkeypatch.setattr(trainer_module, "GATHER_EPOCH_LIMIT", other)
    other_path = _run(X, y, w)
    monkeypatch.setattr(trainer_module, "GATHER_EPOCH_LIMIT", gather_limit)
    np.testing.assert_allclose(_run(X, y, w).network.params, other_path.network.params, rtol=1e-12)
    # a weight moved to another sample is another run: the weights are tied to their samples
    assert not np.allclose(_run(X, y, w).network.params, _run(X, y, np.roll(w, 1)).network.params)


def test_recorded_losses_and_metrics_are_weighted():
    X, y, w = _data(60, seed=3)
    X_val, y_val, w_val = _data(30, seed=4)
    net = Network([3, 6, 1], "tanh", "sigmoid_bce", rng=1, dtype=np.float64)
    trainer = Trainer(net, X, y, X_val, y_val, sample_weight=w, val_sample_weight=w_val, learning_rate=0.05)
    record = trainer.train_epochs(2)[-1]
    p = net.predict_output(X)[:, 0]
    per_sample = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert record.train_loss == pytest.approx(np.average(per_sample, weights=w), rel=1e-10)
    val_predictions = (net.predict_output(X_val)[:, 0] > 0.5).astype(int)
    assert record.val_metric == pytest.approx(accuracy_score(y_val, val_predictions, sample_weight=w_val))
    assert trainer.evaluate(X_val, y_val, w_val) == pytest.approx((record.val_loss, record.val_metric))
    assert trainer.evaluate(X_val, y_val)[0] != pytest.approx(record.val_loss, rel=1e-6)
    # R² with weights is scikit-learn's r2_score with sample_weight (two outputs, averaged)
    Y = np.c_[X[:, 0] - X[:, 1], X[:, 2] ** 2]
    reg = Trainer(
        Network([3, 5, 2], "tanh", "linear_mse", rng=2, dtype=np.float64),
        X,
        Y,
        X,
        Y,
        sample_weight=w,
        val_sample_weight=w,
    )
    record = reg.train_epochs(3)[-1]
    assert record.val_metric == pytest.approx(r2_score(Y, reg.network.predict(X), sample_weight=w), rel=1e-10)


def test_new_training_data_brings_its_own_weights():
    X, y, w = _data()
    trainer = _run(X, y, w, epochs=1)
    trainer.set_training_data(X[:20], y[:20], sample_weight=w[:20])
    trainer.train_epochs(1)
    assert trainer.history[-1].train_loss == pytest.approx(
        trainer.evaluate(X[:20], y[:20], w[:20])[0], rel=1e-12
    )
    trainer.set_training_data(X, y)  # no weights: every sample counts once again
    assert trainer.w_train is None
    with pytest.raises(ValueError, match=r"val_sample_weight comes with a new validation set"):
        trainer.set_training_data(X, y, val_sample_weight=w)


@pytest.mark.parametrize(
    "weights, message",
    [
        (np.ones(39), r"sample_weight must hold one weight per sample, shape \(40,\); got shape \(39,\)"),
        (np.ones((40, 1)), r"shape \(40,\); got shape \(40, 1\)"),
        (
            np.r_[np.ones(39), np.nan],
            r"sample_weight must hold finite numbers \(no NaN or inf\); got nan at index 39",
        ),
        (
            np.r_[np.ones(39), -1.0],
            r"sample_weight must be >= 0 and not all 0; got values such as \[-1.0, 1.0\]",
        ),
        (np.zeros(40), r"sample_weight must be >= 0 and not all 0; got values such as \[0.0\]"),
        (np.array(["a"] * 40), r"sample_weight must hold numbers; got dtype <U1"),
    ],
)
def test_bad_weights_are_clear_errors(weights, message):
    X, y, _ = _data()
    with pytest.raises(ValueError, match=message):
        _run(X, y, weights, epochs=1)


def test_validation_weights_need_a_validation_set():
    X, y, w = _data()
    with pytest.raises(ValueError, match=r"val_sample_weight needs a validation set"):
        Trainer(Network([3, 1], [], "sigmoid_bce"), X, y, val_sample_weight=w)
