"""The live view: epoch counter, decision boundary, loss curves and network diagram.

It is a fragment re-run by a browser timer (`st.fragment(run_every=...)`) while the student
plays. Each tick trains in several slices (core/playground/pacing.py plans how many and how
much) and records the network after each one as a frame of compact numbers
(core/figures/live_frames.py); the live canvas (live_canvas.py) draws the frames in the browser,
one after another until the next tick. Paused, the pictures are the interactive Plotly figures
(hover for values).

A fragment re-run does not run the rest of the page, so it reads what it needs from
st.session_state each time; when training stops by itself, or the timer should change level,
it asks for a full run of the page.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import deque

import streamlit as st

from app_pages.playground_parts import live_canvas, points, resources, state
from core import playground as pg
from core.figures import live_frames
from core.playground import live_frames_pacing, pacing

# A file to append one JSON line per live update to (set by the benchmarks; unset: no log).
UPDATE_LOG = os.environ.get("NEURAL_PLAYGROUND_UPDATE_LOG")

LIVE_CANVAS_GRID = 64  # the boundary's cells per side in a live frame (the canvas smooths them)


def _budget_fraction() -> float:
    """This process's share for live updates, from the machine's load (see live_frames_pacing)."""
    return live_frames_pacing.live_budget_fraction(os.getloadavg()[0], os.cpu_count())


def register_timer(session_id: str, config: pg.PlaygroundConfig, playing: bool) -> pacing.LiveTimer:
    """The timer this full run gives the live fragment (no interval when paused), remembered in
    st.session_state: the fragment's ticks compare the interval they want with it."""
    previous = st.session_state.get("pg_timer")
    plan = (
        resources.load_monitor().plan(
            session_id,
            config.epochs_per_update,
            interval_in_force=previous.interval_s if previous else None,
            min_interval=live_frames_pacing.LIVE_MIN_INTERVAL,
            budget_fraction=_budget_fraction(),
            cpu_budget=True,
        )
        if playing
        else None
    )
    timer = pacing.LiveTimer(plan.interval_s if plan else None, time.monotonic())
    st.session_state.pg_timer = timer
    return timer


def live_view(session_id: str, timer: pacing.LiveTimer) -> None:
    """Draw the live view now, and again at every tick of `timer` while it runs."""
    st.fragment(run_every=timer.interval_s)(_live_update)(session_id)


def _train_frames(
    session: pg.PlaygroundSession, session_id: str, config, resolution: int, update_started: float
) -> tuple:
    """Train one planned update in slices, recording a frame after each, until the update's
    deadline (`update_started` is its perf_counter start). Returns (the plan, its training cost
    for pacing, the payload for the canvas). May rerun the whole page: when training stopped by
    itself, or the timer should change level."""
    monitor = resources.load_monitor()
    session_state = st.session_state
    timer = session_state.get("pg_timer")
    in_force = timer.interval_s if timer else None
    tick_plan = monitor.plan(
        session_id,
        config.epochs_per_update,
        interval_in_force=in_force,
        min_interval=live_frames_pacing.LIVE_MIN_INTERVAL,
        budget_fraction=_budget_fraction(),
        cpu_budget=True,
    )
    interval = in_force or tick_plan.interval_s
    # This network's CPU per epoch, measured on its own updates: the budget becomes epochs.
    measured = session_state.get("pg_epoch_cpu")
    epoch_cpu = measured[1] if measured and measured[0] == session.key else None
    epochs = live_frames_pacing.epochs_for_budget(tick_plan.budget_ms, epoch_cpu, tick_plan.max_epochs)
    count = live_frames_pacing.frames_per_update(
        interval, epochs, tick_plan.active_sessions, monitor.frame_cost_s
    )
    recorder = live_frames.FrameRecorder(
        session,
        resolution,
        session_state.get("pg_selected"),
        diagram="diagram" not in config.hide,
        legend=live_frames.DIAGRAM_LEGEND,
    )
    train_cpu = train_wall = frame_cpu = 0.0
    epoch_before = session.epoch
    # A wall-clock guard only: the epochs are counted from their measured CPU; waiting for the
    # GIL behind 30 other students is not training time, so a slice may take many times its CPU.
    guard_ms = max(250.0, 4.0 * tick_plan.budget_ms)
    deadline = update_started + live_frames_pacing.deadline_s(interval)
    for slice_epochs in live_frames_pacing.split_epochs(epochs, count):
        # one session's NumPy work at a time (pacing.LoadMonitor), but never past the deadline:
        # the next tick would cancel this update before it showed anything
        remaining = deadline - time.perf_counter()
        if remaining <= 0 or not monitor.numpy_lock.acquire(timeout=remaining):
            break
        try:
            t0, t0_cpu = time.perf_counter(), time.thread_time()
            session.train(guard_ms, slice_epochs)
            t1_cpu = time.thread_time()
            if not session.stopped:
                recorder.capture()
            frame_cpu += time.thread_time() - t1_cpu
        finally:
            monitor.numpy_lock.release()
        train_cpu, train_wall = train_cpu + t1_cpu - t0_cpu, train_wall + time.perf_counter() - t0
        if session.stopped:
            break
    if not recorder.frames and not session.stopped:
        recorder.capture()  # no turn in time: the network as it is (an update, never a stall)
    trained = session.epoch - epoch_before
    if trained > 0:
        cost = train_cpu / trained
        previous = epoch_cpu if epoch_cpu is not None else cost
        session_state.pg_epoch_cpu = (session.key, previous + 0.3 * (cost - previous))
    train_s = pacing.update_cost(train_cpu, train_wall)
    monitor.record_frames(frame_cpu, len(recorder.frames))
    session_state.pg_ticks.append((time.perf_counter(), session.epoch, len(recorder.frames)))
    if session.stopped:  # diverged or stopped early: pause, and say why (full run)
        session_state.pg_playing = False
        monitor.leave(session_id)
        session_state.pg_notice = state.stop_notice(session)
        st.rerun(scope="app")
    # The load changed: a full run re-registers the timer with the new interval (the browser
    # keeps a fragment's timer until the fragment is registered again); LiveTimer says when.
    if timer is not None and timer.needs_new_interval(tick_plan.interval_s, time.monotonic()):
        st.rerun(scope="app")
    payload = recorder.payload(True, interval / max(1, len(recorder.frames)))
    return tick_plan, train_s, payload, (train_cpu, len(recorder.frames), trained)


