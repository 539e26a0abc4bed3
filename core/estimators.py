"""scikit-learn-compatible estimators wrapping the engine, so it drops into Pipeline,
cross_val_score and GridSearchCV like any MLPClassifier / MLPRegressor."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from core.engine.network import Network
from core.engine.trainer import Trainer


class _EngineEstimator(BaseEstimator):
    _output_for_task = None  # set by subclasses

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
        random_state=0,
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
        self.random_state = random_state

    def _seed(self) -> int:
        if self.random_state is None:
            return int(np.random.default_rng().integers(2**31))
        if isinstance(self.random_state, np.random.RandomState):
            return int(self.random_state.randint(2**31))
        return int(self.random_state)

    def _build(self, n_features: int, n_outputs: int, output: str, seed: int) -> Network:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        return Network([n_features, *sizes, n_outputs], self.activation, output, self.init, rng=seed)

    def _make_trainer(self, X, y, seed):
        X_val = y_val = None
        if self.early_stopping:
            rng = np.random.default_rng(seed)
            order = rng.permutation(X.shape[0])
            n_val = max(1, int(round(self.validation_fraction * X.shape[0])))
            X_val, y_val = X[order[:n_val]], y[order[:n_val]]
            X, y = X[order[n_val:]], y[order[n_val:]]
        return Trainer(
            self.network_,
            X,
            y,
            X_val,
            y_val,
            learning_rate=self.learning_rate,
            optimizer=self.optimizer,
            batch_size=self.batch_size,
            l1=self.l1,
            l2=self.l2,
            dropout=self.dropout,
            schedule=self.schedule,
            early_stopping=self.early_stopping,
            patience=self.patience,
            seed=seed,
        )

    def _fit(self, X, y, epochs, reset):
        seed = self._seed()
        if reset or not hasattr(self, "network_"):
            self.network_ = self._build(X.shape[1], self._n_outputs(), self._output_name(), seed)
        self.trainer_ = self._make_trainer(X, y, seed)
        self.trainer_.train_epochs(epochs)
        if self.trainer_.stop_kind == "diverged":
            raise ValueError(self.trainer_.stop_reason)
        self.history_ = list(self.trainer_.history)
        self.n_iter_ = len(self.history_)
        self.loss_ = self.history_[-1].train_loss if self.history_ else float("nan")
        return self

    def _check_epochs(self):
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, (int, np.integer)) or self.epochs < 1:
            raise ValueError(f"epochs must be an integer >= 1; got {self.epochs!r}")

    def _forward(self, X):
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        # Predict in float64: float32 matrix products round differently for different batch
        # shapes, and scikit-learn expects predictions not to depend on how X is split.
        return self.network_.copy(np.float64).predict_output(X)


class NeuralNetClassifier(ClassifierMixin, _EngineEstimator):
    """Multi-layer perceptron classifier: sigmoid + BCE for two classes, softmax + CE for more."""

    def _n_outputs(self):
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _output_name(self):
        return "sigmoid_bce" if len(self.classes_) == 2 else "softmax_ce"

    def fit(self, X, y):
        self._check_epochs()
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"need samples of at least 2 classes; got 1 class ({self.classes_[0]!r})")
        return self._fit(X, encoded, self.epochs, reset=True)

    def partial_fit(self, X, y, classes=None):
        """One more epoch on (X, y), keeping the weights (the first call needs `classes`)."""
        first = not hasattr(self, "network_")
        X, y = validate_data(self, X, y, dtype=np.float32, reset=first)
        check_classification_targets(y)
        if first:
            if classes is None:
                raise ValueError("classes must be given on the first call to partial_fit")
            self.classes_ = np.unique(classes)
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(f"y contains labels not in classes: {unknown[:5].tolist()}")
        encoded = np.searchsorted(self.classes_, y)
        return self._fit(X, encoded, 1, reset=first)

    def predict_proba(self, X):
        out = self._forward(X)
        return np.hstack([1 - out, out]) if out.shape[1] == 1 else out

    def predict(self, X):
        proba = self.predict_proba(X)  # checks fitted first
        return self.classes_[np.argmax(proba, axis=1)]


class NeuralNetRegressor(RegressorMixin, _EngineEstimator):
    """Multi-layer perceptron regressor: linear output + mean squared error."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _n_outputs(self):
        return self.n_outputs_

    def _output_name(self):
        return "linear_mse"

    def fit(self, X, y):
        self._check_epochs()
        X, y = validate_data(self, X, y, dtype=np.float32, y_numeric=True, multi_output=True)
        self._y_1d = y.ndim == 1
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self._fit(X, y.reshape(len(y), -1), self.epochs, reset=True)

    def partial_fit(self, X, y):
        first = not hasattr(self, "network_")
        X, y = validate_data(self, X, y, dtype=np.float32, y_numeric=True, multi_output=True, reset=first)
        if first:
            self._y_1d = y.ndim == 1
            self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self._fit(X, y.reshape(len(y), -1), 1, reset=first)

    def predict(self, X):
        out = self._forward(X).astype(np.float64)  # scikit-learn expects float64 predictions
        return out[:, 0] if self._y_1d else out
