"""AppTest of the Learn page: the numbers it shows are core's numbers for the same settings.

Each expected value is computed here straight from the engine (Network.objective, gradient_trace,
make_optimizer(...).update) for the page's default settings: a 3-4-3 ReLU network, He init,
seed 0, true class 0, and the sample `lesson.lesson_sample` picks for it.
"""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import lesson
from core.engine.activations import get_activation
from core.engine.optimizers import make_optimizer

REPO = Path(__file__).resolve().parents[2]
PAGE = "app_pages/learn.py"  # as app.py's st.Page names it


@pytest.fixture
def at():
    app = AppTest.from_file(str(REPO / PAGE), default_timeout=30)
    app.run()
    assert not app.exception, app.exception
    return app


def metric(at, label) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"expected one metric {label!r}; found {[m.label for m in at.metric]}"
    return values[0]


def default_lesson(sizes=(3, 4, 3), activation="relu", init="he", seed=0):
    net = lesson.lesson_network(list(sizes), activation, init, seed)
    return net, lesson.lesson_sample(net, seed)


def test_page_renders_every_tab(at):
    assert [t.label for t in at.tabs] == [
        "Neuron",
        "Forward",
        "Backward",
        "Update",
        "Gradient check",
        "Initialization",
        "Learning rate",
        "Optimizers",
        "Shapes",
    ]
    assert at.title[0].value == "Learn: the numbers inside a network"
    assert len(at.latex) > 20
    assert not at.error


def test_neuron_shows_the_weighted_sum_and_output(at):
    def expected():
        x = [at.slider(key=f"learn_x{i}").value for i in (1, 2, 3)]
        w = [at.slider(key=f"learn_w{i}").value for i in (1, 2, 3)]
        b = at.slider(key="learn_b").value
        z = float(np.dot(x, w) + b)
        a = float(get_activation(at.selectbox(key="learn_neuron_activation").value)(np.array([[z]]))[0, 0])
        return z, a

    z, a = expected()
    assert float(metric(at, "Weighted sum z")) == pytest.approx(z, rel=1e-5)
    assert float(metric(at, "Output a = f(z)")) == pytest.approx(a, rel=1e-5)
    r = lesson.neuron(
        *[[at.slider(key=f"learn_{n}{i}").value for i in (1, 2, 3)] for n in "xw"],
        at.slider(key="learn_b").value,
        "relu",
    )
    assert metric(at, "Weighted sum z") == lesson.fmt(r.z)

    # Moving a slider and switching the activation changes the numbers, still matching core.
    before = metric(at, "Weighted sum z")
    at.slider(key="learn_x1").set_value(-2.5).run()
    at.selectbox(key="learn_neuron_activation").select("sigmoid").run()
    z2, a2 = expected()
    assert metric(at, "Weighted sum z") != before
    assert float(metric(at, "Weighted sum z")) == pytest.approx(z2, rel=1e-5)
    assert float(metric(at, "Output a = f(z)")) == pytest.approx(a2, rel=1e-5)
    assert 0 < a2 < 1
    assert any("frac{1}{1 + e^{-" in el.value for el in at.latex)  # the sigmoid formula, filled in


def test_forward_loss_is_network_objective(at):
    net, x = default_lesson()
    targets = net.prepare_targets([0])
    loss = net.objective(x, targets)
    assert metric(at, "Loss") == lesson.fmt(loss)
    p = net.predict_proba(x)[0]
    assert metric(at, "Predicted class") == str(int(np.argmax(p)))
    assert metric(at, "p(true class)") == lesson.fmt(p[0])
    # the softmax probabilities and the one-hot target are printed as matrices
    assert any(lesson.latex_matrix(p) in el.value for el in at.latex)
    assert any(lesson.latex_matrix(targets, 1) in el.value for el in at.latex)


