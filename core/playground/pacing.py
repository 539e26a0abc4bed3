"""Pacing of live training: how often a session redraws, and how much it trains per redraw.

One Streamlit process serves every student. Each live update of the Playground (a run of the
`run_every` fragment) costs Python time: training plus the frames it sends (the network after
each slice of training, as numbers the browser draws: core/figures/live_frames.py) and the
serialization. Python runs one thread at a time (the GIL), so the students of a process share
one core's worth of Python: if every student asked for the same rate regardless, thirty would
queue up behind each other and every page would stutter.

So the update interval adapts to the load:

- `LoadMonitor` counts the sessions that are training right now (each one sends a heartbeat on
  every update; silent ones expire after a few seconds) and keeps an exponential moving average
  of what an update costs.
- `choose_interval` spreads the process's budget over the active sessions: with N sessions
  each costing c seconds per update, updating every N * c / budget_fraction seconds keeps the
  total demand at `budget_fraction` of one core.
- `plan_update` turns that into a plan for one session: the interval, the training time budget
  of one update (what is left of the session's share after the redraw), and the epochs per
  update. When updates become rarer, each update may train more epochs.
- `live_frames_pacing` (its own module) turns a plan's training budget into epochs and frames.
- `LiveTimer` is the timer a session's browser runs now; it decides when a new interval is worth
  a full page run (back off within seconds, speed up only after a level has held for a while).

Nothing here imports Streamlit; the page creates ONE LoadMonitor per process (st.cache_resource).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.playground.config import MAX_EPOCHS_PER_UPDATE

# Measured on Streamlit 1.67 (2 cores): what one process can deliver in total.
PROCESS_UPDATES_PER_SECOND = 40.0
TYPICAL_UPDATE_COST_S = 0.020  # Python time of one update's redraw (the non-training part)
TYPICAL_FRAME_COST_S = 0.0005  # one live frame of the defaults: ~0.4 ms measured (2 cores, 2026-12)

# What an update costs, for pacing (`update_cost`): its script thread's CPU time x
# SERVER_CPU_PER_SCRIPT_CPU (the rest is Streamlit serializing and sending the update on its
# event loop; py-spy: about 2/3 of an update runs in the script thread), or, when the server is
# swamped, WALL_SHARE of its wall time. Wall time alone makes the rate oscillate: when updates of
# several sessions overlap, each one's wall time includes the others' CPU (measured: 3-4 level
# changes per student per minute, each a full page run). CPU time alone misses a swamped server
# (measured: 30 students pressing Play at once stalled one process for 10 s). In normal
# contention wall time is ~2.5 x CPU time, so the CPU term decides; past ~3x, the wall term.
SERVER_CPU_PER_SCRIPT_CPU = 1.5
WALL_SHARE = 0.5

BUDGET_FRACTION = 0.7  # share of one core that live updates may use (the rest: widgets, I/O)
MIN_INTERVAL = 0.1  # at most 10 updates per second per session
MAX_INTERVAL = 0.9  # more than one update per second: up to ~30 students per process get it
MAX_TICK_BUDGET_MS = 60.0  # training time of one update (classroom bound)
MIN_TICK_BUDGET_MS = 2.0  # a crowded server trains a little per update rather than redraw rarely
TRAINING_TO_OVERHEAD = 1.0  # while updates stay >= 2/s: train as long as we redraw
BALANCED_UNTIL = 0.5  # s; slower than this, liveness wins: the interval only covers the redraws
# The student's "epochs per update" is meant at 10 updates per second, whatever the interval:
# an update every 0.25 s trains 2.5 times as many epochs.
EPOCH_RATE_INTERVAL = 0.1

# The interval snaps to these levels: changing a fragment's run_every needs a full page run, so
# small load changes must not change it (otherwise 30 sessions rerun in waves).
INTERVAL_LEVELS = (0.1, 0.15, 0.25, 0.35, 0.5, 0.7, 0.9)
# Hysteresis between levels: a session keeps its level while the wanted interval is within this
# fraction of it, so a cost wobbling around a boundary does not flip the timer (each flip costs
# a full page run) every few seconds.
INTERVAL_SLACK = 0.3


def finite_non_negative(value, default: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) and value >= 0 else default


def choose_interval(
    active_sessions: int,
    update_cost_s: float,
    budget_fraction: float = BUDGET_FRACTION,
    min_interval: float = MIN_INTERVAL,
    max_interval: float = MAX_INTERVAL,
    process_updates_per_s: float = PROCESS_UPDATES_PER_SECOND,
) -> float:
    """Seconds between two updates of one session so the process keeps up.

    N sessions, each costing `update_cost_s` of Python time per update every T seconds, ask for
    N * cost / T seconds of CPU per second; keeping that at `budget_fraction` gives
    T = N * cost / budget_fraction. A second bound caps the total number of updates per second
    at `process_updates_per_s`, what one process was measured to deliver (each update also costs
    server time that the script does not see: protobuf, websocket). The result is clamped to
    [min_interval, max_interval].
    """
    n = max(1, int(finite_non_negative(active_sessions, 1)))
    cost = finite_non_negative(update_cost_s, TYPICAL_UPDATE_COST_S)
    fraction = min(1.0, max(0.05, finite_non_negative(budget_fraction, BUDGET_FRACTION)))
    interval = max(n * cost / fraction, n / process_updates_per_s)
    return float(min(max_interval, max(min_interval, interval)))


def update_cost(cpu_s: float, wall_s: float) -> float:
    """Seconds of server time one update costs, from its script thread's CPU and wall time."""
    return max(
        finite_non_negative(cpu_s, 0.0) * SERVER_CPU_PER_SCRIPT_CPU,
        finite_non_negative(wall_s, 0.0) * WALL_SHARE,
    )


