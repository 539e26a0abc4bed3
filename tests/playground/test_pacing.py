"""Pacing of live updates (core/playground/pacing.py): the interval and training budget adapt to the load."""

import math
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.playground import pacing
from core.playground.config import MAX_EPOCHS_PER_UPDATE
from core.playground.pacing import LiveTimer, LoadMonitor, choose_interval, plan_update


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


# ----------------------------------------------------------------------------- choose_interval
def test_one_cheap_session_gets_the_fastest_rate():
    assert choose_interval(1, 0.02) == pytest.approx(0.1)


def test_interval_grows_with_sessions_and_cost():
    assert choose_interval(5, 0.05) == pytest.approx(5 * 0.05 / 0.7)
    assert choose_interval(5, 0.10) == pytest.approx(2 * choose_interval(5, 0.05))
    assert choose_interval(10, 0.05) > choose_interval(5, 0.05)
    # cheap updates: the process-wide cap of ~40 updates/s decides
    assert choose_interval(10, 0.001) == pytest.approx(10 / 40)


def test_interval_is_clamped():
    assert choose_interval(1000, 0.5) == pacing.MAX_INTERVAL
    assert choose_interval(1, 0.0) == pacing.MIN_INTERVAL
    assert choose_interval(3, 0.05, min_interval=0.5, max_interval=0.6) == 0.5


@pytest.mark.parametrize(
    "sessions, cost",
    [(0, 0.02), (-3, 0.02), (math.nan, 0.02), (1, math.nan), (1, -1.0), (1, math.inf), ("x", None)],
)
def test_interval_survives_nonsense(sessions, cost):
    value = choose_interval(sessions, cost)
    assert pacing.MIN_INTERVAL <= value <= pacing.MAX_INTERVAL


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 500), st.floats(0.001, 0.3), st.floats(0.1, 1.0))
def test_total_demand_stays_within_budget(sessions, cost, fraction):
    """Unless clamped at the slowest rate, N sessions x cost / interval <= budget_fraction."""
    interval = choose_interval(sessions, cost, budget_fraction=fraction)
    if interval < pacing.MAX_INTERVAL:
        assert sessions * cost / interval <= fraction * (1 + 1e-9)
        assert sessions / interval <= pacing.PROCESS_UPDATES_PER_SECOND * (1 + 1e-9)


# ----------------------------------------------------------------------------- plan_update
def test_single_session_plan_is_fast_and_bounded():
    plan = plan_update(1, 0.015, 10)
    assert plan.interval_s == pytest.approx(0.1)
    assert plan.updates_per_second == pytest.approx(10)
    assert pacing.MIN_TICK_BUDGET_MS <= plan.budget_ms <= pacing.MAX_TICK_BUDGET_MS
    # what fits in 70 % of a core at 10 updates per second: 70 ms - 15 ms of redraw
    assert plan.budget_ms == pytest.approx(55, abs=1)
    assert plan.max_epochs == 10


def test_busier_server_means_rarer_updates_within_the_budget():
    plans = [plan_update(n, 0.02, 10) for n in (1, 2, 5, 20, 60)]
    intervals = [p.interval_s for p in plans]
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0]
    assert plans[-1].budget_ms < plans[0].budget_ms  # a crowded server trains less per update
    for p in plans:
        if p.interval_s < pacing.BALANCED_UNTIL:  # not crowded: train as long as we redraw
            assert p.budget_ms >= pacing.TRAINING_TO_OVERHEAD * 20 - 1e-9
    epochs = [p.max_epochs for p in plans]
    assert epochs == sorted(epochs) and epochs[-1] > epochs[0]  # more epochs per update
    for n, p in zip((1, 2, 5, 20, 60), plans):
        if p.budget_ms > pacing.MIN_TICK_BUDGET_MS:  # total demand within the process budget
            assert n * (0.02 + p.budget_ms / 1000) / p.interval_s <= pacing.BUDGET_FRACTION + 1e-6


def test_a_class_of_30_keeps_one_update_per_second_within_the_budget():
    """The classroom target: 30 students on one process, redraws of ~20 ms each."""
    plan = plan_update(30, 0.02, 20)
    assert plan.updates_per_second > 1.0
    assert plan.budget_ms == pytest.approx(pacing.MIN_TICK_BUDGET_MS, abs=2)  # training shrinks
    # within the budget, but for the minimum training slice every update keeps (2 ms)
    assert 30 * (0.02 + plan.budget_ms / 1000) / plan.interval_s <= pacing.BUDGET_FRACTION + 0.05


