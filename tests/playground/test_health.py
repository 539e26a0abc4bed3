"""The health checks (core/playground/health.py) on networks built by hand with known values, and
the live session that pauses on them (issue 19, item 1: "I broke it")."""

from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.engine.network import Network
from core.engine.records import EpochRecord
from core.playground import DEFAULT, PlaygroundSession, health


def record(epoch: int, train_loss: float, grad_norms=(0.1, 0.1, 0.1)) -> EpochRecord:
    return EpochRecord(epoch, train_loss, 0.5, train_loss, 0.5, 0.03, tuple(grad_norms), 0.0)


def relu_network() -> tuple[Network, np.ndarray]:
    """2-3-3-1 ReLU network and 50 points of the Playground's plane."""
    network = Network([2, 3, 3, 1], "relu", "sigmoid_bce", "he", rng=0)
    X = np.random.default_rng(1).uniform(-6, 6, size=(50, 2)).astype(np.float32)
    return network, X


def session_for(**changes) -> PlaygroundSession:
    config = replace(DEFAULT, **changes)
    return PlaygroundSession(config, pg.make_data(config))


def train_until_stopped(session: PlaygroundSession, epochs: int) -> None:
    # Slices of 20 epochs, as live updates train them (the time budget is never the limit here).
    while not session.stopped and session.epoch < epochs:
        session.train(60_000, max_epochs=20)


# ----------------------------------------------------------------------------- each check
def test_exploding_weights_over_the_inspectors_range():
    network, _ = relu_network()
    network.layers[1].weights[0, 2] = 999.0
    assert health.weight_problem(network) is None and health.largest_parameter(network) == 999.0
    network.layers[1].bias[1] = -1746.8
    problem = health.weight_problem(network)
    assert problem.kind == "weights" and "1,746.8 (" in problem.what and "±1,000" in problem.what


def test_exploding_gradients_from_the_records_norms():
    assert health.gradient_problem([record(1, 0.5, (3.0, 900.0, 1.0))]) is None
    problem = health.gradient_problem([record(1, 0.5), record(2, 0.5, (1.0, 2.0, 2500.0))])
    assert problem.kind == "gradients" and "layer 3" in problem.what and "2,500.0" in problem.what
    assert health.gradient_problem([]) is None


def test_a_relu_layer_is_dead_when_every_output_is_zero_on_the_data():
    network, X = relu_network()
    assert health.dead_layers(network, X) == []
    # Second hidden layer: weights 0 and bias -1, so z = -1 and ReLU(z) = 0 for every point.
    network.layers[1].weights[...] = 0.0
    network.layers[1].bias[...] = -1.0
    assert health.dead_layers(network, X) == [1]
    assert np.all(network.trace(X)[1].a == 0.0)
    # One unit alive (bias +1 gives it output 1 everywhere): the layer is not dead.
    network.layers[1].bias[2] = 1.0
    assert health.dead_layers(network, X) == []
    # First layer: a bias of -100 puts x·w + b below 0 on the whole [-6, 6]² plane.
    network.layers[0].bias[...] = -100.0
    assert float(np.abs(network.layers[0].weights).max()) < 10
    assert health.dead_layers(network, X) == [0]
    problem = health.dead_problem(network, X)
    assert "hidden layer 1" in problem.what and "(3 neurons)" in problem.what


def test_leaky_relu_and_tanh_layers_never_count_as_dead():
    network = Network([2, 3, 3, 1], ["leaky_relu", "tanh"], "sigmoid_bce", "he", rng=0)
    X = np.random.default_rng(1).uniform(-6, 6, size=(50, 2)).astype(np.float32)
    for layer in network.layers[:2]:
        layer.weights[...] = 0.0
        layer.bias[...] = -5.0
    assert health.dead_layers(network, X) == []


def test_the_loss_must_stay_far_above_its_start_for_several_epochs():
    network, X = relu_network()
    watch = health.HealthWatch(network, X, start_loss=0.7)
    # Over 2 x 0.7 = 1.4 for 4 epochs, then a good one: a bad patch, not a breakdown.
    assert watch.check([record(k, 1.5) for k in range(1, 5)] + [record(5, 0.6)], 0.03) is None
    # 5 in a row inside one slice that ends on a good epoch still counts.
    slice_ = [record(k, 3.0) for k in range(6, 11)] + [record(11, 0.6)]
    diagnosis = watch.check(slice_, 0.03)
    assert diagnosis and [p.kind for p in diagnosis.problems] == ["loss"]
    assert "reached 3, against 0.7" in diagnosis.message and "5 epochs in a row" in diagnosis.message


