"""The training health views through AppTest: the Playground's 🩺 Health tab and the MNIST page's
"Show training health" toggle, while training plays and when paused."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from core.engine.layer_statistics import layer_statistics, sample_rows
from tests.pages.test_mnist import PAGE, TIMEOUT, load_tiny, tiny_folder_is_a_data_root, tiny_idx_folder  # noqa: F401
from tests.pages.test_playground import no_errors, open_page, session


def titles(at) -> list[str]:
    """The titles and subplot titles of every Plotly chart on the page."""
    out = []
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        out.append(layout.get("title", {}).get("text", ""))
        out.extend(a.get("text", "") for a in layout.get("annotations", []))
    return out


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def open_health(at):
    at.session_state["pg_tab"] = "🩺 Health"
    return at.run()


def test_playground_health_tab_shows_the_networks_statistics():
    at = open_page(bs="250")
    open_health(at)
    no_errors(at)
    assert any("gradient norms appear" in i.value for i in at.info)  # no epoch yet
    at.button(key="pg_step").click().run() if _has_button(at, "pg_step") else session(at).train_epochs(3)
    open_health(at)
    no_errors(at)
    found = titles(at)
    assert "Gradient norm per layer" in found and "Dead / saturated units" in found
    s = session(at)
    epochs, norms = s.gradients.arrays()
    gradient = next(c for c in charts(at) if c["layout"].get("yaxis", {}).get("type") == "log")
    assert len(gradient["data"]) == len(s.network.layers)
    assert gradient["data"][0]["y"][-1] == norms[-1, 0]
    assert [r.grad_norms for r in s.trainer.history][-1] == tuple(norms[-1])
    # the shares chart shows the statistics measured independently on the same sample
    stats = layer_statistics(s.network, sample_rows(s.X_fit, 500))
    shares = next(c for c in charts(at) if any(t.get("name") == "‖W‖" for t in c["data"]))
    weights = next(t for t in shares["data"] if t.get("name") == "‖W‖")
    np.testing.assert_allclose(weights["y"], [np.linalg.norm(w) for w in s.network.weights], rtol=1e-5)
    assert len(stats) == len(weights["y"])
    assert any("6 hidden layers of sigmoid" in c.value for c in at.caption)


def _has_button(at, key):
    return any(b.key == key for b in at.button)


def test_playground_health_tab_runs_while_playing():
    at = open_page(bs="250")
    open_health(at)
    at.session_state["pg_playing"] = True
    at.run()
    no_errors(at)
    images = at.get("image")
    assert any("Pause for the interactive charts" in str(image.proto) for image in images)
    assert "Gradient norm per layer" not in titles(at)  # no Plotly redraws while playing


def test_mnist_health_toggle_shows_a_picture_while_playing_and_figures_when_paused(tiny_idx_folder):  # noqa: F811
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    load_tiny(at, tiny_idx_folder)
    at.number_input(key="mnist_epochs").set_value(100).run()
    at.text_input(key="mnist_hidden").set_value("512,512").run()
    at.select_slider(key="mnist_batch").set_value(16).run()
    at.button(key="mnist_play").click().run()
    # One 120 ms slice trains a little of a 512-512 network, far from 100 epochs.
    assert at.session_state["mnist_playing"]
    assert not at.toggle(key="mnist_show_health").value  # off by default
    at.toggle(key="mnist_show_health").set_value(True).run()
    assert not at.exception
    assert any(
        "Pause for the interactive charts" in str(image.proto) for image in at.get("image")
    )  # the light picture, no Plotly while playing
    assert "Gradient norm per layer" not in titles(at)
    at.button(key="mnist_pause").click().run()
    assert not at.exception
    found = titles(at)
    assert "Dead / saturated units" in found and "Weight norms" in found
    run = at.session_state["mnist_run"]
    hist = next(
        c
        for c in charts(at)
        if any("layer 1<br>(" in a.get("text", "") for a in c["layout"].get("annotations", []))
    )
    assert len(hist["data"]) == len(run.trainer.network.layers)
    # 256 validation images x 512 units in the first hidden layer, every activation counted once
    assert sum(hist["data"][0]["y"]) == min(256, run.n_val) * 512
