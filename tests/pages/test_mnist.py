"""The MNIST page in Streamlit's AppTest: load a tiny local IDX data set, train, see the results."""

import json
import re
import shutil
import time
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


def open_tab(at, label: str) -> None:
    """Click a results tab (AppTest has no tab click: the tabs' key holds the open one)."""
    at.session_state["mnist_result_tabs"] = label
    at.run()


def finish_training(at) -> None:
    """Train the page's run to its end as its slices would (AppTest does not run the fragment's
    timer), then let the page run: the finished run shows its results."""
    run = at.session_state["mnist_run"]
    while not run.finished:
        run.train_slice(1_000)
    at.run()


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
    at.button(key="mnist_play").click().run()
    assert not at.exception and not at.error
    finish_training(at)

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
        "Runs",
    ]
    assert has_chart(at, "Confusion matrix")
    assert has_chart(at, "Accuracy per class")
    assert has_chart(at, "Mini-batch loss")
    # The tabs are lazy: a tab's charts are computed only once it is opened.
    assert not has_chart(at, "Robustness probe")
    for tab, title in [
        ("Mistakes", "Misclassified test images"),  # 2 epochs on 180 images: mistakes exist
        ("First-layer weights", "First-layer weights"),
        ("Robustness", "Robustness probe"),
        ("Hidden-layer map", "PCA to 2-D"),
    ]:
        open_tab(at, tab)
        assert has_chart(at, title) and not has_chart(at, "Confusion matrix"), tab

    # The gallery shows the most confident mistakes, with true label, prediction and confidence.
    open_tab(at, "Mistakes")
    gallery = next(json.loads(s) for s in chart_specs(at) if "Misclassified" in s)
    first = run.evaluate().mistakes[0]
    assert gallery["layout"]["annotations"][0]["text"] == (
        f"true {first.true_class} → {first.predicted_class} ({first.confidence:.0%})"
    )

    # Send the model to the Draw page.
    open_tab(at, "Save / use")
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
    # One 120 ms slice trains a little of a 512-512 network, far from 100 epochs.
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
    at.radio(key="mnist_source").set_value("Download (MNIST / Fashion-MNIST)").run()
    at.button(key="mnist_download").click().run()
    assert not at.exception
    [error] = at.error
    assert "no network" in error.value
    # It points at the two sources on this page that work offline.
    assert "**Local folder**" in error.value and "**8×8 digits (offline)**" in error.value


def test_the_offline_8x8_digits_load_and_cannot_go_to_the_draw_page():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.radio(key="mnist_source").set_value("8×8 digits (offline)").run()
    at.button(key="mnist_load_digits").click().run()
    at.number_input(key="mnist_epochs").set_value(1).run()
    at.button(key="mnist_play").click().run()
    assert not at.exception
    assert at.session_state["mnist_dataset"].image_shape == (8, 8)
    finish_training(at)
    assert at.session_state["mnist_run"].finished and has_chart(at, "Confusion matrix")
    open_tab(at, "Save / use")
    button = at.button(key="mnist_use_on_draw")
    assert button.disabled
    assert "trained on 8×8 images" in button.help


# ----------------------------------------------------------------------------- the live view
def live_curves_data(at):
    """The data the live curves component got in this run, or None when it is not on the page."""
    found = at.get("bidi_component")
    return json.loads(found[0].proto.json) if found else None