def test_the_streak_carries_across_slices():
    network, X = relu_network()
    watch = health.HealthWatch(network, X, start_loss=0.7)
    assert watch.check([record(1, 2.0), record(2, 2.0), record(3, 2.0)], 0.03) is None
    diagnosis = watch.check([record(4, 2.0), record(5, 2.0)], 0.03)
    assert diagnosis.title == "Training paused: the loss is far above where it started."


def test_diagnosis_names_the_cause_first_and_says_what_to_try():
    network, X = relu_network()
    network.layers[0].weights[0, 0] = 1746.8
    network.layers[1].weights[...] = 0.0
    network.layers[1].bias[...] = -1.0
    dead = (0.0, 0.0, 0.1)  # a dead layer passes no gradient to itself or the layers before it
    diagnosis = health.HealthWatch(network, X, 0.7).check([record(1, 0.8, dead)], learning_rate=10.0)
    assert diagnosis is None  # all of it was already there when the watch started
    watch = health.HealthWatch(*relu_network(), 0.7)
    watch.network.layers[0].weights[0, 0] = 1746.8
    watch.network.layers[1].weights[...] = 0.0
    watch.network.layers[1].bias[...] = -1.0
    diagnosis = watch.check([record(1, 0.8, dead)], learning_rate=10.0)
    assert [p.kind for p in diagnosis.problems] == ["weights", "dead"]
    assert diagnosis.title == "Training paused: the weights are exploding."
    assert "Lower the learning rate (try 1)" in diagnosis.message and "Reset" in diagnosis.message


def test_a_known_problem_is_reported_again_only_after_it_went_away():
    network, X = relu_network()
    watch = health.HealthWatch(network, X, 0.7)
    network.layers[1].bias[...] = -1000.0  # dead (its weights are small)
    dead = (0.0, 0.0, 0.1)  # a dead layer passes no gradient to itself or the layers before it
    assert watch.check([record(1, 0.7, dead)], 0.03).problems[0].kind == "dead"
    assert watch.check([record(2, 0.7, dead)], 0.03) is None  # still dead: already said
    network.layers[1].bias[...] = 1.0
    assert watch.check([record(3, 0.7)], 0.03) is None  # alive again
    network.layers[1].bias[...] = -1000.0
    assert watch.check([record(4, 0.7, dead)], 0.03).problems[0].kind == "dead"  # died again


def test_the_training_set_is_traced_only_when_a_hidden_gradient_is_zero(monkeypatch):
    """The dead-layer check is a forward pass over the whole training set: it runs on a live
    update only when a hidden layer's gradient norm is exactly 0 (as a dead layer's is)."""
    network, X = relu_network()
    watch = health.HealthWatch(network, X, 0.7)
    calls = []
    real_trace = network.trace
    monkeypatch.setattr(network, "trace", lambda X: calls.append(len(X)) or real_trace(X))
    assert watch.check([record(1, 0.7), record(2, 0.7)], 0.03) is None
    assert calls == []
    network.layers[1].bias[...] = -1000.0
    assert watch.check([record(3, 0.7, (0.0, 0.0, 0.1))], 0.03).problems[0].kind == "dead"
    assert calls == [50]


def test_a_zero_initialized_relu_network_is_dead_from_the_start_and_not_reported():
    session = session_for(activations=("relu", "relu"), init="zeros")
    assert health.dead_layers(session.network, session.X_train) == [0, 1]
    train_until_stopped(session, 40)
    assert session.diagnosis is None and session.epoch == 40


