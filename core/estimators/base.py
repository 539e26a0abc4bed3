"""What the two estimators share: their hyperparameters, the one training loop behind `fit`,
`partial_fit` and `warm_start`, and the fitted attributes under scikit-learn's names.

One `Trainer` (core.engine) lives as long as the fitted estimator: `partial_fit` and a
warm-started `fit` hand it the new data (`Trainer.set_training_data`) and train on, so the
optimizer's moments, the shuffle generator and the epoch count carry over, and k calls of
`partial_fit` train exactly as `fit` for k epochs with the same seed.
"""

from __future__ import annotations

import math
import warnings
from types import MappingProxyType

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from core.data.split import split_indices
from core.engine.checks import (
    check_fraction,
    check_positive_int,
    check_range,
    check_sample_weight,
    is_integer,
)
from core.engine.network import Network
from core.engine.trainer import Trainer

# scikit-learn's name for each output function of the engine's heads
OUT_ACTIVATION = MappingProxyType(
    {"sigmoid": "logistic", "softmax": "softmax", "linear": "identity", "exp": "exp"}
)
MAX_SEED = 2**32 - 1
# scikit-learn's words for a fit whose weights became NaN or infinite (the engine's reason follows)
NON_FINITE_WEIGHTS = (
    "Solver produced non-finite parameter weights. The input data may contain large values and "
    "need to be preprocessed."
)


DTYPES = ("float32", "float64", "auto")


def dense(X, dtype) -> np.ndarray:
    """X as the engine trains on it: a dense array of `dtype` (a sparse matrix is made dense: fine
    for the sizes this engine is for, and its matrix products are dense anyway)."""
    X = X.toarray() if scipy.sparse.issparse(X) else X
    return np.asarray(X, dtype=dtype)


def hidden_sizes(value) -> list[int]:
    """hidden_layer_sizes as a list of widths: one integer, or a sequence of integers (may be empty)."""
    if is_integer(value):
        return [int(value)]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ValueError(f"hidden_layer_sizes must be an integer or a sequence of integers; got {value!r}")
    sizes = list(value)
    if not all(is_integer(size) and size >= 1 for size in sizes):
        raise ValueError(f"hidden_layer_sizes must hold integers >= 1; got {value!r}")
    return [int(size) for size in sizes]