def test_interval_snaps_to_levels_and_budget_follows_the_timer_in_force():
    assert {plan_update(n, 0.02, 10).interval_s for n in range(1, 60)} <= set(pacing.INTERVAL_LEVELS)
    fresh = plan_update(2, 0.02, 10)  # wanted: 2 * 0.04 / 0.7 = 0.114 s -> level 0.15
    assert fresh.interval_s == 0.15
    slow_timer = plan_update(2, 0.02, 10, interval_in_force=0.9)
    fast_timer = plan_update(2, 0.02, 10, interval_in_force=0.1)
    assert slow_timer.interval_s == 0.15  # what the next full run will ask for: speed up
    assert fast_timer.interval_s == 0.1  # 0.114 is within 30 % of 0.1: keep the timer
    assert slow_timer.budget_ms > fast_timer.budget_ms  # what fits before the next tick now
    assert slow_timer.max_epochs == 9 * fast_timer.max_epochs


def test_interval_levels_have_hysteresis():
    """A cost wobbling around a level boundary must not flip the timer (a full run each time)."""
    n = 15  # liveness mode: wanted = max(0.5, n * overhead / 0.7)
    at_boundary = plan_update(n, 0.0235, 20)  # 0.504 s wanted: the 0.7 level
    assert at_boundary.interval_s == 0.7
    assert plan_update(n, 0.0235, 20, interval_in_force=0.5).interval_s == 0.5  # stays
    assert plan_update(n, 0.0320, 20, interval_in_force=0.5).interval_s == 0.7  # 0.69: moves
    # speeding up needs the slack too: 0.45 * 1.3 = 0.585 does not fit the 0.5 level
    assert plan_update(n, 0.0210, 20, interval_in_force=0.7).interval_s == 0.7
    assert plan_update(n, 0.0150, 20, interval_in_force=0.7).interval_s == 0.5


def test_two_processes_serve_each_student_faster_than_one():
    """Half the students per process (2 workers behind nginx): a faster level for everyone."""
    one, two = plan_update(30, 0.02, 20), plan_update(15, 0.02, 20)
    assert two.updates_per_second >= 1.6 * one.updates_per_second


def test_epochs_per_update_is_capped_at_the_configs_bound():
    assert plan_update(500, 0.05, 400).max_epochs == MAX_EPOCHS_PER_UPDATE
    assert plan_update(1, 0.01, 1).max_epochs == 1


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 1000), st.floats(0.0, 1.0), st.integers(1, 500))
def test_plan_is_always_within_bounds(sessions, overhead, epochs):
    plan = plan_update(sessions, overhead, epochs)
    assert pacing.MIN_INTERVAL <= plan.interval_s <= pacing.MAX_INTERVAL
    assert pacing.MIN_TICK_BUDGET_MS <= plan.budget_ms <= pacing.MAX_TICK_BUDGET_MS
    assert 1 <= plan.max_epochs <= MAX_EPOCHS_PER_UPDATE
    assert plan.max_epochs >= min(epochs, MAX_EPOCHS_PER_UPDATE)


# ----------------------------------------------------------------------------- LoadMonitor
def test_monitor_counts_heartbeats_and_expires_stale_ones():
    clock = FakeClock()
    monitor = LoadMonitor(stale_after=5.0, clock=clock)
    monitor.heartbeat("a")
    monitor.heartbeat("b")
    assert monitor.active_sessions() == 2
    clock.now += 3
    monitor.heartbeat("a")
    clock.now += 3  # b is now 6 s old
    assert monitor.active_sessions() == 1
    monitor.leave("a")
    assert monitor.active_sessions() == 0
    monitor.leave("never-seen")  # harmless


def test_monitor_moving_average_of_update_cost():
    monitor = LoadMonitor(ema_alpha=0.5, initial_cost_s=0.0)
    monitor.record_update(0.1, training_s=0.06)
    assert monitor.update_cost_s == pytest.approx(0.05)
    assert monitor.overhead_s == pytest.approx(0.02)
    monitor.record_update(0.1, training_s=0.06)
    assert monitor.update_cost_s == pytest.approx(0.075)
    monitor.record_update(math.nan)  # ignored
    assert monitor.snapshot()["updates"] == 2
    with pytest.raises(ValueError):
        LoadMonitor(ema_alpha=0)


def test_monitor_plan_registers_the_session():
    clock = FakeClock()
    monitor = LoadMonitor(clock=clock)
    for sid in "abcd":
        plan = monitor.plan(sid, 10, overhead_s=0.02)
    assert plan.active_sessions == 4
    assert plan.interval_s > plan_update(1, 0.02, 10).interval_s


