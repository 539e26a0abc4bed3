"""Photos of handwriting: core.vision.synthetic_photos (the test set) and core.vision.photo_cleanup
through core.vision.digits.preprocess_digit, read by the shipped model.

The digits are real MNIST digits the shipped model never saw (its held-out 20 %, seed 0). The
accuracy floors sit a few points under what was measured on this seeded set (benchmarks/
photo_digits.py measures 200 per condition); the "before" checks show the set is hard for the
drawing recipe, so the floors cannot be met by a preprocessing that ignores the photo problems.
"""

import io

import numpy as np
import pytest
from PIL import Image

from core.data.mnist import load_mnist
from core.vision.digits import DigitImage, preprocess_digit, preprocess_drawn_digit
from core.vision.photo_cleanup import WORK_SIDE, clean_photo, otsu_threshold, ruled_lines
from core.vision.prediction import predict_upload
from core.vision.shipped_model import load_shipped_model
from core.vision.synthetic_photos import (
    CONDITIONS,
    HARDEST,
    MAX_SIDE,
    MIN_SIDE,
    PhotoConditionError,
    render_empty_sheet,
    render_photo,
    render_photos,
)
from tests.paths import MNIST_5K_DIR, requires_mnist_5k

PER_CONDITION = 40  # 4 of each class
SEED = 7
# Measured on this set (seed 7, 40 per condition) on 2 December, after (before): plain 0.975
# (0.975), lighting gradient 0.975 (0.225), corner shadow 0.95 (0.025), ruled lines 0.95 (0.25),
# desk border 0.95 (0.15), vignette 0.95 (0.125), jpeg 0.95 (0.95), rotation 0.95 (0.95),
# hardest 0.975 (0.075). The floors allow two more misses than measured (0.05 of 40).
FLOORS_AFTER = {condition: 0.90 for condition in CONDITIONS}
# The drawing recipe on the same photos fails them: at most this (it reads plain, JPEG and
# rotated photos well, so those have no ceiling).
CEILINGS_BEFORE = {
    "lighting gradient": 0.4,
    "corner shadow": 0.2,
    "ruled lines": 0.4,
    "desk border": 0.3,
    "vignette": 0.3,
    HARDEST: 0.25,
}


@pytest.fixture(scope="module")
def model():
    return load_shipped_model()


@pytest.fixture(scope="module")
def held_out():
    dataset = load_mnist(data_dir=MNIST_5K_DIR, download=False, test_ratio=0.2, seed=0)
    order = np.argsort(dataset.y_test, kind="stable")
    per_class = PER_CONDITION // 10
    picked = np.concatenate([order[k * 100 : k * 100 + per_class] for k in range(10)])
    return dataset.X_test, dataset.y_test, picked


def read(model, images, preprocess=preprocess_digit):
    """(predicted labels, number judged empty); an empty result predicts -1."""
    digits = [preprocess(image) for image in images]
    pixels = np.stack([digit.pixels for digit in digits]) * np.float32(255.0)
    predicted = model.network.predict(model.prepare_input(pixels))
    empty = np.array([digit.is_empty for digit in digits])
    return np.where(empty, -1, predicted), int(empty.sum())


@requires_mnist_5k
@pytest.mark.parametrize("condition", CONDITIONS)
def test_photos_are_read_right_under_every_condition(model, held_out, condition):
    images, labels, picked = held_out
    photos = render_photos(images[picked], condition, SEED)
    predicted, empty = read(model, photos)
    accuracy = float(np.mean(predicted == labels[picked]))
    assert empty == 0, f"{condition}: {empty} clear digits judged empty"
    assert accuracy >= FLOORS_AFTER[condition], f"{condition}: {accuracy:.1%}"
    if condition in CEILINGS_BEFORE:  # the set is hard: the drawing recipe fails it
        before, _ = read(model, photos, preprocess_drawn_digit)
        assert np.mean(before == labels[picked]) <= CEILINGS_BEFORE[condition]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_an_empty_sheet_is_judged_empty_and_says_why(condition):
    for seed in range(3):
        digit = preprocess_digit(render_empty_sheet(condition, seed))
        assert digit.is_empty, f"{condition}, seed {seed}"
        assert digit.bbox is None
        assert not digit.pixels.any()
        assert digit.empty_reason  # a plain sentence for the page
        # what the preprocessing saw is kept, for the page to show
        assert digit.seen is not None and digit.seen.ndim == 2 and digit.seen.dtype == np.float32


@requires_mnist_5k
def test_drawn_digits_are_read_exactly_as_before(held_out):
    images, _, _ = held_out
    # MNIST's own images are what the canvas gives: white strokes on an exactly black field.
    for image in images[::25]:
        new, old = preprocess_digit(image), preprocess_drawn_digit(image)
        np.testing.assert_array_equal(new.pixels, old.pixels)
        assert new.bbox == old.bbox and new.ink_fraction == old.ink_fraction
        # ... and as dark ink on a white page (an exported drawing)
        np.testing.assert_allclose(preprocess_digit(255 - image).pixels, old.pixels, atol=1e-6)


@requires_mnist_5k
def test_a_light_digit_on_a_dark_photo_is_read_too(model, held_out):
    images, labels, picked = held_out
    photos = [255 - photo for photo in render_photos(images[picked[::4]], "lighting gradient", SEED)]
    predicted, empty = read(model, photos)
    assert empty == 0
    assert np.mean(predicted == labels[picked[::4]]) >= 0.9


