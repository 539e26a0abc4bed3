"""NeuralNetClassifier: the engine as a scikit-learn classifier (MLPClassifier's behaviour where
the two share a meaning): two classes, several classes, or several yes/no labels at once."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d, validate_data

from core.engine.activations import sigmoid
from core.engine.losses import log_softmax, softmax
from core.estimators.base import EngineEstimator, dense


def _log_sigmoid(z):
    """log sigmoid(z) = -log(1 + e^{-z}), computed without forming sigmoid(z) (exact for any z)."""
    return -np.logaddexp(0.0, -z)


class NeuralNetClassifier(ClassifierMixin, EngineEstimator):
    """Multi-layer perceptron classifier trained by the engine.

    The output follows the targets, as in scikit-learn: one sigmoid unit with binary
    cross-entropy for two classes, softmax with cross-entropy for more, and for a multilabel
    indicator matrix y of shape (n, k) (0/1: which of k labels each sample has) k sigmoid units,
    the k binary cross-entropies summed (then `classes_` is arange(k), `predict` returns the
    0/1 matrix, `predict_proba` each label's probability, shape (n, k)).

    y with a single class is fitted too, as scikit-learn does (its one sigmoid unit is trained
    towards "not another class", target 0): `predict` returns that class, `predict_proba` a
    column of ones (shape (n, 1): one column per class of `classes_`, where scikit-learn
    returns two), `predict_log_proba` zeros.

    X may be a scipy.sparse matrix: it is made dense (fine for this engine's sizes).
    With early_stopping, the validation split keeps every class's share (stratified; plain for
    multilabel). `partial_fit` and `warm_start=True` continue the same trainer (see base.py).

    Fitted attributes (scikit-learn's names): classes_, coefs_, intercepts_, loss_, loss_curve_,
    best_loss_, validation_scores_, best_validation_score_, n_iter_, t_, n_layers_,
    n_outputs_, out_activation_; and history_, the engine's EpochRecord of every epoch.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    # ------------------------------------------------------------------ targets
    def _head(self) -> str:
        if self._multilabel:
            return "sigmoid_bce_multilabel"
        return "sigmoid_bce" if len(self.classes_) <= 2 else "softmax_ce"

    def _n_outputs(self) -> int:
        return len(self.classes_) if self._multilabel or len(self.classes_) > 2 else 1

    @property
    def _one_class(self) -> bool:
        return not self._multilabel and len(self.classes_) == 1

    def _stratify_by(self, y):
        return None if self._multilabel else y

    def _validate(self, X, y, reset: bool):
        """(X in the dtype this fit trains in, y as given, is y a multilabel indicator matrix)."""
        dtype = self._fit_dtype(X, continuing=not reset)
        X, y = validate_data(
            self, X, y, reset=reset, dtype=dtype, accept_sparse=("csr", "csc"), multi_output=True
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            return dense(X, dtype), y, True
        check_classification_targets(y)
        if y.ndim != 1:
            raise ValueError(
                f"y must hold one label per sample, or be a 0/1 indicator matrix for multilabel "
                f"targets; got y of shape {y.shape} ({kind})"
            )
        return dense(X, dtype), y, False

    def _encode(self, y, multilabel: bool) -> np.ndarray:
        """y for the engine: 0/1 columns for multilabel, class indices otherwise."""
        if multilabel:
            y = np.asarray(y)
            bad = np.unique(y[(y != 0) & (y != 1)])
            if bad.size:
                raise ValueError(
                    f"a multilabel y must be a 0/1 indicator matrix; got values such as {bad[:5]}"
                )
            return y.astype(np.int64)
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y contains labels not in classes_ {self.classes_.tolist()}: {unknown[:5].tolist()}"
            )
        return np.searchsorted(self.classes_, y)

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y, sample_weight=None):
        """Train `epochs` epochs (from new weights, or from the fitted ones with warm_start=True);
        `sample_weight`: one weight >= 0 per sample, each mini-batch's loss the weighted mean of
        its samples' (as scikit-learn)."""
        epochs = self._check_epochs()
        continuing = self._continues(incremental=False)
        X, y, multilabel = self._validate(X, y, reset=not continuing)
        classes = np.arange(y.shape[1]) if multilabel else unique_labels(y)
        if continuing:
            if multilabel != self._multilabel or not np.array_equal(classes, self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes as in the previous "
                    f"call to fit. Previously got {self.classes_}, `y` has {classes}"
                )
        else:
            self.classes_, self._multilabel = classes, multilabel
        return self._train_engine(X, self._encode(y, multilabel), epochs, False, sample_weight)

    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One more epoch on (X, y) with the same trainer (optimizer state, shuffles and epoch count
        carry on). The first call needs `classes`, every label that will ever appear (for
        multilabel y: arange(k)); a later call may repeat it but not change it."""
        first = not hasattr(self, "trainer_")
        X, y, multilabel = self._validate(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError("classes must be given on the first call to partial_fit")
            given = unique_labels(classes)
            if multilabel and not np.array_equal(given, np.arange(y.shape[1])):
                raise ValueError(
                    f"for a multilabel y of {y.shape[1]} columns, classes must be "
                    f"{list(range(y.shape[1]))}; got {list(classes)}"
                )
            self.classes_, self._multilabel = given, multilabel
        else:
            if classes is not None and not np.array_equal(self.classes_, unique_labels(classes)):
                raise ValueError(
                    f"`classes={list(classes)!r}` is not the same as on last call to partial_fit, "
                    f"was: {self.classes_.tolist()!r}"
                )
            if multilabel != self._multilabel or (multilabel and y.shape[1] != len(self.classes_)):
                raise ValueError(
                    f"y must be like the first call's: {self._target_kind()}; got y of shape {y.shape}"
                )
        return self._train_engine(X, self._encode(y, multilabel), 1, True, sample_weight)

    def _target_kind(self) -> str:
        if self._multilabel:
            return f"a 0/1 indicator matrix of {len(self.classes_)} columns"
        return "one label per sample"

    # ------------------------------------------------------------------ predictions
    def predict_proba(self, X) -> np.ndarray:
        """Probabilities, from the logits: (n, 2) for two classes, (n, n_classes), or for
        multilabel each label's (n, k). Each side of a binary one is computed on its own,
        sigmoid(-z) and sigmoid(z), so a tiny probability is not 1 minus a number near 1."""
        z = self._logits(X)
        if self._one_class:
            return np.ones_like(z)
        if self.network_.head.task == "binary":
            return np.hstack([sigmoid(-z), sigmoid(z)])
        return sigmoid(z) if self._multilabel else softmax(z)

    def predict_log_proba(self, X) -> np.ndarray:
        """log of predict_proba, computed from the logits (log-sigmoid, log-softmax): finite and
        exact where the probability itself rounds to 0 (e.g. -1000 for a logit of -1000)."""
        z = self._logits(X)
        if self._one_class:
            return np.zeros_like(z)
        if self.network_.head.task == "binary":
            return np.hstack([_log_sigmoid(-z), _log_sigmoid(z)])
        return _log_sigmoid(z) if self._multilabel else log_softmax(z)

    def predict(self, X) -> np.ndarray:
        """Class labels (for multilabel, the 0/1 indicator matrix)."""
        z = self._logits(X)
        if self._multilabel:
            return (z > 0).astype(np.int64)  # sigmoid(z) > 0.5
        if self._one_class:
            return np.repeat(self.classes_, z.shape[0])
        if self.network_.head.task == "binary":
            return self.classes_[(z[:, 0] > 0).astype(np.int64)]
        return self.classes_[np.argmax(z, axis=1)]