def _log_update(cpu_s: float, train_cpu_s: float, frames: int, epochs: int, size: int, plan) -> None:
    """One JSON line per live update, for the benchmarks (benchmarks/playground_live.py): the
    update's script-thread CPU (training, frames, the payload and the elements), its training
    part, frames, epochs and payload bytes, and the pacing plan it followed."""
    line = json.dumps(
        {
            "cpu_ms": 1000 * cpu_s,
            "train_ms": 1000 * train_cpu_s,
            "frames": frames,
            "epochs": epochs,
            "bytes": size,
            "budget_ms": plan.budget_ms,
            "interval_s": plan.interval_s,
            "sessions": plan.active_sessions,
        }
    )
    with open(UPDATE_LOG, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def _live_update(session_id: str) -> None:
    """One live update: train a time-budgeted slice (when playing), then redraw."""
    # What an update costs, for pacing: from its CPU and wall time (pacing.update_cost says why).
    started, started_cpu = time.perf_counter(), time.thread_time()
    session_state = st.session_state
    session = session_state.get("pg_session")
    if session is None:
        return
    if points.take_change() or session_state.pop("pg_page_rerun", False):
        st.rerun(scope="app")  # a point was clicked (the data set changed), or a neuron
    cfg = session_state.pg_config
    live = bool(session_state.get("pg_playing"))
    if live:
        tick_plan, train_s, payload, work = _train_frames(
            session, session_id, cfg, min(LIVE_CANVAS_GRID, session.live_resolution()), started
        )
        _metrics_row(session, live, session_state.get("pg_ticks") or (), tick_plan)
        live_canvas.live_canvas(payload)
        cpu = time.thread_time() - started_cpu
        cost = pacing.update_cost(cpu, time.perf_counter() - started)
        redraw_cpu = (cpu - work[0]) * pacing.SERVER_CPU_PER_SCRIPT_CPU
        resources.load_monitor().record_update(cost, train_s, overhead_cpu_s=redraw_cpu)
        if "pg_update_cpu" not in session_state:
            session_state.pg_update_cpu = deque(maxlen=30)
        update_cpu = time.thread_time() - started_cpu
        session_state.pg_update_cpu.append(update_cpu)
        if UPDATE_LOG:
            _log_update(update_cpu, *work, len(payload), tick_plan)
        return
    _metrics_row(session, live, session_state.get("pg_ticks") or (), None)
    # Paused: the same canvas, one frame at the full grid, hover for values; on "Your points" a
    # click adds or removes a point, on the diagram a click opens a neuron in the inspector.
    recorder = live_frames.FrameRecorder(
        session,
        pg.GRID_SIZE,
        session_state.get("pg_selected"),
        diagram="diagram" not in cfg.hide,
        legend=live_frames.DIAGRAM_LEGEND + " Hover a neuron for its map, a weight for its value.",
    )
    recorder.capture()
    live_canvas.live_canvas(
        recorder.payload(False, 0.0, editable=cfg.dataset == "points", clickable="inspector" not in cfg.hide),
        on_plane_click=points.on_plane_click,
        on_neuron_click=_on_neuron_click,
    )


def _on_neuron_click() -> None:
    """A neuron clicked on the paused diagram: the inspector opens it (a full run shows it)."""
    clicked = live_canvas.trigger_value("neuron_click")
    session = st.session_state.get("pg_session")
    if not isinstance(clicked, dict) or session is None:
        return
    try:
        layer, neuron = int(clicked["layer"]), int(clicked["neuron"])
    except (KeyError, TypeError, ValueError):
        return
    widths = [dense.n_out for dense in session.network.layers]
    if 0 <= layer < len(widths) and 0 <= neuron < widths[layer]:
        st.session_state.pg_inspect_layer = layer
        st.session_state.pg_inspect_neuron = neuron
        st.session_state.pg_selected = (layer, neuron)
        st.session_state.pg_page_rerun = True


def _metrics_row(session: pg.PlaygroundSession, live: bool, ticks, tick_plan) -> None:
    """Epoch, losses, test metric and the update rate over the recent `ticks` ((time, epoch));
    `tick_plan` is this update's pacing plan (None when paused). The losses and metric are those
    of the weights on screen (`session.latest`), which after an edit or early stopping's restore
    are not the last epoch's: a line under the row says so."""
    latest = session.latest
    metric = pg.metric_name(session.task)
    # Wrapping row: one line on a desktop, two or three short lines on a phone. As few elements
    # as possible: every element of a live update is one more message for the server to send.
    row = st.container(horizontal=True, gap="medium")
    row.metric("Epoch", f"{session.epoch:,}", width=130)
    row.metric("Train loss", f"{latest.train_loss:.3f}", width=130)
    held = session.held_out.capitalize()  # "Validation" while early stopping watches that split
    if math.isnan(latest.test_loss):  # clicked points: every one trains, there is no test set
        row.metric("Test loss", "–", width=130, help="No test set: all your points are training points.")
    else:
        row.metric(f"{held} loss", f"{latest.test_loss:.3f}", width=130)
        row.metric(f"{held} {metric}", f"{latest.test_metric:.3f}", width=130)
    rate_now = session.trainer.current_learning_rate()
    rate_note = pg.learning_rate_note(session.config, session.epoch, rate_now)
    row.metric("Learning rate", f"{rate_now:.3g}", width=130, help=rate_note or "Constant: no schedule.")
    if live and len(ticks) >= 2 and ticks[-1][0] > ticks[0][0]:
        span = ticks[-1][0] - ticks[0][0]
        frames = sum(tick[2] for tick in list(ticks)[1:])
        cpu = list(st.session_state.get("pg_update_cpu") or ())
        cpu_ms = 1000 * sum(cpu) / max(1, frames * len(cpu) / max(1, len(ticks) - 1))
        # The server's pacing is for the curious, in the tooltip: not a caption on every screen.
        row.metric(
            "Updates / s",
            f"{frames / span:.1f}",
            width=130,
            help=f"Pictures drawn per second; {(ticks[-1][1] - ticks[0][1]) / span:,.0f} epochs per "
            "second. The server trains in slices and sends the network after each one; your "
            "browser draws them. With more students training, each gets fewer pictures per "
            "second and each picture shows more epochs. Now: "
            f"{resources.load_monitor().active_sessions()} training on this server, "
            f"{frames / max(1, len(ticks) - 1):.0f} pictures every {tick_plan.interval_s:.2f} s, "
            f"{tick_plan.budget_ms:.0f} ms of training each time (up to {tick_plan.max_epochs} "
            f"epochs), about {cpu_ms:.1f} ms of server time per picture.",
        )
    else:
        row.metric("Updates / s", "–", help="Shown while training.", width=130)
    if session.shown_note:
        st.caption(session.shown_note)
    if rate_note and rate_now < pg.FROZEN_SHARE * session.config.learning_rate:
        st.caption(rate_note)
    if session.config.init in pg.SYMMETRIC_INITS:  # a pass over the weights, only where it can apply
        symmetry = pg.symmetry_note(session.network, session.epoch)
        if symmetry:
            st.caption(symmetry)
