"""How one live update is cut into frames: the epochs its training budget buys, and how many
pictures of the network it sends.

The live canvas (app_pages/playground_parts/live_canvas.js) draws several frames per update:
each update trains in `frames` slices and sends the network after each one; the browser plays
them evenly spread until the next update. A rerun of the page's live part costs a few ms whatever
it carries, so updates are rarer (LIVE_MIN_INTERVAL) and frames carry the motion. More frames per
second also make each frame cheaper: the same epochs per second, cut finer.
"""

from __future__ import annotations

import math

from core.playground.pacing import TYPICAL_FRAME_COST_S, finite_non_negative

LIVE_MIN_INTERVAL = 0.25  # s between live updates at the fastest (one of pacing.INTERVAL_LEVELS)
TARGET_FPS = 60.0  # frames per second per student when the server has room (TF Playground: 60)
MIN_FPS = 5.0  # what a crowded server still gives each student
# The share of a core the live updates may take (pacing's default is 0.7): an update of the
# canvas is mostly training, its redraw a few ms of numbers, and the sessions' NumPy work takes
# turns behind one lock (pacing.LoadMonitor.numpy_lock), so a process has more room for it.
LIVE_BUDGET_FRACTION = 0.9
FRAME_SHARE = 0.1  # share of one core that building frames may use, over all students
MAX_FRAMES = 30  # per update
# An update must be done well within its interval: the browser's next tick asks for a new run,
# and Streamlit stops a run still going at its next element, before it has shown anything. On a
# crowded server (30 students queueing for their turn at NumPy) a run over its interval was
# stopped at every tick: a student saw nothing for 11 s while the others trained.
DEADLINE_SHARE = 0.6


def live_budget_fraction(
    load_1min: float, cores: int | None, fraction: float = LIVE_BUDGET_FRACTION
) -> float:
    """The share of a core this process's live updates may take, measured where it runs: the
    whole `fraction` while the machine has a core per runnable task (load average <= cores),
    less in proportion when it has not (several workers, other programs), never under a third."""
    load = finite_non_negative(load_1min, 0.0)
    cores = max(1, int(cores or 1))
    room = 1.0 if load <= cores else cores / load
    return max(fraction / 3, fraction * room)


def deadline_s(interval_s: float, share: float = DEADLINE_SHARE) -> float:
    """Seconds after its start by which an update stops training and sends what it has."""
    interval = finite_non_negative(interval_s, LIVE_MIN_INTERVAL) or LIVE_MIN_INTERVAL
    return share * interval


def frames_per_update(
    interval_s: float,
    max_epochs: int,
    active_sessions: int,
    frame_cost_s: float,
    target_fps: float = TARGET_FPS,
    min_fps: float = MIN_FPS,
    frame_share: float = FRAME_SHARE,
    max_frames: int = MAX_FRAMES,
) -> int:
    """How many frames one update carries: `target_fps` while the process has room; with N
    students each building frames of `frame_cost_s`, frame_share / (N * cost) frames per second
    each (never fewer than min_fps), so drawing never takes more than `frame_share` of a core
    whoever is connected. At most one frame per epoch: a frame shows a network that trained."""
    n = max(1, int(finite_non_negative(active_sessions, 1)))
    cost = max(1e-5, finite_non_negative(frame_cost_s, TYPICAL_FRAME_COST_S))
    fps = min(target_fps, max(min_fps, frame_share / (n * cost)))
    interval = finite_non_negative(interval_s, LIVE_MIN_INTERVAL) or LIVE_MIN_INTERVAL
    frames = max(1, math.ceil(fps * interval - 1e-9))  # never under the rate asked for
    return int(min(frames, max_frames, max(1, int(max_epochs))))


def epochs_for_budget(budget_ms: float, epoch_cpu_s: float | None, max_epochs: int) -> int:
    """Epochs that fit in `budget_ms` of CPU at `epoch_cpu_s` each (measured on this session's
    network), at least 1, at most max_epochs; unknown cost: max_epochs. Counting epochs rather
    than stopping at a wall-clock deadline keeps a student's training rate when 30 sessions
    take turns on the GIL: waiting for it is not training time."""
    cost = finite_non_negative(epoch_cpu_s, 0.0)
    top = max(1, int(max_epochs))
    if cost <= 0:
        return top
    return int(min(top, max(1, math.floor(finite_non_negative(budget_ms, 0.0) / 1000.0 / cost))))


def split_epochs(epochs: int, parts: int) -> list[int]:
    """`epochs` in `parts` whole slices, as equal as possible, each >= 1, adding up to epochs
    (or to `parts` when there are fewer epochs than parts)."""
    parts = max(1, int(parts))
    epochs = max(parts, int(epochs))
    base, extra = divmod(epochs, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]
