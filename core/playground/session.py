"""One student's live Playground session: data set, network and trainer built from a config (seeded:
the same config gives the same data and the same starting weights), the loss curves kept small
for long runs, the decision-boundary grid, each neuron's output over the plane for the diagram,
and the neuron inspector's edits of weights and biases.

Every number it reports describes the weights the network holds now: after a weight is edited by
hand, or after early stopping put back the best epoch's weights, the scores are measured again
(`latest`, `shown_note`). After every slice of training `health.HealthWatch` checks that training
still works; when it does not, the session stops with a `health.Diagnosis` (`stop_title`,
`stop_reason`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from core.data import (
    FEATURE_LABELS,
    Dataset2D,
    expand_features,
)
from core.engine.layer_statistics import GradientHistory
from core.engine.trainer import EpochRecord, Trainer
from core.playground.budget import LIVE_GRID_BUDGET, grid_resolution
from core.playground.build import (
    HYPERPARAMETER_FIELDS,
    build_network,
    hyperparameter_changes,
    output_units,
    resolve_head,
    structure_key,
    trainer_options,
)
from core.playground.config import (
    ACTIVATION_LABELS,
    DIAGRAM_MAX_NEURONS,
    GRID_SIZE,
    HISTORY_KEEP,
    MAX_WEIGHT,
    PlaygroundConfig,
)
from core.playground.curves import CurveHistory, EpochScores
from core.playground.health import Diagnosis, HealthWatch
from core.playground.holdout import VALIDATION_SHARE, validation_view
from core.playground.plane import grid_points, plane_extent


@dataclass
class Boundary:
    """The network's output over the plane, on a resolution x resolution grid (row 0 at the bottom).

    binary: values = P(class 1); multiclass: classes = predicted class, values = its
    probability; regression: values = the prediction.
    """

    values: np.ndarray  # float32 (r, r)
    classes: np.ndarray | None  # uint8 (r, r) for multiclass
    extent: tuple
    task: str
    n_classes: int


def metric_name(task: str) -> str:
    return "R²" if task == "regression" else "accuracy"


def feature_label(name: str) -> str:
    return FEATURE_LABELS.get(name, name)


class PlaygroundSession:
    """One student's live training: data, network, trainer and what the page draws from them.

    Stored in st.session_state by the page (never shared between users). Build a new one when
    `structure_key` changes; call `update(config)` for hyperparameter changes (weights and
    history are kept).
    """

    def __init__(self, config: PlaygroundConfig, dataset: Dataset2D, data_token=None):
        self.config = config
        self.dataset = dataset
        self.data_token = data_token
        self.key = structure_key(config, data_token)
        self.task = dataset.task
        self.head, self.head_note = resolve_head(config, dataset.task)
        self.n_outputs = output_units(self.head, dataset)
        # Multiclass display when there are more than two outputs; a two-output softmax is still
        # drawn as P(class 1).
        self.display_task = (
            "regression" if self.task == "regression" else "multiclass" if self.n_outputs > 2 else "binary"
        )
        self.X_train = expand_features(dataset.X_train, config.features)
        self.X_test = expand_features(dataset.X_test, config.features)
        # What the trainer learns from and watches: the training and test sets; with early
        # stopping, 80 % of the training points and a validation split of the other 20 % (the
        # test set is never looked at to decide anything: see holdout.py).
        self.held_out = "validation" if config.early_stopping else "test"
        watched = validation_view(dataset, config.seed) if config.early_stopping else dataset
        self.X_fit, self.y_fit = expand_features(watched.X_train, config.features), watched.y_train
        self.X_held, self.y_held = expand_features(watched.X_test, config.features), watched.y_test
        has_held = len(self.y_held) > 0  # clicked points: every one trains, no test set
        self.network = build_network(config, len(config.features), self.head, self.n_outputs)
        self.trainer = Trainer(
            self.network,
            self.X_fit,
            self.y_fit,
            self.X_held if has_held else None,
            self.y_held if has_held else None,
            early_stopping=config.early_stopping,
            patience=config.patience,
            seed=config.seed,
            **trainer_options(config, watched.n_train),
        )
        self.extent = plane_extent(dataset, config.dataset)
        self.curves = CurveHistory()
        self.gradients = GradientHistory()  # per-layer gradient norms for the Health tab
        self._grids: dict[int, np.ndarray] = {}
        # Epoch 0: the loss before any training, so the curves start where the learner does.
        self.initial = self._measure(0)
        self.curves.add([self.initial])
        self.health = HealthWatch(self.network, self.X_fit, self.initial.train_loss)
        self.diagnosis: Diagnosis | None = None  # why the health checks stopped training
        # The scores of the weights now when they are not the last epoch's (edited by hand, or
        # the best epoch's put back by early stopping), with the epoch those weights come from.
        self._now: EpochScores | None = None
        self._now_note: str | None = None

    # ------------------------------------------------------------------ config changes
    def update(self, config: PlaygroundConfig) -> list[str]:
        """Apply a config with the same structure: hyperparameters change in place (weights and
        history kept), also while training. Returns the names of what changed."""
        if structure_key(config, self.data_token) != self.key:
            raise ValueError("the structure changed: build a new PlaygroundSession")
        old, self.config = self.config, config
        changes = {
            name: getattr(config, name)
            for name in HYPERPARAMETER_FIELDS
            if getattr(config, name) != getattr(old, name)
        }
        if "batch_size" in changes:
            changes["batch_size"] = min(config.batch_size, self.trainer.n_train)
        if changes:
            self.trainer.set_hyperparameters(**hyperparameter_changes(config, changes))
        # Patience has no setter in the engine; the trainer reads it at the end of every epoch,
        # so setting it between steps is safe. (Switching early stopping on or off changes which
        # points train: a structure change.)
        if config.patience != old.patience:
            self.trainer.patience = config.patience
            changes["patience"] = config.patience
        view = [
            name
            for name in ("show_test", "discretize", "epochs_per_update", "hide")
            if getattr(config, name) != getattr(old, name)
        ]
        return list(changes) + view

    # ------------------------------------------------------------------ training
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def stopped(self) -> bool:
        return self.trainer.stopped or self.diagnosis is not None

    @property
    def stop_reason(self) -> str | None:
        return self.diagnosis.message if self.diagnosis else self.trainer.stop_reason

    @property
    def diverged(self) -> bool:
        """Training broke down: NaN or infinity (the trainer), or a problem the health checks found."""
        return self.diagnosis is not None or (self.trainer.stopped and self.trainer.stop_kind == "diverged")

    @property
    def stop_title(self) -> str | None:
        """A headline for the stop message (None when not stopped, or stopped early on purpose)."""
        if self.diagnosis:
            return self.diagnosis.title
        return "Training paused: it diverged." if self.diverged else None

    def train(self, milliseconds: float, max_epochs: int) -> list[EpochScores]:
        """One live update's slice: about `milliseconds` of training, at most max_epochs epochs."""
        if self.stopped:
            return []
        # Overflow on the way to a divergence is expected: the trainer detects it, restores the
        # last good weights and explains; NumPy's warnings would only clutter the server log.
        with np.errstate(over="ignore", invalid="ignore"):
            return self._absorb(self.trainer.train_for(milliseconds, max_epochs=max_epochs))

    def train_epochs(self, epochs: int = 1) -> list[EpochScores]:
        """Whole epochs (the Step button); continues after a stop, as pressing Play does."""
        self.resume()
        with np.errstate(over="ignore", invalid="ignore"):
            return self._absorb(self.trainer.train_epochs(epochs))

    def resume(self) -> None:
        """Allow training again after a stop; what is wrong now will not stop it again."""
        if self.trainer.stopped:
            self.trainer.resume()
        self.diagnosis = None
        self.health.acknowledge()

    def _absorb(self, records: list[EpochRecord]) -> list[EpochScores]:
        scores = [EpochScores.of(record) for record in records]
        self.curves.add(scores)
        self.gradients.add(records)
        history = self.trainer.history
        if len(history) > 2 * HISTORY_KEEP:
            # The engine keeps every EpochRecord and never reads them back; a 5-minute run at
            # 200 epochs/s would hold 60,000. The curves have their own bounded copy.
            del history[:-HISTORY_KEEP]
        if records:
            self._now = self._now_note = None  # the weights are the last epoch's again
        trainer = self.trainer
        if trainer.stopped and trainer.stop_kind == "early_stopping" and trainer.restore_best:
            self._restored_scores()
        elif records and not trainer.stopped:
            # The dead-layer check is a pass over the training set: once per slice with an
            # epoch in it, so at most as much again as the trainer's evaluation of that epoch.
            self.diagnosis = self.health.check(records, trainer.optimizer.learning_rate)
        return scores

    def _measure(self, epoch: int) -> EpochScores:
        """The scores of the weights now, without training, on what the trainer trains on and
        watches (the `test_*` fields hold the validation split's when early stopping is on)."""
        train = self.trainer.evaluate(self.X_fit, self.y_fit)
        held = self.trainer.evaluate(self.X_held, self.y_held) if len(self.y_held) else (math.nan,) * 2
        return EpochScores(epoch, float(train[0]), float(train[1]), float(held[0]), float(held[1]))

    def test_report(self) -> str | None:
        """With early stopping, the final report on the test set, kept aside until the end."""
        if self.held_out != "validation" or not self.trainer.stopped:
            return None
        loss, metric = self.trainer.evaluate(self.X_test, self.dataset.y_test)
        return (
            f"On the test set, which early stopping never saw: loss {loss:.3f}, "
            f"{metric_name(self.task)} {metric:.3f}. Early stopping watched a validation split "
            f"({VALIDATION_SHARE:.0%} of the training points, not trained on)."
        )

    def _restored_scores(self) -> None:
        """Early stopping put back the best epoch's weights: measure them, and find that epoch as
        the first record with their test loss (the trainer keeps a best only when it improves on
        the one before by its min_delta, far more than the tolerance here)."""
        now = self._measure(self.epoch)
        best = next(
            (
                r.epoch
                for r in self.trainer.history
                if r.val_loss is not None
                and math.isclose(r.val_loss, now.test_loss, rel_tol=1e-6, abs_tol=1e-9)
            ),
            None,
        )
        which = f"the restored weights of epoch {best}" if best is not None else "the restored best weights"
        self._now = replace(now, epoch=self.epoch if best is None else best)
        self._now_note = f"Epoch {self.epoch:,} trained; the numbers and pictures show {which}."

    @property
    def latest(self) -> EpochScores:
        """The scores of the weights the network holds now: the last epoch's, epoch 0's before
        any training, or measured again after an edit or early stopping's restore."""
        return self._now or self.curves.last or self.initial

    @property
    def shown_note(self) -> str | None:
        """What the page says when the weights are not simply the last epoch's."""
        return self._now_note

    @property
    def training_seconds(self) -> float:
        last = self.trainer.history[-1] if self.trainer.history else None
        return last.seconds if last else 0.0

    # ------------------------------------------------------------------ evaluation on the plane
    def grid_features(self, resolution: int) -> np.ndarray:
        """Expanded features of the grid points (cached per resolution: built once, reused
        on every update)."""
        features = self._grids.get(resolution)
        if features is None:
            if len(self._grids) >= 4:
                self._grids.clear()
            features = expand_features(grid_points(self.extent, resolution), self.config.features)
            self._grids[resolution] = features
        return features

    def live_resolution(self, budget: float = LIVE_GRID_BUDGET) -> int:
        return grid_resolution(self.network.layer_sizes, budget)

    def boundary(self, resolution: int = GRID_SIZE) -> Boundary:
        """The output over a resolution² grid: one forward pass of the network."""
        out = self.network.predict_output(self.grid_features(resolution))
        r = resolution
        classes = None
        if self.display_task == "multiclass":
            classes = out.argmax(axis=1).astype(np.uint8).reshape(r, r)
            values = out.max(axis=1).reshape(r, r)
        elif self.display_task == "binary":
            values = out[:, -1].reshape(r, r)
        else:
            values = out[:, 0].reshape(r, r)
        return Boundary(
            np.ascontiguousarray(values, dtype=np.float32),
            classes,
            self.extent,
            self.display_task,
            max(2, self.n_outputs) if self.task != "regression" else 0,
        )

    def neuron_maps(self, resolution: int = 24, max_per_layer: int = DIAGRAM_MAX_NEURONS) -> list[np.ndarray]:
        """Each neuron's output over the plane, for the network diagram: one array per column of
        the diagram, [inputs, hidden 1, ..., output], each (k, r, r) float32 with k <= max_per_layer.
        One `trace` of the grid gives every neuron at once."""
        features = self.grid_features(resolution)
        r = resolution
        maps = [np.ascontiguousarray(features[:, :max_per_layer].T.reshape(-1, r, r))]
        for trace in self.network.trace(features):
            a = trace.a[:, :max_per_layer]
            maps.append(np.ascontiguousarray(a.T.reshape(-1, r, r), dtype=np.float32))
        return maps

    def column_names(self) -> list[list[str]]:
        """Names of the neurons of each diagram column (inputs, hidden layers, output)."""
        names = [[feature_label(f) for f in self.config.features]]
        for i, width in enumerate(self.config.hidden, 1):
            names.append([f"H{i}.{j + 1}" for j in range(width)])
        if self.n_outputs == 1:
            names.append(["output"])
        else:
            names.append([f"class {k}" for k in range(self.n_outputs)])
        return names

    def layer_choices(self) -> list[tuple[int, str]]:
        """(layer index in network.layers, label) for the neuron inspector."""
        labels = []
        for i, width in enumerate(self.config.hidden):
            activation = ACTIVATION_LABELS.get(self.config.activations[i], self.config.activations[i])
            labels.append((i, f"Hidden layer {i + 1} ({width} neurons, {activation})"))
        labels.append(
            (
                len(self.config.hidden),
                f"Output layer ({self.n_outputs} neuron{'s' if self.n_outputs > 1 else ''})",
            )
        )
        return labels

    def neuron_detail(self, layer: int, neuron: int, resolution: int = GRID_SIZE) -> dict:
        """What the inspector shows: the neuron's output map, its bias, its incoming weights."""
        network = self.network
        if not 0 <= layer < len(network.layers):
            raise ValueError(f"layer must be in [0, {len(network.layers) - 1}]; got {layer}")
        dense = network.layers[layer]
        if not 0 <= neuron < dense.n_out:
            raise ValueError(f"neuron must be in [0, {dense.n_out - 1}]; got {neuron}")
        traces = network.trace(self.grid_features(resolution))
        r = resolution
        activation = network.layer_activation_names[layer]
        return {
            "map": np.ascontiguousarray(traces[layer].a[:, neuron].reshape(r, r), dtype=np.float32),
            "bias": float(dense.bias[neuron]),
            "weights": dense.weights[:, neuron].astype(np.float64),
            "inputs": self.column_names()[layer],
            "name": self.column_names()[layer + 1][neuron],
            "activation": ACTIVATION_LABELS.get(activation, activation),
            "extent": self.extent,
        }

    def set_weight(self, layer: int, source: int, neuron: int, value: float) -> float:
        """Edit one weight (written into the network's parameter buffer, a view)."""
        value = self._check_parameter(value)
        self.network.layers[layer].weights[source, neuron] = value
        self._edited()
        return value

    def set_bias(self, layer: int, neuron: int, value: float) -> float:
        value = self._check_parameter(value)
        self.network.layers[layer].bias[neuron] = value
        self._edited()
        return value

    def _edited(self) -> None:
        """A weight changed by hand: the losses and accuracy shown are measured again, and the
        curves end at them (a vertical step at this epoch)."""
        self._now = self._measure(self.epoch)
        self._now_note = f"Numbers for the network as edited by hand (after epoch {self.epoch:,})."
        self.curves.add([self._now])

    @staticmethod
    def _check_parameter(value) -> float:
        value = float(value)
        if not math.isfinite(value) or abs(value) > MAX_WEIGHT:
            raise ValueError(
                f"a weight or bias must be a finite number within ±{MAX_WEIGHT:g}; got {value!r}"
            )
        return value
