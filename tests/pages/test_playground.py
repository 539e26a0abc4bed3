"""The Playground page through Streamlit's AppTest, opened via the real app (app.py + st.navigation).

AppTest does not run the browser timer of `st.fragment(run_every=...)`, but the live fragment
also runs once in every full run of the page; while `playing` is set that run trains one
time-budgeted slice, exactly as a timer tick does. So "press Play, run" trains one slice here.

How much a slice trains depends on the machine's speed, so no test counts on it: a slice trains
at least one mini-batch, whatever the time budget, so the tests that need a whole epoch per run
use one mini-batch per epoch (`bs=250`: the default 500 points, half of them for training), and
those that need more training than that get it from explicit calls (`train_epochs`).
"""

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core.playground import HISTORY_KEEP
from core.playground.experiments import MAX_RACE_EPOCHS, SHARED_OBJECTIVE

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

REPO = Path(__file__).resolve().parents[2]
W = "pg_w_"


def open_page(**query) -> "AppTest":
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/playground.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def session(at):
    return at.session_state["pg_session"]


TAB_LABELS = {
    "inspector": "🔍 Neuron",
    "compare": "⚖️ vs scikit-learn",
    "race": "🏁 Optimizer race",
    "search": "🧪 Architecture search",
    "gif": "🎞️ GIF",
    "share": "🔗 Share",
}


