"""The engine actually learns (XOR, moons, blobs, real MNIST digits), deterministically."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from core.engine.network import Network
from core.engine.trainer import Trainer
from tests.helpers_engine import load_mnist_5k
from tests.paths import requires_mnist_5k

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 4, dtype=float)
XOR_Y = np.array([0, 1, 1, 0] * 4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_is_learned_by_2_4_1_tanh(seed):
    net = Network([2, 4, 1], "tanh", "sigmoid_bce", init="xavier", rng=seed)
    assert np.mean(net.predict(XOR_X) == XOR_Y) < 1  # not solved by the initial weights
    trainer = Trainer(net, XOR_X, XOR_Y, learning_rate=0.05, batch_size=4, seed=seed)
    trainer.train_epochs(300)
    assert np.array_equal(net.predict(XOR_X[:4]), [0, 1, 1, 0])
    assert trainer.history[-1].train_metric == 1.0
    assert trainer.history[-1].train_loss < 0.1
    # and no linear model can do this: the hidden layer is what solved it
    p = net.predict_proba(XOR_X[:4])[:, 1]
    assert p[[1, 2]].min() > 0.8 and p[[0, 3]].max() < 0.2


def test_moons_reach_97_percent_test_accuracy_with_2_16_1_relu():
    """noise=0.2 moons have a Bayes accuracy of about 97.2 % (an RBF SVM on 10,000 points gets
    97.2 % on 20,000 others), so >= 97 % on a 300-point test set depends on the split; this fixed
    split allows it, and the network must also do as well as an RBF SVM on the same split."""
    X, y = make_moons(1000, noise=0.2, random_state=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)
    net = Network([2, 16, 1], "relu", "sigmoid_bce", rng=0)
    trainer = Trainer(net, X_train, y_train, learning_rate=0.01, optimizer="adam", batch_size=32, seed=0)
    trainer.train_epochs(150)
    accuracy = np.mean(net.predict(X_test) == y_test)
    svm = SVC(C=10).fit(X_train, y_train).score(X_test, y_test)
    assert accuracy >= 0.97
    assert accuracy >= svm - 0.01


def test_three_blobs_with_softmax_reach_95_percent():
    X, y = make_blobs(900, centers=[[-3, 0], [3, 0], [0, 4]], cluster_std=1.0, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    net = Network([2, 8, 3], "relu", "softmax_ce", rng=0)
    trainer = Trainer(net, X_train, y_train, X_test, y_test, learning_rate=0.01, batch_size=32)
    trainer.train_epochs(30)
    accuracy = np.mean(net.predict(X_test) == y_test)
    assert accuracy >= 0.95
    assert trainer.history[-1].val_metric == accuracy
    proba = net.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert trainer.history[-1].val_loss < trainer.history[0].val_loss


@pytest.mark.slow
@requires_mnist_5k
def test_real_mnist_784_128_10_reaches_90_percent_held_out():
    images, labels = load_mnist_5k()
    assert images.shape == (5000, 784) and labels.shape == (5000,)
    assert np.bincount(labels).tolist() == [500] * 10 and images.max() == 255
    order = np.random.default_rng(0).permutation(len(labels))  # the files are sorted by label
    X = images[order].astype(np.float32) / 255.0
    y = labels[order].astype(np.int64)
    X_train, y_train, X_val, y_val = X[:4000], y[:4000], X[4000:], y[4000:]
    assert len(np.unique(y_val)) == 10
    net = Network([784, 128, 10], "relu", "softmax_ce", rng=0)
    trainer = Trainer(
        net, X_train, y_train, X_val, y_val, learning_rate=1e-3, optimizer="adam", batch_size=64, seed=0
    )
    trainer.train_epochs(10)
    held_out = np.mean(net.predict(X_val) == y_val)
    assert held_out >= 0.90
    assert trainer.history[-1].val_metric == pytest.approx(held_out)
    assert trainer.history[-1].train_metric > 0.95


# ------------------------------------------------------------------------------ determinism
def _train(net_seed, trainer_seed, dtype=np.float64):
    X, y = make_moons(200, noise=0.2, random_state=0)
    net = Network([2, 8, 8, 1], ["relu", "tanh"], "sigmoid_bce", rng=net_seed, dtype=dtype)
    trainer = Trainer(net, X, y, learning_rate=0.01, batch_size=16, dropout=0.2, l2=1e-3, seed=trainer_seed)
    trainer.train_epochs(5)
    return net.params.copy(), [r.train_loss for r in trainer.history]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_same_seeds_give_bit_identical_weights(dtype):
    a, losses_a = _train(1, 2, dtype)
    b, losses_b = _train(1, 2, dtype)
    assert np.array_equal(a, b) and losses_a == losses_b
    c, _ = _train(3, 2, dtype)  # other initial weights
    d, _ = _train(1, 4, dtype)  # other shuffling and dropout masks
    assert not np.array_equal(a, c) and not np.array_equal(a, d)


def test_network_seed_fixes_initial_weights():
    a = Network([3, 5, 2], "relu", "softmax_ce", rng=7)
    b = Network([3, 5, 2], "relu", "softmax_ce", rng=np.random.default_rng(7))
    c = Network([3, 5, 2], "relu", "softmax_ce", rng=8)
    assert np.array_equal(a.params, b.params) and not np.array_equal(a.params, c.params)
    assert all(np.all(bias == 0) for bias in a.biases)