@requires_mnist_5k
def test_a_big_phone_photo_is_cleaned_small_and_boxed_in_its_own_pixels(model, held_out):
    images, labels, picked = held_out
    index = picked[3]
    photo = Image.fromarray(render_photo(images[index], HARDEST, SEED))
    big = np.asarray(photo.resize((photo.width * 6, photo.height * 6), Image.Resampling.BICUBIC))
    small_digit, big_digit = preprocess_digit(np.asarray(photo)), preprocess_digit(big)
    assert not big_digit.is_empty
    assert max(big_digit.seen.shape) <= WORK_SIDE
    # The box is in the big photo's pixels: six times the small photo's, give or take a pixel.
    for small_edge, big_edge in zip(small_digit.bbox, big_digit.bbox):
        assert abs(big_edge - 6 * small_edge) <= 6 * 2
    assert np.abs(big_digit.pixels - small_digit.pixels).mean() < 0.05


@requires_mnist_5k
def test_a_photo_cropped_tight_around_its_digit_is_read(model, held_out):
    # The closing window scales with the photo; cropped to the digit, its thick strokes would be
    # taken for paper unless the window widens (old 97 %, new 95 % on 100 of them, 3 px margin).
    images, labels, picked = held_out
    photos = render_photos(images[picked], "corner shadow", SEED)
    crops = []
    for photo in photos:
        box = preprocess_digit(photo).bbox
        crops.append(
            np.ascontiguousarray(
                photo[max(0, box.top - 3) : box.bottom + 3, max(0, box.left - 3) : box.right + 3]
            )
        )
    predicted, empty = read(model, crops)
    assert empty == 0
    assert np.mean(predicted == labels[picked]) >= 0.85


@requires_mnist_5k
def test_an_uploaded_jpeg_photo_is_predicted(model, held_out):
    images, labels, picked = held_out
    buffer = io.BytesIO()
    Image.fromarray(render_photo(images[picked[12]], HARDEST, SEED)).save(buffer, format="JPEG", quality=80)
    prediction = predict_upload(model, buffer.getvalue())
    assert not prediction.is_empty
    assert prediction.predicted_index == labels[picked[12]]


def test_clean_photo_keeps_the_digit_and_drops_lines_desk_and_shadow():
    side = 300
    gray = np.full((side, side), 0.85, np.float32)
    gray[:, : side // 2] *= 0.5  # half the sheet in shadow: a hard edge through the middle
    gray[::30, :] = 0.6  # ruled lines every 30 px
    gray[:, -20:] = 0.3  # desk along the right border
    gray[100:200, 140:160] = 0.1  # a thick "1" across the shadow's edge
    cleaned = clean_photo(gray)
    assert cleaned.found and cleaned.scale == 1.0
    rows, cols = np.nonzero(cleaned.ink > 0.5)
    box = np.array([rows.min(), rows.max(), cols.min(), cols.max()])
    # the stroke, give or take the pixel its edge's blur puts under the threshold
    assert np.abs(box - [100, 199, 140, 159]).max() <= 1
    assert cleaned.ink[:, :120].max() == 0.0 and cleaned.ink[:, 180:].max() == 0.0


def test_otsu_threshold_splits_two_levels():
    values = np.concatenate([np.full(900, 0.1), np.full(100, 0.7)]).astype(np.float32)
    assert 0.1 < otsu_threshold(values) < 0.7


def test_ruled_lines_finds_long_thin_lines_not_strokes():
    mask = np.zeros((200, 200), bool)
    mask[50, :] = mask[51, :] = True  # a 2-px ruled line across the sheet
    mask[20:180, 90:104] = True  # a 14-px stroke crossing it
    mask[150:164, 10:190] = True  # a long but thick horizontal stroke
    lines = ruled_lines(mask)
    assert lines[50, :85].all() and lines[51, 110:].all()
    assert not lines[20:48, 90:104].any() and not lines[150:164].any()


def test_the_generator_is_seeded_and_photo_sized():
    digit = np.zeros((28, 28), np.uint8)
    digit[6:22, 12:16] = 255
    first = render_photos(np.stack([digit, digit]), HARDEST, seed=3)
    again = render_photos(np.stack([digit, digit]), HARDEST, seed=3)
    other = render_photos(np.stack([digit, digit]), HARDEST, seed=4)
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], other[0])
    assert not np.array_equal(first[0].shape, first[1].shape) or not np.array_equal(first[0], first[1])
    for photo in first:
        assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3
        assert MIN_SIDE <= photo.shape[0] == photo.shape[1] <= MAX_SIDE


def test_the_generator_refuses_unknown_conditions_and_non_mnist_input():
    with pytest.raises(PhotoConditionError, match="unknown photo condition 'fog'.*hardest"):
        render_photos(np.zeros((1, 28, 28), np.uint8), "fog")
    with pytest.raises(ValueError, match=r"\(n, 28, 28\) uint8"):
        render_photos(np.zeros((1, 28, 28), np.float32), "plain")


def test_digit_image_keeps_its_old_fields_first():
    # Pages and the CLI build nothing themselves, but the first four fields keep their order.
    fields = list(DigitImage.__dataclass_fields__)
    assert fields[:4] == ["pixels", "is_empty", "ink_fraction", "bbox"]
    assert fields[4:] == ["seen", "empty_reason"]
