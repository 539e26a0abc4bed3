"""The MNIST page in Streamlit's AppTest: load a tiny local IDX data set, train, see the results."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.session_keys import DRAW_MODEL_KEY
from core.data import DownloadError, read_idx, write_idx
from core.engine.model_io import SavedModel
from core.mnist import datasets as image_datasets
from tests.paths import MNIST_5K_DIR as MNIST_5K
from tests.paths import REPO_ROOT, mnist_5k_available

PAGE = str(REPO_ROOT / "app_pages" / "mnist.py")
TIMEOUT = 60


def _digits(n_train: int, n_test: int):
    """Real MNIST digits from the shared 5k subset when this checkout has it, else synthetic
    28x28 patterns (a bar per class) so the test also runs anywhere."""
    if mnist_5k_available():
        images = read_idx(MNIST_5K / "train-images-idx3-ubyte.gz")
        labels = read_idx(MNIST_5K / "train-labels-idx1-ubyte.gz")
        order = np.random.default_rng(0).permutation(len(labels))[: n_train + n_test]
        images, labels = images[order], labels[order]
    else:
        labels = np.arange(n_train + n_test, dtype=np.uint8) % 10
        images = (np.random.default_rng(0).random((labels.size, 28, 28)) * 50).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 3 + 2 * label : 5 + 2 * label, 4:24] = 255
    return images[:n_train], labels[:n_train], images[n_train:], labels[n_train:]


@pytest.fixture(scope="module")
def tiny_idx_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-mnist")
    X, y, X_test, y_test = _digits(200, 100)
    write_idx(folder / "train-images-idx3-ubyte", X)
    write_idx(folder / "train-labels-idx1-ubyte", y)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", X_test)  # .gz works too
    write_idx(folder / "t10k-labels-idx1-ubyte", y_test)
    return folder


@pytest.fixture(autouse=True)
def tiny_folder_is_a_data_root(tiny_idx_folder, monkeypatch):
    """The page loads folders only inside the operator's data roots: make the tiny set's parent one."""
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA_ROOTS", str(tiny_idx_folder.parent))


def chart_specs(at) -> list[str]:
    """The Plotly JSON of every chart on the page (AppTest shows charts as unknown elements)."""
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def has_chart(at, title_part: str) -> bool:
    return any(
        title_part in json.loads(spec)["layout"].get("title", {}).get("text", "") for spec in chart_specs(at)
    )


def load_tiny(at, folder) -> None:
    at.radio(key="mnist_source").set_value("Local folder").run()
    at.text_input(key="mnist_folder").set_value(str(folder)).run()
    at.button(key="mnist_load_folder").click().run()


def test_page_asks_for_data_first():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("Load a data set" in info.value for info in at.info)
    assert not at.metric


def test_train_on_a_tiny_idx_folder_and_see_the_results(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    assert not at.exception and not at.error
    assert "200 training and 100 test images" in at.success[0].value
    at.text_input(key="mnist_hidden").set_value("32").run()
    at.number_input(key="mnist_epochs").set_value(2).run()
    at.checkbox(key="mnist_augment").check().run()
    at.button(key="mnist_play").click().run()  # one tick trains the 2 epochs, then a full rerun
    assert not at.exception and not at.error

    run = at.session_state["mnist_run"]
    assert run.finished and run.epoch == 2 and not at.session_state["mnist_playing"]
    assert run.config.hidden_layers == (32,) and run.config.augment
    labels = {m.label: m.value for m in at.metric}
    assert labels["Epochs done"] == "2 / 2"
    assert labels["Test accuracy"].endswith("%")
    assert [tab.label for tab in at.tabs] == [
        "Confusion matrix",
        "Mistakes",
        "First-layer weights",
        "Robustness",
        "Hidden-layer map",
        "Save / use",
    ]
    assert has_chart(at, "Confusion matrix")
    assert has_chart(at, "Accuracy per class")
    assert has_chart(at, "Misclassified test images")  # 2 epochs on 180 images: mistakes exist
    assert has_chart(at, "First-layer weights")
    assert has_chart(at, "Robustness probe")
    assert has_chart(at, "PCA to 2-D")
    assert has_chart(at, "Mini-batch loss")

    # The gallery shows the most confident mistakes, with true label, prediction and confidence.
    gallery = next(json.loads(s) for s in chart_specs(at) if "Misclassified" in s)
    first = run.evaluate().mistakes[0]
    assert gallery["layout"]["annotations"][0]["text"] == (
        f"true {first.true_class} → {first.predicted_class} ({first.confidence:.0%})"
    )

    # Send the model to the Draw page.
    at.button(key="mnist_use_on_draw").click().run()
    model = at.session_state[DRAW_MODEL_KEY]
    assert isinstance(model, SavedModel) and model.input_shape == [28, 28]
    assert model.provenance["test_accuracy"] == pytest.approx(run.evaluate().accuracy, abs=1e-5)
    assert any("Draw page now uses this model" in s.value for s in at.success)
    assert at.button(key="mnist_play").disabled  # finished: Start over to train again

    at.button(key="mnist_reset").click().run()
    assert at.session_state["mnist_run"] is None and not at.exception


def test_pause_keeps_the_run_and_results_show_for_the_current_weights(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.number_input(key="mnist_epochs").set_value(100).run()
    at.text_input(key="mnist_hidden").set_value("512,512").run()
    at.select_slider(key="mnist_batch").set_value(16).run()
    at.button(key="mnist_play").click().run()
    run = at.session_state["mnist_run"]
    # One 300 ms tick trains a few epochs of a 512-512 network, far from 100.
    assert run.started and not run.finished
    assert at.session_state["mnist_playing"]
    assert not has_chart(at, "Confusion matrix")  # results wait until training pauses
    at.button(key="mnist_pause").click().run()
    assert not at.session_state["mnist_playing"]
    assert at.session_state["mnist_run"] is run
    assert at.button(key="mnist_play").label == "▶ Resume"
    assert any("paused" in c.value for c in at.caption)
    assert has_chart(at, "Confusion matrix") and not at.exception
    epochs = run.epoch
    at.button(key="mnist_play").click().run()  # resume: the same run trains on
    assert at.session_state["mnist_run"] is run and run.epoch >= epochs


def test_bad_settings_show_an_error_and_disable_training(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.text_input(key="mnist_hidden").set_value("12x").run()
    assert any("whole numbers" in e.value for e in at.error)
    assert at.button(key="mnist_play").disabled
    assert not at.exception


def test_a_missing_folder_is_an_error_message_not_a_traceback(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder.parent / "nowhere")
    assert not at.exception
    assert any("no such folder inside the server" in e.value for e in at.error)
    assert at.session_state["mnist_dataset"] is None


def test_a_failed_download_is_an_error_message(monkeypatch):
    def offline(name, cache_dir=None, progress=None, mirrors=None, timeout=30):
        progress("train-images-idx3-ubyte.gz", 0, 9_912_422)  # the bar starts, then it fails
        raise DownloadError("Could not download train-images-idx3-ubyte.gz: no network")

    monkeypatch.setattr(image_datasets, "download_dataset", offline)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.button(key="mnist_download").click().run()
    assert not at.exception
    assert any("no network" in e.value for e in at.error)


def test_the_offline_8x8_digits_load_and_cannot_go_to_the_draw_page():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.radio(key="mnist_source").set_value("8×8 digits (offline)").run()
    at.button(key="mnist_load_digits").click().run()
    at.number_input(key="mnist_epochs").set_value(1).run()
    at.button(key="mnist_play").click().run()
    assert not at.exception
    assert at.session_state["mnist_dataset"].image_shape == (8, 8)
    # One 300 ms tick trains one epoch of 1,437 tiny images many times over: the results show.
    assert at.session_state["mnist_run"].finished
    button = at.button(key="mnist_use_on_draw")
    assert button.disabled
    assert "trained on 8×8 images" in button.help
