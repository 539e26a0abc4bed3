"""The trainer's state carries over between calls and across new data (`set_training_data`):
k calls of one epoch train exactly as one call of k epochs; samples are counted; the stop
messages are a library's; each epoch records its penalty."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.network import Network
from core.engine.trainer import MAX_EVAL_SAMPLES, Trainer


def _data(n=90, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] + 0.3 * X[:, 2] > 0).astype(int)
    return X, y


def _trainer(optimizer, X, y, **kwargs):
    net = Network([3, 6, 1], "tanh", "sigmoid_bce", rng=4)
    return Trainer(net, X, y, optimizer=optimizer, learning_rate=0.05, batch_size=8, seed=11, **kwargs)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_one_epoch_calls_with_set_training_data_equal_one_long_call(optimizer):
    X, y = _data()
    whole = _trainer(optimizer, X, y, l2=0.01)
    whole.train_epochs(6)
    steps = _trainer(optimizer, X, y, l2=0.01)
    for _ in range(6):
        steps.set_training_data(X.copy(), y.copy())  # fresh arrays of the same data
        steps.train_epochs(1)
    np.testing.assert_array_equal(steps.network.params, whole.network.params)
    assert steps.epoch == whole.epoch == 6
    assert [r.train_loss for r in steps.history] == [r.train_loss for r in whole.history]
    assert steps.optimizer.n_updates == whole.optimizer.n_updates == 6 * 12  # ceil(90 / 8) per epoch
    # the state really matters: a new trainer per epoch (the old partial_fit) ends elsewhere
    fresh_net = Network([3, 6, 1], "tanh", "sigmoid_bce", rng=4)
    for _ in range(6):
        Trainer(
            fresh_net, X, y, optimizer=optimizer, learning_rate=0.05, batch_size=8, seed=11, l2=0.01
        ).train_epochs(1)
    assert np.abs(fresh_net.params - whole.network.params).max() > 1e-3


def test_set_training_data_switches_data_keeps_state_and_counts_samples():
    X, y = _data(90)
    X2, y2 = _data(50, seed=1)
    trainer = _trainer("adam", X, y)
    trainer.train_epochs(2)
    assert trainer.samples_seen == 180
    updates = trainer.optimizer.n_updates
    trainer.set_training_data(X2, y2)
    assert trainer.n_train == 50 and trainer.epoch == 2 and trainer.optimizer.n_updates == updates
    record = trainer.train_epochs(1)[0]
    assert record.epoch == 3 and trainer.samples_seen == 230
    assert trainer.optimizer.n_updates == updates + 7  # ceil(50 / 8) mini-batches
    assert record.train_loss == pytest.approx(
        trainer.evaluate(X2, y2)[0], rel=1e-6
    )  # measured on the new set
    trainer.train_for(1e-6)  # one mini-batch of the next epoch
    assert trainer.samples_seen == 238 and not trainer.at_epoch_boundary
    with pytest.raises(ValueError, match="between epochs"):
        trainer.set_training_data(X, y)
    with pytest.raises(ValueError, match="both X_val and y_val"):
        Trainer(Network([3, 1], [], "sigmoid_bce"), X, y).set_training_data(X, y, X_val=X)
    with pytest.raises(ValueError, match=r"X_train must have shape \(n_samples, 3\)"):
        Trainer(Network([3, 1], [], "sigmoid_bce"), X, y).set_training_data(X[:, :2], y)


def test_reset_progress_zeroes_samples_seen():
    X, y = _data()
    trainer = _trainer("sgd", X, y)
    trainer.train_epochs(3)
    trainer.reset_progress()
    assert trainer.samples_seen == 0 and trainer.epoch == 0


def test_set_training_data_does_not_draw_from_the_shuffle_stream():
    """Above MAX_EVAL_SAMPLES the train loss is measured on a sample of the data; choosing it for
    new data must not advance the generator the shuffles come from."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(MAX_EVAL_SAMPLES + 200, 3)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    a, b = _trainer("sgd", X, y), _trainer("sgd", X, y)
    a.train_epochs(1)
    b.train_epochs(1)
    b.set_training_data(X, y)
    state = a.rng.bit_generator.state
    assert b.rng.bit_generator.state == state
    a.train_epochs(1)
    b.train_epochs(1)
    np.testing.assert_array_equal(a.network.params, b.network.params)


def test_new_validation_set_restarts_the_early_stopping_watch():
    """With patience 1, an epoch no better than the best so far stops training; a new held-out
    set starts a new watch, so its first epoch is its best, whatever the old set's losses."""
    X, y = _data(120)
    trainer = _trainer("adam", X[:80], y[:80], X_val=X[80:], y_val=y[80:], early_stopping=True, patience=1)
    trainer.train_epochs(4)
    old_best = min(r.val_loss for r in trainer.history)
    trainer.resume()
    trainer.set_training_data(X[:80], y[:80], X[80:], 1 - y[80:])  # the labels flipped: a far worse loss
    record = trainer.train_epochs(1)[0]
    assert record.val_loss > old_best + 0.1  # measured on the new set, worse than the old best...
    assert record.val_loss == pytest.approx(trainer.evaluate(X[80:], 1 - y[80:])[0], rel=1e-6)
    assert not trainer.stopped  # ...and yet no stop: the watch started again


def test_divergence_message_names_the_cause_not_a_button():
    X, y = _data()
    net = Network([3, 16, 1], "relu", "linear_mse", rng=0)
    trainer = Trainer(net, X * 100, (X[:, 0] * 1e4).reshape(-1, 1), optimizer="sgd", learning_rate=50.0)
    trainer.train_epochs(20)
    assert trainer.stop_kind == "diverged"
    reason = trainer.stop_reason
    assert reason.startswith("Training diverged during epoch 1: ")
    assert "The learning rate (50) is probably too high for this network; lower it (try 5)." in reason
    assert "Play" not in reason and "press" not in reason


def test_each_epoch_records_its_penalty():
    X, y = _data()
    trainer = _trainer("sgd", X, y, l1=0.01, l2=0.03)
    record = trainer.train_epochs(2)[-1]
    w = trainer.network.params.astype(np.float64)[trainer.network.weight_mask == 1]
    assert record.penalty == pytest.approx(0.01 * np.abs(w).sum() + 0.015 * (w**2).sum(), rel=1e-5)
    assert record.penalty > 0.01
    assert _trainer("sgd", X, y).train_epochs(1)[0].penalty == 0.0


def test_pickled_trainer_trains_on_exactly_as_the_original():
    """Network pickles as architecture + parameters and is rebuilt, so its layers are views of
    its buffer again (a plain pickle copies views apart: training then read stale weights)."""
    import pickle

    X, y = _data()
    trainer = _trainer("adam", X, y)
    trainer.train_epochs(2)
    copy = pickle.loads(pickle.dumps(trainer))
    net = copy.network
    assert np.shares_memory(net.layers[0].weights, net.params) and np.shares_memory(
        net.layers[1].bias, net.params
    )
    trainer.train_epochs(3)
    copy.train_epochs(3)
    np.testing.assert_array_equal(copy.network.params, trainer.network.params)
    assert copy.network.dtype == np.float32 and copy.network.architecture() == trainer.network.architecture()
