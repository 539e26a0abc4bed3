"""Cutting a live update into frames (core/playground/live_frames_pacing.py): how many pictures
each student gets, and the epochs a training budget buys."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.playground import live_frames_pacing as frames
from core.playground.pacing import plan_update


def test_one_student_gets_the_target_frame_rate():
    count = frames.frames_per_update(0.25, 75, 1, 0.0005)
    assert count == math.ceil(frames.TARGET_FPS * 0.25)  # 15 frames per 0.25 s: 60 per second


def test_a_crowded_server_gives_fewer_frames_but_never_under_the_floor():
    light = frames.frames_per_update(0.5, 100, 1, 0.0005)
    crowded = frames.frames_per_update(0.5, 100, 30, 0.0005)
    swamped = frames.frames_per_update(0.5, 100, 500, 0.002)
    assert light > crowded >= swamped
    assert crowded == math.ceil(frames.FRAME_SHARE / (30 * 0.0005) * 0.5)  # 6.7 per second each
    assert swamped == math.ceil(frames.MIN_FPS * 0.5)  # never under MIN_FPS
    # the frames of all 30 students fit in the frame share of one core
    # (within the one frame per update that rounding up may add)
    assert 30 * (crowded - 1) / 0.5 * 0.0005 <= frames.FRAME_SHARE + 1e-9


def test_frames_never_outnumber_epochs_or_the_cap():
    assert frames.frames_per_update(0.9, 3, 1, 0.0001) == 3
    assert frames.frames_per_update(5.0, 10_000, 1, 0.0001) == frames.MAX_FRAMES
    assert frames.frames_per_update(float("nan"), 10, 1, float("inf")) >= 1


@given(st.integers(0, 500), st.integers(1, 40))
def test_split_epochs_adds_up_and_is_even(epochs, parts):
    slices = frames.split_epochs(epochs, parts)
    assert len(slices) == parts and min(slices) >= 1
    assert sum(slices) == max(epochs, parts)
    assert max(slices) - min(slices) <= 1


def test_the_epoch_rate_does_not_depend_on_the_interval():
    slow = plan_update(1, 0.005, 30, min_interval=frames.LIVE_MIN_INTERVAL)
    assert slow.interval_s == pytest.approx(frames.LIVE_MIN_INTERVAL)
    assert slow.max_epochs / slow.interval_s == pytest.approx(300)  # 30 per 0.1 s, as before


def test_the_training_budget_becomes_epochs_at_the_measured_cost():
    assert frames.epochs_for_budget(60.0, 0.0006, 75) == 75  # 100 fit: capped at the plan's 75
    assert frames.epochs_for_budget(6.0, 0.0006, 75) == 10
    assert frames.epochs_for_budget(0.1, 0.0006, 75) == 1  # always at least one
    assert frames.epochs_for_budget(6.0, None, 40) == 40  # not measured yet
    assert frames.epochs_for_budget(float("nan"), 0.001, 40) == 1


def test_the_live_budget_shrinks_with_the_machines_load():
    full = frames.LIVE_BUDGET_FRACTION
    assert frames.live_budget_fraction(0.5, 2) == full  # a core per runnable task: all of it
    assert frames.live_budget_fraction(4.0, 2) == pytest.approx(full / 2)  # twice as many tasks
    assert frames.live_budget_fraction(100.0, 2) == pytest.approx(full / 3)  # never under a third
    assert frames.live_budget_fraction(float("nan"), None) == full


def test_an_update_stops_training_well_before_the_next_tick():
    assert frames.deadline_s(0.9) == pytest.approx(0.54)
    assert frames.deadline_s(0.25) == pytest.approx(0.15)
    # no timer known (or a broken value): the fastest interval's deadline, never 0 or negative
    for broken in (0.0, -1.0, float("nan"), float("inf")):
        assert frames.deadline_s(broken) == pytest.approx(0.6 * frames.LIVE_MIN_INTERVAL)