@dataclass(frozen=True)
class UpdatePlan:
    """What one session should do: update every `interval_s` seconds, training for at most
    `budget_ms` milliseconds and `max_epochs` epochs each time."""

    interval_s: float
    budget_ms: float
    max_epochs: int
    active_sessions: int

    @property
    def updates_per_second(self) -> float:
        return 1.0 / self.interval_s


def snap_interval(seconds: float, levels=INTERVAL_LEVELS) -> float:
    """The smallest level >= seconds (the largest level if none is)."""
    return next((level for level in levels if level >= seconds - 1e-9), levels[-1])


def plan_update(
    active_sessions: int,
    overhead_s: float,
    epochs_per_update: int,
    *,
    interval_in_force: float | None = None,
    budget_fraction: float = BUDGET_FRACTION,
    min_interval: float = MIN_INTERVAL,
    max_interval: float = MAX_INTERVAL,
    max_budget_ms: float = MAX_TICK_BUDGET_MS,
    min_budget_ms: float = MIN_TICK_BUDGET_MS,
    max_epochs_cap: int = MAX_EPOCHS_PER_UPDATE,
    budget_overhead_s: float | None = None,
) -> UpdatePlan:
    """Plan one session's updates from the load and the cost of a redraw (`overhead_s`).

    1. Interval: `choose_interval` for updates that train as long as they redraw
       (TRAINING_TO_OVERHEAD), as long as that keeps at least 1 / BALANCED_UNTIL updates per
       second; on a more crowded server liveness wins: the interval only has to cover the
       redraws (at least BALANCED_UNTIL, at most max_interval) and training gets what is left.
       Snapped up to a level, with hysteresis (INTERVAL_SLACK) around `interval_in_force`.
    2. Training budget per update: this session's share of the process over the interval in
       force (`interval_in_force`, the timer the browser runs now; else the new interval),
       minus the redraw: share * interval - overhead, within [min_budget_ms, max_budget_ms].
       The redraw counted there is `budget_overhead_s` when given: its CPU, not its wall time
       (on a crowded server an update's wall time includes waiting for the others; that must
       slow the updates down, step 1, not starve each one's training).
       A crowded server keeps everyone at >= 1 update/s and shrinks the training slices.
    3. Epochs per update: the student's setting is meant at the fastest rate; when updates are
       rarer, each one does proportionally more epochs (capped), so epochs per second stay.
    """
    n = max(1, int(finite_non_negative(active_sessions, 1)))
    overhead = finite_non_negative(overhead_s, TYPICAL_UPDATE_COST_S)
    share = budget_fraction / n  # CPU seconds per second this session may use
    demand = choose_interval(
        n, overhead * (1.0 + TRAINING_TO_OVERHEAD), budget_fraction, min_interval, max_interval
    )
    floor = min_interval
    if demand > BALANCED_UNTIL:  # crowded: liveness first
        demand = choose_interval(n, overhead, budget_fraction, min_interval, max_interval)
        floor = BALANCED_UNTIL
    wanted = max(floor, demand)
    interval = snap_interval(wanted)
    in_force = finite_non_negative(interval_in_force, 0.0)
    if in_force and interval > in_force and wanted <= in_force * (1.0 + INTERVAL_SLACK):
        interval = in_force  # a little over the level in force: stay
    elif in_force and interval < in_force:
        # speed up only as far as the demand still fits with the slack to spare
        interval = min(in_force, snap_interval(max(floor, demand * (1.0 + INTERVAL_SLACK))))
    interval = min(max_interval, max(min_interval, interval))
    in_force = in_force or interval
    redraw = overhead if budget_overhead_s is None else finite_non_negative(budget_overhead_s, overhead)
    budget_ms = min(max_budget_ms, max(min_budget_ms, (share * in_force - redraw) * 1000.0))
    epochs = max(1, int(epochs_per_update))
    scaled = min(max_epochs_cap, max(1, math.ceil(epochs * in_force / EPOCH_RATE_INTERVAL - 1e-9)))
    return UpdatePlan(interval_s=interval, budget_ms=budget_ms, max_epochs=int(scaled), active_sessions=n)


