"""Teaching the network a student's digit style (core/vision/teaching.py), measured on real MNIST.

The style: a "1" written with a long flag and a base (as many people write it), rendered with PIL
strokes like a mouse drawing and run through the Draw page's preprocessing. The shipped model
mostly reads it as a 2; after 5 examples, unseen variants of the same style must read as 1, while
accuracy on the shipped model's held-out 1,000 real MNIST images drops by at most 1 point.
"""

import hashlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.data.mnist import load_mnist
from core.vision.digits import preprocess_drawn_digit
from core.vision.shipped_model import SHIPPED_MODEL_PATH, load_shipped_model
from core.vision.teaching import TeachingError, teach
from tests.paths import MNIST_5K_DIR as MNIST_5K


def render(strokes, width: int) -> np.ndarray:
    """White strokes on a black 280x280 canvas -> the 28x28 digit the network sees."""
    image = Image.new("L", (280, 280), 0)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line(stroke, fill=255, width=width, joint="curve")
    return preprocess_drawn_digit(np.asarray(image)).pixels


def flagged_ones(count: int, seed: int) -> np.ndarray:
    """Hand-jittered "1"s with a long flag and a base."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        j = lambda: rng.uniform(-10, 10)  # noqa: E731 - a wobble of the hand
        strokes = [
            [(80 + j(), 110 + j()), (150 + j(), 40 + j()), (150 + j(), 240 + j())],
            [(90 + j(), 240 + j()), (210 + j(), 240 + j())],
        ]
        out.append(render(strokes, int(rng.integers(14, 24))))
    return np.stack(out)


def predicted(model, pixels) -> np.ndarray:
    return model.network.predict(model.prepare_input(pixels * np.float32(255.0)))


@pytest.fixture(scope="module")
def held_out():
    if not MNIST_5K.is_dir():
        pytest.skip(f"the real MNIST images the shipped model was trained on are not here ({MNIST_5K})")
    model = load_shipped_model()
    # The shipped model's metadata records the split: with only training files, load_mnist holds out
    # a stratified 20 % with this seed, exactly as `python -m core train` did.
    dataset = load_mnist(data_dir=MNIST_5K, download=False, seed=int(model.provenance["seed"]))
    assert len(dataset.y_test) == model.provenance["n_test"] == 1000
    return dataset


def accuracy(model, images, labels) -> float:
    return float(np.mean(model.network.predict(model.prepare_input(images)) == labels))


def test_five_examples_teach_the_style_without_forgetting_mnist(held_out):
    model = load_shipped_model()
    params_before = model.network.params.copy()
    file_hash = hashlib.sha256(SHIPPED_MODEL_PATH.read_bytes()).hexdigest()
    examples = flagged_ones(5, seed=1)
    unseen = flagged_ones(40, seed=99)
    assert np.mean(predicted(model, unseen) == 1) < 0.5, "the style must be misread first"
    base_accuracy = accuracy(model, held_out.X_test, held_out.y_test)
    # The recorded test accuracy is on these very images: the rebuilt split is the real one.
    assert base_accuracy == pytest.approx(model.provenance["test_accuracy"], abs=1e-9)

    result = teach(model, examples, np.ones(5, dtype=np.int64), held_out.X_train, held_out.y_train)

    assert np.mean(predicted(result.model, unseen) == 1) >= 0.9
    assert np.all(result.after_predicted == 1)
    assert accuracy(result.model, held_out.X_test, held_out.y_test) >= base_accuracy - 0.01
    assert result.n_replay == 1000
    # The original is untouched: same weights in memory, same bytes on disk.
    np.testing.assert_array_equal(model.network.params, params_before)
    assert hashlib.sha256(SHIPPED_MODEL_PATH.read_bytes()).hexdigest() == file_hash
    np.testing.assert_allclose(result.before, model.probabilities(model.prepare_input(examples * 255)))
    assert "test_accuracy" not in result.model.provenance
    assert result.model.provenance["taught"]["examples"] == 5


def test_without_mnist_images_the_style_is_still_learned_gently(held_out):
    # No replay: fewer, smaller steps keep the forgetting within the same 1-point budget.
    model = load_shipped_model()
    result = teach(model, flagged_ones(5, seed=1), np.ones(5, dtype=np.int64))
    assert result.n_replay == 0
    assert np.mean(predicted(result.model, flagged_ones(40, seed=99)) == 1) >= 0.9
    base_accuracy = accuracy(model, held_out.X_test, held_out.y_test)
    assert accuracy(result.model, held_out.X_test, held_out.y_test) >= base_accuracy - 0.01


def test_shared_cached_model_object_is_not_changed():
    model = load_shipped_model()
    before = model.network.params.copy()
    result = teach(model, flagged_ones(2, seed=3), np.array([1, 1]))
    assert result.model.network is not model.network
    assert not np.shares_memory(result.model.network.params, model.network.params)
    np.testing.assert_array_equal(model.network.params, before)


@pytest.mark.parametrize(
    ("pixels", "labels", "message"),
    [
        (np.zeros((0, 28, 28)), np.zeros(0, dtype=int), "28x28"),
        (np.zeros((1, 8, 8)), np.zeros(1, dtype=int), "28x28"),
        (np.zeros((1, 28, 28)), np.array([10]), "labels must be 0 to 9"),
        (np.zeros((2, 28, 28)), np.array([1]), "one whole-number label"),
        (np.full((1, 28, 28), np.nan), np.array([1]), "in \\[0, 1\\]"),
    ],
)
def test_bad_examples_are_refused_clearly(pixels, labels, message):
    with pytest.raises(TeachingError, match=message):
        teach(load_shipped_model(), pixels, labels)
