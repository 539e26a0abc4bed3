"""Tests for core.vision.digits: MNIST-style preprocessing of drawn and photographed digits."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from core.vision.digits import (
    MIN_INK_FRACTION,
    DigitImage,
    DigitInputError,
    InkBox,
    preprocess_digit,
    to_model_input,
)

CANVAS = 280
SEVEN = [(80, 60), (200, 60), (120, 230)]  # a "7" as a polyline on a 280×280 canvas


def draw_canvas(mode, background, ink, points=SEVEN, width=18, size=CANVAS):
    """A canvas like the Draw page's: a thick polyline in `ink` over `background`."""
    image = Image.new(mode, (size, size), background)
    ImageDraw.Draw(image).line(points, fill=ink, width=width, joint="curve")
    return image


def moved(points, scale=1.0, dx=0, dy=0):
    return [(x * scale + dx, y * scale + dy) for x, y in points]


def centre_of_mass(pixels):
    total = pixels.sum()
    rows = pixels.sum(axis=1) @ np.arange(pixels.shape[0]) / total
    cols = pixels.sum(axis=0) @ np.arange(pixels.shape[1]) / total
    return rows, cols


def ink_extent(pixels):
    """(height, width) of the box around the non-zero pixels."""
    rows = np.flatnonzero(pixels.any(axis=1))
    cols = np.flatnonzero(pixels.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def assert_mnist_like(digit):
    assert isinstance(digit, DigitImage)
    assert not digit.is_empty
    assert digit.pixels.shape == (28, 28)
    assert digit.pixels.dtype == np.float32
    assert digit.pixels.min() >= 0.0
    assert digit.pixels.max() == pytest.approx(1.0)
    com_row, com_col = centre_of_mass(digit.pixels)
    # Shifting by the rounded offset leaves at most half a pixel of error (+ float32 rounding).
    assert abs(com_row - 14.0) <= 0.5 + 1e-4
    assert abs(com_col - 14.0) <= 0.5 + 1e-4
    assert max(ink_extent(digit.pixels)) in (19, 20)


@pytest.mark.parametrize(
    "points, width",
    [
        (SEVEN, 18),  # centred, normal brush
        (moved(SEVEN, scale=0.35, dx=-20, dy=-15), 8),  # small, in the top-left corner
        (moved(SEVEN, scale=0.4, dx=150, dy=150), 6),  # small, bottom-right
        (SEVEN, 45),  # very thick stroke
    ],
)
def test_digit_anywhere_on_the_canvas_ends_centred_and_20px_tall(points, width):
    canvas = draw_canvas("RGBA", (0, 0, 0, 0), (255, 255, 255, 255), points, width)
    assert_mnist_like(preprocess_digit(np.asarray(canvas)))


def test_the_same_digit_small_or_large_gives_nearly_the_same_image():
    large = preprocess_digit(draw_canvas("L", 0, 255, SEVEN, 18))
    small = preprocess_digit(draw_canvas("L", 0, 255, moved(SEVEN, 0.5, dx=100, dy=10), 9))
    # Same shape, different resolution before downscaling: only anti-aliasing differs.
    assert np.abs(large.pixels - small.pixels).mean() < 0.03


def test_tall_one_keeps_its_aspect_ratio():
    one = draw_canvas("L", 0, 255, [(140, 40), (140, 240)], width=20)  # 20 px wide, ~200 tall
    digit = preprocess_digit(one)
    height, width = ink_extent(digit.pixels)
    assert height in (19, 20)
    # 20 px wide at 200 px tall → 2 px at 20 px tall (plus ≤ 1 px of anti-aliasing per side).
    assert 2 <= width <= 4


def test_wide_stroke_is_scaled_by_its_width():
    dash = draw_canvas("L", 0, 255, [(40, 140), (240, 140)], width=20)
    height, width = ink_extent(preprocess_digit(dash).pixels)
    assert width in (19, 20)
    assert 2 <= height <= 4


def test_bbox_and_ink_fraction_describe_the_input():
    image = Image.new("L", (CANVAS, CANVAS), 0)
    ImageDraw.Draw(image).rectangle([(100, 50), (119, 149)], fill=255)  # inclusive corners
    digit = preprocess_digit(image)
    assert digit.bbox == InkBox(top=50, left=100, bottom=150, right=120)
    assert digit.ink_fraction == pytest.approx(20 * 100 / CANVAS**2)


def test_polarity_and_colour_do_not_matter():
    references = {
        "RGBA white on transparent": draw_canvas("RGBA", (0, 0, 0, 0), (255, 255, 255, 255)),
        "RGBA red on transparent": draw_canvas("RGBA", (0, 0, 0, 0), (255, 0, 0, 255)),
        "RGBA black on transparent": draw_canvas("RGBA", (0, 0, 0, 0), (0, 0, 0, 255)),
        "RGBA white on opaque black": draw_canvas("RGBA", (0, 0, 0, 255), (255, 255, 255, 255)),
        "RGB blue ink on white": draw_canvas("RGB", (255, 255, 255), (30, 60, 200)),
        "RGB dark ink on grey paper": draw_canvas("RGB", (170, 165, 160), (40, 40, 50)),
        "L black on white": draw_canvas("L", 255, 0),
    }
    results = {name: preprocess_digit(np.asarray(image)) for name, image in references.items()}
    expected = results["RGBA white on transparent"].pixels
    assert_mnist_like(results["RGBA white on transparent"])
    for name, digit in results.items():
        assert not digit.is_empty, name
        np.testing.assert_allclose(digit.pixels, expected, atol=1e-5, err_msg=name)


def test_photo_with_paper_noise_and_glare_matches_the_clean_drawing():
    rng = np.random.default_rng(3)
    clean = preprocess_digit(draw_canvas("L", 0, 255)).pixels
    photo = np.asarray(draw_canvas("L", 200, 60), dtype=np.float32)
    photo = photo + rng.normal(0, 8, photo.shape)  # paper texture / sensor noise
    photo[20:40, 220:260] = 255  # a small glare spot: brighter than the paper, not ink
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    digit = preprocess_digit(photo)
    assert_mnist_like(digit)
    assert np.abs(digit.pixels - clean).mean() < 0.03


def test_float_input_and_pil_input_equal_uint8_input():
    canvas = draw_canvas("RGBA", (0, 0, 0, 0), (255, 255, 255, 255))
    as_uint8 = preprocess_digit(np.asarray(canvas)).pixels
    as_float = preprocess_digit(np.asarray(canvas, dtype=np.float64) / 255).pixels
    as_pil = preprocess_digit(canvas).pixels
    np.testing.assert_allclose(as_float, as_uint8, atol=1e-5)
    np.testing.assert_array_equal(as_pil, as_uint8)


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "I;16", "CMYK"])
def test_pil_modes_are_understood(mode):
    gray = draw_canvas("L", 0, 255)
    expected = preprocess_digit(gray).pixels
    if mode == "I;16":
        image = Image.fromarray(np.asarray(gray).astype(np.uint16) * 257)
    else:
        image = gray.convert(mode)
    np.testing.assert_allclose(preprocess_digit(image).pixels, expected, atol=1e-5)