def test_while_playing_the_curves_are_a_canvas_and_when_paused_plotly(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.number_input(key="mnist_epochs").set_value(100).run()
    at.text_input(key="mnist_hidden").set_value("256").run()
    at.select_slider(key="mnist_batch").set_value(16).run()
    at.button(key="mnist_play").click().run()
    run = at.session_state["mnist_run"]
    assert at.session_state["mnist_playing"] and not run.finished
    data = live_curves_data(at)
    assert data["playing"] and data["epochs_total"] == 100
    epochs, losses = run.batch_loss_curve(300)
    assert data["batch"]["x"] == pytest.approx(list(epochs), rel=1e-3)
    assert data["batch"]["y"] == pytest.approx(list(losses), rel=1e-3)
    assert data["epoch"]["x"] == [r.epoch for r in run.history]
    assert not has_chart(at, "Mini-batch loss")  # no Plotly figure is rebuilt per slice

    at.button(key="mnist_pause").click().run()
    assert live_curves_data(at) is None
    assert has_chart(at, "Mini-batch loss")
    assert any("Loss per epoch" in spec for spec in chart_specs(at))  # a subplot title


def test_a_slice_trains_about_120_ms():
    """Pause and Resume wait at most one slice: it ends after its 120 ms, give or take a
    mini-batch (the median of a few, so one slow moment of a shared machine does not count)."""
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.radio(key="mnist_source").set_value("8×8 digits (offline)").run()
    at.button(key="mnist_load_digits").click().run()
    at.number_input(key="mnist_epochs").set_value(100).run()
    at.text_input(key="mnist_hidden").set_value("512,512").run()  # an epoch takes several slices
    at.select_slider(key="mnist_batch").set_value(16).run()
    at.button(key="mnist_play").click().run()
    run = at.session_state["mnist_run"]
    durations = []
    for _ in range(5):
        started = time.perf_counter()
        run.train_slice(120)
        durations.append((time.perf_counter() - started) * 1000)
    assert 115 <= sorted(durations)[2] < 240, durations
    assert not run.finished


# ----------------------------------------------------------------------------- offline first
def test_the_page_opens_on_a_local_folder_it_finds(tiny_idx_folder, tmp_path, monkeypatch):
    shutil.copytree(tiny_idx_folder, tmp_path / "class-data" / "digits")  # one level down in the root
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA_ROOTS", str(tmp_path))
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert at.radio(key="mnist_source").value == "Local folder"
    shown = at.text_input(key="mnist_folder").value
    assert shown.endswith("class-data/digits") and not shown.startswith("/")  # relative to the app
    assert any("Works offline" in c.value for c in at.caption)
    at.button(key="mnist_load_folder").click().run()
    assert "200 training and 100 test images" in at.success[0].value and not at.exception


def test_without_a_local_folder_the_page_opens_on_the_bundled_digits(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA_ROOTS", str(tmp_path))  # an empty data root
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert at.radio(key="mnist_source").value == "8×8 digits (offline)"
    assert any("ship with scikit-learn" in c.value for c in at.caption)
    at.radio(key="mnist_source").set_value("Local folder").run()
    assert any("No IDX folder was found" in c.value for c in at.caption)
    at.radio(key="mnist_source").set_value("Download (MNIST / Fashion-MNIST)").run()
    assert any("reach the internet" in c.value for c in at.caption)


# ----------------------------------------------------------------------------- classroom challenges
@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    monkeypatch.setenv("NEURAL_PLAYGROUND_DB_URL", url)
    return url


def start_mnist_challenge(student, key: str):
    """Press the challenge's button on the Classroom page: the student lands on the MNIST page."""
    student.button(key=f"classroom_start_{key}").click().run()
    assert not student.exception, [e.value for e in student.exception]
    # AppTest runs the page it was last switched to: stay on the MNIST page, as the browser does.
    student.switch_page("app_pages/mnist.py")
    assert student.title[0].value.startswith("🔢 MNIST")
    return student


def test_an_mnist_challenge_is_checked_on_the_pages_run_and_reaches_the_board(db_url):
    from core.classroom.store import Store
    from tests.pages.test_classroom import captions, create_class, join, join_code, shown

    teacher, secret = create_class("Digits", ["digits-under-50k"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start_mnist_challenge(join(code, "Ada"), "digits-under-50k")
    state = student.session_state
    assert [e.label for e in student.expander] == [
        "🏫 Challenge: 95 % with fewer than 50,000 parameters",
        "📂 Load a saved model",
    ]
    assert state["mnist_dataset"].name == "digits-8x8"  # the challenge's images, loaded
    assert student.button(key="classroom_check").disabled  # nothing trained yet
    slider = next(s for s in student.slider if s.label == "Training images")
    assert slider.disabled and not student.text_input(key="mnist_hidden").disabled  # locked vs editable

    # The defaults (5 epochs) are the known non-solution of tests/classroom/test_challenges.py.
    student.button(key="mnist_play").click().run()
    finish_training(student)
    student.button(key="classroom_check").click().run()
    assert not student.exception
    assert "Not yet" in shown(student.warning[0].value)

    # The known solution: 10 epochs at a learning rate of 0.003 (test accuracy about 0.967).
    student.button(key="mnist_reset").click().run()
    student.number_input(key="mnist_epochs").set_value(10).run()
    student.select_slider(key="mnist_lr").set_value(0.003).run()
    student.button(key="mnist_play").click().run()
    finish_training(student)
    run = state["mnist_run"]
    assert run.config.n_train == 10_000 and run.config.learning_rate == 0.003  # the lock held
    student.button(key="classroom_check").click().run()
    assert not student.exception
    solved = shown(student.success[0].value)
    assert solved.startswith("Solved! Test accuracy ≥ 0.95 and parameters < 50,000"), solved
    assert "Sent to the board of Digits as Ada." in captions(student)

    teacher.run()
    board = teacher.dataframe[0].value
    assert list(board["Student"]) == ["Ada"] and list(board["Solved"]) == ["✓"]
    assert board["Best score"][0] == pytest.approx(0.967, abs=0.03) and list(board["Epochs"]) == [10]
    assert list(board["Parameters"]) == [9_610]


def test_a_locked_setting_changed_by_hand_does_not_count(db_url):
    from core.classroom.store import Store
    from tests.pages.test_classroom import create_class, join, join_code

    teacher, secret = create_class("Linear digits", ["digits-linear"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start_mnist_challenge(join(code, "Bo"), "digits-linear")
    assert student.checkbox(key="mnist_augment").disabled  # digits-linear locks augmentation
    student.session_state["mnist_augment"] = True  # a forged widget value
    student.text_input(key="mnist_hidden").set_value("none").run()
    student.button(key="mnist_play").click().run()
    assert not student.session_state["mnist_run"].config.augment  # forced back to the challenge's
    student.button(key="classroom_leave").click().run()
    assert [e.label for e in student.expander] == ["📂 Load a saved model"]  # no challenge any more
    assert not student.checkbox(key="mnist_augment").disabled


def test_a_challenge_on_other_images_says_so_and_loads_its_own(tiny_idx_folder):
    # Through app.py, as a student arrives (the panel links back to the Classroom page).
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["classroom_challenge"] = "digits-linear"  # started, as the Classroom page does
    at.run()
    at.switch_page("app_pages/mnist.py").run()
    load_tiny(at, tiny_idx_folder)  # the student loads other images
    assert any("checked on the 8×8 digits" in w.value for w in at.warning)
    at.button(key="mnist_challenge_data").click().run()
    assert at.session_state["mnist_dataset"].name == "digits-8x8"
    assert not any("checked on the 8×8 digits" in w.value for w in at.warning) and not at.exception


def test_digits_loaded_as_fashion_mnist_get_a_warning(tiny_idx_folder):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.radio(key="mnist_source").set_value("Local folder").run()
    at.text_input(key="mnist_folder").set_value(str(tiny_idx_folder)).run()
    at.selectbox(key="mnist_folder_name").set_value("fashion-mnist").run()
    at.button(key="mnist_load_folder").click().run()
    assert at.session_state["mnist_dataset"].name == "fashion-mnist" and not at.exception
    assert any("look like handwritten digits (MNIST), not clothing" in w.value for w in at.warning)
    at.selectbox(key="mnist_folder_name").set_value("mnist").run()
    at.button(key="mnist_load_folder").click().run()
    assert not at.warning


def test_a_settings_link_sets_the_widgets_and_loads_its_offline_data():
    """A teacher opens a student's MNIST submission: the link's settings fill the widgets and
    its offline data set is loaded; the widgets are the teacher's own again afterwards."""
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for key, value in {
        "hidden": "64,32",
        "act": "tanh",
        "opt": "sgd",
        "lr": "0.03",
        "batch": "128",
        "epochs": "9",
        "aug": "1",
        "data": "digits-8x8",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.warning
    assert at.text_input(key="mnist_hidden").value == "64, 32"
    assert at.selectbox(key="mnist_activation").value == "tanh"
    assert at.selectbox(key="mnist_optimizer").value == "sgd"
    assert at.select_slider(key="mnist_lr").value == 0.03
    assert at.select_slider(key="mnist_batch").value == 128
    assert at.number_input(key="mnist_epochs").value == 9
    assert at.checkbox(key="mnist_augment").value is True
    assert at.session_state["mnist_dataset"].name == "digits-8x8"
    at.text_input(key="mnist_hidden").set_value("16").run()  # the same link does not set them again
    assert at.text_input(key="mnist_hidden").value == "16"


def test_a_forged_settings_link_warns_once_per_bad_value_and_keeps_the_good_ones():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for key, value in {"hidden": "<img src=x onerror=alert(1)>", "lr": "50", "act": "tanh"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    # shown as text: plain_text escapes the Markdown, so the tag is never HTML
    warnings = [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]
    assert len(warnings) == 2
    assert "'<img src=x onerror=alert(1)>'" in warnings[0] and "\\<img" in at.warning[0].value
    assert warnings[0].startswith("Link: hidden: hidden layer sizes must be whole numbers")
    assert "lr: not one of" in warnings[1]
    # no data set yet, so the settings are not drawn: their values wait in session_state
    assert at.session_state["mnist_hidden"] == "128"  # the default
    assert at.session_state["mnist_activation"] == "tanh"
    at.run()
    assert not at.warning  # said once
