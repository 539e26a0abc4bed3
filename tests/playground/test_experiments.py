"""The Playground's experiments (core/playground/experiments/): fair, bounded in time, correct outputs."""

import time
from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.playground import DEFAULT, PlaygroundSession, experiments


@pytest.fixture(scope="module")
def moons():
    return pg.make_data(DEFAULT)


def test_optimizer_race_same_start_same_data(moons):
    results = experiments.optimizer_race(
        DEFAULT, moons, ["sgd", "momentum", "adam"], epochs=60, time_budget_s=10
    )
    assert [r.name for r in results] == ["sgd", "momentum", "adam"]
    # same data, same starting weights: identical loss before the first step
    assert len({r.test_loss[0] for r in results}) == 1 and len({r.train_loss[0] for r in results}) == 1
    for r in results:
        assert r.epochs[0] == 0 and r.epochs[-1] == 60
        assert r.test_loss[-1] < r.test_loss[0]
        assert 0 <= r.test_metric <= 1 and r.seconds > 0
    assert len({round(r.test_loss[-1], 6) for r in results}) == 3  # they did differ


def test_optimizer_race_respects_its_time_budget(moons):
    started = time.perf_counter()
    results = experiments.optimizer_race(DEFAULT, moons, ["sgd", "adam"], epochs=5000, time_budget_s=0.5)
    assert time.perf_counter() - started < 2.0
    assert all(r.epochs[-1] < 5000 for r in results)
    # turn-taking slices: both progressed about as far
    assert abs(results[0].epochs[-1] - results[1].epochs[-1]) <= 0.5 * max(results[0].epochs[-1], 10)
    with pytest.raises(ValueError):
        experiments.optimizer_race(DEFAULT, moons, [], epochs=10)


def test_race_with_per_optimizer_learning_rates(moons):
    results = experiments.optimizer_race(
        DEFAULT, moons, ["sgd", "adam"], epochs=5, learning_rates={"adam": 0.001}
    )
    assert [r.learning_rate for r in results] == [DEFAULT.learning_rate, 0.001]


def test_architecture_search_table(moons):
    rows = experiments.architecture_search(DEFAULT, moons, [(1,), (8, 8), ()], epochs=80, time_budget_s=10)
    assert len(rows) == 3
    metrics = [r.test_metric for r in rows]
    assert metrics == sorted(metrics, reverse=True)  # best first
    by_shape = {r.hidden: r for r in rows}
    assert by_shape[(8, 8)].parameters == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert by_shape[()].parameters == 3
    assert by_shape[(8, 8)].test_metric >= by_shape[()].test_metric
    assert all(r.finished and r.epochs == 80 for r in rows)


def test_architecture_search_is_bounded_in_time(moons):
    started = time.perf_counter()
    rows = experiments.architecture_search(
        DEFAULT, moons, [(64, 64), (128, 128)], epochs=5000, time_budget_s=1.0
    )
    assert time.perf_counter() - started < 3.0
    assert all(not r.finished and r.note == "time up" for r in rows)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2; 4; 8,8", [(2,), (4,), (8, 8)]),
        ("8 8\n16", [(8, 8), (16,)]),
        ("none; 4; 4", [(), (4,)]),
    ],
)
def test_parse_candidates(text, expected):
    assert experiments.parse_candidates(text) == expected


@pytest.mark.parametrize(
    "text", ["", "a,b", "300", "1,2,3,4,5,6,7,8,9", "0,4", ";".join(str(k) for k in range(1, 30))]
)
def test_parse_candidates_refuses(text):
    with pytest.raises(ValueError):
        experiments.parse_candidates(text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("4; a,b", ["whole numbers", "'a,b'"]),
        ("8; 0,4", [f"1 to {pg.MAX_NEURONS} neurons", "got 0"]),
        ("1,2,3,4,5,6,7,8,9", ["at most", "hidden layers"]),
        ("; ;", ["at least one architecture"]),
    ],
)
def test_parse_candidates_says_what_is_wrong(text, words):
    with pytest.raises(ValueError) as error:
        experiments.parse_candidates(text)
    assert all(word in str(error.value) for word in words), str(error.value)


