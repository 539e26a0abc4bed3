"""The Playground's "📈 1-D fit" tab through Streamlit's AppTest (opened via the real app).

AppTest runs no browser timer, so Play is checked through the fragment's run in a full page run:
while playing, every run trains one time-budgeted slice (at least one mini-batch)."""

from pathlib import Path

import pytest

from core.playground import fit1d

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

REPO = Path(__file__).resolve().parents[2]
TAB = "📈 1-D fit"


def open_fit_tab(**query) -> "AppTest":
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/playground.py").run()
    at.session_state["pg_tab"] = TAB
    at.run()
    no_errors(at)
    return at


def no_errors(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def button(at, key):
    return next(b for b in at.button if b.key == key)


def metric(at, label):
    """The tab's readout (the Playground's own "Epoch" metric above the tabs comes first)."""
    return [m.value for m in at.metric if m.label == label][-1]


def charts(at):
    return at.get("plotly_chart")


@pytest.mark.parametrize("target", list(fit1d.TARGETS))
def test_each_target_steps_and_draws(target):
    at = open_fit_tab()
    at.selectbox(key="pg_fit1d_target").set_value(target).run()
    no_errors(at)
    assert metric(at, "Epoch") == "0"
    button(at, "pg_fit1d_step_button").click().run()
    no_errors(at)
    assert metric(at, "Epoch") == "1"
    trainer = at.session_state["pg_fit1d_trainer"]
    assert trainer.epoch == 1 and trainer.network.layer_sizes == [1, 8, 8, 1]  # the sidebar's 8, 8
    assert charts(at), "the fit figure is drawn"


def test_play_trains_and_pause_stops():
    at = open_fit_tab()
    button(at, "pg_fit1d_play").click().run()
    no_errors(at)
    assert at.session_state["pg_fit1d_playing"]
    trained = at.session_state["pg_fit1d_trainer"].samples_seen
    assert trained > 0
    button(at, "pg_fit1d_pause").click().run()
    assert not at.session_state["pg_fit1d_playing"]
    paused = at.session_state["pg_fit1d_trainer"].samples_seen
    at.run()
    assert at.session_state["pg_fit1d_trainer"].samples_seen == paused


def test_reset_goes_back_to_the_same_start():
    at = open_fit_tab()
    start = at.session_state["pg_fit1d_trainer"].network.params.copy()
    button(at, "pg_fit1d_step_button").click().run()
    assert (at.session_state["pg_fit1d_trainer"].network.params != start).any()
    button(at, "pg_fit1d_reset").click().run()
    no_errors(at)
    assert metric(at, "Epoch") == "0"
    assert (at.session_state["pg_fit1d_trainer"].network.params == start).all()


def test_sidebar_network_change_rebuilds_paused():
    at = open_fit_tab()
    button(at, "pg_fit1d_play").click().run()
    at.session_state["pg_fit1d_key"] = ("changed",)  # as if the sidebar's network changed
    at.run()
    no_errors(at)
    assert not at.session_state["pg_fit1d_playing"]
    assert at.session_state["pg_fit1d_trainer"].epoch == 0


def test_your_points_need_two_then_fit_and_clear():
    at = open_fit_tab()
    at.selectbox(key="pg_fit1d_target").set_value("points").run()
    no_errors(at)
    assert any("at least 2" in i.value for i in at.info), [i.value for i in at.info]
    at.session_state["pg_fit1d_points"] = [(-1.0, 0.5), (0.0, -0.5), (1.0, 1.0)]
    at.run()
    no_errors(at)
    trainer = at.session_state["pg_fit1d_trainer"]
    assert trainer is not None and trainer.X_train[:, 0].tolist() == [-1.0, 0.0, 1.0]
    button(at, "pg_fit1d_step_button").click().run()
    assert metric(at, "Epoch") == "1"
    button(at, "pg_fit1d_clear").click().run()
    no_errors(at)
    assert at.session_state["pg_fit1d_points"] == []
    assert at.session_state["pg_fit1d_trainer"] is None


def test_divergence_pauses_and_explains_without_a_traceback():
    at = open_fit_tab(lr="10", opt="sgd")
    for _ in range(3):  # the loss of lr 10 on sin(2x) overflows within a few epochs
        button(at, "pg_fit1d_step_button").click().run()
    assert not at.exception
    assert at.session_state["pg_fit1d_trainer"].stopped
    assert any("Lower the learning rate" in w.value for w in at.warning), [w.value for w in at.warning]
    button(at, "pg_fit1d_play").click().run()
    assert not at.session_state["pg_fit1d_playing"]  # a stopped fit does not play
    button(at, "pg_fit1d_reset").click().run()
    assert metric(at, "Epoch") == "0" and not at.warning
