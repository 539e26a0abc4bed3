"""NeuralNetRegressor: the engine as a scikit-learn regressor (MLPRegressor's behaviour where the
two share a meaning), for one target or several."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from core.estimators.base import EngineEstimator, dense_float32


class NeuralNetRegressor(RegressorMixin, EngineEstimator):
    """Multi-layer perceptron regressor trained by the engine: linear output, squared error.

    y of shape (n,) or (n, k): k outputs. As scikit-learn, `predict` returns shape (n,) for one
    output, (n, k) for several. X may be a scipy.sparse matrix: it is made dense float32 (fine
    for this engine's sizes). `partial_fit` and `warm_start=True` continue the same trainer.

    loss_curve_ is in scikit-learn's scale: half the squared error averaged over samples *and*
    outputs, plus the penalty. (The engine's own loss sums over the k outputs, so it is k times
    that; both give the same gradients, see core/engine/losses.py.)

    Fitted attributes (scikit-learn's names): coefs_, intercepts_, loss_, loss_curve_,
    best_loss_, validation_scores_ (R²), best_validation_score_, n_iter_, t_, n_layers_,
    n_outputs_, out_activation_; and history_, the engine's EpochRecord of every epoch.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _head(self) -> str:
        return "linear_mse"

    def _n_outputs(self) -> int:
        return self._n_targets

    def _reported_loss(self, record) -> float:
        return record.train_loss / self._n_targets + record.penalty

    def _validate(self, X, y, reset: bool):
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            dtype=np.float32,
            accept_sparse=("csr", "csc"),
            y_numeric=True,
            multi_output=True,
        )
        return dense_float32(X), y.reshape(len(y), -1)

    def fit(self, X, y):
        """Train `epochs` epochs (from new weights, or from the fitted ones with warm_start=True)."""
        epochs = self._check_epochs()
        continuing = self._continues(incremental=False)
        X, y = self._validate(X, y, reset=not continuing)
        if not continuing:
            self._n_targets = y.shape[1]
        return self._train_engine(X, self._checked_targets(y), epochs, incremental=False)

    def partial_fit(self, X, y):
        """One more epoch on (X, y) with the same trainer (optimizer state, shuffles and epoch
        count carry on)."""
        first = not hasattr(self, "trainer_")
        X, y = self._validate(X, y, reset=first)
        if first:
            self._n_targets = y.shape[1]
        return self._train_engine(X, self._checked_targets(y), 1, incremental=True)

    def _checked_targets(self, y) -> np.ndarray:
        if y.shape[1] != self._n_targets:
            raise ValueError(f"y must have {self._n_targets} output column(s) as before; got {y.shape[1]}")
        return y

    def predict(self, X) -> np.ndarray:
        """Predicted values, float64: shape (n,) for one output, (n, k) for k."""
        out = self._logits(X)
        return out[:, 0] if out.shape[1] == 1 else out
