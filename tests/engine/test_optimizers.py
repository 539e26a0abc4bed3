"""Optimizers against their textbook update rules, schedules against their formulas, and the trainer
using the scheduled learning rate epoch by epoch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS, make_optimizer
from core.engine.schedules import SCHEDULES, learning_rate_at
from core.engine.trainer import Trainer

# non-default options, so a swapped or ignored option is visible
OPTIONS = {
    "sgd": {},
    "momentum": {"momentum": 0.8},
    "nesterov": {"momentum": 0.7},
    "adagrad": {"epsilon": 1e-3},
    "rmsprop": {"rho": 0.85, "epsilon": 1e-3},
    "adam": {"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-3},
}
DEFAULTS = {"momentum": 0.9, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
SHAPES = [(3, 4), (5,), (2, 2, 2)]
N_STEPS = 7


class TextbookOptimizer:
    """The update rules written out plainly, one array at a time, never in place."""

    def __init__(self, name, lr, **options):
        self.name, self.lr = name, lr
        self.o = {**DEFAULTS, **options}
        self.state: dict[int, dict] = {}
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        return [self._one(i, p, g) for i, (p, g) in enumerate(zip(params, grads))]

    def _one(self, i, p, g):
        s = self.state.setdefault(i, {k: np.zeros_like(p) for k in ("v", "m", "G")})
        lr, o, t = self.lr, self.o, self.t
        if self.name == "sgd":
            return p - lr * g
        if self.name == "momentum":
            s["v"] = o["momentum"] * s["v"] - lr * g
            return p + s["v"]
        if self.name == "nesterov":
            s["v"] = o["momentum"] * s["v"] - lr * g
            return p + o["momentum"] * s["v"] - lr * g
        if self.name == "adagrad":
            s["G"] = s["G"] + g * g
            return p - lr * g / (np.sqrt(s["G"]) + o["epsilon"])
        if self.name == "rmsprop":
            s["v"] = o["rho"] * s["v"] + (1 - o["rho"]) * g * g
            return p - lr * g / (np.sqrt(s["v"]) + o["epsilon"])
        if self.name == "adam":
            b1, b2 = o["beta1"], o["beta2"]
            s["m"] = b1 * s["m"] + (1 - b1) * g
            s["v"] = b2 * s["v"] + (1 - b2) * g * g
            m_hat = s["m"] / (1 - b1**t)
            v_hat = s["v"] / (1 - b2**t)
            return p - lr * m_hat / (np.sqrt(v_hat) + o["epsilon"])
        raise KeyError(self.name)


def _grads(rng):
    # magnitudes from 1e-4 to 10, so epsilon matters for some entries and not for others
    return [rng.normal(size=s) * 10.0 ** rng.uniform(-4, 1, size=s) for s in SHAPES]


@pytest.mark.parametrize("use_defaults", [False, True], ids=["options", "defaults"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_matches_textbook_in_place_on_flat_buffer_views(name, use_defaults):
    rng = np.random.default_rng(list(OPTIMIZERS).index(name))
    options = {} if use_defaults else OPTIONS[name]
    sizes = [math.prod(s) for s in SHAPES]
    flat = rng.normal(size=sum(sizes))  # like Network.params: every array a view into one buffer
    offsets = np.cumsum([0] + sizes)
    params = [flat[a:b].reshape(s) for a, b, s in zip(offsets[:-1], offsets[1:], SHAPES)]
    aliases = list(params)  # the optimizer must change these very objects
    expected = [p.copy() for p in params]
    optimizer = make_optimizer(name, 0.05, **options)
    reference = TextbookOptimizer(name, 0.05, **options)
    for step in range(N_STEPS):
        if step == 4:  # the trainer changes the rate between epochs
            optimizer.learning_rate = reference.lr = 0.02
        grads = _grads(rng)
        before = [p.copy() for p in params]
        optimizer.update(params, grads)
        expected = reference.update(expected, grads)
        for alias, p, want, old in zip(aliases, params, expected, before):
            assert p is alias
            assert not np.array_equal(p, old), "parameters did not change"
            np.testing.assert_allclose(p, want, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(
            flat, np.concatenate([e.ravel() for e in expected]), rtol=1e-12, atol=1e-14
        )
    assert optimizer.n_updates == N_STEPS


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_float32_and_reset(name):
    rng = np.random.default_rng(1)
    params = [rng.normal(size=s).astype(np.float32) for s in SHAPES]
    start = [p.copy() for p in params]
    optimizer = make_optimizer(name, 0.01, **OPTIONS[name])
    reference = TextbookOptimizer(name, 0.01, **OPTIONS[name])
    expected = [p.astype(np.float64) for p in params]
    for _ in range(5):
        grads = [g.astype(np.float32) for g in _grads(rng)]
        optimizer.update(params, grads)
        expected = reference.update(expected, [g.astype(np.float64) for g in grads])
    for p, want in zip(params, expected):
        assert p.dtype == np.float32
        np.testing.assert_allclose(p, want, rtol=1e-5, atol=1e-6)
    # reset forgets the state: the next update is a first update again
    optimizer.reset()
    assert optimizer.n_updates == 0
    for p, s in zip(params, start):
        p[...] = s
    grads = [g.astype(np.float32) for g in _grads(rng)]
    optimizer.update(params, grads)
    fresh = TextbookOptimizer(name, 0.01, **OPTIONS[name]).update(
        [s.astype(np.float64) for s in start], [g.astype(np.float64) for g in grads]
    )
    for p, want in zip(params, fresh):
        np.testing.assert_allclose(p, want, rtol=1e-5, atol=1e-6)


def test_separate_state_per_array():
    """Two arrays updated with the same gradients in one call get the same update: the state of
    one array must not leak into the other's."""
    optimizer = make_optimizer("adam", 0.1)
    a, b = np.ones(4), np.ones(4)
    for k in range(3):
        g = np.array([1.0, -2.0, 3.0, 0.5]) * (k + 1)
        optimizer.update([a, b], [g, g])
    np.testing.assert_array_equal(a, b)
    ref = TextbookOptimizer("adam", 0.1)
    expected = [np.ones(4)]
    for k in range(3):
        expected = ref.update(expected, [np.array([1.0, -2.0, 3.0, 0.5]) * (k + 1)])
    np.testing.assert_allclose(a, expected[0], rtol=1e-13)


