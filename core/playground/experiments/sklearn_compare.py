"""scikit-learn's MLP next to ours: the same features, layers and hyperparameters (as far as
scikit-learn has them; notes say what differs), trained as many epochs, evaluated alike.

The L2 penalty is the one hyperparameter whose number differs. Per mini-batch of n samples the
engine minimises mean loss + l2/2 * sum W^2 (core/engine/network.py, `penalty`), scikit-learn
mean loss + alpha/(2n) * sum W^2 (`_backprop` in sklearn/neural_network/_multilayer_perceptron.py:
its gradient adds alpha * W / n). Passing alpha = l2 * batch_size makes the two objectives, and so
one step from the same weights, the same on every full batch.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from core.data import expand_features
from core.playground.config import PlaygroundConfig
from core.playground.experiments.timing import MAX_RACE_EPOCHS, time_budget, train_until
from core.playground.plane import grid_points
from core.playground.session import Boundary, PlaygroundSession

SHARED_OBJECTIVE = (
    "Both sides minimise, on each mini-batch, the mean loss plus l2/2 · ΣW² "
    "(scikit-learn gets alpha = l2 × batch size, because it divides its penalty by the batch size)."
)

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


def l2_as_alpha(l2: float, batch_size: int) -> float:
    """scikit-learn's alpha with the same objective as the engine's l2 on batches of this size:
    its penalty alpha/(2n) * sum W^2 equals l2/2 * sum W^2 when alpha = l2 * n."""
    return float(l2) * int(batch_size)


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
    batch = min(config.batch_size, n_train)
    if config.l2 and n_train % batch:
        # scikit-learn divides alpha by each batch's own size, so its short last batch is
        # regularised batch/short times more than ours; full batches agree exactly.
        short = n_train % batch
        notes.append(
            f"The last batch of each epoch has {short} samples: scikit-learn regularises it "
            f"{batch / short:.3g}× more than ours."
        )
    options = dict(
        hidden_layer_sizes=tuple(config.hidden),
        activation=SKLEARN_ACTIVATIONS[first],
        solver=solver,
        learning_rate_init=config.learning_rate,
        batch_size=batch,
        alpha=l2_as_alpha(config.l2, batch),
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
    half = time_budget(time_budget_s) / 2
    ours = PlaygroundSession(replace(config, early_stopping=False), dataset, session.data_token)
    train_until(ours, epochs, time.perf_counter() + half)

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
    # Clicked points have no test set (every one trains): no test score to report.
    test_metric = float(model.score(X_test, y_test)) if len(y_test) else math.nan
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
        ours_test_metric=float(ours.latest.test_metric),
        ours_seconds=ours.training_seconds,
        ours_epochs=ours.epoch,
        notes=notes,
    )
