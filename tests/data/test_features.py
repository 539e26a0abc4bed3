"""Tests for core/data/features.py."""

import numpy as np
import pytest

from core.data import FEATURE_LABELS, FEATURES, DataError, expand_features

POINTS = np.array([[2.0, 3.0], [-1.0, 0.5], [np.pi / 2, 0.0]])


def test_feature_names_and_display_labels():
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert [FEATURE_LABELS[f] for f in FEATURES] == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("x1", [2.0, -1.0, np.pi / 2]),
        ("x2", [3.0, 0.5, 0.0]),
        ("x1^2", [4.0, 1.0, np.pi**2 / 4]),
        ("x2^2", [9.0, 0.25, 0.0]),
        ("x1*x2", [6.0, -0.5, 0.0]),
        ("sin(x1)", [np.sin(2.0), np.sin(-1.0), 1.0]),
        ("sin(x2)", [np.sin(3.0), np.sin(0.5), 0.0]),
    ],
)
def test_each_feature_value(name, expected):
    out = expand_features(POINTS, [name])
    assert out.shape == (3, 1) and out.dtype == np.float32
    np.testing.assert_allclose(out[:, 0], expected, rtol=1e-6, atol=1e-7)


def test_columns_follow_the_requested_order():
    out = expand_features([[2, 3]], ["x1*x2", "x1^2", "x2"])
    np.testing.assert_allclose(out, [[6, 4, 3]])
    assert expand_features(POINTS, FEATURES).shape == (3, 7)
    np.testing.assert_allclose(expand_features([[2, 3]], "x2^2"), [[9]])  # one name as a string


def test_no_points_gives_an_empty_matrix():
    assert expand_features(np.zeros((0, 2)), ["x1", "x2"]).shape == (0, 2)


@pytest.mark.parametrize(
    "X, names, message",
    [
        (POINTS, ["x3"], r"unknown feature 'x3'; choose from: x1, x2, x1\^2"),
        (POINTS, [], r"choose at least one feature"),
        (POINTS, ["x1", "x1"], r"feature 'x1' is listed more than once"),
        (np.zeros((4, 3)), ["x1"], r"X must have shape \(n, 2\).*got \(4, 3\)"),
        (np.zeros(4), ["x1"], r"X must have shape \(n, 2\).*got \(4,\)"),
        ([["a", "b"]], ["x1"], r"X must be an \(n, 2\) array of numbers"),
    ],
)
def test_bad_input_is_refused(X, names, message):
    with pytest.raises(DataError, match=message):
        expand_features(X, names)
