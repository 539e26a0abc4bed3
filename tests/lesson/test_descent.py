"""Gradient descent on the lesson's surfaces: the regimes named from computed paths, real numbers."""

import numpy as np
import pytest

from core.lesson.descent import SURFACES, descend, name_regime


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradient_matches_central_differences(name):
    surface = SURFACES[name]
    p = np.array(surface.start, dtype=np.float64) * 0.7 + 0.3
    h = 1e-6
    numeric = [
        (surface.loss(p + h * e) - surface.loss(p - h * e)) / (2 * h) for e in np.eye(surface.dimensions)
    ]
    np.testing.assert_allclose(surface.gradient(p), numeric, rtol=1e-7, atol=1e-9)


def test_one_sgd_step_by_hand_on_the_ravine():
    # start (2, 0.5), c = (1, 20): g = (2, 10); lr 0.01 -> (2 - 0.02, 0.5 - 0.1) = (1.98, 0.4)
    path = descend(SURFACES["ravine"], 0.01, steps=1)
    np.testing.assert_allclose(path.points[1], [1.98, 0.4], atol=1e-12)
    assert path.losses[1] == pytest.approx(0.5 * (1.98**2 + 20 * 0.4**2), abs=1e-12)


@pytest.mark.parametrize(
    ("lr", "regime"), [(0.01, "too small"), (0.5, "good"), (1.5, "oscillating"), (2.5, "diverging")]
)
def test_one_d_bowl_regimes(lr, regime):
    path = descend(SURFACES["1-D bowl"], lr, steps=20)
    assert path.regime == regime
    # On L = w^2/2 each step multiplies w by (1 - lr): the path must show exactly that.
    np.testing.assert_allclose(path.points[1:, 0] / path.points[:-1, 0], 1 - lr, rtol=1e-12)


def test_diverging_path_has_growing_loss():
    path = descend(SURFACES["1-D bowl"], 2.5, steps=10)
    assert np.all(path.loss_ratios > 1)
    np.testing.assert_allclose(path.loss_ratios, 1.5**2, rtol=1e-12)  # (1 - 2.5)^2 per step


def test_oscillating_path_flips_sign_but_loss_falls():
    path = descend(SURFACES["1-D bowl"], 1.5, steps=10)
    steps = np.diff(path.points[:, 0])
    assert np.all(steps[1:] * steps[:-1] < 0)
    np.testing.assert_allclose(path.loss_ratios, 0.25, rtol=1e-12)  # (1 - 1.5)^2


def test_too_small_is_still_far_from_the_bottom():
    path = descend(SURFACES["1-D bowl"], 0.01, steps=20)
    assert path.losses[-1] / path.losses[0] == pytest.approx(0.99**40, rel=1e-12)  # about 0.67


@pytest.mark.parametrize(
    ("lr", "regime"), [(0.005, "too small"), (0.05, "good"), (0.09, "oscillating"), (0.11, "diverging")]
)
def test_ravine_regimes_follow_its_steep_direction(lr, regime):
    # c = 20 in w2: oscillation above lr = 1/20, divergence above 2/20 = 0.1
    assert descend(SURFACES["ravine"], lr, steps=20).regime == regime


def test_overflowing_path_is_named_diverging_without_warnings():
    with np.errstate(all="raise"):
        path = descend(SURFACES["1-D bowl"], 5.0, steps=50)
    assert path.regime == "diverging"


def test_name_regime_on_constructed_paths():
    points = np.array([[1.0], [-1.0], [1.0]])
    assert name_regime(points, np.array([0.5, 0.5, 0.5])) == "oscillating"  # lr c = 2 exactly
    assert name_regime(np.array([[1.0], [2.0]]), np.array([0.5, 2.0])) == "diverging"
    assert name_regime(np.array([[1.0], [0.01]]), np.array([0.5, 5e-5])) == "good"
