"""Load a model file on the Draw and MNIST pages (AppTest): every refusal is one clear message,
a good file is used (Draw) or scored on the loaded test images and sent to the Draw page (MNIST)."""

import io
import json
import zipfile

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.session_keys import DRAW_MODEL_KEY, DRAW_MODEL_LABEL_KEY
from core.engine.model_io import SavedModel, model_to_bytes
from core.engine.network import Network
from core.vision.shipped_model import SHIPPED_MODEL_PATH, load_shipped_model
from tests.pages import test_draw as draw_tests
from tests.pages import test_mnist as mnist_tests
from tests.pages.test_draw import PAGE as DRAW_PAGE
from tests.pages.test_draw import SEVEN, prediction
from tests.pages.test_mnist import PAGE as MNIST_PAGE
from tests.pages.test_mnist import TIMEOUT, load_tiny

# The other page tests' fixtures: the fake drawing canvas, and a tiny IDX folder made a data root.
canvas = draw_tests.canvas
tiny_idx_folder = mnist_tests.tiny_idx_folder
tiny_folder_is_a_data_root = mnist_tests.tiny_folder_is_a_data_root


def _npz_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def small_model(sizes=(4, 5, 3)) -> SavedModel:
    return SavedModel(Network(list(sizes), "relu", "softmax_ce", "he", rng=1), class_names=["a", "b", "c"])


def with_nan() -> bytes:
    model = small_model()
    model.network.layers[0].weights[0, 0] = np.nan
    return model_to_bytes(model)


def pickled() -> bytes:
    members = _npz_members(model_to_bytes(small_model()))
    members["W1.npy"] = _npy(np.array([{"x": 1}], dtype=object), allow_pickle=True)
    return _zip(members)


def wrong_shape() -> bytes:
    members = _npz_members(model_to_bytes(small_model()))
    members["W1.npy"] = _npy(np.zeros((3, 3), dtype=np.float32))
    return _zip(members)


def too_many_layers() -> bytes:
    model = small_model()
    meta = model.metadata()
    meta["architecture"] = dict(meta["architecture"], layer_sizes=[4] * 30 + [3])
    return _zip({"metadata.npy": _npy(np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))})


REFUSALS = [
    (b"hello, I am not a model", "is not a zip archive"),
    (pickled, "pickled Python objects"),
    (wrong_shape, "has shape (3, 3)"),
    (with_nan, "NaN or infinite"),
    (too_many_layers, "30 layers; this app loads at most 16"),
    (lambda: model_to_bytes(small_model()), "cannot read drawn digits"),  # valid, but 4 inputs
]


@pytest.mark.parametrize(("data", "message"), REFUSALS)
def test_each_refusal_is_one_clear_message_on_the_draw_page(canvas, data, message):
    canvas.image = SEVEN
    at = AppTest.from_file(DRAW_PAGE, default_timeout=TIMEOUT).run()
    at.file_uploader(key="draw_model_upload").set_value(
        ("mine.npz", data() if callable(data) else data, "application/octet-stream")
    ).run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]  # plain_text escapes Markdown with "\"
    assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0].strip()
    assert prediction(at).value == "7"  # still the shipped model
    assert DRAW_MODEL_KEY not in at.session_state


def test_a_good_model_file_is_used_on_the_draw_page(canvas):
    always_three = load_shipped_model()
    always_three.network.layers[-1].weights[:] = 0
    always_three.network.layers[-1].bias[:] = 0
    always_three.network.layers[-1].bias[3] = 10
    canvas.image = SEVEN
    at = AppTest.from_file(DRAW_PAGE, default_timeout=TIMEOUT).run()
    at.file_uploader(key="draw_model_upload").set_value(
        ("three.npz", model_to_bytes(always_three), "application/octet-stream")
    ).run()
    assert not at.exception and not at.error
    assert prediction(at).value == "3"
    assert at.session_state[DRAW_MODEL_LABEL_KEY] == "three.npz"
    assert any("three.npz" in i.value.replace("\\", "") for i in at.info)


def test_the_mnist_page_scores_a_loaded_model_and_sends_it_to_draw(tiny_idx_folder):
    at = AppTest.from_file(MNIST_PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.file_uploader(key="mnist_model_upload").set_value(
        ("shipped.npz", SHIPPED_MODEL_PATH.read_bytes(), "application/octet-stream")
    ).run()
    assert not at.exception and not at.error
    dataset = at.session_state["mnist_dataset"]
    model = load_shipped_model()
    expected = np.mean(model.network.predict(model.prepare_input(dataset.X_test)) == dataset.y_test)
    metric = [m for m in at.metric if m.label == "Test accuracy of the loaded model"][0]
    assert metric.value == f"{expected:.2%}"
    at.button(key="mnist_upload_to_draw").click().run()
    assert isinstance(at.session_state[DRAW_MODEL_KEY], SavedModel)
    assert at.session_state[DRAW_MODEL_LABEL_KEY] == "shipped.npz"


def test_the_mnist_page_says_why_a_model_cannot_be_scored(tiny_idx_folder):
    at = AppTest.from_file(MNIST_PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.file_uploader(key="mnist_model_upload").set_value(
        ("small.npz", model_to_bytes(small_model()), "application/octet-stream")
    ).run()
    assert not at.exception
    assert any("reads 4 inputs" in w.value.replace("\\", "") for w in at.warning)
    assert at.button(key="mnist_upload_to_draw").disabled
    at.file_uploader(key="mnist_model_upload").set_value(
        ("bad.npz", b"not a zip", "application/octet-stream")
    ).run()
    assert any("not a zip archive" in e.value.replace("\\", "") for e in at.error)