# ----------------------------------------------------------------------------- the live session
def test_moons_relu_at_learning_rate_10_pauses_with_an_explanation():
    """The issue's case: the first epoch throws the weights to ~10^10 (the inspector's default
    neuron gets the weight 1746.8) and every ReLU of the second layer dies; the loss stays finite."""
    session = session_for(activations=("relu", "relu"), learning_rate=10.0)
    train_until_stopped(session, 200)
    assert session.stopped and session.diverged and session.trainer.stop_kind is None  # not NaN
    assert session.epoch == 20  # the first slice
    assert session.network.layers[0].weights[0, 0] == pytest.approx(1746.8, abs=0.05)
    assert np.isfinite(session.trainer.history[-1].train_loss)
    assert [p.kind for p in session.diagnosis.problems] == ["weights", "dead"]
    assert session.stop_title == "Training paused: the weights are exploding."
    assert "hidden layer 2" in session.stop_reason and "(try 1)" in session.stop_reason
    assert session.train(100, 10) == []  # stays paused until resumed
    # Play again without changing anything: what is known does not pause it again.
    session.resume()
    assert session.diagnosis is None
    session.train(60_000, max_epochs=5)
    assert not session.stopped and session.epoch == 25


def test_moons_tanh_at_learning_rate_10_pauses_on_the_loss():
    session = session_for(learning_rate=10.0)
    train_until_stopped(session, 400)
    assert session.stopped and [p.kind for p in session.diagnosis.problems] == ["loss"]
    assert session.epoch < 400


def test_a_learning_rate_dragged_to_10_after_training_pauses():
    session = session_for(activations=("relu", "relu"))
    train_until_stopped(session, 60)
    assert not session.stopped
    session.update(replace(session.config, activations=("relu", "relu"), learning_rate=10.0))
    train_until_stopped(session, 200)
    assert session.stopped and session.diagnosis.problems[0].kind == "weights"


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"activations": ("relu", "relu")},
        {"dataset": "spiral", "activations": ("relu", "relu"), "optimizer": "adam"},
        {"dataset": "circles", "activations": ("sigmoid", "sigmoid"), "learning_rate": 0.3},
        {"dataset": "plane", "activations": ("relu", "relu")},
    ],
)
def test_runs_that_learn_are_never_paused(changes):
    session = session_for(**changes)
    train_until_stopped(session, 300)
    assert not session.stopped and session.epoch == 300


def test_numbers_in_the_messages_are_readable():
    assert health.readable(1746.84) == "1,746.8"
    assert health.readable(-7.994e13) == "-8.0 × 10¹³"
    assert health.readable(2.5e-3) == "0.0025" and health.readable(13.0) == "13.0"
    assert health.readable(1.0e6) == "1.0 × 10⁶"


def test_no_gradient_reaching_the_hidden_layers_for_50_epochs_is_a_stall():
    network, X = relu_network()
    watch = health.HealthWatch(network, X, 0.7)
    learning = [record(1, 0.6, (0.2, 0.1, 0.3))]
    blocked = [record(k, 0.7, (0.0, 0.0, 0.3)) for k in range(2, 51)]  # 49 epochs
    assert watch.check(learning + blocked, 0.03) is None
    diagnosis = watch.check([record(51, 0.7, (0.0, 0.0, 0.3))], 10.0)
    assert [p.kind for p in diagnosis.problems] == ["stalled"] and "50 epochs" in diagnosis.message
    # A network that never had a hidden gradient (built stuck) is not a run that broke.
    never = health.HealthWatch(*relu_network(), 0.7)
    assert never.check([record(k, 0.7, (0.0, 0.0, 0.3)) for k in range(1, 200)], 0.03) is None
    # Converged so well that the output's gradient is 0 too: nothing is stuck.
    done = health.HealthWatch(*relu_network(), 0.7)
    assert done.check(learning + [record(k, 0.0, (0.0, 0.0, 0.0)) for k in range(2, 200)], 0.03) is None


def test_a_relu_network_stuck_with_a_few_live_units_pauses_on_the_stall():
    """168 epochs at 0.03, then 10: two ReLUs of the second layer stay alive on a few points, the
    weights stay under 1,000, and no gradient reaches the hidden layers any more."""
    session = session_for(activations=("relu", "relu"))
    session.train(60_000, max_epochs=168)
    session.update(replace(session.config, learning_rate=10.0))
    train_until_stopped(session, 500)
    kinds = [p.kind for p in session.diagnosis.problems]
    assert kinds == ["stalled"] and health.largest_parameter(session.network) < 1000
    assert health.dead_layers(session.network, session.X_train) == []
    assert session.stop_title == "Training paused: no gradient reaches the hidden layers."
