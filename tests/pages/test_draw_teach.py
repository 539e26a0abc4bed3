"""Teach it your digits on the Draw page, in AppTest with the fake canvas of tests/pages/test_draw.py.

A "1" with a long flag and a base, which the shipped model reads as a 2, is drawn, labelled 1 and
added 5 times (each a slightly different hand); Teach makes the page read it as 1, with the taught
copy in use, a before/after table and a download named after the run; "Back to the original model"
brings the 2 back. The shipped model object shared by every session is not changed.
"""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.vision.shipped_model import load_shipped_model
from tests.pages import test_draw as draw_tests
from tests.pages.test_draw import PAGE, TIMEOUT, drawing, prediction
from tests.paths import MNIST_5K_DIR

canvas = draw_tests.canvas  # the fake drawing canvas fixture of the Draw page tests


def flagged_one(shift: int) -> np.ndarray:
    return drawing(
        [(80 + shift, 110 - shift), (150 + shift, 40), (150 + shift, 240)],
        [(90 - shift, 240 + shift // 2), (210 + shift, 240 + shift // 2)],
    )


def add_example(at, canvas, image, label: str) -> None:
    canvas.image = image
    at.run()
    at.selectbox(key="draw_right_label").set_value(label).run()
    at.button(key="draw_add_example").click().run()


def test_five_examples_teach_the_page_to_read_a_flagged_one(canvas):
    if not MNIST_5K_DIR.is_dir():
        pytest.skip(f"no local MNIST images to mix in ({MNIST_5K_DIR})")
    unseen = flagged_one(6)
    canvas.image = unseen
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert prediction(at).value != "1", "the style must be misread first"
    for shift in (-12, -6, 0, 12, 18):
        add_example(at, canvas, flagged_one(shift), "1")
    assert len(at.session_state["draw_examples"]) == 5
    assert not at.exception
    assert any("real MNIST digits" in c.value for c in at.caption)

    at.button(key="draw_teach").click().run()
    assert not at.exception and not at.error
    canvas.image = unseen
    at.run()
    assert prediction(at).value == "1"
    assert any("taught your 5" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert list(table["your label"]) == ["1"] * 5 and all(a.startswith("1 ") for a in table["after"])
    download = at.get("download_button")
    assert download, "the taught model can be downloaded"

    taught_from = at.session_state["draw_taught_base"]
    np.testing.assert_array_equal(taught_from.network.params, load_shipped_model().network.params)

    at.button(key="draw_back_to_original").click().run()
    assert prediction(at).value != "1"
    assert "draw_taught" not in at.session_state


def test_examples_can_be_removed_from_the_gallery(canvas):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.run()
    add_example(at, canvas, flagged_one(0), "1")
    add_example(at, canvas, flagged_one(10), "7")
    labels = [label for _, label in at.session_state["draw_examples"]]
    assert labels == [1, 7]
    assert [image.proto.imgs[0].caption for image in at.get("image")][-2:] == ["a 1", "a 7"]
    at.button(key="draw_remove_0").click().run()
    assert [label for _, label in at.session_state["draw_examples"]] == [7]


def test_no_gallery_before_an_example_is_added(canvas):
    canvas.image = flagged_one(0)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("Add as example" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "draw_teach"]


def test_without_mnist_images_the_page_says_so_and_still_teaches(canvas, monkeypatch, tmp_path):
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA_ROOTS", str(tmp_path))  # data roots with no MNIST in them
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    for shift in (-12, 0, 12):
        add_example(at, canvas, flagged_one(shift), "1")
    assert any("Without real MNIST images" in w.value for w in at.warning)
    at.button(key="draw_teach").click().run()
    assert not at.exception and not at.error
    assert at.session_state["draw_taught"].n_replay == 0
    assert at.session_state["draw_taught"].model.provenance["taught"]["examples"] == 3
