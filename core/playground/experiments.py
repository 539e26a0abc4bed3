"""The Playground's experiments (the seed material's exercises), each bounded in time.

- `optimizer_race`: the same data and the same starting weights trained with several optimizers,
  taking turns in short slices so they progress together; their loss curves on one chart.
- `architecture_search`: a small grid of hidden-layer sizes, each trained for a share of a time
  budget inside one request; a table of test accuracy and time, best first.
- `boundary_gif`: an animated GIF (Pillow) of the decision boundary evolving over training.
- `compare_with_sklearn`: scikit-learn's MLPClassifier / MLPRegressor on the same features, layers
  and hyperparameters, for its boundary, accuracy and training time next to ours.

Every function builds its own networks from the config (seeded), so it never disturbs the
student's live session, and stops at its time budget whatever the network size.
"""

from __future__ import annotations

import io
import math
import time
import warnings
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
from PIL import Image, ImageDraw

from core.data import expand_features
from core.figures.playground import CLASS_COLOURS, _rgb, boundary_rgb, signed_rgb
from core.playground.session import (
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    Boundary,
    PlaygroundConfig,
    PlaygroundSession,
    grid_points,
)

MAX_CANDIDATES = 16
MAX_TIME_BUDGET_S = 30.0
MAX_RACE_EPOCHS = 5000
MAX_GIF_FRAMES = 120
SLICE_MS = 20.0  # racers take turns in slices this long


def _budget(seconds: float) -> float:
    seconds = float(seconds)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"the time budget must be a positive number of seconds; got {seconds!r}")
    return min(seconds, MAX_TIME_BUDGET_S)


def _train_until(session: PlaygroundSession, epochs: int, deadline: float) -> None:
    """Train `session` up to `epochs` epochs or the deadline, whichever comes first."""
    while session.epoch < epochs and not session.stopped:
        left_ms = (deadline - time.perf_counter()) * 1000.0
        if left_ms <= 0:
            break
        session.train(min(left_ms, 200.0), max_epochs=epochs - session.epoch)


# ----------------------------------------------------------------------------- optimizer race
@dataclass
class RaceResult:
    name: str
    learning_rate: float
    epochs: list
    train_loss: list
    test_loss: list
    test_metric: float
    seconds: float
    stop_reason: str | None = None


def optimizer_race(
    config: PlaygroundConfig,
    dataset,
    optimizers,
    epochs: int = 200,
    time_budget_s: float = 8.0,
    learning_rates: dict | None = None,
    data_token=None,
) -> list[RaceResult]:
    """Train one network per optimizer from the same seeded starting weights on the same data.

    learning_rates: optional per-optimizer learning rate (default: the config's for all)."""
    optimizers = list(dict.fromkeys(optimizers))
    if not optimizers:
        raise ValueError("choose at least one optimizer for the race")
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    deadline = time.perf_counter() + _budget(time_budget_s)
    learning_rates = learning_rates or {}
    racers = []
    for name in optimizers:
        racer_config = replace(
            config,
            optimizer=name,
            early_stopping=False,
            learning_rate=learning_rates.get(name, config.learning_rate),
        )
        racers.append(PlaygroundSession(racer_config, dataset, data_token))
    seconds = [0.0] * len(racers)
    # Round robin in short slices: every optimizer gets the same share of the budget, and if
    # time runs out they have all progressed about as far.
    while time.perf_counter() < deadline:
        active = [k for k, r in enumerate(racers) if r.epoch < epochs and not r.stopped]
        if not active:
            break
        for k in active:
            started = time.perf_counter()
            racers[k].train(SLICE_MS, max_epochs=epochs - racers[k].epoch)
            seconds[k] += time.perf_counter() - started
    results = []
    for racer, spent in zip(racers, seconds):
        curves = racer.curves.arrays(max_points=600)
        results.append(
            RaceResult(
                name=racer.config.optimizer,
                learning_rate=racer.config.learning_rate,
                epochs=curves["epoch"].tolist(),
                train_loss=curves["train_loss"].tolist(),
                test_loss=curves["test_loss"].tolist(),
                test_metric=float(racer.latest.val_metric),
                seconds=spent,
                stop_reason=racer.stop_reason,
            )
        )
    return results