# When a session's timer may change level (`LiveTimer.needs_new_interval`). Each change costs a
# full page run and restarts the browser's timer, so a level holds for LEVEL_HOLD_S (the load
# wobbles) ...
LEVEL_HOLD_S = 15.0
# ... unless the server wants updates at least BACK_OFF_FACTOR times as far apart: when a whole
# class presses Play at once, the first sessions planned for an empty server and must back off
# within BACK_OFF_AFTER_S before they swamp it. Speeding up always waits the full hold.
BACK_OFF_FACTOR = 2.0
BACK_OFF_AFTER_S = 2.0


@dataclass(frozen=True)
class LiveTimer:
    """The timer the browser runs for one session's live fragment: its interval (None: paused,
    no timer) and the clock time of the full page run that registered it.

    The browser keeps a fragment's timer until a full run registers the fragment again, so a new
    interval from `plan_update` only takes effect through a full run; this decides when one is
    worth it: back off quickly, speed up slowly.
    """

    interval_s: float | None
    registered_at: float

    def needs_new_interval(
        self,
        wanted_s: float,
        now: float,
        hold_s: float = LEVEL_HOLD_S,
        back_off_factor: float = BACK_OFF_FACTOR,
        back_off_after_s: float = BACK_OFF_AFTER_S,
    ) -> bool:
        """Should this update ask for a full run, to re-register the timer at `wanted_s`?"""
        if not self.interval_s or wanted_s == self.interval_s:
            return False
        since = now - self.registered_at
        urgent = wanted_s >= back_off_factor * self.interval_s and since > back_off_after_s
        return urgent or since > hold_s


