"""The trainer: runs mini-batch gradient descent in slices a page can drive.

A page calls `train_epochs(epochs)` or `train_for(milliseconds)` on every tick; the trainer keeps its
place inside an epoch between calls, so even a 60,000-image epoch stays responsive. Every finished
epoch appends an `EpochRecord` to `history`. Hyperparameters (learning rate, regularization, batch
size, dropout, schedule, optimizer) can change between calls without losing weights or history,
and so can the data (`set_training_data`; training_data.py checks and keeps it): the trainer's
state (optimizer moments, the shuffle generator, the epoch count) carries on, so k calls of one
epoch train exactly as one call of k.

Guards: a non-finite loss or weight stops training with a clear `stop_reason` and restores the last
good weights; early stopping watches the validation loss with patience and restores the best.
"""

from __future__ import annotations

import math
import time

import numpy as np

from core.engine.checks import check_positive_int, check_range, is_real_number
from core.engine.hyperparameters import Hyperparameters
from core.engine.network import Network
from core.engine.optimizers import make_optimizer
from core.engine.records import (
    EpochRecord,
    divergence_message,
    early_stopping_message,
    gradient_norms,
    metric_value,
)
from core.engine.schedules import learning_rate_at
from core.engine.training_data import MAX_EVAL_SAMPLES as MAX_EVAL_SAMPLES  # still importable from here
from core.engine.training_data import TrainingData
from core.engine.workspace import GatherBuffers

MAX_BATCH_LOSSES = 5_000  # mini-batch loss trace kept for live charts
# Below this many input values the whole shuffled epoch is gathered at once (fewest NumPy calls);
# above it each mini-batch is gathered on its own, while it is small enough to stay in cache.
GATHER_EPOCH_LIMIT = 1_000_000
EARLY_STOPPING_ON = ("val_loss", "val_metric")  # what early stopping may watch on the held-out set