def test_boundary_frames_follow_training(moons):
    recording = experiments.boundary_frames(DEFAULT, moons, epochs=40, frames=5, time_budget_s=10)
    assert recording.epochs == [0, 10, 20, 30, 40]
    assert len(recording.boundaries) == len(recording.test_losses) == 5
    assert recording.boundaries[0].values.shape == (60, 60) and recording.dataset is moons
    assert recording.test_losses[-1] < recording.test_losses[0]  # moons: the test loss falls
    assert np.abs(recording.boundaries[-1].values - recording.boundaries[0].values).mean() > 0.01
    # the same starting weights as the page after Reset
    assert recording.test_losses[0] == pytest.approx(PlaygroundSession(DEFAULT, moons).latest.test_loss)


def test_boundary_frames_are_bounded_in_time(moons):
    config = replace(DEFAULT, hidden=(128, 128), activations=("tanh", "tanh"))
    started = time.perf_counter()
    recording = experiments.boundary_frames(config, moons, epochs=3000, frames=60, time_budget_s=1.0)
    assert time.perf_counter() - started < 4.0
    assert 1 <= len(recording.boundaries) < 60 and recording.epochs[-1] < 3000


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"dataset": "blobs"},
        {"dataset": "plane"},
        {"optimizer": "adam"},
        {"optimizer": "rmsprop", "l1": 0.001},
    ],
)
def test_compare_with_sklearn(changes):
    config = replace(DEFAULT, **changes)
    session = PlaygroundSession(config, pg.make_data(config))
    session.train_epochs(20)
    result = experiments.compare_with_sklearn(session, epochs=20, time_budget_s=10, resolution=30)
    assert result.epochs == 20 and result.seconds > 0
    assert result.boundary.values.shape == (30, 30)
    assert result.boundary.task == session.display_task
    # ours: a fresh copy trained as long, not the live session (left untouched at epoch 20)
    assert result.ours_epochs == 20 and session.epoch == 20
    assert result.ours_boundary.values.shape == (30, 30) and result.ours_seconds > 0
    np.testing.assert_allclose(result.ours_test_metric, session.latest.test_metric, atol=1e-6)
    if session.task == "regression":
        assert result.test_metric <= 1
    else:
        assert 0 <= result.test_metric <= 1
    if "rmsprop" in changes.get("optimizer", ""):
        assert any("rmsprop" in note for note in result.notes)
        assert any("L1" in note for note in result.notes)


def test_sklearn_estimator_matches_the_config():
    config = replace(
        DEFAULT, hidden=(5, 3), activations=("sigmoid", "sigmoid"), optimizer="nesterov", l2=0.01
    )
    model, notes = experiments.sklearn_estimator(config, "binary", 250)
    params = model.get_params()
    assert params["hidden_layer_sizes"] == (5, 3) and params["activation"] == "logistic"
    assert params["solver"] == "sgd" and params["nesterovs_momentum"] and params["momentum"] == 0.9
    assert params["alpha"] == 0.01 and params["random_state"] == DEFAULT.seed
    assert params["batch_size"] == 10 and params["learning_rate_init"] == 0.03
    assert notes == []


def test_compare_is_bounded_in_time():
    config = replace(DEFAULT, n_samples=5000, hidden=(64, 64), activations=("tanh", "tanh"))
    session = PlaygroundSession(config, pg.make_data(config))
    started = time.perf_counter()
    result = experiments.compare_with_sklearn(session, epochs=2000, time_budget_s=0.5, resolution=20)
    assert time.perf_counter() - started < 3.0
    assert result.epochs < 2000 and any("time budget" in n for n in result.notes)
    assert result.ours_epochs < 2000
