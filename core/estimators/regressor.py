"""NeuralNetRegressor: the engine as a scikit-learn regressor (MLPRegressor's behaviour where the
two share a meaning), for one target or several."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from core.estimators.base import EngineEstimator, dense

# scikit-learn's loss names -> the engine's output heads (core/engine/losses.py)
LOSSES = {"squared_error": "linear_mse", "poisson": "exp_poisson"}


class NeuralNetRegressor(RegressorMixin, EngineEstimator):
    """Multi-layer perceptron regressor trained by the engine.

    loss: 'squared_error' (the default: linear output, squared error) or 'poisson' (output
    e^z, always positive, with half the Poisson deviance, for counts or rates y >= 0), as
    scikit-learn's MLPRegressor.

    y of shape (n,) or (n, k): k outputs. As scikit-learn, `predict` returns shape (n,) for one
    output, (n, k) for several. X may be a scipy.sparse matrix: it is made dense (fine
    for this engine's sizes). `partial_fit` and `warm_start=True` continue the same trainer.

    loss_curve_ is in scikit-learn's scale: half the squared error averaged over samples *and*
    outputs, plus the penalty. (The engine's own loss sums over the k outputs, so it is k times
    that; both give the same gradients, see core/engine/losses.py.) The Poisson loss is summed
    over outputs in both.

    Fitted attributes (scikit-learn's names): coefs_, intercepts_, loss_, loss_curve_,
    best_loss_, validation_scores_ (R²), best_validation_score_, n_iter_, t_, n_layers_,
    n_outputs_, out_activation_; and history_, the engine's EpochRecord of every epoch.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    # Spelt out, not **options: scikit-learn's get_params (and so clone) reads the signature.
    # `loss` comes last so that positional arguments keep their meaning.
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
        loss="squared_error",
    ):
        self.loss = loss
        options = dict(locals())
        for name in ("self", "loss", "__class__"):
            options.pop(name)
        super().__init__(**options)

    def _head(self) -> str:
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {self.loss!r}")
        return LOSSES[self.loss]

    def _n_outputs(self) -> int:
        return self._n_targets

    def _reported_loss(self, record) -> float:
        if self.network_.head.name == "exp_poisson":  # summed over outputs, as scikit-learn's
            return record.train_loss + record.penalty
        return record.train_loss / self._n_targets + record.penalty

    def _validate(self, X, y, reset: bool):
        dtype = self._fit_dtype(X, continuing=not reset)
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            dtype=dtype,
            accept_sparse=("csr", "csc"),
            y_numeric=True,
            multi_output=True,
        )
        return dense(X, dtype), y.reshape(len(y), -1)

    def fit(self, X, y, sample_weight=None):
        """Train `epochs` epochs (from new weights, or from the fitted ones with warm_start=True);
        `sample_weight`: one weight >= 0 per sample, each mini-batch's loss the weighted mean of
        its samples' (as scikit-learn)."""
        epochs = self._check_epochs()
        continuing = self._continues(incremental=False)
        X, y = self._validate(X, y, reset=not continuing)
        if not continuing:
            self._n_targets = y.shape[1]
        return self._train_engine(X, self._checked_targets(y), epochs, False, sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """One more epoch on (X, y) with the same trainer (optimizer state, shuffles and epoch
        count carry on)."""
        first = not hasattr(self, "trainer_")
        X, y = self._validate(X, y, reset=first)
        if first:
            self._n_targets = y.shape[1]
        return self._train_engine(X, self._checked_targets(y), 1, True, sample_weight)

    def _checked_targets(self, y) -> np.ndarray:
        if y.shape[1] != self._n_targets:
            raise ValueError(f"y must have {self._n_targets} output column(s) as before; got {y.shape[1]}")
        return y

    def predict(self, X) -> np.ndarray:
        """Predicted values (z, or e^z for the Poisson loss), float64 unless X and the weights are
        float32: shape (n,) for one output, (n, k) for k."""
        z = self._logits(X)
        out = self.network_.head.output(z, z)
        return out[:, 0] if out.shape[1] == 1 else out