class Trainer(TrainingData):
    """Mini-batch training of a `Network` on (X_train, y_train), measured on (X_val, y_val).

    network: the Network to train; its weights are changed in place.
    X_train, y_train: the training set, X of shape (n, n_inputs); y holds class labels (0/1 for
        a sigmoid head, 0..K-1 for softmax) or, for regression, the values.
    X_val, y_val: an optional held-out set (give both or neither), never trained on: its loss
        and metric are measured after every epoch (EpochRecord.val_loss, .val_metric), and it
        is the loss early stopping watches.
    learning_rate, optimizer, batch_size, l1, l2, dropout, schedule, schedule_options,
    optimizer_options: the hyperparameters (see hyperparameters.Hyperparameters for each one's
        meaning and range); `set_hyperparameters` changes them between two calls.
    early_stopping: stop once the held-out loss has not improved by more than `min_delta` for
        `patience` epochs in a row (needs X_val, y_val); then, with `restore_best`, put back the
        weights of the best epoch (otherwise the last epoch's weights stay).
    early_stopping_on: what early stopping watches on the held-out set: 'val_loss' (the default:
        lower is better) or 'val_metric' (accuracy or R², higher is better: scikit-learn's
        MLP watches its validation score, so a loss still falling on points already all right
        does not keep it training).
    seed: seeds the shuffles and the dropout masks (same seed, same run).
    track_batch_loss: also keep every mini-batch's loss in `batch_losses`, for live charts.
    shuffle: reshuffle the training set every epoch (default); False visits it in the given order.
    sample_weight, val_sample_weight: optional weights (>= 0, one per sample) of the training and
        the held-out samples: each mini-batch's loss is the weighted mean of its samples' losses
        (losses.py), and the recorded losses and metrics are weighted likewise. None: every
        sample counts once.
    """

    def __init__(
        self,
        network: Network,
        X_train,
        y_train,
        X_val=None,
        y_val=None,
        *,
        learning_rate=0.01,
        optimizer="adam",
        batch_size=32,
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        schedule="constant",
        schedule_options=None,
        optimizer_options=None,
        early_stopping=False,
        patience=10,
        min_delta=1e-4,
        early_stopping_on="val_loss",
        restore_best=True,
        seed=0,
        track_batch_loss=False,
        shuffle=True,
        sample_weight=None,
        val_sample_weight=None,
    ):
        self.network = network
        # checked and stored by training_data.TrainingData, as are later sets (set_training_data)
        self._load_data(X_train, y_train, X_val, y_val, sample_weight, val_sample_weight)
        if early_stopping and not self.has_val:
            raise ValueError("early_stopping needs a validation set (X_val, y_val)")
        self.hp = Hyperparameters()
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.early_stopping = bool(early_stopping)
        self.patience = int(check_range("patience", patience, 10_000))
        self.min_delta = check_range("min_delta", min_delta, 1e6)
        self.early_stopping_on = early_stopping_on
        self.restore_best = bool(restore_best)
        self.track_batch_loss = bool(track_batch_loss)
        self.shuffle = bool(shuffle)
        self.optimizer = None
        self.epoch = 0
        self._gather_buffers = GatherBuffers()
        self.set_hyperparameters(
            learning_rate=learning_rate,
            optimizer=optimizer,
            batch_size=batch_size,
            l1=l1,
            l2=l2,
            dropout=dropout,
            schedule=schedule,
            schedule_options=schedule_options or {},
            optimizer_options=optimizer_options or {},
        )
        self._choose_eval_samples(self.rng)
        self.reset_progress()

    # ----------------------------------------------------------------------------- set-up
    def set_hyperparameters(self, **changes) -> None:
        """Change hyperparameters (the fields of `Hyperparameters`) between two calls; weights,
        history and optimizer state are kept (a new optimizer or new options start fresh)."""
        hp = self.hp.with_changes(**changes)  # checked on a copy: a rejected change changes nothing
        optimizer = self.optimizer
        if (
            optimizer is None
            or hp.optimizer != optimizer.name
            or hp.optimizer_options != self.hp.optimizer_options
        ):
            optimizer = make_optimizer(hp.optimizer, hp.learning_rate, **hp.optimizer_options)
        self.hp, self.optimizer = hp, optimizer
        self.optimizer.learning_rate = self.current_learning_rate()

    def _data_replaced(self, new_validation_set: bool) -> None:
        """After `set_training_data`: the gather buffers were shaped by the old data, and a new
        held-out set restarts early stopping's watch (its best loss was measured on the old set)."""
        if new_validation_set:
            self._best_loss, self._wait = math.inf, 0
        self._gather_buffers.clear()

    @property
    def at_epoch_boundary(self) -> bool:
        """True between epochs (nothing of the next epoch has run yet)."""
        return self._epoch_X is None

    def reset_progress(self) -> None:
        """Forget history and position (weights are left alone; reinitialize the network for that)."""
        self.epoch = 0  # completed epochs
        self._samples_done = 0  # training samples of the completed epochs
        self.history: list[EpochRecord] = []
        self.batch_losses: list[tuple[float, float]] = []  # (fractional epoch, loss)
        self.rng = np.random.default_rng(self.seed)  # Reset replays the same shuffles
        self.stopped = False
        self.stop_reason: str | None = None
        self.stop_kind: str | None = None  # "diverged" or "early_stopping" once stopped
        self._cursor = 0  # next sample index in the current epoch's permutation
        self._epoch_X = self._epoch_T = self._epoch_order = self._epoch_W = None
        self._elapsed = 0.0
        self._best_loss = math.inf
        self._best_epoch = 0
        self._best_params = self.network.params.copy()
        self._good_params = self.network.params.copy()
        self._wait = 0
        if self.optimizer is not None:
            self.optimizer.reset()

    def resume(self) -> None:
        """Allow training again after a stop (e.g. once the learning rate was lowered)."""
        self.stopped = False
        self.stop_reason = None
        self.stop_kind = None
        self._wait = 0

    def restore_best_weights(self) -> int:
        """Put back the weights of the epoch best on what early stopping watches so far (what it
        keeps; the starting weights if no epoch improved on them, or without early stopping)
        and return that epoch (0 for the starting weights). Between epochs only."""
        if not self.at_epoch_boundary:
            raise ValueError("restore_best_weights can only be called between epochs (at_epoch_boundary)")
        self.network.params[...] = self._best_params
        return self._best_epoch

    # ----------------------------------------------------------------------------- properties
    @property
    def task(self) -> str:
        return self.network.head.task

    @property
    def samples_seen(self) -> int:
        """Training samples trained on so far, counting repeats (scikit-learn's `t_`)."""
        return self._samples_done + (0 if self._epoch_X is None else self._cursor)

    @property
    def epoch_progress(self) -> float:
        """Fraction of the current epoch done (for progress bars)."""
        return 0.0 if self._epoch_X is None else self._cursor / self.n_train

    def current_learning_rate(self) -> float:
        return learning_rate_at(
            self.hp.schedule, self.hp.learning_rate, self.epoch, **self.hp.schedule_options
        )

    # ----------------------------------------------------------------------------- training
    def train_epochs(self, epochs: int = 1) -> list[EpochRecord]:
        """Train `epochs` whole epochs (finishing the current one first if it is under way)."""
        return self._run(max_epochs=check_positive_int("epochs", epochs), deadline=math.inf)

    def train_for(self, milliseconds: float, max_epochs: int | None = None) -> list[EpochRecord]:
        """Train for about `milliseconds` of wall time (at least one mini-batch), stopping early
        after `max_epochs` completed epochs if given. Returns the epochs completed."""
        if not is_real_number(milliseconds) or not milliseconds > 0:
            raise ValueError(f"milliseconds must be a positive number; got {milliseconds!r}")
        deadline = time.perf_counter() + milliseconds / 1000.0
        return self._run(max_epochs=max_epochs or math.inf, deadline=deadline)

    def _start_epoch(self) -> None:
        # Reshuffle every epoch with the trainer's seeded generator; one gather per epoch makes
        # every mini-batch a contiguous slice (a view, no copy).
        # shuffle=False keeps the given order (scikit-learn's option) and draws nothing from rng.
        order = self.rng.permutation(self.n_train) if self.shuffle else np.arange(self.n_train)
        if self._X1_train.size <= GATHER_EPOCH_LIMIT:
            self._epoch_X = np.take(self._X1_train, order, axis=0)
            self._epoch_T = np.take(self.T_train, order, axis=0)
            self._epoch_order = None
        else:
            self._epoch_X, self._epoch_T, self._epoch_order = self._X1_train, self.T_train, order
        # the weights in the epoch's order (one small vector): each batch's are a slice of it
        self._epoch_W = None if self.w_train is None else np.take(self.w_train, order)
        self._cursor = 0
        self.optimizer.learning_rate = self.current_learning_rate()

    def _run(self, max_epochs, deadline) -> list[EpochRecord]:
        if self.stopped:
            return []
        # A diverging run overflows before the guard sees it; the guard reports it clearly, so
        # NumPy's RuntimeWarnings would only be noise in the server log.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._run_guarded(max_epochs, deadline)

    def _run_guarded(self, max_epochs, deadline) -> list[EpochRecord]:
        # The weights are good now (a page may have edited one by hand since the last slice):
        # this is what a divergence in this slice falls back to.
        self._good_params[...] = self.network.params
        started = time.perf_counter()
        completed: list[EpochRecord] = []
        net, optimizer, hp = self.network, self.optimizer, self.hp
        params, grads = [net.params], [net.grads]
        n = self.n_train
        l1, l2, dropout, rng = hp.l1, hp.l2, hp.dropout, self.rng
        batch = min(hp.batch_size, n)
        compute, update = net.compute_gradients, optimizer.update
        while True:
            if self._epoch_X is None:
                self._start_epoch()
            start = self._cursor
            stop = min(start + batch, n)
            if self._epoch_order is None:
                Xb = self._epoch_X[start:stop]
                Tb = self._epoch_T[start:stop]
            else:
                index = self._epoch_order[start:stop]
                Xb, Tb = self._gather_buffers.get(stop - start, self._X1_train, self.T_train)
                # mode="clip": the indices are valid by construction, and the default ("raise")
                # gathers into a temporary first, then copies (~15 of ~50 microseconds on MNIST)
                np.take(self._epoch_X, index, axis=0, out=Xb, mode="clip")
                np.take(self._epoch_T, index, axis=0, out=Tb, mode="clip")
            Wb = None if self._epoch_W is None else self._epoch_W[start:stop]
            compute(Xb, Tb, l1, l2, dropout, rng, Wb)
            update(params, grads)
            if self.track_batch_loss:
                self._record_batch_loss(Xb, Tb, stop, Wb)
            self._cursor = stop
            if stop >= n:
                self._epoch_X = None
                self._elapsed += time.perf_counter() - started
                started = time.perf_counter()
                record = self._finish_epoch()
                if record is not None:
                    completed.append(record)
                if self.stopped or len(completed) >= max_epochs:
                    break
            if time.perf_counter() >= deadline:
                break
        self._elapsed += time.perf_counter() - started
        if not self.stopped and not np.isfinite(net.params).all():
            self._diverged("a weight became NaN or infinite")
        return completed

    def _record_batch_loss(self, Xb, Tb, stop, Wb) -> None:
        # z_L of this batch is still in the workspace: no second forward pass.
        ws = self.network.workspace(Xb.shape[0])
        loss = self.network.head.loss_from_logits(ws.z[-1], Tb, Wb)
        self.batch_losses.append((self.epoch + stop / self.n_train, loss))
        if len(self.batch_losses) > MAX_BATCH_LOSSES:
            del self.batch_losses[: MAX_BATCH_LOSSES // 2]

    def evaluate(self, X, y, sample_weight=None) -> tuple[float, float]:
        """(mean loss, accuracy or R²) on any data set, without regularization or dropout
        (weighted by `sample_weight` if given)."""
        X = np.asarray(X, dtype=self.network.dtype)
        w = self._check_weights(sample_weight, X, "sample_weight")
        return self._evaluate(X, self.network.prepare_targets(y), np.asarray(y), w)

    def _evaluate(self, X, T, y, w=None) -> tuple[float, float]:
        z = self.network.logits(X)
        loss = self.network.head.loss_from_logits(z, T, w)
        output = self.network.head.output(z, z)
        return loss, metric_value(self.task, output, y, w)

    def _finish_epoch(self) -> EpochRecord | None:
        net, hp = self.network, self.hp
        self.epoch += 1
        train_loss, train_metric = self._evaluate(self._X_eval, self._T_eval, self._y_eval, self._w_eval)
        val_loss = val_metric = None
        if self.has_val:
            val_loss, val_metric = self._evaluate(self.X_val, self.T_val, self.y_val, self.w_val)
        if not math.isfinite(train_loss) or not np.isfinite(net.params).all():
            self.epoch -= 1
            what = "the loss" if not math.isfinite(train_loss) else "a weight"
            value = train_loss if not math.isfinite(train_loss) else "NaN/inf"
            self._diverged(f"{what} became {value}")
            return None
        lr, norms = self.optimizer.learning_rate, gradient_norms(net.layers)
        scores = (train_loss, train_metric, val_loss, val_metric)
        record = EpochRecord(self.epoch, *scores, lr, norms, self._elapsed, net.penalty(hp.l1, hp.l2))
        self.history.append(record)
        self._samples_done += self.n_train
        self._good_params[...] = net.params
        if self.early_stopping:
            # watched as a loss (lower is better): a metric by its negative
            self._check_early_stopping(val_loss if self.early_stopping_on == "val_loss" else -val_metric)
        return record

    @property
    def early_stopping_on(self) -> str:
        return self._early_stopping_on

    @early_stopping_on.setter
    def early_stopping_on(self, value: str) -> None:
        if value not in EARLY_STOPPING_ON:
            raise ValueError(f"early_stopping_on must be one of {list(EARLY_STOPPING_ON)}; got {value!r}")
        self._early_stopping_on = value

    def _check_early_stopping(self, watched: float) -> None:
        if watched < self._best_loss - self.min_delta:
            self._best_loss, self._best_epoch, self._wait = watched, self.epoch, 0
            self._best_params[...] = self.network.params
            return
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped = True
            self.stop_kind = "early_stopping"
            if self.restore_best:
                self.network.params[...] = self._best_params
            if self.early_stopping_on == "val_loss":
                watched, best = "validation loss", self._best_loss
            else:
                watched = "validation R²" if self.task == "regression" else "validation accuracy"
                best = -self._best_loss
            self.stop_reason = early_stopping_message(
                self.epoch, self.min_delta, self.patience, best, self._best_epoch, self.restore_best, watched
            )

    def _diverged(self, what: str) -> None:
        lr = self.optimizer.learning_rate
        self.network.params[...] = self._good_params
        self.optimizer.reset()
        self._epoch_X = None
        self.stopped = True
        self.stop_kind = "diverged"
        self.stop_reason = divergence_message(self.epoch, what, lr)
