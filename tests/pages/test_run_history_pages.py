"""The run history through AppTest: the Playground's "📚 Runs" tab and the MNIST page's "Runs"
result tab keep every run, show them side by side with the differing settings, restore one, and
download them."""

import json

from streamlit.testing.v1 import AppTest

from core.runs import from_json, to_json
from tests.pages.test_mnist import (  # noqa: F401
    PAGE,
    TIMEOUT,
    finish_training,
    load_tiny,
    open_tab,
    tiny_folder_is_a_data_root,
    tiny_idx_folder,
)
from tests.pages.test_playground import W, no_errors, open_page, session

RUNS_TAB = "📚 Runs"


def open_runs(at):
    at.session_state["pg_tab"] = RUNS_TAB
    return at.run()


def table(at):
    return at.dataframe[0].value


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_playground_keeps_runs_compares_them_and_restores_one():
    at = open_page(bs="250")
    open_runs(at)
    no_errors(at)
    assert any("No runs yet" in i.value for i in at.info)
    for _ in range(3):
        at.button(key="pg_step").click().run()
    first_loss = session(at).latest.train_loss
    at.button(key="pg_reset").click().run()  # the run ends: it is kept as Run 1
    at.select_slider(key=W + "learning_rate").set_value(0.1).run()
    for _ in range(2):
        at.button(key="pg_step").click().run()
    open_runs(at)
    no_errors(at)
    frame = table(at)
    assert list(frame.index) == ["Run 1", "Run 2 (now)"]
    assert list(frame["learning rate"]) == ["0.03", "0.1"]
    assert frame.columns[0] == "learning rate"  # what differs comes first, in view on a phone
    assert list(frame["epochs trained"]) == [3, 2]
    assert abs(frame["train loss"].iloc[0] - first_loss) < 1e-7
    assert "Highlighted, the settings that differ: learning rate." in captions(at)
    curves = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t["name"] for t in curves["data"]}
    assert names == {"Run 1 train", "Run 1 test", "Run 2 (now) train", "Run 2 (now) test"}

    at.button(key="pg_runs_restore_Run 1").click().run()  # the current run is kept, Run 1's settings return
    no_errors(at)
    assert at.select_slider(key=W + "learning_rate").value == 0.03
    assert session(at) is None or session(at).epoch == 0
    kept = at.session_state["pg_runs"]
    assert [r.label for r in kept.records] == ["Run 1", "Run 2"]
    assert kept.records[1].config["learning rate"] == 0.1

    downloads = {d.proto.label: d for d in at.get("download_button")}
    assert set(downloads) >= {"⬇ Runs as CSV", "⬇ Runs as JSON (with curves)"}


def test_playground_keeps_at_most_ten_runs():
    at = open_page(bs="250")
    for _ in range(12):
        at.button(key="pg_step").click().run()
        at.button(key="pg_reset").click().run()
    kept = at.session_state["pg_runs"]
    assert len(kept) == 10 and kept.records[0].label == "Run 3" and kept.records[-1].label == "Run 12"


def test_mnist_runs_tab_overlays_two_runs_and_their_robustness(tiny_idx_folder):  # noqa: F811
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.text_input(key="mnist_hidden").set_value("16").run()
    at.number_input(key="mnist_epochs").set_value(2).run()
    at.button(key="mnist_play").click().run()
    finish_training(at)
    open_tab(at, "Robustness")  # measured for run 1: its curves are kept with it
    at.button(key="mnist_reset").click().run()
    at.text_input(key="mnist_hidden").set_value("32").run()
    at.session_state["mnist_result_tabs"] = "Runs"  # the Robustness tab stays closed for run 2
    at.button(key="mnist_play").click().run()
    finish_training(at)
    open_tab(at, "Runs")
    assert not at.exception and not at.error
    frame = table(at)
    assert list(frame.index) == ["Run 1", "Run 2 (now)"]
    assert list(frame["hidden layers"]) == ["16", "32"]
    assert "Highlighted, the settings that differ: hidden layers." in captions(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    robustness = next(
        s for s in specs if any("Rotation" in a.get("text", "") for a in s["layout"].get("annotations", []))
    )
    assert {t["name"] for t in robustness["data"]} == {"Run 1"}  # run 2's was not measured
    assert "Robustness measured for 1 of the 2 runs shown" in captions(at)
    assert any("JSON" in d.proto.label for d in at.get("download_button"))
    (kept,) = from_json(to_json(at.session_state["mnist_runs"].records))  # what the JSON button holds
    assert kept.label == "Run 1" and kept.extra["robustness_angle"][0] == 0.0

    at.button(key="mnist_runs_restore_Run 1").click().run()
    assert not at.exception
    assert at.text_input(key="mnist_hidden").value == "16"
    assert at.session_state["mnist_run"] is None
    assert [r.label for r in at.session_state["mnist_runs"].records] == ["Run 1", "Run 2"]