# ----------------------------------------------------------------------------- architecture search
@dataclass
class SearchRow:
    hidden: tuple
    parameters: int
    epochs: int
    test_loss: float
    test_metric: float
    train_metric: float
    seconds: float
    finished: bool
    note: str = ""


DEFAULT_CANDIDATES = ((2,), (4,), (8,), (4, 4), (8, 8), (16, 16))


def parse_candidates(text: str) -> list[tuple]:
    """'4; 8; 8,8; 16,16' -> [(4,), (8,), (8, 8), (16, 16)]. '0' or 'none' is no hidden layer."""
    candidates = []
    for item in str(text).replace("\n", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        if item.lower() in ("0", "none", "()"):
            hidden = ()
        else:
            try:
                hidden = tuple(int(part) for part in item.replace(" ", ",").split(",") if part)
            except ValueError:
                raise ValueError(f"{item!r} is not a list of layer sizes like 8,8") from None
        if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= n <= MAX_NEURONS for n in hidden):
            raise ValueError(f"{item!r}: at most {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_NEURONS} neurons")
        if hidden not in candidates:
            candidates.append(hidden)
    if not candidates:
        raise ValueError("give at least one architecture, e.g. 4; 8; 8,8")
    if len(candidates) > MAX_CANDIDATES:
        raise ValueError(f"at most {MAX_CANDIDATES} architectures per search; got {len(candidates)}")
    return candidates


def architecture_search(
    config: PlaygroundConfig,
    dataset,
    candidates,
    epochs: int = 150,
    time_budget_s: float = 10.0,
    data_token=None,
) -> list[SearchRow]:
    """Train each hidden-layer shape (same activation, data, hyperparameters and seed) for up to
    `epochs` epochs and an equal share of the time budget. Rows sorted best first (test accuracy
    or R², then test loss)."""
    candidates = [tuple(c) for c in candidates]
    if not candidates or len(candidates) > MAX_CANDIDATES:
        raise ValueError(f"give 1 to {MAX_CANDIDATES} architectures")
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    share = _budget(time_budget_s) / len(candidates)
    activation = config.activations[0] if config.activations else "tanh"
    rows = []
    for hidden in candidates:
        candidate = replace(
            config, hidden=hidden, activations=(activation,) * len(hidden), early_stopping=False
        )
        started = time.perf_counter()
        session = PlaygroundSession(candidate, dataset, data_token)
        _train_until(session, epochs, started + share)
        latest = session.latest
        note = "diverged" if session.diverged else ("" if session.epoch >= epochs else "time up")
        rows.append(
            SearchRow(
                hidden=hidden,
                parameters=int(session.network.n_params),
                epochs=session.epoch,
                test_loss=float(latest.val_loss),
                test_metric=float(latest.val_metric),
                train_metric=float(latest.train_metric),
                seconds=time.perf_counter() - started,
                finished=session.epoch >= epochs,
                note=note,
            )
        )
    rows.sort(key=lambda r: (-np.nan_to_num(r.test_metric, nan=-1e9), np.nan_to_num(r.test_loss, nan=1e9)))
    return rows


# ----------------------------------------------------------------------------- GIF
@dataclass
class GifResult:
    data: bytes
    frames: int
    epochs: int
    seconds: float


