"""Seeded train/test splits: `split_indices` is the one split of the project.

The 2-D generators, CSV uploads, the image data sets (a held-out test set when a folder has no
test files), the MNIST page's validation images and the command line's --val-fraction all
split through it, so they follow the same rule.

For classification the split is *stratified*: every class keeps (nearly) the same share in the
training and the test set, so a 10 % class is ~10 % of both. For regression it is a plain random
split. Per class, n_test = round(count * test_ratio), kept between 1 and count - 1 so that every
class with at least 2 samples appears in both parts.
"""

from __future__ import annotations

import numpy as np

from core.data.errors import DataError
from core.data.validation import check_float

TEST_RATIO_MIN = 0.1
TEST_RATIO_MAX = 0.9


def check_test_ratio(test_ratio) -> float:
    """test_ratio is the share of samples held out for testing, from 0.1 to 0.9."""
    return check_float("test_ratio", test_ratio, TEST_RATIO_MIN, TEST_RATIO_MAX)


def split_indices(
    y: np.ndarray, test_ratio: float, rng: np.random.Generator, stratify: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Return (train_idx, test_idx), both shuffled, that together cover every index of y once.

    stratify=True: y holds class labels and each class is split on its own (vectorized: shuffle,
    group by class, then the first n_test of each group go to the test set). A class with a
    single sample can only go to the training set.
    """
    y = np.asarray(y)
    n = y.shape[0]
    if stratify:
        _, group = np.unique(y, return_inverse=True)
        counts = np.bincount(group)
        n_test = np.minimum(np.maximum(np.rint(counts * test_ratio).astype(np.int64), 1), counts - 1)
        order = rng.permutation(n)
        order = order[np.argsort(group[order], kind="stable")]  # grouped by class, random inside
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rank_in_class = np.arange(n) - starts[group[order]]
        is_test = rank_in_class < n_test[group[order]]
        train_idx, test_idx = order[~is_test], order[is_test]
    else:
        if n < 2:
            raise DataError(f"need at least 2 samples to split into training and test; got {n}.")
        n_test = int(np.clip(round(n * test_ratio), 1, n - 1))
        order = rng.permutation(n)
        train_idx, test_idx = order[n_test:], order[:n_test]
    return rng.permutation(train_idx), rng.permutation(test_idx)