def test_changing_the_network_changes_the_numbers(at):
    before = metric(at, "Loss")
    at.text_input(key="learn_sizes").input("2-3-2").run()
    at.selectbox(key="learn_label").select(1).run()
    assert not at.exception and not at.error
    net, x = default_lesson((2, 3, 2))
    loss = net.objective(x, net.prepare_targets([1]))
    assert metric(at, "Loss") == lesson.fmt(loss) != before

    at.text_input(key="learn_sizes").input("3-banana-3").run()
    assert not at.exception
    assert "layer sizes must be whole numbers" in at.error[0].value


def test_chain_rule_and_backprop_agree(at):
    net, x = default_lesson()
    grads = net.gradient_trace(x, [0])
    assert metric(at, "Backprop dL/dW") == lesson.fmt(grads[0]["grad_weights"][0, 0])
    assert metric(at, "Chain-rule product") == metric(at, "Backprop dL/dW")
    at.selectbox(key="learn_cr_layer").select(2).run()
    at.selectbox(key="learn_cr_row").select(3).run()
    at.selectbox(key="learn_cr_col").select(1).run()
    assert metric(at, "Backprop dL/dW") == lesson.fmt(grads[1]["grad_weights"][3, 1])
    assert float(metric(at, "Chain-rule product")) == pytest.approx(
        float(metric(at, "Backprop dL/dW")), rel=1e-5
    )


def test_gradient_check_shows_backprop_beside_finite_difference(at):
    net, x = default_lesson()
    grads = net.gradient_trace(x, [0])
    assert metric(at, "Analytic gradient") == lesson.fmt(grads[0]["grad_weights"][0, 0], 10)
    for layer, row, col in [(2, 1, 2), (1, 2, 3)]:
        at.selectbox(key="learn_gc_layer").select(layer).run()
        at.selectbox(key="learn_gc_row").select(row).run()
        at.selectbox(key="learn_gc_col").select(col).run()
        analytic = grads[layer - 1]["grad_weights"][row, col]
        assert metric(at, "Analytic gradient") == lesson.fmt(analytic, 10)
        numerical = float(metric(at, "Numerical gradient"))
        assert numerical == pytest.approx(analytic, rel=1e-6, abs=1e-9)
        assert float(metric(at, "Relative difference")) < 1e-6


def _engine_losses(name, lr, steps):
    """Loss on the lesson sample after 0..steps optimizer steps, done with the engine directly."""
    net, x = default_lesson()
    targets = net.prepare_targets([0])
    optimizer = make_optimizer(name, lr)
    losses = [net.objective(x, targets)]
    for _ in range(steps):
        net.gradient_trace(x, [0])
        optimizer.update([net.params], [net.grads])
        losses.append(net.objective(x, targets))
    return losses


def test_step_again_applies_the_optimizer_step(at):
    sgd = _engine_losses("sgd", 0.01, 3)
    assert metric(at, "Steps taken") == "0"
    assert metric(at, "Loss before step") == lesson.fmt(sgd[0])
    assert metric(at, "Loss after step") == lesson.fmt(sgd[1])  # the step the button would take
    at.button(key="learn_step").click().run()
    assert metric(at, "Steps taken") == "1"
    assert metric(at, "Loss") == lesson.fmt(sgd[1])  # every tab now shows the new weights
    assert metric(at, "Loss before step") == lesson.fmt(sgd[1])
    assert metric(at, "Loss after step") == lesson.fmt(sgd[2])
    assert float(metric(at, "Loss after step")) < float(metric(at, "Loss before step"))

    at.button(key="learn_reset").click().run()
    assert metric(at, "Steps taken") == "0" and metric(at, "Loss") == lesson.fmt(sgd[0])


def test_adam_state_carries_over_between_steps(at):
    at.selectbox(key="learn_opt").select("adam").run()
    at.select_slider(key="learn_lr").set_value(0.05).run()
    adam = _engine_losses("adam", 0.05, 4)
    for taken in range(3):
        assert metric(at, "Steps taken") == str(taken)
        assert metric(at, "Loss after step") == lesson.fmt(adam[taken + 1])
        at.button(key="learn_step").click().run()
    assert metric(at, "Loss") == lesson.fmt(adam[3])