def _draw_points(draw: ImageDraw.ImageDraw, dataset, extent, size: int, task: str) -> None:
    x_lo, x_hi, y_lo, y_hi = extent
    X, y = np.asarray(dataset.X_train), np.asarray(dataset.y_train)
    if len(X) > 600:
        index = np.random.default_rng(0).choice(len(X), 600, replace=False)
        X, y = X[index], y[index]
    px = (X[:, 0] - x_lo) / (x_hi - x_lo) * (size - 1)
    py = (1 - (X[:, 1] - y_lo) / (y_hi - y_lo)) * (size - 1)
    if task == "regression":
        colours = signed_rgb(y, scale=float(np.abs(y).max()) or 1.0)
    else:
        palette = np.array([_rgb(c) for c in CLASS_COLOURS], dtype=np.uint8)
        colours = palette[y.astype(np.int64) % len(palette)]
    radius = 2.5 if size <= 300 else 3.5
    for (cx, cy), colour in zip(zip(px, py), colours):
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=tuple(int(v) for v in colour),
            outline=(255, 255, 255),
        )


def boundary_gif(
    config: PlaygroundConfig,
    dataset,
    epochs: int = 300,
    frames: int = 30,
    size: int = 240,
    time_budget_s: float = 10.0,
    frame_ms: int = 120,
    resolution: int = 60,
    data_token=None,
) -> GifResult:
    """Train a fresh network of this config (the same starting weights as the page after Reset)
    and return an animated GIF of its decision boundary, one frame every epochs/frames epochs."""
    started = time.perf_counter()
    deadline = started + _budget(time_budget_s)
    frames = max(2, min(int(frames), MAX_GIF_FRAMES))
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    size = max(64, min(int(size), 600))
    session = PlaygroundSession(replace(config, early_stopping=False), dataset, data_token)
    per_frame = max(1, math.ceil(epochs / (frames - 1)))
    images = []
    while True:
        boundary = session.boundary(resolution)
        rgb = boundary_rgb(boundary, config.discretize)
        image = Image.fromarray(rgb, "RGB").resize((size, size), Image.BILINEAR)
        draw = ImageDraw.Draw(image)
        _draw_points(draw, dataset, boundary.extent, size, boundary.task)
        latest = session.latest
        draw.rectangle((0, 0, size, 16), fill=(255, 255, 255))
        draw.text((4, 2), f"epoch {session.epoch}  test loss {latest.val_loss:.3f}", fill=(20, 20, 20))
        images.append(image)
        if (
            session.epoch >= epochs
            or session.stopped
            or len(images) >= frames
            or time.perf_counter() >= deadline
        ):
            break
        _train_until(session, min(epochs, session.epoch + per_frame), deadline)
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=int(frame_ms), loop=0
    )
    return GifResult(buffer.getvalue(), len(images), session.epoch, time.perf_counter() - started)


