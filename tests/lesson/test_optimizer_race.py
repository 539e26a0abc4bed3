"""The optimizer race: engine optimizers on a 2-vector, their state, and Adam's first step."""

import numpy as np
import pytest

from core.lesson.descent import SURFACES
from core.lesson.optimizer_race import HYPERPARAMETERS, make_lesson_optimizer, race, run_optimizer

RAVINE = SURFACES["ravine"]  # start (2, 0.5), gradient there (2, 10)


def test_race_runs_every_engine_optimizer_from_the_same_start():
    runs = race(RAVINE, HYPERPARAMETERS, steps=30)
    assert [r.name for r in runs] == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    for run in runs:
        np.testing.assert_array_equal(run.points[0], [2.0, 0.5])
        assert run.losses[-1] < run.losses[0]  # the defaults all make progress on the ravine


def test_sgd_first_step_by_hand():
    run = run_optimizer(RAVINE, "sgd", {"learning_rate": 0.05}, steps=1)
    np.testing.assert_allclose(run.points[1], [2 - 0.05 * 2, 0.5 - 0.05 * 10], atol=1e-12)
    assert run.states[0] == {}


def test_momentum_velocity_after_two_steps_by_hand():
    run = run_optimizer(RAVINE, "momentum", {"learning_rate": 0.01, "momentum": 0.9}, steps=2)
    v1 = -0.01 * np.array([2.0, 10.0])
    p1 = np.array([2.0, 0.5]) + v1  # (1.98, 0.4)
    v2 = 0.9 * v1 - 0.01 * np.array([1.0, 20.0]) * p1
    np.testing.assert_allclose(run.states[0]["velocity v"], v1, atol=1e-12)
    np.testing.assert_allclose(run.states[1]["velocity v"], v2, atol=1e-12)
    np.testing.assert_allclose(run.points[2], p1 + v2, atol=1e-12)


def test_adagrad_and_rmsprop_state_by_hand():
    g = np.array([2.0, 10.0])
    adagrad = run_optimizer(RAVINE, "adagrad", {"learning_rate": 0.5, "epsilon": 1e-8}, steps=1)
    np.testing.assert_allclose(adagrad.states[0]["G = sum of g²"], g**2)
    rmsprop = run_optimizer(RAVINE, "rmsprop", {"learning_rate": 0.05, "rho": 0.9, "epsilon": 1e-8}, steps=1)
    np.testing.assert_allclose(rmsprop.states[0]["s = running mean of g²"], 0.1 * g**2)


def test_adam_first_step_moves_every_weight_by_the_learning_rate():
    lr = 0.1
    run = run_optimizer(RAVINE, "adam", dict(HYPERPARAMETERS["adam"], learning_rate=lr), steps=1)
    g = run.gradients[0]
    np.testing.assert_allclose(g, [2.0, 10.0])  # gradients 5x apart ...
    np.testing.assert_allclose(run.points[1] - run.points[0], -lr * np.sign(g), atol=1e-6)  # ... same step
    state = run.states[0]
    np.testing.assert_allclose(state["m"], 0.1 * g, rtol=1e-12)
    np.testing.assert_allclose(state["v"], 0.001 * g**2, rtol=1e-9)
    np.testing.assert_allclose(state["m-hat = m / (1 - β1^t)"], g, rtol=1e-12)
    np.testing.assert_allclose(state["v-hat = v / (1 - β2^t)"], g**2, rtol=1e-9)


def test_adam_bias_correction_at_step_two():
    run = run_optimizer(RAVINE, "adam", HYPERPARAMETERS["adam"], steps=2)
    g1, g2 = run.gradients
    m2 = 0.9 * 0.1 * g1 + 0.1 * g2
    v2 = 0.999 * 0.001 * g1**2 + 0.001 * g2**2
    np.testing.assert_allclose(run.states[1]["m"], m2, rtol=1e-9)
    np.testing.assert_allclose(run.states[1]["m-hat = m / (1 - β1^t)"], m2 / (1 - 0.9**2), rtol=1e-9)
    step = -0.1 * (m2 / 0.19) / (np.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(run.points[2] - run.points[1], step, rtol=1e-9)


def test_bad_hyperparameters_raise_a_clear_error():
    with pytest.raises(ValueError, match="optimizer must be one of"):
        make_lesson_optimizer("lion", {"learning_rate": 0.1})
    with pytest.raises(ValueError):
        make_lesson_optimizer("momentum", {"learning_rate": 0.1, "momentum": 1.5})
