"""Engine speed benchmark: `python -m benchmarks.engine [--rounds N] [--json]`.

Measured in one run, interleaving the contenders round by round so that machine noise hits all
alike; each figure is the median over rounds.
- MNIST-shaped: seconds per epoch, 784-128-64-10 ReLU/softmax, batch 128, Adam, 60,000 synthetic
  samples: this engine, scikit-learn's MLPClassifier (float32 input), PyTorch CPU when installed.
- Playground-shaped: epochs per second, 2-8-8-1 tanh/sigmoid on 500 points, batch 10, SGD and Adam.
- Decision-boundary grid: forward pass of a 100x100 grid through 2-32-32-32-1, milliseconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import time
import warnings

import numpy as np

from core.engine.network import Network
from core.engine.trainer import Trainer

MNIST_SHAPE = dict(n=60_000, features=784, hidden=(128, 64), classes=10, batch=128, lr=1e-3)


def synthetic_mnist(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((MNIST_SHAPE["n"], MNIST_SHAPE["features"]), dtype=np.float32)
    y = rng.integers(0, MNIST_SHAPE["classes"], MNIST_SHAPE["n"])
    return X, y


def synthetic_playground(seed=0):
    from sklearn.datasets import make_moons

    X, y = make_moons(500, noise=0.2, random_state=seed)
    return X.astype(np.float32), y


class EngineMnist:
    name = "engine"

    def __init__(self, X, y):
        sizes = [MNIST_SHAPE["features"], *MNIST_SHAPE["hidden"], MNIST_SHAPE["classes"]]
        self.trainer = Trainer(
            Network(sizes, "relu", "softmax_ce", "he", rng=0),
            X,
            y,
            optimizer="adam",
            learning_rate=MNIST_SHAPE["lr"],
            batch_size=MNIST_SHAPE["batch"],
            seed=0,
        )

    def epoch(self):
        self.trainer.train_epochs(1)


class SklearnMnist:
    name = "sklearn"

    def __init__(self, X, y):
        from sklearn.neural_network import MLPClassifier

        self.X, self.y = X, y
        # alpha=0: the engine's objective has no L2 term either (scikit-learn computes the
        # term whatever its value, so this changes nothing in its speed)
        self.model = MLPClassifier(
            MNIST_SHAPE["hidden"],
            activation="relu",
            solver="adam",
            alpha=0.0,
            batch_size=MNIST_SHAPE["batch"],
            learning_rate_init=MNIST_SHAPE["lr"],
            random_state=0,
        )
        self.classes = np.arange(MNIST_SHAPE["classes"])

    def epoch(self):
        # partial_fit = exactly one pass over the data with mini-batches (shuffled)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.partial_fit(self.X, self.y, classes=self.classes)


class TorchMnist:
    name = "torch"

    def __init__(self, X, y):
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
        torch.manual_seed(0)
        self.torch = torch
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)
        h1, h2 = MNIST_SHAPE["hidden"]
        self.model = torch.nn.Sequential(
            torch.nn.Linear(MNIST_SHAPE["features"], h1),
            torch.nn.ReLU(),
            torch.nn.Linear(h1, h2),
            torch.nn.ReLU(),
            torch.nn.Linear(h2, MNIST_SHAPE["classes"]),
        )
        self.opt = torch.optim.Adam(self.model.parameters(), lr=MNIST_SHAPE["lr"])
        self.loss = torch.nn.CrossEntropyLoss()

    def epoch(self):
        torch, batch = self.torch, MNIST_SHAPE["batch"]
        order = torch.randperm(self.X.shape[0])
        for start in range(0, self.X.shape[0], batch):
            index = order[start : start + batch]
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.model(self.X[index]), self.y[index]).backward()
            self.opt.step()


def _torch_worker(connection) -> None:
    """Child process: PyTorch lives here, so that importing it does not change the NumPy
    contenders' process (in-process it slowed this engine's epoch by ~10 %)."""
    X, y = synthetic_mnist()
    contender = TorchMnist(X, y)
    while connection.recv() == "epoch":
        start = time.perf_counter()
        contender.epoch()
        connection.send(time.perf_counter() - start)


class TorchMnistProcess:
    """PyTorch in its own process, driven epoch by epoch so the rounds stay interleaved."""

    name = "torch"

    def __init__(self):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_torch_worker, args=(child,), daemon=True)
        self.process.start()
        self.last_seconds = None

    def epoch(self):
        self.connection.send("epoch")
        self.last_seconds = self.connection.recv()

    def close(self):
        self.connection.send("stop")
        self.process.join(timeout=10)


def _torch_available() -> bool:
    """Whether PyTorch is installed, without importing it here: importing torch in this process
    would change the NumPy contenders' process (its threads and allocator), so it runs in a child."""
    return importlib.util.find_spec("torch") is not None


