"""The Playground's experiments (core/playground/experiments/): fair, bounded in time, correct outputs."""

import time
from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.engine import Network, Trainer
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
    metrics = [r.val_metric for r in rows]
    assert metrics == sorted(metrics, reverse=True)  # best first, on the validation split
    by_shape = {r.hidden: r for r in rows}
    assert by_shape[(8, 8)].parameters == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert by_shape[()].parameters == 3
    assert by_shape[(8, 8)].val_metric >= by_shape[()].val_metric
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
    # alpha = l2 * batch size: scikit-learn divides its penalty by the batch size (see below)
    assert params["alpha"] == pytest.approx(0.1) and params["random_state"] == DEFAULT.seed
    assert params["batch_size"] == 10 and params["learning_rate_init"] == 0.03
    assert notes == []
    # 250 % 10 == 0: no short batch; 255 leaves one of 5, regularised twice as much by scikit-learn
    _, notes = experiments.sklearn_estimator(config, "binary", 255)
    assert notes == [
        "The last batch of each epoch has 5 samples: scikit-learn regularises it 2× more than ours."
    ]


def _one_sgd_step_each(config, task, alpha=None):
    """From the same float64 weights, one SGD step of the engine (the panel's trainer options) and
    one of the panel's scikit-learn estimator, on the same batch: both sides' new weights."""
    dataset = pg.make_data(config)
    batch = config.batch_size
    X = dataset.X_train[:batch].astype(np.float64)
    y = dataset.y_train[:batch]
    head, _ = pg.resolve_head(config, task)
    n_out = 1 if task != "multiclass" else dataset.n_classes
    net = Network(
        [X.shape[1], *config.hidden, n_out],
        list(config.activations),
        head,
        config.init,
        rng=1,
        dtype=np.float64,
    )
    start_w = [w.copy() for w in net.weights]
    start_b = [layer.bias.copy() for layer in net.layers]
    trainer = Trainer(net, X, y, **pg.trainer_options(config, len(X)))
    trainer.train_epochs(1)  # one epoch of one batch: one step

    model, _ = experiments.sklearn_estimator(config, task, len(X))
    model.set_params(shuffle=False, **({} if alpha is None else {"alpha": alpha}))
    classes = np.arange(max(2, dataset.n_classes))  # all of them, as the panel passes
    fit = (
        (lambda: model.partial_fit(X, y, classes=classes))
        if task != "regression"
        else (lambda: model.partial_fit(X, y))
    )
    fit()  # sets scikit-learn up (and takes a first step, which the next lines overwrite)
    model.coefs_[:] = [w.copy() for w in start_w]
    model.intercepts_[:] = [b.copy() for b in start_b]
    fit()
    return net, model


@pytest.mark.parametrize(
    "dataset, task", [("moons", "binary"), ("blobs", "multiclass"), ("plane", "regression")]
)
def test_sklearn_takes_the_same_regularised_step_as_ours(dataset, task):
    # the panel's claim, proved: same objective, so one plain SGD step from the same weights on the
    # same batch gives the same weights on both sides (float64, so only rounding differs)
    config = replace(
        DEFAULT,
        dataset=dataset,
        hidden=(4, 3),
        activations=("tanh", "tanh"),
        optimizer="sgd",
        l2=0.05,
        learning_rate=0.1,
        batch_size=10,
    )
    net, model = _one_sgd_step_each(config, task)
    for layer, w, b in zip(net.layers, model.coefs_, model.intercepts_):
        np.testing.assert_allclose(layer.weights, w, rtol=0, atol=1e-6)
        np.testing.assert_allclose(layer.bias, b, rtol=0, atol=1e-6)
    # and the old alpha = l2 (10x less regularised) does not: the check can fail
    net, model = _one_sgd_step_each(config, task, alpha=config.l2)
    gap = max(np.abs(layer.weights - w).max() for layer, w in zip(net.layers, model.coefs_))
    assert gap > 1e-4


def test_compare_is_bounded_in_time():
    config = replace(DEFAULT, n_samples=5000, hidden=(64, 64), activations=("tanh", "tanh"))
    session = PlaygroundSession(config, pg.make_data(config))
    started = time.perf_counter()
    result = experiments.compare_with_sklearn(session, epochs=2000, time_budget_s=0.5, resolution=20)
    assert time.perf_counter() - started < 3.0
    assert result.epochs < 2000 and any("time budget" in n for n in result.notes)
    assert result.ours_epochs < 2000
