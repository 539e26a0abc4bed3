"""Trainer controls a page relies on: stop kinds, Reset replaying the run, hand-edited weights."""

import numpy as np
from sklearn.datasets import make_moons

from core.engine.network import Network
from core.engine.trainer import Trainer


def _moons_trainer(**options):
    X, y = make_moons(200, noise=0.2, random_state=0)
    net = Network([2, 8, 1], "tanh", "sigmoid_bce", "xavier", rng=1)
    return Trainer(net, X, y, X, y, batch_size=16, seed=5, **options)


def test_reset_replays_the_same_run():
    trainer = _moons_trainer(learning_rate=0.05)
    start = trainer.network.params.copy()
    trainer.train_epochs(3)
    first = trainer.network.params.copy()
    trainer.network.params[...] = start
    trainer.reset_progress()
    assert trainer.epoch == 0 and trainer.history == [] and trainer.stop_kind is None
    trainer.train_epochs(3)
    assert np.array_equal(trainer.network.params, first)


def test_stop_kinds():
    trainer = _moons_trainer(learning_rate=0.05, early_stopping=True, patience=1, min_delta=10.0)
    trainer.train_epochs(5)
    assert trainer.stopped and trainer.stop_kind == "early_stopping"
    X = np.random.default_rng(0).normal(size=(100, 2)) * 100
    y = X.sum(axis=1)
    net = Network([2, 16, 1], "relu", "linear_mse", "he", rng=0)
    diverging = Trainer(net, X, y, optimizer="sgd", learning_rate=10.0, batch_size=10)
    diverging.train_epochs(3)
    assert diverging.stop_kind == "diverged" and "learning rate (10)" in diverging.stop_reason


def test_divergence_falls_back_to_hand_edited_weights():
    X = np.random.default_rng(0).normal(size=(100, 2))
    y = X.sum(axis=1)
    net = Network([2, 4, 1], "relu", "linear_mse", "he", rng=0)
    trainer = Trainer(net, X, y, optimizer="sgd", learning_rate=0.01, batch_size=10)
    trainer.train_epochs(2)
    net.layers[0].weights[0, 0] = 0.123  # a learner edits a weight on the page
    edited = net.params.copy()
    trainer.set_hyperparameters(learning_rate=100.0)
    trainer.train_epochs(2)
    assert trainer.stop_kind == "diverged"
    assert np.array_equal(net.params, edited)
