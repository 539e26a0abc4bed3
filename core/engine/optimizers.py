"""Optimizers: each owns its state and applies one update to lists of parameters and gradients.

Vocabulary: an *update* (`Optimizer.update`, counted by `n_updates`) is ONE change of every
parameter from ONE mini-batch's gradients; an epoch is as many updates as there are mini-batches
(the trainer's `train_epochs`). The rules below are one update each, t counting updates from 1.

The network hands over its single flat parameter buffer, so one update is a handful of vector
operations whatever the depth. All updates are in place (the arrays are views the layers share).

    SGD       p -= lr g
    Momentum  v = mu v - lr g;            p += v
    Nesterov  v = mu v - lr g;            p += mu v - lr g      (look-ahead form, as scikit-learn)
    AdaGrad   G += g^2;                   p -= lr g / (sqrt(G) + eps)
    RMSProp   s = rho s + (1 - rho) g^2;  p -= lr g / (sqrt(s) + eps)
    Adam      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
              m^ = m / (1 - b1^t);    v^ = v / (1 - b2^t);    p -= lr m^ / (sqrt(v^) + eps)
"""

from __future__ import annotations

import math

import numpy as np

from core.engine.checks import check_fraction, check_learning_rate


def _adaptive_update(p, numerator, squares, epsilon, learning_rate, scratch) -> None:
    """p -= learning_rate * numerator / (sqrt(squares) + epsilon), in place (the update shared by
    AdaGrad, RMSProp and Adam: each parameter's change is scaled by its own gradient history)."""
    np.sqrt(squares, out=scratch)
    scratch += epsilon
    np.divide(numerator, scratch, out=scratch)
    scratch *= learning_rate
    p -= scratch


class Optimizer:
    """Base class: `update(params, grads)` changes each params[i] in place using grads[i]
    (one update: one mini-batch's gradients applied once)."""

    name = "optimizer"

    def __init__(self, learning_rate: float = 0.01):
        self.learning_rate = check_learning_rate(learning_rate)
        self.n_updates = 0  # t, the number of updates applied so far

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        self.n_updates += 1
        for index, (p, g) in enumerate(zip(params, grads)):
            self._update_one(index, p, g)

    def _update_one(self, index: int, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _buffers(self, index: int, p: np.ndarray, count: int) -> list[np.ndarray]:
        """Per-parameter state arrays (zeros), created on first use; plus one scratch buffer."""
        state = self.__dict__.setdefault("_state", {})
        if index not in state or state[index][0].shape != p.shape:
            state[index] = [np.zeros_like(p) for _ in range(count + 1)]
        return state[index]

    def reset(self) -> None:
        """Forget all state (e.g. after divergence)."""
        self.__dict__.pop("_state", None)
        self.n_updates = 0

    def state_arrays(self) -> list[np.ndarray]:
        """Internal state, for checks (e.g. that it stays finite)."""
        return [a for arrays in self.__dict__.get("_state", {}).values() for a in arrays[:-1]]

    def __repr__(self):
        return f"{type(self).__name__}(learning_rate={self.learning_rate:g})"


class SGD(Optimizer):
    name = "sgd"

    def _update_one(self, index, p, g):
        (scratch,) = self._buffers(index, p, 0)
        np.multiply(g, self.learning_rate, out=scratch)
        p -= scratch


class Momentum(Optimizer):
    name = "momentum"

    def __init__(self, learning_rate=0.01, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = check_fraction("momentum", momentum)

    def _update_one(self, index, p, g):
        velocity, scratch = self._buffers(index, p, 1)
        velocity *= self.momentum
        np.multiply(g, self.learning_rate, out=scratch)
        velocity -= scratch
        p += velocity


class Nesterov(Momentum):
    name = "nesterov"

    def _update_one(self, index, p, g):
        velocity, scratch = self._buffers(index, p, 1)
        velocity *= self.momentum
        np.multiply(g, self.learning_rate, out=scratch)
        velocity -= scratch
        # p += mu v - lr g, with scratch = lr g
        p -= scratch
        np.multiply(velocity, self.momentum, out=scratch)
        p += scratch


class AdaGrad(Optimizer):
    name = "adagrad"

    def __init__(self, learning_rate=0.01, epsilon=1e-8):
        super().__init__(learning_rate)
        self.epsilon = float(epsilon)

    def _update_one(self, index, p, g):
        sum_sq, scratch = self._buffers(index, p, 1)
        np.multiply(g, g, out=scratch)
        sum_sq += scratch
        _adaptive_update(p, g, sum_sq, self.epsilon, self.learning_rate, scratch)


class RMSProp(Optimizer):
    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-8):
        super().__init__(learning_rate)
        self.rho = check_fraction("rho", rho)
        self.epsilon = float(epsilon)

    def _update_one(self, index, p, g):
        mean_sq, scratch = self._buffers(index, p, 1)
        mean_sq *= self.rho
        np.multiply(g, g, out=scratch)
        scratch *= 1 - self.rho
        mean_sq += scratch
        _adaptive_update(p, g, mean_sq, self.epsilon, self.learning_rate, scratch)


class Adam(Optimizer):
    name = "adam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        super().__init__(learning_rate)
        self.beta1 = check_fraction("beta1", beta1)
        self.beta2 = check_fraction("beta2", beta2)
        self.epsilon = float(epsilon)

    def update(self, params, grads):
        self.n_updates += 1
        t = self.n_updates
        b1, b2 = self.beta1, self.beta2
        # Speed: the state is kept unnormalised, m' = m / (1 - b1) and v' = v / (1 - b2), so its
        # updates are m' = b1 m' + g and v' = b2 v' + g^2 (no (1 - b) multiplications), and every
        # constant, bias corrections included, is folded into two scalars. Same value as the
        # textbook form, in 10 vector passes instead of 12:
        #   lr m^ / (sqrt(v^) + eps) = lr_t m' / (sqrt(v') + eps_t), with
        #   lr_t = lr (1 - b1) / (1 - b1^t) / sqrt((1 - b2) / (1 - b2^t)),
        #   eps_t = eps / sqrt((1 - b2) / (1 - b2^t)).
        root = math.sqrt((1.0 - b2) / (1.0 - b2**t))
        self._lr_t = self.learning_rate * (1.0 - b1) / (1.0 - b1**t) / root
        self._eps_t = self.epsilon / root
        for index, (p, g) in enumerate(zip(params, grads)):
            self._update_one(index, p, g)

    def _update_one(self, index, p, g):
        m, v, scratch = self._buffers(index, p, 2)
        m *= self.beta1
        m += g
        np.multiply(g, g, out=scratch)
        v *= self.beta2
        v += scratch
        _adaptive_update(p, m, v, self._eps_t, self._lr_t, scratch)

    def state_arrays(self) -> list[np.ndarray]:
        """m and v in the textbook scaling (for inspection and tests)."""
        state = self.__dict__.get("_state", {})
        return [a * (1 - b) for m, v, _ in state.values() for a, b in ((m, self.beta1), (v, self.beta2))]


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)}


def make_optimizer(name: str, learning_rate: float, **options) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}; got {name!r}") from None
    return cls(learning_rate, **options)
