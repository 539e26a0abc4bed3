"""The speed floor of benchmarks/numpy_floor.py must do the engine's work, not less of it: same
gradients, same training trajectory. (Its speed is measured by the script, not here.)"""

import numpy as np
import pytest

from benchmarks.numpy_floor import LeanMlp
from core.engine.network import Network
from core.engine.trainer import Trainer

SIZES = [20, 16, 8, 5]


def _data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], n)
    return X, y


def _pair(X, y, batch=64, lr=1e-2, seed=3):
    net = Network(SIZES, "relu", "softmax_ce", "he", rng=0)
    trainer = Trainer(net, X, y, optimizer="adam", learning_rate=lr, batch_size=batch, seed=seed)
    lean = LeanMlp([layer.block.copy() for layer in net.layers], X, y, batch, lr, seed=seed)
    return trainer, lean


@pytest.mark.parametrize("k", [64, 17])
def test_floor_gradient_equals_the_engines(k):
    X, y = _data()
    X[3] *= 400.0  # one sample's logits far from the others': the batch-wide softmax shift fails
    trainer, lean = _pair(X, y)
    lean.xb[:k] = lean.X1[:k]
    lean.tb[:k] = lean.T[:k]
    lean.gradient(k)
    expected = trainer.network.compute_gradients(trainer._X1_train[:k], trainer.T_train[:k])
    assert np.isfinite(lean.grad).all()
    np.testing.assert_allclose(lean.grad, expected, rtol=1e-4, atol=1e-7)
    assert np.abs(expected).max() > 1e-3  # a real gradient, not zeros on both sides


def test_floor_trains_to_the_engines_weights():
    X, y = _data()  # 600 samples, batch 64: the last batch of each epoch has 24
    trainer, lean = _pair(X, y)
    start = trainer.network.params.copy()
    trainer.train_epochs(3)
    for _ in range(3):
        lean.epoch()
    moved = np.abs(trainer.network.params - start).max()
    assert moved > 1e-2
    np.testing.assert_allclose(lean.flat, trainer.network.params, rtol=1e-4, atol=1e-5 * moved)