def test_palette_image_with_transparent_background_uses_the_transparency():
    image = Image.new("P", (CANVAS, CANVAS), 0)
    image.putpalette([255, 255, 255, 0, 0, 0])  # index 0 white (but transparent), 1 black
    ImageDraw.Draw(image).line(SEVEN, fill=1, width=18, joint="curve")
    image.info["transparency"] = 0
    expected = preprocess_digit(draw_canvas("L", 0, 255)).pixels
    np.testing.assert_allclose(preprocess_digit(image).pixels, expected, atol=1e-5)


def test_blank_canvas_is_empty_not_a_guess():
    for blank in (
        np.zeros((CANVAS, CANVAS, 4), np.uint8),  # fully transparent canvas
        np.full((CANVAS, CANVAS, 3), 255, np.uint8),  # white paper
        np.zeros((CANVAS, CANVAS), np.float32),
    ):
        digit = preprocess_digit(blank)
        assert digit.is_empty
        assert digit.bbox is None
        assert digit.ink_fraction == 0.0
        np.testing.assert_array_equal(digit.pixels, np.zeros((28, 28), np.float32))
        assert digit.pixels.dtype == np.float32


def test_a_few_stray_pixels_are_empty():
    canvas = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    canvas[[10, 50, 200, 270, 140], [30, 260, 100, 5, 140]] = 255  # five specks
    digit = preprocess_digit(canvas)
    assert digit.is_empty
    assert digit.ink_fraction == pytest.approx(5 / CANVAS**2)
    assert digit.ink_fraction < MIN_INK_FRACTION
    assert not digit.pixels.any()