def test_monitor_memory_is_bounded():
    clock = FakeClock()
    monitor = LoadMonitor(stale_after=1.0, clock=clock, max_sessions=100)
    for k in range(1000):
        clock.now += 0.01
        monitor.heartbeat(f"s{k}")
    assert len(monitor._beats) <= 101 + 100  # stale ones dropped whenever the table is full


def test_monitor_is_thread_safe():
    monitor = LoadMonitor(stale_after=60.0)
    errors = []

    def student(k):
        try:
            for i in range(300):
                monitor.plan(f"s{k}", 10)
                monitor.record_update(0.02 + 0.001 * (i % 5), 0.01)
                if i % 50 == 0:
                    monitor.snapshot()
        except Exception as error:  # noqa: BLE001 - any error in this thread must reach the assertion below
            errors.append(error)

    threads = [threading.Thread(target=student, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert monitor.active_sessions() == 16
    assert monitor.snapshot()["updates"] == 16 * 300
    assert 0.02 <= monitor.update_cost_s <= 0.025


def test_update_cost_is_cpu_based_until_the_server_is_swamped():
    # normal contention: wall ~2.5 x CPU -> the CPU term (x SERVER_CPU_PER_SCRIPT_CPU)
    assert pacing.update_cost(0.012, 0.030) == pytest.approx(0.012 * pacing.SERVER_CPU_PER_SCRIPT_CPU)
    # swamped: an update waited 10 x its CPU time -> the wall term, so pacing backs off
    assert pacing.update_cost(0.012, 0.120) == pytest.approx(0.120 * pacing.WALL_SHARE)
    assert pacing.update_cost(float("nan"), -1.0) == 0.0


# ----------------------------------------------------------------------------- LiveTimer
def test_a_paused_session_or_the_same_level_never_asks_for_a_full_run():
    clock = FakeClock()
    paused = LiveTimer(None, clock())
    running = LiveTimer(0.25, clock())
    clock.now += 60
    assert not paused.needs_new_interval(0.5, clock())
    assert not running.needs_new_interval(0.25, clock())


def test_speeding_up_waits_until_the_level_has_held():
    clock = FakeClock()
    timer = LiveTimer(0.5, clock())
    clock.now += pacing.LEVEL_HOLD_S - 0.1
    assert not timer.needs_new_interval(0.1, clock())  # 5x faster wanted: still wait
    clock.now += 0.2
    assert timer.needs_new_interval(0.1, clock())


def test_a_small_back_off_waits_too():
    clock = FakeClock()
    timer = LiveTimer(0.25, clock())
    clock.now += 10.0
    assert not timer.needs_new_interval(0.35, clock())  # 1.4x slower: not urgent
    clock.now += pacing.LEVEL_HOLD_S - 10.0 + 0.1
    assert timer.needs_new_interval(0.35, clock())


def test_backing_off_twice_as_far_apart_is_urgent_after_two_seconds():
    """A whole class presses Play: the first sessions planned for an empty server back off fast."""
    clock = FakeClock()
    timer = LiveTimer(0.25, clock())
    clock.now += pacing.BACK_OFF_AFTER_S  # right after the full run: not yet (it may be a blip)
    assert not timer.needs_new_interval(0.5, clock())
    clock.now += 0.1
    assert timer.needs_new_interval(0.5, clock())  # exactly BACK_OFF_FACTOR x: urgent
    assert timer.needs_new_interval(0.9, clock())
    assert not timer.needs_new_interval(0.35, clock())  # less than 2x: waits for the hold


def test_timer_rule_with_other_bounds():
    timer = LiveTimer(0.1, registered_at=0.0)
    assert timer.needs_new_interval(0.35, 1.5, back_off_factor=3.0, back_off_after_s=1.0)
    assert not timer.needs_new_interval(0.25, 1.5, back_off_factor=3.0, back_off_after_s=1.0)
    assert timer.needs_new_interval(0.15, 6.0, hold_s=5.0)


def test_the_monitor_averages_frame_costs():
    monitor = pacing.LoadMonitor(ema_alpha=0.5)
    monitor.record_frames(0.004, 4)
    assert monitor.frame_cost_s == pytest.approx((pacing.TYPICAL_FRAME_COST_S + 0.001) / 2)
    monitor.record_frames(float("nan"), 3)
    monitor.record_frames(0.01, 0)
    assert monitor.snapshot()["frame_cost_s"] == pytest.approx(monitor.frame_cost_s)