# ----------------------------------------------------------------------------------- schedules
EPOCHS = [0, 1, 2, 3, 7, 49, 50, 51, 99, 100, 150, 199, 200, 201, 500]


def _textbook_schedule(name, lr, epoch, **o):
    if name == "constant":
        return lr
    if name == "step":
        return lr * o.get("gamma", 0.5) ** math.floor(epoch / o.get("step_size", 50))
    if name == "exponential":
        return lr * o.get("gamma", 0.99) ** epoch
    if name == "cosine":
        period, low = o.get("period", 200), o.get("min_lr", 0.0)
        return low + 0.5 * (lr - low) * (1 + math.cos(math.pi * min(epoch, period) / period))
    raise KeyError(name)


SCHEDULE_CASES = [
    ("constant", {}),
    ("step", {}),
    ("step", {"step_size": 3, "gamma": 0.1}),
    ("exponential", {}),
    ("exponential", {"gamma": 0.9}),
    ("cosine", {}),
    ("cosine", {"period": 60, "min_lr": 0.001}),
]


@pytest.mark.parametrize("name,options", SCHEDULE_CASES)
def test_schedule_formula(name, options):
    for epoch in EPOCHS:
        got = learning_rate_at(name, 0.1, epoch, **options)
        assert got == pytest.approx(_textbook_schedule(name, 0.1, epoch, **options), rel=1e-12, abs=1e-15)
    assert learning_rate_at(name, 0.1, 0, **options) == pytest.approx(0.1)


def test_schedule_landmarks():
    assert learning_rate_at("step", 0.1, 49) == pytest.approx(0.1)
    assert learning_rate_at("step", 0.1, 50) == pytest.approx(0.05)
    assert learning_rate_at("cosine", 0.1, 100) == pytest.approx(0.05)
    assert learning_rate_at("cosine", 0.1, 200) == pytest.approx(0.0, abs=1e-15)
    assert learning_rate_at("cosine", 0.1, 400, min_lr=0.01) == pytest.approx(0.01)
    assert learning_rate_at("exponential", 0.1, 10, gamma=0.5) == pytest.approx(0.1 / 1024)
    assert set(SCHEDULES) == {"constant", "step", "exponential", "cosine"}


@pytest.mark.parametrize("name,options", [c for c in SCHEDULE_CASES if c[1]] + [("constant", {})])
def test_trainer_uses_the_scheduled_rate_each_epoch(name, options):
    """Full-batch SGD: each epoch is one update p -= lr_e * grad(p), so the rate actually used can
    be read off the parameter change, and must equal both the formula and history's learning_rate."""
    if name == "cosine":
        options = {"period": 4, "min_lr": 0.001}
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)
    net = Network([3, 5, 1], "tanh", "sigmoid_bce", rng=1, dtype=np.float64)
    trainer = Trainer(
        net, X, y, learning_rate=0.5, optimizer="sgd", batch_size=40, schedule=name, schedule_options=options
    )
    probe = net.copy(np.float64)
    T = probe.prepare_targets(y)
    for epoch in range(6):
        before = net.params.copy()
        probe.params[...] = before
        grad = probe.compute_gradients(X, T).copy()
        (record,) = trainer.train_epochs(1)
        lr = _textbook_schedule(name, 0.5, epoch, **options)
        assert record.epoch == epoch + 1
        assert record.learning_rate == pytest.approx(lr, rel=1e-12)
        np.testing.assert_allclose(net.params, before - lr * grad, rtol=1e-9, atol=1e-12)
    assert [r.learning_rate for r in trainer.history] == pytest.approx(
        [_textbook_schedule(name, 0.5, e, **options) for e in range(6)], rel=1e-12
    )