def test_faint_noise_is_empty():
    rng = np.random.default_rng(0)
    paper = np.clip(230 + rng.normal(0, 4, (CANVAS, CANVAS)), 0, 255).astype(np.uint8)
    assert preprocess_digit(paper).is_empty


def test_a_small_but_real_mark_is_not_empty():
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    canvas[130:140, 130:140] = 255  # 100 px = 0.13 % of the canvas
    digit = preprocess_digit(canvas)
    assert not digit.is_empty
    assert max(ink_extent(digit.pixels)) in (19, 20)


def test_result_is_immutable():
    digit = preprocess_digit(draw_canvas("L", 0, 255))
    with pytest.raises(dataclasses.FrozenInstanceError):
        digit.is_empty = True
    with pytest.raises(ValueError):
        digit.pixels[0, 0] = 1.0


@settings(max_examples=40, deadline=None)
@given(
    top=st.integers(0, 200),
    left=st.integers(0, 200),
    height=st.integers(12, 79),
    width=st.integers(12, 79),
)
def test_any_ellipse_is_centred_and_fills_the_20px_box(top, left, height, width):
    image = Image.new("L", (CANVAS, CANVAS), 0)
    ImageDraw.Draw(image).ellipse([(left, top), (left + width, top + height)], fill=255)
    assert_mnist_like(preprocess_digit(image))


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((10, 10, 5), np.uint8), r"shape .*\(10, 10, 5\)"),
        (np.zeros((2, 10, 10, 3), np.uint8), r"shape .*\(2, 10, 10, 3\)"),
        (np.zeros((0, 10), np.uint8), r"at least 1×1 .*0×10"),
        (np.zeros((10, 10), np.int32), r"dtype .*int32"),
        (np.full((10, 10), 2.0), r"\[0, 1\].*from 2 to 2"),
        (np.full((10, 10), -0.5), r"\[0, 1\].*from -0.5 to -0.5"),
        (np.full((10, 10), np.nan), r"NaN"),
        ([[0, 1], [1, 0]], r"numpy array or a PIL.Image; got list"),
    ],
)
def test_bad_images_are_refused_with_a_clear_message(bad, message):
    with pytest.raises(DigitInputError, match=message):
        preprocess_digit(bad)


def test_digit_input_error_is_a_value_error():
    assert issubclass(DigitInputError, ValueError)


def test_model_input_is_a_float32_row_in_unit_range():
    digit = preprocess_digit(draw_canvas("L", 0, 255))
    row = to_model_input(digit.pixels)
    assert row.shape == (1, 784)
    assert row.dtype == np.float32
    np.testing.assert_array_equal(row[0], digit.pixels.ravel())
    row[0, 0] = 0.5  # the row is a copy: the read-only digit is untouched
    assert digit.pixels[0, 0] == 0.0


def test_model_input_scales_raw_mnist_bytes_like_training():
    raw = np.arange(784, dtype=np.int64).reshape(28, 28) % 256
    row = to_model_input(raw.astype(np.uint8))
    np.testing.assert_allclose(row, raw.reshape(1, 784) / 255.0, rtol=1e-6)
    assert row.dtype == np.float32
    assert row.max() == 1.0


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((28, 27)), r"\(28, 28\); got shape \(28, 27\)"),
        (np.zeros(784), r"got shape \(784,\)"),
        (np.full((28, 28), 1.5), r"\[0, 1\].*1.5"),
        (np.zeros((28, 28), np.int64), r"dtype int64"),
    ],
)
def test_model_input_refuses_bad_pixels(bad, message):
    with pytest.raises(DigitInputError, match=message):
        to_model_input(bad)