class EngineEstimator(BaseEstimator):
    """The engine as a scikit-learn estimator (see NeuralNetClassifier / NeuralNetRegressor).

    Hyperparameters keep the engine's names; their scikit-learn counterparts:
    epochs = max_iter, learning_rate = learning_rate_init, optimizer = solver (no 'lbfgs'),
    l2 = alpha / batch_size (the engine adds l2 * W to each mini-batch's gradient, scikit-learn
    alpha * W / n_batch), patience ~ n_iter_no_change, min_delta ~ tol.

    early_stopping_on: what early stopping watches on the held-out set, 'val_loss' (the
    default, the engine's) or 'val_metric' (accuracy or R²: scikit-learn's validation score).

    stop_on_training_loss: without early_stopping, stop once the training loss (loss_curve_) has
    not improved by more than min_delta for `patience` epochs in a row (scikit-learn's rule with
    tol and n_iter_no_change); then `stopped_on_training_loss_` is True. Off by default: the
    engine's estimators train `epochs` epochs unless told otherwise.

    dtype: what the network computes and stores its weights in: 'float32' (the default, the
    engine's and the app's), 'float64', or 'auto', scikit-learn's rule: float32 for float32 X,
    float64 for any other X. Predictions are computed in float64 unless both X and the
    weights are float32 (then float32, as scikit-learn).
    """

    def __init__(
        self,
        hidden_layer_sizes=(16,),
        activation="relu",
        optimizer="adam",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        init="he",
        schedule="constant",
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        min_delta=1e-4,
        warm_start=False,
        random_state=0,
        shuffle=True,
        stop_on_training_loss=False,
        dtype="float32",
        early_stopping_on="val_loss",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.l1 = l1
        self.l2 = l2
        self.dropout = dropout
        self.init = init
        self.schedule = schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.min_delta = min_delta
        self.warm_start = warm_start
        self.random_state = random_state
        self.shuffle = shuffle
        self.stop_on_training_loss = stop_on_training_loss
        self.dtype = dtype
        self.early_stopping_on = early_stopping_on

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # made dense (see dense)
        return tags

    # ------------------------------------------------------------------ checks and set-up
    def _seed(self) -> int:
        """The seed of the weights, the shuffles and the validation split (drawn once per fit)."""
        state = self.random_state
        if state is None:
            return int(np.random.default_rng().integers(MAX_SEED))
        if isinstance(state, np.random.RandomState):
            return int(state.randint(MAX_SEED))
        if is_integer(state) and 0 <= state <= MAX_SEED:
            return int(state)
        raise ValueError(
            f"random_state must be None, an integer in [0, {MAX_SEED}] or a np.random.RandomState; "
            f"got {state!r}"
        )

    def _fit_dtype(self, X, continuing: bool) -> type:
        """The dtype this fit trains in: the fitted network's when it continues, else from
        `dtype` and X's dtype (before validation: 'auto' keeps float32 X in float32)."""
        if continuing:
            return self.network_.dtype.type
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {list(DTYPES)}; got {self.dtype!r}")
        if self.dtype == "auto":
            return np.float32 if getattr(X, "dtype", None) == np.float32 else np.float64
        return np.float32 if self.dtype == "float32" else np.float64

    def _check_epochs(self) -> int:
        return check_positive_int("epochs", self.epochs)

    def _hyperparameters(self) -> dict:
        """What the trainer may change between calls (checked by the engine, which names the setting)."""
        return {
            "learning_rate": self.learning_rate,
            "optimizer": self.optimizer,
            "batch_size": self.batch_size,
            "l1": self.l1,
            "l2": self.l2,
            "dropout": self.dropout,
            "schedule": self.schedule,
        }

    def _early_stopping_settings(self) -> dict:
        return {
            "early_stopping": bool(self.early_stopping),
            "patience": int(check_range("patience", self.patience, 10_000)),
            "min_delta": check_range("min_delta", self.min_delta, 1e6),
            "early_stopping_on": self.early_stopping_on,  # checked by the trainer
        }

    def _layer_sizes(self, n_features: int) -> list[int]:
        return [n_features, *hidden_sizes(self.hidden_layer_sizes), self._n_outputs()]

    def _split(self, X, y, w, seed: int):
        """(X_train, y_train, w_train, X_val, y_val, w_val), w the sample weights (or None): with
        early stopping, validation_fraction of the samples
        held out, stratified by class for a classifier (core.data's one split); else no held-out set."""
        if not self.early_stopping:
            return X, y, w, None, None, None
        fraction = check_fraction("validation_fraction", self.validation_fraction)
        if fraction == 0:
            raise ValueError("validation_fraction must be above 0 with early_stopping=True; got 0")
        labels = self._stratify_by(y)
        stratify = labels is not None
        if stratify:
            classes, counts = np.unique(labels, return_counts=True)
            if counts.min() < 2:  # as scikit-learn: such a class cannot be in both parts
                raise ValueError(
                    "The least populated classes in y have only 1 member, too few for the stratified "
                    "validation split of early stopping. Classes with too few members are: "
                    f"{self.classes_[classes[counts < 2]].tolist()}"
                )
        train, val = split_indices(labels if stratify else y, fraction, np.random.default_rng(seed), stratify)
        if val.size < 2:  # as scikit-learn: a score on one sample says nothing
            raise ValueError(
                f"The validation set is too small: validation_fraction={fraction:g} of {X.shape[0]} "
                f"samples holds out {val.size} (early stopping needs at least 2). Increase "
                "'validation_fraction' or the size of your dataset."
            )
        if w is None:
            return X[train], y[train], None, X[val], y[val], None
        return X[train], y[train], w[train], X[val], y[val], w[val]

    def _stratify_by(self, y):
        """The labels the validation split keeps the proportions of (None: a plain random split)."""
        return None

    # ------------------------------------------------------------------ training
    def _continues(self, incremental: bool) -> bool:
        """True when this call trains on the fitted network (partial_fit, or fit with warm_start)."""
        return hasattr(self, "trainer_") and (incremental or bool(self.warm_start))

    def _train_engine(self, X, y, epochs: int, incremental: bool, sample_weight=None):
        """Train `epochs` epochs on (X, y) (the targets already encoded for the engine's head),
        each sample's loss weighted by `sample_weight` (None: all 1)."""
        w = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True (as in scikit-learn)")
        hyperparameters, stopping = self._hyperparameters(), self._early_stopping_settings()
        if self._continues(incremental):
            trainer = self.trainer_
            sizes = self._layer_sizes(X.shape[1])
            if self._head() != trainer.network.head.name:
                raise ValueError(
                    f"warm_start / partial_fit continue the fitted network, whose output is "
                    f"{trainer.network.head.name!r}; the parameters now ask for {self._head()!r} "
                    "(set warm_start=False, or fit a new estimator, to start over)"
                )
            if sizes != trainer.network.layer_sizes:
                raise ValueError(
                    f"warm_start / partial_fit continue the fitted network of layer sizes "
                    f"{trainer.network.layer_sizes}; the parameters now ask for {sizes} "
                    "(set warm_start=False, or fit a new estimator, to start over)"
                )
            X_train, y_train, w_train, X_val, y_val, w_val = self._split(X, y, w, self._seed_)
            trainer.set_hyperparameters(**hyperparameters)
            trainer.set_training_data(X_train, y_train, X_val, y_val, w_train, w_val)
            if stopping["early_stopping"] and not trainer.has_val:
                raise ValueError("early_stopping=True needs a held-out set: fit again with warm_start=False")
            trainer.early_stopping = stopping["early_stopping"]
            trainer.patience, trainer.min_delta = stopping["patience"], stopping["min_delta"]
            trainer.early_stopping_on = stopping["early_stopping_on"]
            trainer.resume()  # after an early stop, a warm-started fit goes on
        else:
            seed = self._seed()
            sizes = self._layer_sizes(X.shape[1])
            network = Network(sizes, self.activation, self._head(), self.init, rng=seed, dtype=X.dtype)
            X_train, y_train, w_train, X_val, y_val, w_val = self._split(X, y, w, seed)
            trainer = Trainer(
                network,
                X_train,
                y_train,
                X_val,
                y_val,
                **hyperparameters,
                **stopping,
                seed=seed,
                shuffle=bool(self.shuffle),
                sample_weight=w_train,
                val_sample_weight=w_val,
            )
            self.trainer_, self.network_, self._seed_ = trainer, network, seed
        before = trainer.epoch
        self.stopped_on_training_loss_ = False
        if self.stop_on_training_loss and not stopping["early_stopping"]:
            self._train_until_training_loss_stalls(trainer, epochs, stopping)
        else:
            trainer.train_epochs(epochs)
        diverged = trainer.stop_kind == "diverged"
        if diverged:
            self._after_divergence(trainer, stopping["early_stopping"])
        self._set_fitted_attributes(trainer.epoch - before, diverged)
        return self

    def _after_divergence(self, trainer: Trainer, early_stopping: bool) -> None:
        """What scikit-learn does with a fit whose weights became non-finite: with early stopping
        it keeps the best epoch's weights and the fit succeeds (here with a ConvergenceWarning
        saying so); without, there is no good model to return and the fit fails."""
        if not early_stopping:
            raise ValueError(f"{NON_FINITE_WEIGHTS} {trainer.stop_reason}")
        best = trainer.restore_best_weights()
        kept = f"epoch {best}" if best else "the starting weights (no epoch improved on them)"
        warnings.warn(
            f"{trainer.stop_reason} With early stopping, the fit keeps instead the weights of the "
            f"epoch best on the validation set: {kept}.",
            ConvergenceWarning,
            stacklevel=4,  # the caller of fit
        )

    def _train_until_training_loss_stalls(self, trainer, epochs: int, stopping: dict) -> None:
        """One epoch at a time (k calls of one epoch train as one call of k), stopping once the
        training loss has not fallen below best - min_delta for `patience` epochs in a row."""
        best, stalled = float("inf"), 0
        for _ in range(epochs):
            records = trainer.train_epochs(1)
            if not records:  # diverged (the trainer stopped and restored the last good weights)
                return
            loss = self._reported_loss(records[-1])
            stalled = stalled + 1 if loss > best - stopping["min_delta"] else 0
            best = min(best, loss)
            if stalled >= stopping["patience"]:
                self.stopped_on_training_loss_ = True
                return

    def _set_fitted_attributes(self, epochs_now: int, diverged: bool = False) -> None:
        trainer = self.trainer_
        self.history_ = list(trainer.history)  # every epoch since the last fresh fit
        # scikit-learn's meanings (1.8): n_iter_ counts the epochs of this call (1 after a
        # partial_fit; a warm-started fit runs `epochs` more), while t_, loss_curve_ and
        # validation_scores_ go on over every call since the last fresh fit.
        # A diverged epoch has no EpochRecord (the trainer keeps finite records only); it ran,
        # so it counts in n_iter_ and ends loss_curve_ / validation_scores_ as NaN, as
        # scikit-learn records it.
        self.n_iter_ = epochs_now + diverged
        self.t_ = trainer.samples_seen  # training samples seen: n_iter_ * n_samples for one fit
        self.n_layers_ = len(self.network_.layer_sizes)
        self.n_outputs_ = self.network_.n_outputs
        self.out_activation_ = OUT_ACTIVATION[self.network_.head.output_name]
        nan = [float("nan")] if diverged else []
        self.loss_curve_ = [self._reported_loss(record) for record in self.history_] + nan
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else float("nan")
        if trainer.has_val and self.early_stopping:
            self.validation_scores_ = [record.val_metric for record in self.history_] + nan
            finite = [score for score in self.validation_scores_ if math.isfinite(score)]
            self.best_validation_score_ = max(finite, default=None)
            self.best_loss_ = None
        else:
            self.validation_scores_ = self.best_validation_score_ = None
            finite = [loss for loss in self.loss_curve_ if math.isfinite(loss)]
            self.best_loss_ = min(finite, default=None)

    def _reported_loss(self, record) -> float:
        """loss_curve_'s value for one epoch: what training minimizes, the mean data loss over the
        training samples (up to 5,000 of them, measured after the epoch) plus the penalty."""
        return record.train_loss + record.penalty

    # ------------------------------------------------------------------ fitted parameters
    @property
    def coefs_(self) -> list[np.ndarray]:
        """Weight matrices, coefs_[i] of shape (n_in, n_out) of layer i + 1 (views of the engine's
        parameters, in the network's dtype: changing them changes the network)."""
        return self.network_.weights

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """Bias vectors, intercepts_[i] of shape (n_out,) (views, as coefs_)."""
        return self.network_.biases

    def _logits(self, X) -> np.ndarray:
        """The output layer's z for X, in float64 unless X and the weights are both float32 (as
        scikit-learn: the result type of the two). float64 also because float32 products round
        differently for different batch shapes, and scikit-learn expects predictions of float64
        X not to depend on how X is split."""
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32), accept_sparse=("csr", "csc"))
        X = X.toarray() if scipy.sparse.issparse(X) else X
        dtype = np.result_type(X.dtype, self.network_.dtype)
        network = self.network_ if dtype == self.network_.dtype else self.network_.copy(dtype)
        return network.logits(X)