def open_tab(at, name: str):
    """Open a panel's tab (only the open tab runs: st.tabs(on_change="rerun"))."""
    at.session_state["pg_tab"] = TAB_LABELS[name]
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def no_errors(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


ONE_BATCH_PER_EPOCH = {"bs": "250"}  # every slice of training is at least one whole epoch


# ----------------------------------------------------------------------------- basics
def test_page_opens_with_the_defaults():
    at = open_page()
    no_errors(at)
    assert at.title[0].value.endswith("Playground")
    assert metric(at, "Epoch") == "0"
    assert float(metric(at, "Test loss")) > 0
    s = session(at)
    assert s.network.layer_sizes == [2, 8, 8, 1] and s.dataset.name == "moons"
    assert at.query_params["ds"] == "moons" and at.query_params["layers"] == "8,8"
    # The data set and the learning rate are in the control bar above the plane (issue 19, item 8).
    for key in ("dataset", "learning_rate"):
        bar = at.main.get("selectbox") + at.main.get("select_slider")
        found = [w for w in bar if getattr(w, "key", None) == W + key]
        assert found and found[0].help, key
        assert not [w for w in at.sidebar.get("selectbox") if getattr(w, "key", None) == W + key]
    for key in (
        "n_samples",
        "noise",
        "test_ratio",
        "seed",
        "layers",
        "units_0",
        "act_0",
        "init",
        "head",
        "optimizer",
        "batch_size",
        "epochs_per_update",
        "l1",
        "l2",
        "dropout",
        "schedule",
        "early_stopping",
        "show_test",
        "discretize",
    ):
        widget = (
            at.sidebar.get("selectbox")
            + at.sidebar.get("slider")
            + at.sidebar.get("select_slider")
            + at.sidebar.get("number_input")
            + at.sidebar.get("toggle")
        )
        found = [w for w in widget if getattr(w, "key", None) == W + key]
        assert found, key
        assert found[0].help, f"{key} has no tooltip"
    assert at.pills(key=W + "features").value == ["x1", "x2"]


def test_step_trains_exactly_one_epoch_and_pauses():
    at = open_page()
    at.button(key="pg_step").click().run()
    assert session(at).epoch == 1 and metric(at, "Epoch") == "1"
    at.button(key="pg_step").click().run()
    assert session(at).epoch == 2 and at.session_state["pg_playing"] is False


def test_play_advances_and_pause_stops():
    at = open_page(**ONE_BATCH_PER_EPOCH)
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is True
    first = session(at).epoch
    assert first >= 1 and metric(at, "Epoch") == f"{first:,}"
    assert at.button(key="pg_pause")  # the button flipped
    at.run()  # another full run while playing = another slice
    assert session(at).epoch > first
    at.button(key="pg_pause").click().run()
    assert at.session_state["pg_playing"] is False
    paused_at = session(at).epoch
    at.run()
    assert session(at).epoch == paused_at


def test_reset_clears_back_to_the_same_start():
    at = open_page(**ONE_BATCH_PER_EPOCH)
    start = session(at).network.params.copy()
    at.button(key="pg_play").click().run()
    at.button(key="pg_pause").click().run()
    assert session(at).epoch > 0
    at.button(key="pg_reset").click().run()
    assert session(at).epoch == 0 and metric(at, "Epoch") == "0"
    np.testing.assert_array_equal(session(at).network.params, start)  # same seed, same weights
    assert at.session_state["pg_playing"] is False


def test_divergence_pauses_and_explains():
    at = open_page(ds="plane", lr="10")
    at.button(key="pg_play").click().run()
    # Seeded, this run diverges at its 15th mini-batch; each full run trains at least one.
    for _ in range(15):
        if not at.session_state["pg_playing"]:
            break
        at.run()
    assert at.session_state["pg_playing"] is False
    assert session(at).diverged and session(at).epoch == 0  # the weights of before the blow-up
    text = " ".join(w.value for w in at.warning)
    assert "diverged" in text and "learning rate" in text and "Reset" in text
    no_errors(at)
    # Recovery: a smaller learning rate and Play again
    at.select_slider(key=W + "learning_rate").set_value(0.001).run()
    at.button(key="pg_play").click().run()
    for _ in range(25):  # 25 mini-batches of 10 make the first epoch
        if session(at).epoch > 0:
            break
        at.run()
    assert at.session_state["pg_playing"] is True and session(at).epoch > 0
    assert not any("diverged" in w.value for w in at.warning)


# ----------------------------------------------------------------------------- every control
HYPER = [  # (widget kind, key, value, check on the trainer)
    ("select_slider", "learning_rate", 0.3, lambda s: s.trainer.hp.learning_rate == 0.3),
    ("selectbox", "optimizer", "adam", lambda s: s.trainer.optimizer.name == "adam"),
    ("number_input", "batch_size", 32, lambda s: s.trainer.hp.batch_size == 32),
    ("select_slider", "l1", 0.001, lambda s: s.trainer.hp.l1 == 0.001),
    ("select_slider", "l2", 0.01, lambda s: s.trainer.hp.l2 == 0.01),
    ("slider", "dropout", 0.25, lambda s: s.trainer.hp.dropout == 0.25),
    ("selectbox", "schedule", "cosine", lambda s: s.trainer.hp.schedule == "cosine"),
    ("number_input", "epochs_per_update", 77, lambda s: s.config.epochs_per_update == 77),
    ("toggle", "show_test", True, lambda s: s.config.show_test is True),
    ("toggle", "discretize", True, lambda s: s.config.discretize is True),
]


@pytest.mark.parametrize("kind, key, value, check", HYPER, ids=[h[1] for h in HYPER])
def test_hyperparameter_controls_change_the_trainer_in_place(kind, key, value, check):
    at = open_page()
    at.button(key="pg_step").click().run()
    before = session(at)
    weights = before.network.params.copy()
    getattr(at, kind)(key=W + key).set_value(value).run()
    no_errors(at)
    after = session(at)
    assert after is before and after.epoch == 1  # kept: no rebuild, no reset
    np.testing.assert_array_equal(after.network.params, weights)
    assert check(after)
    url_key = {
        "learning_rate": "lr",
        "optimizer": "opt",
        "batch_size": "bs",
        "l1": "l1",
        "l2": "l2",
        "dropout": "drop",
        "schedule": "sched",
        "early_stopping": "es",
        "epochs_per_update": "epu",
        "show_test": "showtest",
        "discretize": "disc",
    }[key]
    assert at.query_params[url_key] != open_page().query_params[url_key]  # the URL follows


def test_hyperparameters_change_while_playing():
    at = open_page(**ONE_BATCH_PER_EPOCH)
    at.button(key="pg_play").click().run()
    at.select_slider(key=W + "learning_rate").set_value(0.1).run()
    at.select_slider(key=W + "l2").set_value(0.003).run()
    s = session(at)
    assert at.session_state["pg_playing"] is True
    assert s.trainer.hp.learning_rate == 0.1 and s.trainer.hp.l2 == 0.003
    assert s.epoch > 0


STRUCTURE = [
    ("selectbox", "dataset", "xor", lambda s: s.dataset.name == "xor"),
    ("slider", "n_samples", 300, lambda s: s.dataset.n_train + s.dataset.n_test == 300),
    ("slider", "noise", 0.5, lambda s: s.dataset.params["noise"] == 0.5),
    ("slider", "test_ratio", 0.3, lambda s: s.dataset.params["test_ratio"] == 0.3),
    ("number_input", "seed", 7, lambda s: s.dataset.params["seed"] == 7),
    ("number_input", "layers", 3, lambda s: s.network.layer_sizes == [2, 8, 8, 8, 1]),
    ("number_input", "units_0", 5, lambda s: s.network.layer_sizes == [2, 5, 8, 1]),
    ("selectbox", "act_1", "relu", lambda s: s.network.activation_names == ["tanh", "relu"]),
    ("selectbox", "init", "he", lambda s: s.network.init == "he"),
    (
        "selectbox",
        "head",
        "softmax_ce",
        lambda s: s.network.head.name == "softmax_ce" and s.network.n_outputs == 2,
    ),
    ("pills", "features", ["x1", "x2", "x1^2", "sin(x2)"], lambda s: s.network.n_inputs == 4),
    # early stopping sets a validation split aside: other points train
    (
        "toggle",
        "early_stopping",
        True,
        lambda s: s.trainer.early_stopping and s.held_out == "validation" and s.trainer.n_train == 200,
    ),
]


@pytest.mark.parametrize("kind, key, value, check", STRUCTURE, ids=[s[1] for s in STRUCTURE])
def test_structural_controls_rebuild_the_network(kind, key, value, check):
    at = open_page()
    at.button(key="pg_play").click().run()
    before = session(at)
    getattr(at, kind)(key=W + key).set_value(value).run()
    no_errors(at)
    after = session(at)
    assert after is not before and after.epoch == 0  # rebuilt, seeded, at epoch 0 ...
    assert at.session_state["pg_playing"] is False  # ... and paused
    assert check(after)


def test_schedule_controls_show_for_their_schedule_and_change_the_trainer_in_place():
    at = open_page()
    assert not [n for n in at.number_input if n.key == W + "schedule_every"]  # constant: no period
    at.button(key="pg_step").click().run()
    before = session(at)
    at.selectbox(key=W + "schedule").set_value("step").run()
    at.number_input(key=W + "schedule_every").set_value(30).run()
    at.number_input(key=W + "schedule_rate").set_value(0.25).run()
    no_errors(at)
    after = session(at)
    assert after is before and after.epoch == 1
    assert after.trainer.hp.schedule_options == {"step_size": 30, "gamma": 0.25}
    assert (at.query_params["severy"], at.query_params["srate"]) == ("30", "0.25")
    at.selectbox(key=W + "schedule").set_value("cosine").run()
    assert not [n for n in at.number_input if n.key == W + "schedule_rate"]  # cosine has no factor
    assert session(at).trainer.hp.schedule_options == {"period": 30, "restart": True}
    assert metric(at, "Learning rate") == f"{session(at).trainer.current_learning_rate():.3g}"


def test_switching_data_set_starts_with_its_default_class_count():
    at = open_page(ds="blobs", k="5")
    at.selectbox(key=W + "dataset").set_value("spiral").run()
    assert session(at).dataset.n_classes == 2 and at.query_params["k"] == "2"


def test_classes_and_regenerate():
    at = open_page(ds="blobs")
    at.number_input(key=W + "classes").set_value(5).run()
    assert session(at).dataset.n_classes == 5 and session(at).network.n_outputs == 5
    assert at.query_params["k"] == "5"
    seed = session(at).dataset.params["seed"]
    at.button(key="pg_regenerate").click().run()
    assert session(at).dataset.params["seed"] == seed + 1
    assert at.query_params["seed"] == str(seed + 1)


# ----------------------------------------------------------------------------- URL
def test_url_round_trips_the_configuration():
    query = {
        "ds": "circles",
        "n": "400",
        "noise": "0.1",
        "test": "0.3",
        "seed": "5",
        "feat": "x1,x2,x1sq,x2sq",
        "layers": "6,3",
        "act": "relu,sigmoid",
        "init": "he",
        "lr": "0.1",
        "opt": "momentum",
        "bs": "20",
        "epu": "40",
        "l2": "0.001",
        "drop": "0.1",
        "sched": "step",
        "es": "1",
        "pat": "30",
        "showtest": "1",
        "disc": "1",
    }
    at = open_page(**query)
    no_errors(at)
    assert not at.warning
    assert at.selectbox(key=W + "dataset").value == "circles"
    assert at.slider(key=W + "n_samples").value == 400
    assert at.number_input(key=W + "layers").value == 2
    assert at.number_input(key=W + "units_0").value == 6
    assert at.selectbox(key=W + "act_1").value == "sigmoid"
    assert at.select_slider(key=W + "learning_rate").value == 0.1
    assert at.toggle(key=W + "early_stopping").value is True
    s = session(at)
    assert s.network.layer_sizes == [4, 6, 3, 1] and s.trainer.hp.optimizer == "momentum"
    assert s.trainer.patience == 30 and s.dataset.n_test == 120
    for key, value in query.items():  # written back unchanged
        assert at.query_params[key] == value, key
    at.slider(key=W + "noise").set_value(0.4).run()
    assert at.query_params["noise"] == "0.4"


def test_same_link_same_data_and_weights():
    a, b = open_page(seed="11", ds="spiral"), open_page(seed="11", ds="spiral")
    np.testing.assert_array_equal(session(a).dataset.X_train, session(b).dataset.X_train)
    np.testing.assert_array_equal(session(a).network.params, session(b).network.params)


def test_forged_link_warns_but_works():
    at = open_page(
        ds="nope",
        n="-5",
        lr="banana",
        layers="999,2",
        act="evil",
        bogus="1",
        feat="x1sq,zz",
        hide="noise,unknown",
    )
    no_errors(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "bogus" in warnings and "nope" in warnings and "banana" in warnings
    s = session(at)
    # 999 -> 256 neurons; with 2 layers that is over the size budget: scaled down, and said
    sizes = s.network.layer_sizes
    assert sizes[0] == 1 and len(sizes) == 4 and 200 < sizes[1] < 256 and s.config.n_samples == 50
    assert "network size" in warnings
    assert at.query_params["hide"] == "noise"
    at.run()  # warnings are shown once
    assert not at.warning


def test_classroom_link_hides_controls():
    at = open_page(hide="dataset,noise,learning_rate,race,search")
    no_errors(at)
    sidebar_keys = {
        getattr(w, "key", None)
        for kind in ("selectbox", "slider", "select_slider")
        for w in at.sidebar.get(kind)
    }
    assert W + "dataset" not in sidebar_keys and W + "noise" not in sidebar_keys
    assert W + "learning_rate" not in sidebar_keys and W + "n_samples" in sidebar_keys
    labels = [t.label for t in at.tabs]
    assert not any("race" in label.lower() for label in labels)
    assert any("Share" in label for label in labels)
    assert session(at).config.learning_rate == 0.03  # hidden, yet still applied
    at.slider(key=W + "n_samples").set_value(200).run()
    assert at.query_params["hide"] == "dataset,noise,learning_rate,race,search"


def test_share_tab_shows_links():
    at = open_page(hide="noise")
    assert not any(c.value.startswith("?ds=moons") for c in at.code)  # a closed tab does not run
    open_tab(at, "share")
    codes = [c.value for c in at.code]
    assert any(code.startswith("?ds=moons") and "hide=noise" in code for code in codes)
    at.multiselect(key="pg_share_hide").set_value(["dataset", "seed"]).run()
    assert any("hide=dataset,seed" in c.value for c in at.code)
    assert at.query_params["hide"] == "noise"  # the teacher's own page is unchanged


# ----------------------------------------------------------------------------- data sources
def test_bad_csv_shows_the_reason_without_a_traceback():
    at = open_page(ds="csv")
    assert any("upload a CSV" in e.value for e in at.error)
    at.file_uploader(key="pg_csv_file").set_value(("bad.csv", b"x1,x2,label\n1,2\n", "text/csv"))
    at.run()
    assert not at.exception
    assert any("column" in e.value for e in at.error)
    assert at.session_state["pg_session"] is None


def test_good_csv_trains():
    rows = "".join(f"{k / 10},{(k * 7) % 13 / 3},{int(k % 10 > 4)}\n" for k in range(60))
    at = open_page(ds="csv")
    at.file_uploader(key="pg_csv_file").set_value(
        ("mine.csv", ("x1,x2,label\n" + rows).encode(), "text/csv")
    ).run()
    no_errors(at)
    assert session(at).dataset.n_train + session(at).dataset.n_test == 60
    at.button(key="pg_step").click().run()
    assert session(at).epoch == 1


def test_clicked_points():
    at = open_page(ds="points", pts="-3:-3:0;-4:-2:0;3:3:1;4:2:1;-2:-4:0;2:4:1")
    no_errors(at)
    assert session(at).dataset.n_train + session(at).dataset.n_test == 6
    at.button(key="pg_points_clear").click().run()
    assert at.session_state["pg_session"] is None
    assert any("points" in e.value for e in at.error)  # too few points: said, not crashed


# ----------------------------------------------------------------------------- panels
def test_neuron_inspector_edits_a_weight_and_a_bias():
    at = open_page()
    at.selectbox(key="pg_inspect_layer").set_value(1).run()
    at.selectbox(key="pg_inspect_neuron").set_value(2).run()
    assert at.session_state["pg_selected"] == (1, 2)
    at.selectbox(key="pg_edit_source").set_value(4).run()
    box = next(n for n in at.number_input if n.key and n.key.startswith("pg_edit_w_1_2_4_"))
    box.set_value(1.5).run()
    at.button(key="pg_set_weight").click().run()
    assert session(at).network.layers[1].weights[4, 2] == pytest.approx(1.5)
    bias = next(n for n in at.number_input if n.key and n.key.startswith("pg_edit_b_1_2_"))
    bias.set_value(-0.75).run()
    at.button(key="pg_set_bias").click().run()
    assert session(at).network.layers[1].bias[2] == pytest.approx(-0.75)
    assert metric(at, "Bias") == "-0.7500"


def test_panels_survive_a_long_run():
    """Past every widget's range that follows the epoch count (the comparison's epochs stop at
    MAX_RACE_EPOCHS) and past the trimming of the trainer's history, paused and playing."""
    at = open_page(**ONE_BATCH_PER_EPOCH)
    epochs = MAX_RACE_EPOCHS + 100
    session(at).train_epochs(epochs)  # what minutes of Play do, without depending on the speed
    # Another page and back: the panels' widgets are drawn afresh, from the epoch count.
    at.switch_page("app_pages/home.py").run()
    at.switch_page("app_pages/playground.py").run()
    open_tab(at, "compare")
    no_errors(at)
    assert metric(at, "Epoch") == f"{epochs:,}"
    assert at.number_input(key="pg_compare_epochs").value == MAX_RACE_EPOCHS
    assert len(session(at).trainer.history) <= 2 * HISTORY_KEEP  # trimmed, not 5,100 records
    at.button(key="pg_play").click().run()
    no_errors(at)
    assert session(at).epoch > epochs and metric(at, "Epoch") == f"{session(at).epoch:,}"
    at.button(key="pg_pause").click().run()
    no_errors(at)


def test_experiment_panels_run():
    at = open_page()
    open_tab(at, "race")
    at.number_input(key="pg_race_epochs").set_value(30).run()
    at.button(key="pg_race_run").click().run()
    assert [r.name for r in at.session_state["pg_race"]] == ["sgd", "momentum", "adam"]
    open_tab(at, "search")
    at.text_input(key="pg_search_grid").set_value("2; 8,8").run()
    at.number_input(key="pg_search_epochs").set_value(30).run()
    at.button(key="pg_search_run").click().run()
    rows = at.session_state["pg_search"]
    assert len(rows) == 2
    at.button(key="pg_search_load").click().run()
    assert session(at).network.layer_sizes[1:-1] == list(rows[0].hidden)
    open_tab(at, "gif")
    at.number_input(key="pg_gif_epochs").set_value(20).run()
    at.slider(key="pg_gif_frames").set_value(5).run()
    at.button(key="pg_gif_run").click().run()
    assert at.session_state["pg_gif"].data[:3] == b"GIF"
    open_tab(at, "compare")
    at.number_input(key="pg_compare_epochs").set_value(10).run()
    at.button(key="pg_compare_run").click().run()
    assert at.session_state["pg_compare"].epochs == 10
    assert at.session_state["pg_compare"].ours_epochs == 10
    assert any(SHARED_OBJECTIVE in caption.value for caption in at.caption)  # what both minimise
    no_errors(at)


# ----------------------------------------------------------------------------- size budget
def test_network_over_the_size_budget_is_narrowed_with_a_message():
    """8 x 8 -> widen layer 2 to 256 with 7 features: over the budget; that layer (the one the
    student changed) is narrowed, the widget shows the width in force, the sidebar says why."""
    import core.playground as pg

    at = open_page(layers="48,48", act="tanh,tanh")
    at.number_input(key=W + "units_1").set_value(256).run()
    no_errors(at)
    s = session(at)
    widths = s.network.layer_sizes[1:-1]
    assert widths[0] == 48 and 48 <= widths[1] < 256
    assert pg.network_cost(2, widths) <= pg.MAX_NETWORK_COST
    assert at.number_input(key=W + "units_1").value == widths[1]  # the widget follows
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "network size" in notes and "48 × 256" in notes
    assert at.query_params["layers"] == f"48,{widths[1]}"
    at.run()  # the note was for that change only
    assert "network size" not in " ".join(c.value for c in at.sidebar.caption)


def test_link_over_the_size_budget_is_scaled_down():
    import core.playground as pg

    at = open_page(layers="256,256,256,256,256,256,256,256")
    no_errors(at)
    widths = session(at).network.layer_sizes[1:-1]
    assert len(widths) == 8 and len(set(widths)) == 1 and widths[0] < 256
    assert pg.network_cost(2, widths) <= pg.MAX_NETWORK_COST
    assert any("network size" in w.value for w in at.warning)


# ----------------------------------------------------------------------------- issue 19: honest numbers
def play_until_paused(at, runs: int = 60):
    """Play, then full runs (each one trains a slice, as a timer tick does) until training paused
    by itself; at least one mini-batch per run, so a bounded number of runs always gets there."""
    at.button(key="pg_play").click().run()
    for _ in range(runs):
        if not at.session_state["pg_playing"]:
            return
        at.run()
    raise AssertionError(f"still playing after {runs} runs, at epoch {session(at).epoch}")


def test_learning_rate_10_pauses_with_an_explanation_and_the_inspector_survives():
    at = open_page(ds="moons", act="relu,relu", lr="10")
    play_until_paused(at)
    no_errors(at)  # the Neuron tab drew weights of ~10^10 without a widget error
    s = session(at)
    assert s.diverged and [p.kind for p in s.diagnosis.problems] == ["weights", "dead"]
    text = " ".join(w.value for w in at.warning)
    assert "Training paused: the weights are exploding." in text
    assert "hidden layer 2" in text and "(try 1)" in text and "Reset" in text
    weight = s.network.layers[0].weights[0, 0]
    assert weight == pytest.approx(1746.8, abs=0.05)
    box = next(n for n in at.number_input if n.key and n.key.startswith("pg_edit_w_0_0_0_"))
    assert box.value == 1000.0 and box.max == 1000.0  # the typing range is kept
    assert any("It is 1,746.8 now, beyond the ±1,000" in c.value for c in at.caption)
    # An edit from there is validated as always, and the shown numbers follow it.
    box.set_value(-2.5).run()
    at.button(key="pg_set_weight").click().run()
    no_errors(at)
    assert s.network.layers[0].weights[0, 0] == -2.5
    # Play again as it is: known problems do not pause it again at once.
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is True and not at.warning
    at.button(key="pg_pause").click().run()
    no_errors(at)


def test_an_edited_weight_changes_the_shown_loss_and_accuracy():
    at = open_page()
    s = session(at)
    before = metric(at, "Test loss")
    at.number_input(
        key=next(n.key for n in at.number_input if n.key.startswith("pg_edit_w_0_0_0_"))
    ).set_value(5.0).run()
    at.button(key="pg_set_weight").click().run()
    loss, accuracy = s.trainer.evaluate(s.X_test, s.dataset.y_test)
    assert metric(at, "Test loss") == f"{loss:.3f}" != before
    assert metric(at, "Test accuracy") == f"{accuracy:.3f}"
    assert metric(at, "Epoch") == "0"
    assert any("edited by hand" in c.value for c in at.caption)
    no_errors(at)


def test_after_early_stopping_the_metrics_are_the_restored_epochs():
    at = open_page(ds="moons", n="100", noise="0.3", layers="16,16", opt="adam", lr="0.03", es="1", pat="20")
    play_until_paused(at, runs=200)
    s = session(at)
    assert s.epoch == 23 and "Restored the weights of epoch 3" in s.stop_reason
    best = next(r for r in s.trainer.history if r.epoch == 3)
    assert metric(at, "Epoch") == "23"
    # Early stopping watched the validation split; the test set is the final report.
    assert metric(at, "Validation loss") == f"{best.val_loss:.3f}" == "0.746"
    assert metric(at, "Validation accuracy") == f"{best.val_metric:.3f}"
    assert any("show the restored weights of epoch 3" in c.value for c in at.caption)
    info = " ".join(i.value for i in at.info)
    assert "Early stopping at epoch 23" in info and s.test_report() in info
    assert "On the test set, which early stopping never saw: loss 0.362, accuracy 0.860" in info
    no_errors(at)


def test_words_a_student_reads():
    at = open_page()
    captions = " ".join(c.value for c in at.caption)
    assert "output: sigmoid + cross-entropy" in captions and "sigmoid_bce" not in captions
    assert at.selectbox(key=W + "optimizer").format_func("sgd") == "SGD"
    at.button(key="pg_step").click().run()
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is True
    assert not any("training on this server" in c.value for c in at.caption)
    at.button(key="pg_pause").click().run()
    no_errors(at)


def test_every_panel_works_with_clicked_points_and_no_test_set():
    """Clicked points all train (issue 19, item 6): the panels that report a test score say there
    is none instead of failing on an empty test set (scikit-learn refused 0 samples)."""
    at = open_page(ds="points")
    assert session(at).dataset.n_test == 0
    open_tab(at, "compare")
    at.button(key="pg_compare_run").click().run()
    no_errors(at)
    assert "–" in [m.value for m in at.metric if m.label.startswith("Test")]
    open_tab(at, "search")
    at.text_input(key="pg_search_grid").set_value("2; 4").run()
    at.number_input(key="pg_search_epochs").set_value(10).run()
    at.button(key="pg_search_run").click().run()
    no_errors(at)
    assert any("There is no test set: all your points train." in c.value for c in at.caption)
    for tab, key in (("race", "pg_race_run"), ("gif", "pg_gif_run")):
        open_tab(at, tab)
        at.button(key=key).click().run()
        no_errors(at)


def test_an_update_that_gets_no_turn_in_time_still_shows_the_network():
    """30 students queue for their turn at NumPy (pacing.LoadMonitor.numpy_lock). An update that
    waited past its deadline stops waiting and sends the network as it is: the browser's next
    tick would otherwise cancel it before it showed anything (an 11 s stall in the load test)."""
    from app_pages.playground_parts import resources

    at = open_page()
    lock = resources.load_monitor().numpy_lock  # the page's (one per process, shared)
    assert lock.acquire(timeout=5)  # another student's long turn: it ends after 8 s
    release = threading.Timer(8.0, lock.release)
    release.start()
    at.button(key="pg_play").click()
    started = time.perf_counter()
    at.run()
    waited = time.perf_counter() - started
    release.join()
    no_errors(at)
    assert at.session_state["pg_playing"] is True
    _, epoch, frames = at.session_state["pg_ticks"][-1]
    assert epoch == 0 and frames == 1  # no training, one frame of the network as it is
    assert waited < 5  # the deadline (0.6 x the 0.25 s interval) plus the page's own run
    for _ in range(25):  # with its turn back, it trains again
        at.run()
        if session(at).epoch > 0:
            break
    assert session(at).epoch > 0 and at.session_state["pg_ticks"][-1][2] >= 1
