"""core/vision/prediction.py and core/vision/shipped_model.py: drawing -> 28x28 -> probabilities, fast."""

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.engine.model_io import SavedModel, load_model, model_to_bytes
from core.engine.network import Network
from core.vision.digits import to_model_input
from core.vision.prediction import (
    DigitModelError,
    check_digit_model,
    describe_model,
    digit_shape_problem,
    predict_digit,
    predict_upload,
)
from core.vision.shipped_model import SHIPPED_MODEL_PATH, load_shipped_model
from core.vision.uploads import ImageUploadError

SIDE = 280
WHITE = (255, 255, 255, 255)


def canvas(draw) -> np.ndarray:
    """A 280x280 RGBA canvas like the Draw page's: opaque black, white strokes."""
    image = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))
    draw(ImageDraw.Draw(image))
    return np.asarray(image)


DRAWINGS = {
    "1": lambda d: d.line([(140, 50), (140, 230)], fill=WHITE, width=18),
    "0": lambda d: d.ellipse([85, 45, 195, 235], outline=WHITE, width=18),
    "7": lambda d: (
        d.line([(80, 60), (200, 60)], fill=WHITE, width=18),
        d.line([(200, 60), (120, 230)], fill=WHITE, width=18),
    ),
}


@pytest.fixture(scope="module")
def shipped():
    return load_shipped_model()


def test_shipped_model_path_is_inside_the_repository_and_loads(shipped):
    assert SHIPPED_MODEL_PATH.name == "mnist-mlp.npz"
    assert SHIPPED_MODEL_PATH.parent.name == "models"
    assert SHIPPED_MODEL_PATH.is_file()
    assert isinstance(shipped, SavedModel)
    assert shipped.input_shape == [28, 28]
    assert shipped.network.n_inputs == 784 and shipped.network.n_outputs == 10
    check_digit_model(shipped)  # no exception


@pytest.mark.parametrize("label", sorted(DRAWINGS))
def test_clear_drawings_are_read_correctly(shipped, label):
    prediction = predict_digit(shipped, canvas(DRAWINGS[label]))
    assert not prediction.is_empty
    assert prediction.predicted_class == label
    assert prediction.confidence > 0.5
    assert prediction.probabilities.shape == (10,)
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_empty_canvas_is_never_a_guess(shipped):
    for image in (canvas(lambda d: None), np.zeros((SIDE, SIDE, 4), np.uint8)):
        prediction = predict_digit(shipped, image)
        assert prediction.is_empty
        assert prediction.probabilities is None
        assert prediction.predicted_class is None and prediction.confidence is None
        assert prediction.hidden_activations == ()


def test_activations_follow_the_architecture_and_match_the_network(shipped):
    prediction = predict_digit(shipped, canvas(DRAWINGS["7"]))
    hidden_sizes = shipped.network.layer_sizes[1:-1]  # whatever the shipped model's sizes are
    assert [a.shape for a in prediction.hidden_activations] == [(n,) for n in hidden_sizes]
    # Same numbers as feeding the preprocessed digit the way the CLI does (pixel / 255 scaling).
    expected = shipped.network.predict_proba(to_model_input(prediction.digit.pixels))[0]
    np.testing.assert_allclose(prediction.probabilities, expected, rtol=1e-5, atol=1e-6)
    assert prediction.digit.pixels.shape == (28, 28)


def test_prediction_including_preprocessing_takes_under_20_ms(shipped):
    image = canvas(DRAWINGS["7"])
    predict_digit(shipped, image)  # warm-up: first use of PIL's resampler
    timings = []
    for _ in range(30):
        started = time.perf_counter()
        predict_digit(shipped, image)
        timings.append((time.perf_counter() - started) * 1e3)
    assert float(np.median(timings)) < 20.0, f"median {np.median(timings):.1f} ms"


def test_upload_of_dark_ink_on_paper(shipped):
    image = Image.new("RGB", (300, 400), "white")
    ImageDraw.Draw(image).line([(150, 60), (150, 340)], fill="black", width=24)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    prediction = predict_upload(shipped, buffer.getvalue())
    assert prediction.predicted_class == "1"


def test_bad_uploads_are_refused_with_a_message(shipped):
    with pytest.raises(ImageUploadError, match="empty"):
        predict_upload(shipped, b"")
    with pytest.raises(ValueError):
        predict_upload(shipped, b"GIF89a not a png or jpeg at all")


def test_models_that_cannot_read_28x28_digits_are_refused():
    small = SavedModel(Network([64, 16, 10]), [str(i) for i in range(10)], [8, 8], 1 / 255)
    with pytest.raises(DigitModelError, match="28x28"):
        predict_digit(small, canvas(DRAWINGS["1"]))
    regression = SavedModel(Network([784, 1], output="linear_mse"), [], [28, 28], 1 / 255)
    with pytest.raises(DigitModelError, match="classifier"):
        check_digit_model(regression)


def test_a_model_without_hidden_layers_and_custom_class_names_works():
    network = Network([784, 3], rng=1)
    model = load_model(model_to_bytes(SavedModel(network, ["a", "b", "c"], [28, 28], 1 / 255)))
    prediction = predict_digit(model, canvas(DRAWINGS["1"]))
    assert prediction.hidden_activations == ()
    assert prediction.predicted_class in ("a", "b", "c")


def test_which_image_shapes_the_draw_page_can_use():
    assert digit_shape_problem((28, 28)) is None
    assert digit_shape_problem([28, 28]) is None
    assert digit_shape_problem((8, 8)) == (
        "The Draw page feeds the network 28×28 images; this one was trained on 8×8 images."
    )


def test_describe_model_says_what_the_provenance_records():
    network = Network([784, 16, 10], rng=1)
    bare = SavedModel(network, [str(i) for i in range(10)], [28, 28], 1 / 255)
    assert describe_model(bare) == "layers 784-16-10"
    bare.provenance = {
        "test_accuracy": 0.9712,
        "n_test": 10000,
        "n_train": 54000,
        "epochs": 5,
        "augment": True,
    }
    assert describe_model(bare) == (
        "test accuracy **97.1%** on 10,000 images, trained on 54,000 images for 5 epochs "
        "with augmentation, layers 784-16-10"
    )
    bare.provenance = {"n_train": 200}
    assert describe_model(bare) == "trained on 200 images, layers 784-16-10"