def small_epochs_per_second(optimizer: str, epochs: int = 300) -> float:
    X, y = synthetic_playground()
    lr = 0.03 if optimizer == "sgd" else 0.01
    trainer = Trainer(
        Network([2, 8, 8, 1], "tanh", "sigmoid_bce", "xavier", rng=0),
        X,
        y,
        optimizer=optimizer,
        learning_rate=lr,
        batch_size=10,
        seed=0,
    )
    trainer.train_epochs(5)  # warm-up: buffers allocated
    start = time.perf_counter()
    trainer.train_epochs(epochs)
    return epochs / (time.perf_counter() - start)


def grid_forward_ms(repeats: int = 200) -> float:
    net = Network([2, 32, 32, 32, 1], "tanh", "sigmoid_bce", "xavier", rng=0)
    axis = np.linspace(-6, 6, 100, dtype=np.float32)
    gx, gy = np.meshgrid(axis, axis)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    net.predict_output(grid)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        net.predict_output(grid)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def blas_description() -> str:
    """Which matrix-product library and kernels NumPy uses: the biggest single factor here (on
    this machine OPENBLAS_CORETYPE=Haswell pins OpenBLAS to its AVX2 kernels)."""
    try:
        from threadpoolctl import threadpool_info

        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    except ImportError:
        blas = []
    if not blas:
        return "BLAS unknown"
    # SciPy (loaded with scikit-learn) brings its own OpenBLAS: describe NumPy's
    info = next((i for i in blas if "numpy" in str(i.get("filepath", ""))), blas[0])
    return (
        f"{info.get('internal_api')} {info.get('version')} ({info.get('architecture')} kernels, "
        f"{info.get('num_threads')} threads)"
    )


def run(rounds: int) -> dict:
    X, y = synthetic_mnist()
    contenders = [EngineMnist(X, y), SklearnMnist(X, y)]
    if _torch_available():
        contenders.append(TorchMnistProcess())
    for c in contenders:  # warm-up epoch each (allocations, first-call costs)
        c.epoch()
    times: dict[str, list[float]] = {c.name: [] for c in contenders}
    small = {"sgd": [], "adam": []}
    grid = []
    for _ in range(rounds):
        for c in contenders:
            start = time.perf_counter()
            c.epoch()
            elapsed = time.perf_counter() - start
            # the child process times its own epoch (no pipe overhead)
            times[c.name].append(getattr(c, "last_seconds", None) or elapsed)
        for opt in small:
            small[opt].append(small_epochs_per_second(opt))
        grid.append(grid_forward_ms())
    for c in contenders:
        if hasattr(c, "close"):
            c.close()
    median = {k: statistics.median(v) for k, v in times.items()}
    return {
        "engine_mnist_epoch_s": median["engine"],
        "torch_mnist_epoch_s": median.get("torch"),
        "sklearn_mnist_epoch_s": median["sklearn"],
        "small_sgd_epochs_per_s": statistics.median(small["sgd"]),
        "small_adam_epochs_per_s": statistics.median(small["adam"]),
        "grid_ms": statistics.median(grid),
        "rounds": rounds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, {blas_description()}",
    }


def format_table(r: dict) -> str:
    def ratio(other):
        return f"{r['engine_mnist_epoch_s'] / other:.2f}x" if other else "n/a"

    torch_s = f"{r['torch_mnist_epoch_s']:.3f} s" if r["torch_mnist_epoch_s"] else "not installed"
    rows = [
        ("MNIST-shaped epoch, this engine", f"{r['engine_mnist_epoch_s']:.3f} s", ""),
        (
            "MNIST-shaped epoch, scikit-learn",
            f"{r['sklearn_mnist_epoch_s']:.3f} s",
            f"engine/sklearn {ratio(r['sklearn_mnist_epoch_s'])} (target <= 0.5x)",
        ),
        (
            "MNIST-shaped epoch, PyTorch CPU",
            torch_s,
            f"engine/torch {ratio(r['torch_mnist_epoch_s'])} (target <= 0.6x)",
        ),
        ("2-8-8-1 SGD, batch 10", f"{r['small_sgd_epochs_per_s']:.0f} epochs/s", "target >= 1000"),
        ("2-8-8-1 Adam, batch 10", f"{r['small_adam_epochs_per_s']:.0f} epochs/s", "target >= 700"),
        ("100x100 grid, 2-32-32-32-1", f"{r['grid_ms']:.2f} ms", "target < 2 ms"),
    ]
    width = max(len(a) for a, _, _ in rows)
    lines = [f"Machine: {r['machine']}; median of {r['rounds']} interleaved rounds"]
    lines += [f"| {a:<{width}} | {b:>16} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)
    result = run(args.rounds)
    print(format_table(result))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
