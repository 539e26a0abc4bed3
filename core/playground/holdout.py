"""The validation split: what early stopping and the architecture search may look at.

The test set measures how well the network generalises, so nothing may be tuned on it: choosing
when to stop, or which architecture wins, by the test loss would make the test score an
optimistic, tuned number. Both decisions watch a validation split instead, taken from the
training points (stratified by class), and the test set stays for the final report.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.data import Dataset2D
from core.data.split import split_indices

VALIDATION_SHARE = 0.2  # of the training points
# The split's generator: the data set's seed, offset so that it does not replay the data's draws
VALIDATION_SEED_OFFSET = 7919


def validation_view(dataset: Dataset2D, seed: int) -> Dataset2D:
    """The same data set with its training points split in two: `X_train` the points trained on
    (80 %), `X_test` the validation points (20 %), never trained on. The real test set is not in it."""
    rng = np.random.default_rng(seed + VALIDATION_SEED_OFFSET)
    classification = dataset.task != "regression"
    fit, held = split_indices(dataset.y_train, VALIDATION_SHARE, rng, stratify=classification)
    if len(held) == 0 or len(fit) == 0:
        raise ValueError(
            f"{dataset.n_train} training points are too few to set "
            f"{VALIDATION_SHARE:.0%} aside for validation"
        )
    fit, held = np.sort(fit), np.sort(held)
    return replace(
        dataset,
        X_train=dataset.X_train[fit],
        y_train=dataset.y_train[fit],
        X_test=dataset.X_train[held],
        y_test=dataset.y_train[held],
    )
