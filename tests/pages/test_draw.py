"""The Draw page in Streamlit's AppTest, with a fake drawing canvas.

The real canvas (streamlit-drawable-canvas) is a browser component that AppTest cannot draw on,
and it refuses to be imported outside a running app. So each test puts a fake module in
sys.modules: its st_canvas returns an object whose .image_data is the drawing the test chose.
The page imports the canvas inside its script, so it picks up the fake.
"""

import sys
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from app_pages.session_keys import DRAW_MODEL_KEY
from core.vision.shipped_model import load_shipped_model

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "draw.py")
TIMEOUT = 60
SIDE = 280


def drawing(*strokes) -> np.ndarray:
    """A canvas like the real one returns: RGBA, opaque black, white strokes of width 18."""
    image = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))
    draw = ImageDraw.Draw(image)
    for points in strokes:
        draw.line(points, fill=(255, 255, 255, 255), width=18, joint="curve")
    return np.asarray(image)


SEVEN = drawing([(80, 60), (200, 60), (120, 230)])
ONE = drawing([(140, 50), (140, 230)])


@pytest.fixture
def canvas(monkeypatch):
    """A fake streamlit_drawable_canvas; set canvas.image to what the user 'drew'."""
    fake = types.ModuleType("streamlit_drawable_canvas")
    fake.image = None
    fake.calls = []

    def st_canvas(**kwargs):
        fake.calls.append(kwargs)
        return types.SimpleNamespace(image_data=fake.image, json_data=None)

    fake.st_canvas = st_canvas
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas", fake)
    return fake


def prediction(at):
    metrics = [m for m in at.metric if m.label == "Prediction"]
    return metrics[0] if metrics else None


def test_empty_canvas_asks_for_a_digit_and_never_guesses(canvas):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert prediction(at) is None
    assert any("Draw a digit" in info.value for info in at.info)
    canvas.image = drawing()  # a black canvas, before any stroke
    at.run()
    assert prediction(at) is None
    assert any("Draw a digit" in info.value for info in at.info)


def test_canvas_is_set_up_for_mnist_like_drawings(canvas):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    call = canvas.calls[-1]
    assert call["return_image_data"] is True
    assert call["drawing_mode"] == "freedraw"
    assert call["background_color"] == "#000000" and call["stroke_color"] == "#FFFFFF"
    assert call["stroke_width"] == at.slider(key="draw_stroke").value
    at.slider(key="draw_stroke").set_value(30).run()
    assert canvas.calls[-1]["stroke_width"] == 30
    key = canvas.calls[-1]["key"]
    at.button(key="draw_clear").click().run()  # Clear = a brand-new canvas
    assert canvas.calls[-1]["key"] != key


@pytest.mark.parametrize("image, digit", [(SEVEN, "7"), (ONE, "1")])
def test_a_drawing_gets_a_prediction_with_probabilities(canvas, image, digit):
    canvas.image = image
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    metric = prediction(at)
    assert metric is not None and metric.value == digit
    assert metric.proto.delta.endswith("confident")
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert any("Probability of each class" in s for s in specs)
    assert any("What the network sees" in s for s in specs)
    assert any("Hidden-layer activations" in s for s in specs)
    assert any("ms on the server" in c.value for c in at.caption)
    assert any("shipped network" in c.value for c in at.caption)


def test_the_session_model_from_the_mnist_page_is_used(canvas):
    shipped = load_shipped_model()  # a separate copy, changed so it always answers "3"
    shipped.network.layers[-1].bias[:] = 0
    shipped.network.layers[-1].weights[:] = 0
    shipped.network.layers[-1].bias[3] = 10
    shipped.provenance = {"test_accuracy": 0.1, "n_train": 123, "epochs": 1}
    canvas.image = SEVEN
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state[DRAW_MODEL_KEY] = shipped
    at.run()
    assert prediction(at).value == "3"
    assert any("your network from the MNIST page" in i.value for i in at.info)
    at.button(key="draw_use_shipped").click().run()  # back to the shipped model
    assert prediction(at).value == "7"
    assert DRAW_MODEL_KEY not in at.session_state


def test_without_the_canvas_package_uploads_still_work(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas", None)  # import fails
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("canvas is not available" in w.value for w in at.warning)
    assert at.radio(key="draw_input").options == ["Upload a picture"]
    assert any("Upload a picture of a digit" in info.value for info in at.info)
    assert prediction(at) is None
