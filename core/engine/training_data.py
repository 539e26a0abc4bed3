"""The data a trainer trains on: the training set, the held-out set and their sample weights.

Why a module of its own: everything the trainer does with its data before the first mini-batch
is checking and storing, and it is the same whether the data comes at construction, as the next
chunk of a stream (`set_training_data`) or as freshly augmented images (`replace_training_inputs`).
Each set is checked once (shapes, labels, finite values, weights >= 0) and kept in the form
training reads: the inputs with the column of ones the bias trick needs, the labels, and the
targets prepared for the network's output head. trainer.py then only has to run the epochs.

`TrainingData` is the base class of `Trainer` (trainer.py): its methods are the trainer's, and
they read `self.network`, `self.at_epoch_boundary` and `self._data_replaced`, which the trainer
defines.
"""

from __future__ import annotations

import numpy as np

from core.engine.checks import check_sample_weight, check_samples, non_finite_message

MAX_EVAL_SAMPLES = 5_000  # the per-epoch train loss is measured on at most this many samples


class TrainingData:
    """The training and held-out sets of a `Trainer` (see the Trainer for the arguments).

    X_train, y_train, T_train: the training inputs, labels and head targets; w_train their
        sample weights (None: every sample counts once).
    has_val; X_val, y_val, T_val, w_val: whether there is a held-out set, and the same for it.
    """

    def _load_data(self, X_train, y_train, X_val, y_val, sample_weight, val_sample_weight) -> None:
        """The data given to the constructor (the network must be set already)."""
        self.X_train, self.y_train, self.T_train, self._X1_train = self._check_data(X_train, y_train, "train")
        self.w_train = self._check_weights(sample_weight, self.X_train, "sample_weight")
        if (X_val is None) != (y_val is None):
            raise ValueError("give both X_val and y_val, or neither")
        self.has_val = X_val is not None
        self.w_val = None
        if self.has_val:
            self.X_val, self.y_val, self.T_val, _ = self._check_data(X_val, y_val, "validation")
            self.w_val = self._check_weights(val_sample_weight, self.X_val, "val_sample_weight")
        elif val_sample_weight is not None:
            raise ValueError("val_sample_weight needs a validation set (X_val, y_val)")

    def _check_data(self, X, y, which):
        X, y = check_samples(X, y, self.network.n_inputs, which)
        # Stored once with the column of ones the bias trick needs; X itself is a view of it.
        X_with_ones = self.network.with_ones_column(X)
        return X_with_ones[:, :-1], y, self.network.prepare_targets(y), X_with_ones

    def _check_weights(self, sample_weight, X, name):
        return check_sample_weight(sample_weight, X.shape[0], name, self.network.dtype)

    def _choose_eval_samples(self, rng: np.random.Generator) -> None:
        """The training samples the per-epoch train loss is measured on (all, up to a limit)."""
        n, limit = self.X_train.shape[0], MAX_EVAL_SAMPLES
        index = np.sort(rng.choice(n, limit, replace=False)) if n > limit else slice(None)
        # A copy: replace_training_inputs (augmentation) must not change what the loss is measured on
        self._X_eval = self.X_train[index].copy()
        self._y_eval, self._T_eval = self.y_train[index], self.T_train[index]
        self._w_eval = None if self.w_train is None else self.w_train[index]

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    def set_training_data(
        self, X_train, y_train, X_val=None, y_val=None, sample_weight=None, val_sample_weight=None
    ) -> None:
        """Train on another data set from now on (the next chunk of a stream, scikit-learn's
        partial_fit, a warm-started fit): weights, optimizer state, the shuffle generator, the
        epoch count and history are kept, so training goes on as if the data had always been
        this. Between epochs only (`at_epoch_boundary`). X_val, y_val: a new held-out set, or
        None to keep the current one; a new one restarts early stopping's watch (its best loss
        was measured on the old set). sample_weight, val_sample_weight: the new sets' weights
        (None: unweighted; the held-out set's are kept with it when X_val is None)."""
        if not self.at_epoch_boundary:
            raise ValueError("set_training_data can only be called between epochs (at_epoch_boundary)")
        if (X_val is None) != (y_val is None):
            raise ValueError("give both X_val and y_val, or neither")
        train = self._check_data(X_train, y_train, "train")
        w_train = self._check_weights(sample_weight, train[0], "sample_weight")
        if X_val is not None:
            val = self._check_data(X_val, y_val, "validation")
            self.w_val = self._check_weights(val_sample_weight, val[0], "val_sample_weight")
            self.X_val, self.y_val, self.T_val, _ = val
            self.has_val = True
        elif val_sample_weight is not None:
            raise ValueError("val_sample_weight comes with a new validation set (X_val, y_val)")
        self.X_train, self.y_train, self.T_train, self._X1_train = train
        self.w_train = w_train
        self._data_replaced(new_validation_set=X_val is not None)
        # A generator of its own: choosing the samples must not advance the shuffle stream
        self._choose_eval_samples(np.random.default_rng(self.n_train))

    def replace_training_inputs(self, X) -> None:
        """Swap in new inputs for the same training samples (e.g. freshly augmented images each
        epoch); labels, weights, optimizer state and history are kept. Copied in place into the
        trainer's buffer (no new 60,000-image array per epoch); call it between epochs
        (`at_epoch_boundary`), as batches of a running epoch may read the buffer directly."""
        X = np.asarray(X)
        if X.shape != self.X_train.shape:
            raise ValueError(f"replacement X_train must have shape {self.X_train.shape}; got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError(non_finite_message("X_train", X))
        self._X1_train[:, :-1] = X
