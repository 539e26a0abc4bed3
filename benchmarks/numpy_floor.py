"""How fast can NumPy train the MNIST-shaped net at all? The floor, next to the engine and scikit-learn.

    python -m benchmarks.numpy_floor --rounds 7 [--json]

Issue 2 asks for an MNIST-shaped epoch in at most 0.5x scikit-learn's time. To see whether that
is reachable here, `LeanMlp` below is the leanest NumPy training loop I know how to write for the
same computation: same data, shuffling, mini-batches (the short last one included), ReLU hidden
layers, softmax + cross-entropy head and bias-corrected Adam, but fully inlined (no classes, no
checks, no per-epoch loss or accuracy, no history, no divergence guard) and with every
micro-trick that is not in the engine because it costs clarity or the Playground's speed:
ReLU against a block of zeros, a softmax shifted by the batch's maximum, masks into reused
buffers. tests/benchmarks/test_numpy_floor.py checks that it computes the engine's gradients and
trains to the engine's weights, so that the floor is the same work, not less of it.

The script interleaves the three contenders round by round (noise hits all alike) and prints
medians plus the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import numpy as np

from benchmarks.engine import MNIST_SHAPE, EngineMnist, SklearnMnist, blas_description, synthetic_mnist


class LeanMlp:
    """A ReLU MLP with a softmax head trained by Adam, written for speed and nothing else.

    Parameters live in one flat buffer; layer i's weights are a ((n_in + 1) x n_out) view whose
    last row is the bias, and activations carry a column of ones, as in the engine.
    """

    def __init__(
        self,
        blocks: list[np.ndarray],
        X: np.ndarray,
        y: np.ndarray,
        batch: int,
        learning_rate: float,
        seed: int,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
    ):
        n, features = X.shape
        classes = blocks[-1].shape[1]
        self.X1 = np.ones((n, features + 1), np.float32)
        self.X1[:, :features] = X
        self.T = np.zeros((n, classes), np.float32)
        self.T[np.arange(n), y] = 1.0
        self.batch, self.lr, self.b1, self.b2, self.eps = batch, learning_rate, beta1, beta2, epsilon
        self.order_rng = np.random.default_rng(seed)
        self.flat = np.concatenate([b.astype(np.float32).ravel() for b in blocks])
        self.grad = np.zeros_like(self.flat)
        self.m, self.v, self.scratch = (np.zeros_like(self.flat) for _ in range(3))
        self.t = 0
        offsets = np.cumsum([0] + [b.size for b in blocks])
        self.W = [self.flat[a:b].reshape(blk.shape) for a, b, blk in zip(offsets, offsets[1:], blocks)]
        self.G = [self.grad[a:b].reshape(blk.shape) for a, b, blk in zip(offsets, offsets[1:], blocks)]
        widths = [blk.shape[1] for blk in blocks]
        self.xb = np.empty((batch, features + 1), np.float32)
        self.tb = np.empty((batch, classes), np.float32)
        self.z = [np.empty((batch, w), np.float32) for w in widths]
        self.a1 = [np.ones((batch, w + 1), np.float32) for w in widths[:-1]]  # [a, 1]
        self.ga = [np.empty((batch, w), np.float32) for w in widths[:-1]]
        self.mask = [np.empty((batch, w), bool) for w in widths[:-1]]
        self.zeros = [np.zeros((batch, w), np.float32) for w in widths[:-1]]
        self.ones = np.ones(classes, np.float32)

    def gradient(self, k: int) -> None:
        """Fill self.grad for the first k rows of self.xb / self.tb."""
        hidden = len(self.a1)
        a = self.xb[:k]
        for i in range(hidden):
            z = self.z[i][:k]
            np.dot(a, self.W[i], out=z)
            np.maximum(z, self.zeros[i][:k], out=self.a1[i][:k, :-1])
            a = self.a1[i][:k]
        z = self.z[-1][:k]
        np.dot(a, self.W[-1], out=z)
        # softmax - target, over k: one shift for the whole batch is enough unless rows are far
        # apart (exp underflows to 0 in a whole row); then shift row by row
        np.subtract(z, z.max(), out=z)
        np.exp(z, out=z)
        sums = z @ self.ones
        if not sums.all():
            np.dot(a, self.W[-1], out=z)
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            sums = z @ self.ones
        z /= sums[:, None]
        z -= self.tb[:k]
        z *= 1.0 / k
        grad_z = z
        for i in range(hidden, -1, -1):
            a_prev = self.xb[:k] if i == 0 else self.a1[i - 1][:k]
            np.dot(a_prev.T, grad_z, out=self.G[i])
            if i == 0:
                break
            grad_a = self.ga[i - 1][:k]
            np.dot(grad_z, self.W[i][:-1].T, out=grad_a)
            mask = self.mask[i - 1][:k]
            np.greater(self.z[i - 1][:k], 0, out=mask)
            np.multiply(grad_a, mask, out=grad_a)
            grad_z = grad_a

    def adam_step(self) -> None:
        # the engine's Adam: state kept unnormalised, constants folded into two scalars (10 passes)
        self.t += 1
        b1, b2, t = self.b1, self.b2, self.t
        root = math.sqrt((1.0 - b2) / (1.0 - b2**t))
        lr_t = self.lr * (1.0 - b1) / (1.0 - b1**t) / root
        eps_t = self.eps / root
        m, v, s, g = self.m, self.v, self.scratch, self.grad
        m *= b1
        m += g
        np.multiply(g, g, out=s)
        v *= b2
        v += s
        np.sqrt(v, out=s)
        s += eps_t
        np.divide(m, s, out=s)
        s *= lr_t
        self.flat -= s

    def epoch(self) -> None:
        n, batch = self.X1.shape[0], self.batch
        order = self.order_rng.permutation(n)
        for start in range(0, n, batch):
            index = order[start : start + batch]
            k = index.shape[0]
            np.take(self.X1, index, axis=0, out=self.xb[:k], mode="clip")
            np.take(self.T, index, axis=0, out=self.tb[:k], mode="clip")
            self.gradient(k)
            self.adam_step()


class LeanMnist:
    name = "numpy floor"

    def __init__(self, X, y, engine: EngineMnist):
        blocks = [layer.block.copy() for layer in engine.trainer.network.layers]
        self.model = LeanMlp(blocks, X, y, MNIST_SHAPE["batch"], MNIST_SHAPE["lr"], seed=0)

    def epoch(self):
        self.model.epoch()


def run(rounds: int) -> dict:
    X, y = synthetic_mnist()
    engine = EngineMnist(X, y)
    contenders = [engine, LeanMnist(X, y, engine), SklearnMnist(X, y)]
    for c in contenders:  # warm-up
        c.epoch()
    times: dict[str, list[float]] = {c.name: [] for c in contenders}
    for _ in range(rounds):
        for c in contenders:
            start = time.perf_counter()
            c.epoch()
            times[c.name].append(time.perf_counter() - start)
    median = {k: statistics.median(v) for k, v in times.items()}
    sk = times["sklearn"]
    return {
        "engine_mnist_epoch_s": median["engine"],
        "floor_mnist_epoch_s": median["numpy floor"],
        "sklearn_mnist_epoch_s": median["sklearn"],
        "engine_per_round_ratio": [e / s for e, s in zip(times["engine"], sk)],
        "floor_per_round_ratio": [f / s for f, s in zip(times["numpy floor"], sk)],
        "rounds": rounds,
        "machine": blas_description(),
    }


def format_table(r: dict) -> str:
    def rounds(key):
        return " ".join(f"{x:.2f}" for x in r[key])

    sk = r["sklearn_mnist_epoch_s"]
    return "\n".join(
        [
            f"BLAS: {r['machine']}; median of {r['rounds']} interleaved rounds",
            "| MNIST-shaped epoch | seconds | / scikit-learn (median) | / scikit-learn, round by round |",
            "| --- | --- | --- | --- |",
            f"| this engine (Trainer.train_epochs) | {r['engine_mnist_epoch_s']:.3f} | "
            f"{r['engine_mnist_epoch_s'] / sk:.2f}x | {rounds('engine_per_round_ratio')} |",
            f"| leanest NumPy loop (floor) | {r['floor_mnist_epoch_s']:.3f} | "
            f"{r['floor_mnist_epoch_s'] / sk:.2f}x | {rounds('floor_per_round_ratio')} |",
            f"| scikit-learn MLPClassifier | {sk:.3f} | 1.00x | |",
        ]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="end with one JSON object")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be >= 1; got {args.rounds}")
    result = run(args.rounds)
    print(format_table(result))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