# ----------------------------------------------------------------------------- scikit-learn
SKLEARN_ACTIVATIONS = MappingProxyType(
    {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity", "leaky_relu": "relu"}
)


@dataclass
class CompareResult:
    """scikit-learn's MLP (boundary, metrics, seconds, epochs) and ours trained the same way."""

    boundary: Boundary
    test_metric: float
    train_metric: float
    seconds: float
    epochs: int
    ours_boundary: Boundary
    ours_test_metric: float
    ours_seconds: float
    ours_epochs: int
    notes: list = field(default_factory=list)


def sklearn_estimator(config: PlaygroundConfig, task: str, n_train: int):
    """The scikit-learn MLP closest to this config, and notes on what differs."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    notes = []
    activations = set(config.activations) or {"relu"}
    first = config.activations[0] if config.activations else "relu"
    if len(activations) > 1:
        notes.append(f"scikit-learn uses one activation for all layers: {first}.")
    if first == "leaky_relu":
        notes.append("scikit-learn has no leaky ReLU: using ReLU.")
    solver, momentum, nesterov = "sgd", 0.0, False
    if config.optimizer == "adam":
        solver = "adam"
    elif config.optimizer == "momentum":
        momentum = 0.9
    elif config.optimizer == "nesterov":
        momentum, nesterov = 0.9, True
    elif config.optimizer in ("adagrad", "rmsprop"):
        solver = "adam"
        notes.append(f"scikit-learn has no {config.optimizer}: using Adam.")
    if config.l1:
        notes.append("scikit-learn has no L1 penalty: ignored.")
    if config.dropout:
        notes.append("scikit-learn has no dropout: ignored.")
    if config.schedule != "constant":
        notes.append("scikit-learn's schedules differ: using a constant learning rate.")
    if config.init != "xavier":
        notes.append("scikit-learn always starts from Glorot (Xavier) uniform weights.")
    options = dict(
        hidden_layer_sizes=tuple(config.hidden),
        activation=SKLEARN_ACTIVATIONS[first],
        solver=solver,
        learning_rate_init=config.learning_rate,
        batch_size=min(config.batch_size, n_train),
        alpha=config.l2,
        momentum=momentum,
        nesterovs_momentum=nesterov,
        random_state=config.seed,
        shuffle=True,
    )
    model = MLPRegressor(**options) if task == "regression" else MLPClassifier(**options)
    return model, notes


def compare_with_sklearn(
    session: PlaygroundSession, epochs: int, time_budget_s: float = 10.0, resolution: int = 100
) -> CompareResult:
    """Train scikit-learn's MLP on the session's features for `epochs` epochs (one partial_fit
    call per epoch, so the time budget is honoured) and, for a fair comparison, a fresh copy of
    ours (same config and seed, not the live network) for as many epochs; evaluate both alike.
    Each side gets at most half of the time budget."""
    config, dataset = session.config, session.dataset
    epochs = max(1, min(int(epochs), MAX_RACE_EPOCHS))
    half = _budget(time_budget_s) / 2
    ours = PlaygroundSession(replace(config, early_stopping=False), dataset, session.data_token)
    _train_until(ours, epochs, time.perf_counter() + half)

    model, notes = sklearn_estimator(config, dataset.task, dataset.n_train)
    X_train, X_test = session.X_train.astype(np.float64), session.X_test.astype(np.float64)
    y_train, y_test = dataset.y_train, dataset.y_test
    deadline = time.perf_counter() + half
    classes = None if dataset.task == "regression" else np.arange(max(2, dataset.n_classes))
    done, spent = 0, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: we stop by epochs on purpose
        while done < epochs and time.perf_counter() < deadline:
            started = time.perf_counter()
            if classes is not None:
                model.partial_fit(X_train, y_train, classes=classes)
            else:
                model.partial_fit(X_train, y_train)
            spent += time.perf_counter() - started
            done += 1
    if done < epochs:
        notes.append(f"scikit-learn stopped at the time budget after {done} of {epochs} epochs.")
    if ours.epoch < epochs:
        notes.append(
            f"ours stopped after {ours.epoch} of {epochs} epochs "
            f"({'diverged' if ours.diverged else 'time budget'})."
        )
    test_metric = float(model.score(X_test, y_test))
    train_metric = float(model.score(X_train, y_train))
    grid = expand_features(grid_points(session.extent, resolution), config.features).astype(np.float64)
    r = resolution
    classes_map = None
    if dataset.task == "regression":
        values, task = model.predict(grid).reshape(r, r), "regression"
    else:
        proba = model.predict_proba(grid)
        if proba.shape[1] > 2:
            task = "multiclass"
            classes_map = proba.argmax(axis=1).astype(np.uint8).reshape(r, r)
            values = proba.max(axis=1).reshape(r, r)
        else:
            task, values = "binary", proba[:, -1].reshape(r, r)
    boundary = Boundary(
        values.astype(np.float32),
        classes_map,
        session.extent,
        task,
        0 if task == "regression" else max(2, dataset.n_classes),
    )
    return CompareResult(
        boundary,
        test_metric,
        train_metric,
        spent,
        done,
        ours_boundary=ours.boundary(resolution),
        ours_test_metric=float(ours.latest.val_metric),
        ours_seconds=ours.training_seconds,
        ours_epochs=ours.epoch,
        notes=notes,
    )
