"""The steppable trainer: epochs and history, time-boxed steps, resuming mid-epoch, changing
hyperparameters between steps, early stopping, the divergence guard, and what history records."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss, r2_score

from core.engine.network import Network
from core.engine.trainer import Trainer
from tests.helpers_engine import engine_gradients


def _blobs(n=60, seed=0, features=2):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, features)) + 1.5 * (2 * y[:, None] - 1)
    return X, y


def _regression(n=200, seed=0, features=3, noise=0.1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    y = np.sin(2 * X[:, 0]) + noise * rng.normal(size=n)
    if features >= 3:
        y += 0.5 * X[:, 1] * X[:, 2]
    return X, y


# ------------------------------------------------------------------------------ epochs, steps
def test_step_advances_epoch_and_history_by_k():
    X, y = _blobs(50)
    trainer = Trainer(Network([2, 4, 1], "tanh", "sigmoid_bce", rng=0), X, y, batch_size=8)
    records = trainer.train_epochs(epochs=3)
    assert [r.epoch for r in records] == [1, 2, 3]
    assert trainer.epoch == 3 and len(trainer.history) == 3 and trainer.history == records
    assert trainer.epoch_progress == 0
    more = trainer.train_epochs(2)
    assert [r.epoch for r in more] == [4, 5]
    assert trainer.epoch == 5 and trainer.history == records + more
    assert trainer.optimizer.n_updates == 5 * math.ceil(50 / 8)  # every sample once per epoch


def test_train_for_completes_epochs_and_respects_max_epochs():
    X, y = _blobs(30)
    trainer = Trainer(Network([2, 4, 1], "tanh", "sigmoid_bce", rng=0), X, y, batch_size=10)
    records = trainer.train_for(400, max_epochs=3)  # 400 ms would fit hundreds of these epochs
    assert [r.epoch for r in records] == [1, 2, 3]
    assert trainer.epoch == 3 and trainer.optimizer.n_updates == 9
    started = time.perf_counter()
    records = trainer.train_for(40)
    took = time.perf_counter() - started
    assert len(records) >= 1  # an epoch here is 3 tiny mini-batches
    assert trainer.history[3:] == records and trainer.epoch == 3 + len(records)
    assert took < 2.0  # stops near its deadline (generous: 2 shared cores)


@pytest.mark.parametrize("n,features", [(10_000, 10), (25_000, 41)], ids=["gather-epoch", "gather-batch"])
def test_resume_mid_epoch_continues_from_the_cursor(n, features):
    """A tiny time budget stops inside the epoch; the next call finishes that same epoch, so
    interrupted training is bit-identical to uninterrupted training (same seeds).
    (25,000 x 42 values is above the trainer's one-gather-per-epoch limit: the other code path.)"""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, features))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    batch = 16

    def make():
        return Trainer(
            Network([features, 8, 1], "relu", "sigmoid_bce", rng=2),
            X,
            y,
            batch_size=batch,
            learning_rate=0.01,
            seed=3,
        )

    interrupted = make()
    assert interrupted.train_for(1) == []
    assert interrupted.epoch == 0 and len(interrupted.history) == 0
    progress = interrupted.epoch_progress
    assert 0 < progress < 1
    done_batches = interrupted.optimizer.n_updates
    assert done_batches >= 1 and progress == pytest.approx(done_batches * batch / n)
    (record,) = interrupted.train_epochs(1)
    assert record.epoch == 1 and interrupted.epoch == 1
    assert interrupted.optimizer.n_updates == math.ceil(n / batch)  # continued, did not restart

    straight = make()
    straight.train_epochs(1)
    np.testing.assert_array_equal(interrupted.network.params, straight.network.params)
    assert straight.history[0].train_loss == record.train_loss


def test_per_batch_gather_trains_exactly_like_the_per_epoch_gather(monkeypatch):
    """Big data sets gather each mini-batch into reused buffers, small ones the whole shuffled
    epoch at once: same batches, bit-identical weights, also across a batch-size change and a
    short last batch (1,000 = 7 x 128 + 104, then 14 x 70 + 20)."""
    import core.engine.trainer as trainer_module

    rng = np.random.default_rng(4)
    X = rng.normal(size=(1_000, 5))
    y = rng.integers(0, 3, 1_000)

    def train(gather_limit):
        monkeypatch.setattr(trainer_module, "GATHER_EPOCH_LIMIT", gather_limit)
        trainer = Trainer(
            Network([5, 16, 3], "tanh", "softmax_ce", rng=1), X, y, batch_size=128, learning_rate=0.01, seed=2
        )
        trainer.train_epochs(2)
        trainer.set_hyperparameters(batch_size=70)
        trainer.train_epochs(2)
        return trainer

    per_epoch, per_batch = train(10**9), train(0)
    assert per_batch._gather_buffers and not per_epoch._gather_buffers  # the paths really differ
    np.testing.assert_array_equal(per_batch.network.params, per_epoch.network.params)
    assert [r.train_loss for r in per_batch.history] == [r.train_loss for r in per_epoch.history]


def test_changing_hyperparameters_between_steps_keeps_weights_history_and_cursor():
    X, y = _blobs(200, features=3)
    net = Network([3, 6, 1], "relu", "sigmoid_bce", rng=0)
    trainer = Trainer(net, X, y, batch_size=10, learning_rate=0.01, seed=0)
    trainer.train_epochs(2)
    trainer.train_for(0.001)  # stop somewhere inside epoch 3 (at least one mini-batch)
    cursor_progress, steps = trainer.epoch_progress, trainer.optimizer.n_updates
    assert 0 < cursor_progress < 1
    params, history, optimizer = net.params.copy(), list(trainer.history), trainer.optimizer
    trainer.set_hyperparameters(learning_rate=0.05, l2=0.01, batch_size=7)
    np.testing.assert_array_equal(net.params, params)
    assert trainer.history == history and trainer.epoch == 2
    assert trainer.epoch_progress == cursor_progress
    assert trainer.optimizer is optimizer and optimizer.n_updates == steps  # Adam state kept
    (record,) = trainer.train_epochs(1)
    remaining = 200 - round(cursor_progress * 200)
    assert trainer.optimizer.n_updates == steps + math.ceil(remaining / 7)
    assert record.epoch == 3 and record.learning_rate == 0.05
    assert trainer.history[:2] == history
    # another optimizer: new state, same weights
    params = net.params.copy()
    trainer.set_hyperparameters(optimizer="momentum")
    np.testing.assert_array_equal(net.params, params)
    assert trainer.optimizer.name == "momentum" and trainer.optimizer.n_updates == 0
    assert trainer.optimizer.learning_rate == 0.05
    trainer.train_epochs(1)
    assert len(trainer.history) == 4


def test_changed_l2_and_learning_rate_are_used_by_the_next_update():
    """Full-batch SGD: after the change, one epoch is exactly p -= lr' (grad_data + l2' w)."""
    X, y = _regression(40)
    net = Network([3, 5, 1], "tanh", "linear_mse", rng=0, dtype=np.float64)
    trainer = Trainer(net, X, y, optimizer="sgd", learning_rate=0.1, batch_size=40)
    trainer.train_epochs(2)
    trainer.set_hyperparameters(learning_rate=0.3, l2=0.5)
    probe = net.copy(np.float64)
    before = net.params.copy()
    grad = engine_gradients(probe, X, probe.prepare_targets(y), 0.0, 0.5).copy()
    weights_only = engine_gradients(probe, X, probe.prepare_targets(y), 0.0, 0.0).copy()
    assert not np.allclose(grad, weights_only)  # l2 changes the gradient
    trainer.train_epochs(1)
    np.testing.assert_allclose(net.params, before - 0.3 * grad, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------------ early stopping
def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    """A big network on 20 noisy points overfits: validation loss falls, then rises."""
    X, y = _regression(20, seed=5, features=1, noise=0.5)
    X_val, y_val = _regression(200, seed=6, features=1, noise=0.5)
    net = Network([1, 64, 64, 1], "relu", "linear_mse", rng=0, dtype=np.float64)
    patience = 5
    trainer = Trainer(
        net,
        X,
        y,
        X_val,
        y_val,
        learning_rate=0.02,
        batch_size=20,
        early_stopping=True,
        patience=patience,
        min_delta=0.0,
    )
    snapshots = {}  # epoch -> params at its end
    for _ in range(2000):
        trainer.train_epochs(1)
        if trainer.stopped:
            break
        snapshots[trainer.epoch] = net.params.copy()
    assert trainer.stopped, "never stopped"
    val = [r.val_loss for r in trainer.history]
    best = int(np.argmin(val)) + 1  # first epoch reaching the minimum (min_delta = 0)
    assert trainer.epoch == best + patience == len(val)
    assert all(v >= val[best - 1] for v in val[best:])
    assert best >= 2 and val[-1] > val[best - 1]  # a real fall-then-rise, not a degenerate case
    np.testing.assert_array_equal(net.params, snapshots[best])
    assert trainer.evaluate(X_val, y_val)[0] == pytest.approx(val[best - 1], rel=1e-12)
    reason = trainer.stop_reason
    assert "Early stopping" in reason and f"epoch {best}" in reason and str(patience) in reason
    assert trainer.train_epochs(1) == [] and trainer.epoch == best + patience


def test_early_stopping_with_min_delta_and_without_restore():
    """A slowly improving run: improvements smaller than min_delta do not reset the patience."""
    X, y = _regression(20, seed=5, features=1, noise=0.5)
    X_val, y_val = _regression(200, seed=6, features=1, noise=0.5)
    net = Network([1, 32, 1], "tanh", "linear_mse", rng=0, dtype=np.float64)
    min_delta = 0.02
    trainer = Trainer(
        net,
        X,
        y,
        X_val,
        y_val,
        learning_rate=0.001,
        batch_size=5,
        early_stopping=True,
        patience=3,
        min_delta=min_delta,
        restore_best=False,
    )
    for _ in range(500):
        trainer.train_epochs(1)
        if trainer.stopped:
            break
    assert trainer.stopped
    val = [r.val_loss for r in trainer.history]
    # replay the rule: an improvement must beat the best by more than min_delta
    best_loss, best_epoch, wait = math.inf, 0, 0
    for epoch, v in enumerate(val, 1):
        if v < best_loss - min_delta:
            best_loss, best_epoch, wait = v, epoch, 0
        else:
            wait += 1
    assert wait == 3 and trainer.epoch == best_epoch + 3
    assert val[-1] < val[best_epoch - 1]  # still improving a little: min_delta made it stop
    assert f"epoch {best_epoch}" in trainer.stop_reason
    # restore_best=False: the weights are those of the last epoch
    assert trainer.evaluate(X_val, y_val)[0] == pytest.approx(val[-1], rel=1e-12)


def test_early_stopping_on_the_validation_metric_ignores_a_falling_loss():
    """Separable blobs: accuracy reaches its top at once while the loss goes on falling, so
    watching the metric stops after `patience` epochs; watching the loss trains on."""
    X, y = _blobs(80, seed=1)
    X_val, y_val = _blobs(40, seed=2)
    runs = {}
    for watched in ("val_loss", "val_metric"):
        net = Network([2, 8, 1], "tanh", "sigmoid_bce", rng=0, dtype=np.float64)
        runs[watched] = trainer = Trainer(
            net,
            X,
            y,
            X_val,
            y_val,
            learning_rate=0.01,
            optimizer="sgd",
            batch_size=8,
            early_stopping=True,
            patience=4,
            min_delta=1e-4,
            early_stopping_on=watched,
        )
        trainer.train_epochs(60)
    by_metric, by_loss = runs["val_metric"], runs["val_loss"]
    scores = [r.val_metric for r in by_metric.history]
    best = int(np.argmax(scores)) + 1  # the first epoch reaching the top accuracy
    assert by_metric.stop_kind == "early_stopping" and by_metric.epoch == best + 4 < 30
    # the same run until then: the watch changes when to stop, not how to train
    assert [r.val_loss for r in by_metric.history] == [r.val_loss for r in by_loss.history[: best + 4]]
    assert "validation accuracy has not improved" in by_metric.stop_reason
    assert f"(best {scores[best - 1]:.4g} at epoch {best})" in by_metric.stop_reason
    assert by_metric.evaluate(X_val, y_val)[1] == scores[best - 1]  # the best epoch's weights
    assert by_loss.epoch == 60 and not by_loss.stopped  # its loss still fell by > 1e-4 an epoch
    with pytest.raises(ValueError, match=r"early_stopping_on must be one of \['val_loss', 'val_metric'\]"):
        Trainer(Network([2, 1], [], "sigmoid_bce"), X, y, X_val, y_val, early_stopping_on="score")


# ------------------------------------------------------------------------------ divergence
@pytest.mark.parametrize("hidden,lr", [([16], 10.0), ([], 10.0), ([32, 32], 100.0)])
def test_divergence_guard_stops_restores_and_blocks_until_resume(hidden, lr):
    X, y = _regression(200)
    net = Network([3, *hidden, 1], "relu", "linear_mse", rng=0)
    trainer = Trainer(net, X, y, optimizer="sgd", learning_rate=lr, batch_size=16)
    good = {0: net.params.copy()}
    with np.errstate(all="ignore"):
        for _ in range(100):
            trainer.train_epochs(1)
            if trainer.stopped:
                break
            good[trainer.epoch] = net.params.copy()
    assert trainer.stopped, f"lr={lr} with SGD did not diverge"
    assert "learning rate" in trainer.stop_reason and f"({lr:g})" in trainer.stop_reason
    assert np.all(np.isfinite(net.params))
    np.testing.assert_array_equal(net.params, good[trainer.epoch])  # last good epoch's weights
    assert len(trainer.history) == trainer.epoch
    assert all(np.all(np.isfinite(a)) for a in trainer.optimizer.state_arrays())
    assert trainer.train_epochs(3) == [] and trainer.train_for(20) == []
    assert trainer.epoch == len(trainer.history)
    trainer.set_hyperparameters(learning_rate=0.001)
    assert trainer.train_epochs(1) == []  # still stopped: only resume() restarts
    trainer.resume()
    assert not trainer.stopped and trainer.stop_reason is None
    records = trainer.train_epochs(2)
    assert len(records) == 2 and np.all(np.isfinite(net.params))


# ------------------------------------------------------------------------------ records
def test_track_batch_loss_records_each_mini_batch():
    X, y = _blobs(50)
    trainer = Trainer(
        Network([2, 4, 1], "tanh", "sigmoid_bce", rng=0), X, y, batch_size=20, track_batch_loss=True
    )
    trainer.train_epochs(2)
    positions = [p for p, _ in trainer.batch_losses]
    assert positions == pytest.approx([20 / 50, 40 / 50, 1, 1 + 20 / 50, 1 + 40 / 50, 2])
    assert all(np.isfinite(loss) and loss > 0 for _, loss in trainer.batch_losses)
    untracked = Trainer(Network([2, 4, 1], "tanh", "sigmoid_bce", rng=0), X, y, batch_size=20)
    untracked.train_epochs(2)
    assert untracked.batch_losses == []


def test_batch_loss_is_the_loss_before_each_full_batch_update():
    X, y = _blobs(40)
    net = Network([2, 5, 1], "tanh", "sigmoid_bce", rng=1, dtype=np.float64)
    initial = net.copy(np.float64)
    trainer = Trainer(net, X, y, batch_size=40, optimizer="sgd", learning_rate=0.5, track_batch_loss=True)
    trainer.train_epochs(4)
    losses = [loss for _, loss in trainer.batch_losses]
    T = initial.prepare_targets(y)
    expected = [initial.data_loss(X, T)] + [r.train_loss for r in trainer.history[:-1]]
    assert losses == pytest.approx(expected, rel=1e-10)
    assert losses[0] == pytest.approx(log_loss(y, initial.predict_proba(X)), rel=1e-9)


def test_history_records_val_metrics_learning_rate_and_per_layer_grad_norms():
    X, y = _blobs(60, features=3)
    X_val, y_val = _blobs(30, seed=1, features=3)
    net = Network([3, 6, 5, 1], ["tanh", "relu"], "sigmoid_bce", rng=0, dtype=np.float64)
    trainer = Trainer(net, X, y, X_val, y_val, optimizer="sgd", learning_rate=0.2, batch_size=60, l2=0.01)
    probe = net.copy(np.float64)
    T = probe.prepare_targets(y)
    for _ in range(3):
        probe.params[...] = net.params
        engine_gradients(probe, X, T, 0.0, 0.01)
        norms = [
            math.sqrt(np.sum(layer.grad_weights**2) + np.sum(layer.grad_bias**2)) for layer in probe.layers
        ]
        (record,) = trainer.train_epochs(1)
        assert len(record.grad_norms) == len(net.layers) == 3
        assert list(record.grad_norms) == pytest.approx(norms, rel=1e-9)
        assert record.learning_rate == 0.2
        p_val = net.predict_proba(X_val)
        assert record.val_loss == pytest.approx(log_loss(y_val, p_val), rel=1e-9)
        assert record.val_metric == accuracy_score(y_val, net.predict(X_val))
        assert record.train_metric == accuracy_score(y, net.predict(X))
        assert record.train_loss == pytest.approx(log_loss(y, net.predict_proba(X)), rel=1e-9)
        assert record.seconds > 0  # wall time since the start, this epoch included
    assert [r.seconds for r in trainer.history] == sorted(r.seconds for r in trainer.history)


def test_no_validation_set_records_none():
    X, y = _blobs(30)
    (record,) = Trainer(Network([2, 3, 1], "tanh", "sigmoid_bce"), X, y).train_epochs(1)
    assert record.val_loss is None and record.val_metric is None


def test_regression_metric_is_r2_score_and_multiclass_metric_is_accuracy():
    X, y = _regression(150)
    X_val, y_val = _regression(80, seed=1)
    net = Network([3, 12, 1], "tanh", "linear_mse", rng=0, dtype=np.float64)
    trainer = Trainer(net, X, y, X_val, y_val, learning_rate=0.01, batch_size=16)
    (record,) = trainer.train_epochs(5)[-1:]
    pred = net.predict(X_val)
    assert record.val_metric == pytest.approx(r2_score(y_val, pred), rel=1e-10, abs=1e-12)
    assert record.train_metric == pytest.approx(r2_score(y, net.predict(X)), rel=1e-10, abs=1e-12)
    assert record.val_loss == pytest.approx(np.mean((pred - y_val) ** 2) / 2, rel=1e-10)
    assert 0.2 < record.val_metric < 1  # learned something, and is not a constant
    loss, metric = trainer.evaluate(X_val, y_val)
    assert metric == pytest.approx(r2_score(y_val, pred), rel=1e-10)

    rng = np.random.default_rng(0)
    y3 = rng.integers(0, 3, 90)
    X3 = rng.normal(size=(90, 2)) + np.eye(3)[y3][:, :2] * 2
    net3 = Network([2, 6, 3], "relu", "softmax_ce", rng=0, dtype=np.float64)
    trainer3 = Trainer(net3, X3[:60], y3[:60], X3[60:], y3[60:], batch_size=10)
    (record,) = trainer3.train_epochs(3)[-1:]
    assert record.val_metric == accuracy_score(y3[60:], net3.predict(X3[60:]))
    assert record.val_loss == pytest.approx(
        log_loss(y3[60:], net3.predict_proba(X3[60:]), labels=[0, 1, 2]), rel=1e-9
    )


def test_shuffle_false_visits_the_data_in_order_whatever_the_seed():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(float)

    def weights_after_one_epoch(seed, shuffle):
        trainer = Trainer(
            Network([2, 4, 1], "tanh", "sigmoid_bce", rng=0), X, y, batch_size=1, seed=seed, shuffle=shuffle
        )
        trainer.train_epochs(1)
        return trainer.network.params.copy()

    # In order, the trainer's seed has nothing to choose: two seeds give the same weights.
    assert np.array_equal(weights_after_one_epoch(1, False), weights_after_one_epoch(2, False))
    # Shuffled (the default), the seed's order changes the path of 40 single-sample steps.
    assert not np.array_equal(weights_after_one_epoch(1, True), weights_after_one_epoch(1, False))