def test_initialization_zeros_identical_random_differ(at):
    assert metric(at, "Spread between neurons (zeros)") == "0"
    run = lesson.symmetry_run([3, 4, 3], "sigmoid", "he", 0, 20, 0.5)
    assert metric(at, "Spread between neurons (he)") == lesson.fmt(run.spread)
    assert float(metric(at, "Spread between neurons (he)")) > 1e-3
    at.selectbox(key="learn_sym_init").select("xavier").run()
    at.selectbox(key="learn_sym_activation").select("tanh").run()
    assert metric(at, "Spread between neurons (zeros)") == "0"
    assert float(metric(at, "Spread between neurons (xavier)")) > 1e-3


def test_page_through_the_app_navigation():
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Learn: the numbers inside a network"
    net, x = default_lesson()
    assert metric(app, "Loss") == lesson.fmt(net.objective(x, net.prepare_targets([0])))


# ----------------------------------------------------------------------------- intuition tabs
def test_learning_rate_tab_names_each_regime(at):
    from core.lesson.descent import SURFACES, descend

    for lr, regime in [(0.01, "too small"), (0.5, "good"), (1.5, "oscillating"), (2.5, "diverging")]:
        at.number_input(key="learn_descent_lr").set_value(lr).run()
        assert not at.exception, at.exception
        assert metric(at, "This path is") == regime
        expected = descend(SURFACES["1-D bowl"], lr, 20).losses[-1]
        assert metric(at, "Loss after the last step") == f"{expected:.4g}"


def test_learning_rate_tab_on_the_ravine(at):
    at.selectbox(key="learn_descent_surface").set_value("ravine").run()
    at.number_input(key="learn_descent_lr").set_value(0.09).run()
    assert not at.exception, at.exception
    assert metric(at, "This path is") == "oscillating"


def test_optimizers_tab_shows_adams_first_step(at):
    assert metric(at, "Adam's first step Δw") == "[-0.1, -0.1]"
    assert metric(at, "−η · sign(g)") == "[-0.1, -0.1]"
    assert metric(at, "Adam's gradient g at step 1") == "[2, 10]"
    at.number_input(key="learn_race_adam_learning_rate").set_value(0.3).run()
    assert not at.exception, at.exception
    assert metric(at, "Adam's first step Δw") == "[-0.3, -0.3]"


def test_optimizers_tab_prints_state_for_the_chosen_step(at):
    at.slider(key="learn_race_t").set_value(2).run()
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "state" in df.value.columns)
    states = {(o, n): v for o, n, v in zip(table["optimizer"], table["state"], table["value"])}
    # momentum, lr 0.05, mu 0.9 on the ravine from (2, 0.5): v1 = (-0.1, -0.5), p1 = (1.9, 0);
    # v2 = 0.9 v1 - 0.05 * (1.9, 0) = (-0.185, -0.45)
    assert states[("momentum", "velocity v")] == "[-0.185, -0.45]"
    # Adam: p1 = (2, 0.5) - 0.1 sign(g1) = (1.9, 0.4), so g2 = (1.9, 8); m = 0.9 * 0.1 g1 + 0.1 g2
    assert states[("adam", "m")] == "[0.37, 1.7]"
    assert ("adam", "m-hat = m / (1 - β1^t)") in states
    assert not any(o == "sgd" for o, _ in states)
    positions = next(df.value for df in at.dataframe if "w after step t" in df.value.columns)
    assert dict(zip(positions["optimizer"], positions["w after step t"]))["sgd"] == "[1.805, 0]"


def test_optimizers_tab_without_optimizers_says_so(at):
    at.multiselect(key="learn_race_chosen").set_value([]).run()
    assert not at.exception, at.exception
    assert any("Pick at least one optimizer" in info.value for info in at.info)


def test_shapes_tab_prints_numpy_results(at):
    table = next(df.value for df in at.dataframe if "NumPy gives" in df.value.columns)
    results = dict(zip(table["code"], table["NumPy gives"]))
    assert results["x.shape += (1,); x.shape"] == "(3, 1)"
    assert results["x.reshape(1, -1).shape"] == "(1, 3)"
    assert metric(at, "log means ln: −log(0.5)") == "0.6931"
