"""core/data/split.py: the one train/test split, stratified for classes, and its rule.

The rule: per class, n_test = round(count * test_ratio), kept between 1 and count - 1, so every
class with at least 2 samples is in both parts, and a class with 1 sample stays in training.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data import DataError
from core.data.split import check_test_ratio, split_indices


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 40), min_size=1, max_size=6),
    test_ratio=st.floats(0.1, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratified_split_is_a_partition_with_per_class_rounding(counts, test_ratio, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    train, test = split_indices(y, test_ratio, np.random.default_rng(seed), stratify=True)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(len(y)))
    counts = np.array(counts)
    expected = np.minimum(np.maximum(np.rint(counts * test_ratio), 1), counts - 1)
    np.testing.assert_array_equal(np.bincount(y[test], minlength=len(counts)), expected)
    # the consequence a caller relies on: every class with 2 or more samples is in both parts
    in_train = np.bincount(y[train], minlength=len(counts))
    in_test = np.bincount(y[test], minlength=len(counts))
    assert np.all((in_train >= 1) & (in_test >= 1) | (counts < 2))
    assert np.all(in_test[counts == 1] == 0)


def test_the_ratio_is_respected_per_class():
    y = np.repeat([0, 1, 2], [500, 300, 200])  # unbalanced: each class keeps its share
    train, test = split_indices(y, 0.2, np.random.default_rng(0), stratify=True)
    np.testing.assert_array_equal(np.bincount(y[test]), [100, 60, 40])
    np.testing.assert_array_equal(np.bincount(y[train]), [400, 240, 160])


def test_the_split_is_seeded_and_shuffled():
    y = np.repeat(np.arange(4), 25)
    first = split_indices(y, 0.3, np.random.default_rng(7), stratify=True)
    again = split_indices(y, 0.3, np.random.default_rng(7), stratify=True)
    other = split_indices(y, 0.3, np.random.default_rng(8), stratify=True)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert np.any(np.diff(y[first[0]]) < 0)  # shuffled, not grouped by class


def test_labels_need_not_be_0_to_k():
    y = np.array(["cat"] * 10 + ["dog"] * 4)
    train, test = split_indices(y, 0.5, np.random.default_rng(0), stratify=True)
    assert sorted(y[test]) == ["cat"] * 5 + ["dog"] * 2


def test_a_plain_split_for_regression():
    train, test = split_indices(np.linspace(0, 1, 10), 0.3, np.random.default_rng(0), stratify=False)
    assert len(test) == 3 and len(train) == 7
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(10))
    with pytest.raises(DataError, match="at least 2 samples"):
        split_indices(np.zeros(1), 0.3, np.random.default_rng(0), stratify=False)


def test_check_test_ratio():
    assert check_test_ratio(0.25) == 0.25
    for bad in (0.05, 0.95):
        with pytest.raises(DataError):
            check_test_ratio(bad)
