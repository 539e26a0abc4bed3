"""Tests for core.vision.augment: vectorized affine warps, thickness changes and noise."""

import numpy as np
import pytest

import core.vision.augment
from core.vision.augment import (
    AugmentError,
    add_noise,
    augment_batch,
    dilate,
    erode,
    rotate_batch,
    transform_batch,
)

IDENTITY = {"max_shift": 0.0, "max_rotation": 0.0, "scale_range": (1.0, 1.0), "thickness_fraction": 0.0}


def digit_like_batch(count=16, seed=0):
    """uint8 (count, 28, 28) blobs and bars of random size inside the central 20×20 box."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28), np.uint8)
    for index in range(count):  # test data only; the code under test never loops like this
        top, left = rng.integers(6, 12, size=2)
        height, width = rng.integers(3, 10, size=2)
        images[index, top : top + height, left : left + width] = rng.integers(128, 256)
        images[index, top, left : left + 8] = 255  # a horizontal bar: breaks the symmetry
    return images


def asymmetric_image():
    """An "L"-like shape plus a gradient, so any wrong rotation direction shows."""
    image = np.zeros((28, 28), np.float32)
    image[5:22, 6:10] = 1.0  # vertical stroke
    image[18:22, 6:20] = 0.6  # foot pointing right
    image[3, 20] = 0.3  # a lone pixel top-right
    return image


def centre_of_mass(images):
    """(n, 2) centres of mass (row, col) of a batch."""
    totals = images.sum(axis=(1, 2))
    rows = images.sum(axis=2) @ np.arange(images.shape[1]) / totals
    cols = images.sum(axis=1) @ np.arange(images.shape[2]) / totals
    return np.stack([rows, cols], axis=1)


# --- transform_batch / rotate_batch: deterministic warps --------------------------------------


def test_identity_transform_returns_the_input():
    images = digit_like_batch()
    np.testing.assert_array_equal(transform_batch(images), images.astype(np.float32) / 255)


def test_integer_shift_moves_pixels_and_centre_of_mass_exactly():
    images = digit_like_batch().astype(np.float32) / 255
    shifted = transform_batch(images, shift=(2, -1))  # 2 px down, 1 px left
    expected = np.zeros_like(images)
    expected[:, 2:, :-1] = images[:, :-2, 1:]
    np.testing.assert_allclose(shifted, expected, atol=1e-6)
    np.testing.assert_allclose(
        centre_of_mass(shifted) - centre_of_mass(images), [[2, -1]] * len(images), atol=1e-4
    )


def test_per_image_shifts():
    images = digit_like_batch(3).astype(np.float32) / 255
    shifts = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    moved = centre_of_mass(transform_batch(images, shift=shifts)) - centre_of_mass(images)
    np.testing.assert_allclose(moved, shifts, atol=1e-4)


def test_half_pixel_shift_interpolates_bilinearly():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 10, 10] = 1.0
    shifted = transform_batch(image, shift=(0.0, 0.5))
    # The pixel's value is split evenly between its old column and the next one.
    assert shifted[0, 10, 10] == pytest.approx(0.5)
    assert shifted[0, 10, 11] == pytest.approx(0.5)
    assert shifted.sum() == pytest.approx(1.0)


def test_shift_past_the_border_reads_zeros():
    images = np.ones((2, 28, 28), np.float32)
    shifted = transform_batch(images, shift=(3, 0))
    assert (shifted[:, :3] == 0).all()  # rows that came from above the image
    assert (shifted[:, 3:] == 1).all()


@pytest.mark.parametrize("quarter_turns", [1, 2, 3, -1])
def test_rotation_by_quarter_turns_equals_rot90(quarter_turns):
    image = asymmetric_image()
    rotated = rotate_batch(image[None], 90 * quarter_turns)[0]
    # np.rot90 turns counter-clockwise as displayed, like positive degrees here.
    np.testing.assert_allclose(rotated, np.rot90(image, quarter_turns), atol=1e-5)


def test_positive_angle_turns_counter_clockwise():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 13, 24] = 1.0  # right of centre (13.5, 13.5)
    rotated = rotate_batch(image, 90)
    assert rotated[0, 3, 13] == pytest.approx(1.0)  # now above the centre


def test_small_rotation_keeps_mass_and_centre():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 6:22, 12:16] = 1.0  # a bar centred on (13.5, 13.5)
    rotated = rotate_batch(image, 12)
    assert rotated.sum() == pytest.approx(image.sum(), rel=0.02)
    np.testing.assert_allclose(centre_of_mass(rotated), [[13.5, 13.5]], atol=0.05)
    # The bar's top moved left and its bottom right (counter-clockwise tilt).
    top_cols = np.flatnonzero(rotated[0, 7] > 0.5)
    bottom_cols = np.flatnonzero(rotated[0, 20] > 0.5)
    assert top_cols.mean() < 13.5 < bottom_cols.mean()


def test_scaling_moves_mass_away_from_the_centre_proportionally():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 13:15, 17:19] = 1.0  # a 2×2 blob centred 4 px right of the centre
    zoomed = transform_batch(image, scale=1.5)
    np.testing.assert_allclose(centre_of_mass(zoomed), [[13.5, 13.5 + 6.0]], atol=1e-3)
    # Sampling a 1.5× larger picture: total ink grows by 1.5² (area).
    assert zoomed.sum() == pytest.approx(4 * 1.5**2, rel=0.02)


def test_rotate_batch_accepts_any_image_size_and_empty_batches():
    assert rotate_batch(np.zeros((0, 28, 28), np.float32), 30).shape == (0, 28, 28)
    image = np.zeros((1, 9, 15), np.float32)
    image[0, 4, 7] = 1.0  # the exact centre of a 9×15 image stays put under any rotation
    assert rotate_batch(image, 37.0)[0, 4, 7] == pytest.approx(1.0)


def test_warping_in_blocks_gives_the_same_result(monkeypatch):
    images = digit_like_batch(10)
    degrees = np.linspace(-30, 30, 10)
    whole = transform_batch(images, degrees=degrees, scale=1.1, shift=(0.5, -0.3))
    monkeypatch.setattr(core.vision.augment, "WARP_BLOCK_PIXELS", 3 * 28 * 28)  # blocks of 3 images
    in_blocks = transform_batch(images, degrees=degrees, scale=1.1, shift=(0.5, -0.3))
    np.testing.assert_array_equal(in_blocks, whole)


# --- dilate / erode -----------------------------------------------------------------------------


def test_dilate_grows_a_pixel_into_a_plus():
    image = np.zeros((1, 5, 5), np.float32)
    image[0, 2, 2] = 0.8
    expected = np.zeros((5, 5), np.float32)
    expected[2, 1:4] = expected[1:4, 2] = 0.8
    np.testing.assert_array_equal(dilate(image)[0], expected)


def test_erode_shrinks_a_square_to_its_centre():
    image = np.zeros((1, 5, 5), np.float32)
    image[0, 1:4, 1:4] = 1.0
    expected = np.zeros((5, 5), np.float32)
    expected[2, 2] = 1.0
    np.testing.assert_array_equal(erode(image)[0], expected)


def test_dilation_adds_ink_and_erosion_removes_it():
    images = digit_like_batch()
    ink = images.astype(np.float32).sum(axis=(1, 2)) / 255
    assert (dilate(images).sum(axis=(1, 2)) > ink).all()
    assert (erode(images).sum(axis=(1, 2)) < ink).all()


def test_erosion_treats_outside_as_background():
    full = np.ones((1, 4, 4), np.float32)
    eroded = erode(full)[0]
    assert eroded[1:3, 1:3].min() == 1.0
    assert eroded[0].max() == 0.0 and eroded[:, 0].max() == 0.0


# --- augment_batch ------------------------------------------------------------------------------


def test_augment_with_identity_parameters_returns_the_input():
    images = digit_like_batch()
    out = augment_batch(images, np.random.default_rng(0), **IDENTITY)
    np.testing.assert_array_equal(out, images.astype(np.float32) / 255)


def test_augment_output_shape_dtype_and_range():
    for images in (digit_like_batch(), digit_like_batch().astype(np.float64) / 255):
        out = augment_batch(images, np.random.default_rng(1))
        assert out.shape == (16, 28, 28)
        assert out.dtype == np.float32
        assert np.isfinite(out).all()
        assert out.min() >= 0.0 and out.max() <= 1.0


def test_augment_is_deterministic_for_a_seed_and_varies_across_seeds():
    images = digit_like_batch(32)
    first = augment_batch(images, np.random.default_rng(7))
    again = augment_batch(images, np.random.default_rng(7))
    other = augment_batch(images, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).max() > 0.1


def test_augment_gives_each_image_its_own_distortion():
    same = np.repeat(digit_like_batch(1), 8, axis=0)
    out = augment_batch(same, np.random.default_rng(0))
    differences = np.abs(out[1:] - out[0]).max(axis=(1, 2))
    assert (differences > 0.05).all()


def test_augment_shifts_stay_within_max_shift_and_use_the_range():
    images = np.repeat(digit_like_batch(1), 200, axis=0)
    options = {**IDENTITY, "max_shift": 2.0}
    out = augment_batch(images, np.random.default_rng(3), **options)
    moved = centre_of_mass(out) - centre_of_mass(images.astype(np.float32))
    assert np.abs(moved).max() <= 2.0 + 1e-3
    assert np.abs(moved).max() > 1.8  # uniform in ±2: some of 400 draws land near the ends
    assert abs(moved.mean()) < 0.2  # and they are centred on zero


def test_augment_rotations_stay_within_max_rotation():
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 4:24, 13:15] = 1.0  # a vertical bar through the centre
    out = augment_batch(
        np.repeat(bar, 100, axis=0), np.random.default_rng(4), **{**IDENTITY, "max_rotation": 12.0}
    )
    # Tilt of the bar from its principal axis: angle = ½·atan2(2·cov(r,c), var(r) − var(c)).
    rows, cols = np.mgrid[0:28, 0:28]
    weights = out / out.sum(axis=(1, 2), keepdims=True)
    mean_r = (weights * rows).sum(axis=(1, 2), keepdims=True)
    mean_c = (weights * cols).sum(axis=(1, 2), keepdims=True)
    var_r = (weights * (rows - mean_r) ** 2).sum(axis=(1, 2))
    var_c = (weights * (cols - mean_c) ** 2).sum(axis=(1, 2))
    cov = (weights * (rows - mean_r) * (cols - mean_c)).sum(axis=(1, 2))
    tilt = np.degrees(0.5 * np.arctan2(2 * cov, var_r - var_c))
    assert np.abs(tilt).max() <= 12.5
    assert np.abs(tilt).max() > 10.0


def test_thickness_changes_every_chosen_image_by_one_pixel_either_way():
    images = digit_like_batch(40)
    out = augment_batch(images, np.random.default_rng(5), **{**IDENTITY, "thickness_fraction": 1.0})
    thicker = np.all(out == dilate(images), axis=(1, 2))
    thinner = np.all(out == erode(images), axis=(1, 2))
    assert (thicker | thinner).all()
    assert 5 <= thicker.sum() <= 35  # a 50/50 choice over 40 images


def test_augment_does_not_modify_its_input():
    images = digit_like_batch().astype(np.float32) / 255
    before = images.copy()
    augment_batch(images, np.random.default_rng(0), thickness_fraction=1.0)
    np.testing.assert_array_equal(images, before)


def test_extreme_parameters_stay_finite_and_in_range():
    out = augment_batch(
        digit_like_batch(64),
        np.random.default_rng(6),
        max_shift=14.0,
        max_rotation=180.0,
        scale_range=(0.5, 2.0),
        thickness_fraction=1.0,
    )
    assert np.isfinite(out).all()
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_augment_of_an_empty_batch():
    out = augment_batch(np.zeros((0, 28, 28), np.uint8), np.random.default_rng(0))
    assert out.shape == (0, 28, 28) and out.dtype == np.float32


# --- add_noise ----------------------------------------------------------------------------------


def test_noise_with_zero_std_is_identity():
    images = digit_like_batch()
    np.testing.assert_array_equal(
        add_noise(images, 0.0, np.random.default_rng(0)), images.astype(np.float32) / 255
    )


def test_noise_has_the_requested_spread_and_stays_in_range():
    gray = np.full((50, 28, 28), 0.5, np.float32)
    noisy = add_noise(gray, 0.1, np.random.default_rng(0))
    assert noisy.dtype == np.float32
    assert np.std(noisy - gray) == pytest.approx(0.1, rel=0.03)
    clipped = add_noise(gray, 1.0, np.random.default_rng(0))
    assert clipped.min() == 0.0 and clipped.max() == 1.0


def test_noise_is_deterministic_for_a_seed():
    images = digit_like_batch()
    np.testing.assert_array_equal(
        add_noise(images, 0.2, np.random.default_rng(9)),
        add_noise(images, 0.2, np.random.default_rng(9)),
    )


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: augment_batch(np.zeros((28, 28)), np.random.default_rng(0)),
            r"shape \(n, H, W\); got shape \(28, 28\)",
        ),
        (
            lambda: augment_batch(np.zeros((2, 28, 28), np.int32), np.random.default_rng(0)),
            r"uint8 .* or float in \[0, 1\]; got dtype int32",
        ),
        (
            lambda: augment_batch(np.full((2, 28, 28), 255.0), np.random.default_rng(0)),
            r"\[0, 1\]; got values from 255 to 255",
        ),
        (lambda: augment_batch(np.full((2, 28, 28), np.nan), np.random.default_rng(0)), r"NaN"),
        (lambda: augment_batch(np.zeros((2, 28, 28)), 42), r"rng must be a numpy.random.Generator .*got int"),
        (
            lambda: augment_batch(np.zeros((2, 28, 28)), np.random.default_rng(0), max_shift=-1),
            r"max_shift must be in \[0, 14\]; got -1",
        ),
        (
            lambda: augment_batch(np.zeros((2, 28, 28)), np.random.default_rng(0), max_rotation=200),
            r"max_rotation must be in \[0, 180\]; got 200",
        ),
        (
            lambda: augment_batch(np.zeros((2, 28, 28)), np.random.default_rng(0), thickness_fraction=1.5),
            r"thickness_fraction must be in \[0, 1\]; got 1.5",
        ),
        (
            lambda: augment_batch(np.zeros((2, 28, 28)), np.random.default_rng(0), scale_range=(1.2, 0.8)),
            r"0.5 ≤ low ≤ high ≤ 2; got \(1.2, 0.8\)",
        ),
        (
            lambda: augment_batch(np.zeros((2, 28, 28)), np.random.default_rng(0), scale_range=1.0),
            r"scale_range must be a pair",
        ),
        (
            lambda: add_noise(np.zeros((2, 28, 28)), -0.1, np.random.default_rng(0)),
            r"std must be in \[0, 1\]; got -0.1",
        ),
        (
            lambda: transform_batch(np.zeros((2, 28, 28)), degrees=[1.0, 2.0, 3.0]),
            r"degrees must be one number or one per image, shape \(2,\); got shape \(3,\)",
        ),
        (lambda: transform_batch(np.zeros((2, 28, 28)), scale=0.0), r"scale must be > 0; got a minimum of 0"),
        (
            lambda: transform_batch(np.zeros((2, 28, 28)), shift=(1.0, 2.0, 3.0)),
            r"shift must have shape \(2,\) or \(2, 2\).*got shape \(3,\)",
        ),
        (lambda: transform_batch(np.zeros((2, 28, 28)), degrees=np.inf), r"degrees must be finite"),
        (
            lambda: rotate_batch(np.zeros((2, 28, 28)), [10, 20]),
            r"degrees must be a single number; got shape \(2,\)",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, message):
    with pytest.raises(AugmentError, match=message):
        call()


def test_augment_error_is_a_value_error():
    assert issubclass(AugmentError, ValueError)