class LoadMonitor:
    """Server-wide load: the sessions training right now and the average cost of an update.

    This is the ONE piece of mutable state the Playground shares between users, on purpose:
    pacing needs to know how many students share the process, which no single session can see.
    Every method takes the lock, because each Streamlit session runs in its own thread. It holds
    no user data: only opaque session ids with a timestamp, and two averages. Stale heartbeats
    (a closed tab never says goodbye) expire after `stale_after` seconds, so it cannot grow
    without bound.
    """

    def __init__(
        self,
        stale_after: float = 5.0,
        ema_alpha: float = 0.2,
        initial_cost_s: float = TYPICAL_UPDATE_COST_S,
        clock: Callable[[], float] = time.monotonic,
        max_sessions: int = 10_000,
    ):
        if not 0 < ema_alpha <= 1:
            raise ValueError(f"ema_alpha must be in (0, 1]; got {ema_alpha!r}")
        self.stale_after = float(stale_after)
        self.ema_alpha = float(ema_alpha)
        self.max_sessions = int(max_sessions)
        self._clock = clock
        self._lock = threading.Lock()
        # One session's NumPy work at a time: each small NumPy call releases the GIL, and with
        # 30 sessions' threads runnable every release is a thread switch (a convoy that cost
        # 5x the CPU per epoch at 30 students). Behind this lock the others wait asleep.
        self.numpy_lock = threading.Lock()
        self._beats: dict[str, float] = {}
        self._cost = float(initial_cost_s)  # EMA of a whole update (training + redraw)
        self._overhead = float(initial_cost_s)  # EMA of the redraw part
        self._overhead_cpu = float(initial_cost_s)  # EMA of the redraw's CPU (x SERVER_CPU_PER_SCRIPT_CPU)
        self._frame_cost = TYPICAL_FRAME_COST_S  # EMA of one live frame's cost
        self._updates = 0

    def heartbeat(self, session_id: str) -> None:
        """Mark a session as training now."""
        now = self._clock()
        with self._lock:
            self._beats[session_id] = now
            if len(self._beats) > self.max_sessions:
                self._expire(now)

    def leave(self, session_id: str) -> None:
        """A session paused: it no longer counts."""
        with self._lock:
            self._beats.pop(session_id, None)

    def _expire(self, now: float) -> None:
        stale = [sid for sid, beat in self._beats.items() if now - beat > self.stale_after]
        for sid in stale:
            del self._beats[sid]

    def active_sessions(self) -> int:
        """How many sessions sent a heartbeat in the last `stale_after` seconds."""
        with self._lock:
            self._expire(self._clock())
            return len(self._beats)

    def record_update(
        self, total_s: float, training_s: float = 0.0, overhead_cpu_s: float | None = None
    ) -> None:
        """Fold one measured update (and the training part of it, and the CPU of its redraw) into
        the averages."""
        total = finite_non_negative(total_s, None)
        if total is None:
            return
        overhead = max(0.0, total - finite_non_negative(training_s, 0.0))
        with self._lock:
            a = self.ema_alpha
            self._cost += a * (total - self._cost)
            self._overhead += a * (overhead - self._overhead)
            cpu = finite_non_negative(overhead_cpu_s, overhead)
            self._overhead_cpu += a * (cpu - self._overhead_cpu)
            self._updates += 1

    def record_frames(self, seconds: float, frames: int) -> None:
        """Fold the measured cost of building `frames` live frames into the frame average."""
        total = finite_non_negative(seconds, None)
        if total is None or frames < 1:
            return
        with self._lock:
            self._frame_cost += self.ema_alpha * (total / frames - self._frame_cost)

    @property
    def frame_cost_s(self) -> float:
        with self._lock:
            return self._frame_cost

    @property
    def update_cost_s(self) -> float:
        with self._lock:
            return self._cost

    @property
    def overhead_s(self) -> float:
        with self._lock:
            return self._overhead

    def plan(
        self,
        session_id: str,
        epochs_per_update: int,
        overhead_s: float | None = None,
        interval_in_force: float | None = None,
        **options,
    ) -> UpdatePlan:
        """Heartbeat for `session_id`, then plan its next update (its own measured overhead if
        given, else the server-wide average)."""
        self.heartbeat(session_id)
        overhead = self.overhead_s if overhead_s is None else overhead_s
        if options.pop("cpu_budget", False):  # the training budget counts the redraw's CPU only
            with self._lock:
                options["budget_overhead_s"] = self._overhead_cpu if overhead_s is None else overhead_s
        return plan_update(
            self.active_sessions(),
            overhead,
            epochs_per_update,
            interval_in_force=interval_in_force,
            **options,
        )

    def snapshot(self) -> dict:
        """Plain numbers for display and tests."""
        with self._lock:
            self._expire(self._clock())
            return {
                "active_sessions": len(self._beats),
                "update_cost_s": self._cost,
                "overhead_s": self._overhead,
                "frame_cost_s": self._frame_cost,
                "updates": self._updates,
            }
