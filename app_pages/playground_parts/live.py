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

import math
import time
from collections import deque

import streamlit as st

from app_pages.playground_parts import CHART_CONFIG, diagram, live_canvas, points, resources, state
from core import playground as pg
from core.figures import live_frames
from core.figures import playground as figures
from core.playground import pacing

NO_CURVES_YET = "The loss curves start with the first epoch: press ▶ Play or ⏭ Step."
LIVE_CANVAS_GRID = 64  # the boundary's cells per side in a live frame (the canvas smooths them)


def register_timer(session_id: str, config: pg.PlaygroundConfig, playing: bool) -> pacing.LiveTimer:
    """The timer this full run gives the live fragment (no interval when paused), remembered in
    st.session_state: the fragment's ticks compare the interval they want with it."""
    previous = st.session_state.get("pg_timer")
    plan = (
        resources.load_monitor().plan(
            session_id,
            config.epochs_per_update,
            interval_in_force=previous.interval_s if previous else None,
            min_interval=pacing.LIVE_MIN_INTERVAL,
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


def _train_frames(session: pg.PlaygroundSession, session_id: str, config, resolution: int) -> tuple:
    """Train one planned update in slices, recording a frame after each. Returns (the plan, its
    training cost for pacing, the payload for the canvas). May rerun the whole page: when
    training stopped by itself, or the timer should change level."""
    monitor = resources.load_monitor()
    session_state = st.session_state
    timer = session_state.get("pg_timer")
    in_force = timer.interval_s if timer else None
    tick_plan = monitor.plan(
        session_id,
        config.epochs_per_update,
        interval_in_force=in_force,
        min_interval=pacing.LIVE_MIN_INTERVAL,
    )
    interval = in_force or tick_plan.interval_s
    count = pacing.frames_per_update(
        interval, tick_plan.max_epochs, tick_plan.active_sessions, monitor.frame_cost_s
    )
    recorder = live_frames.FrameRecorder(
        session,
        resolution,
        session_state.get("pg_selected"),
        diagram="diagram" not in config.hide,
        legend=diagram.LEGEND,
    )
    train_cpu = train_wall = frame_cpu = 0.0
    for epochs in pacing.split_epochs(tick_plan.max_epochs, count):
        t0, t0_cpu = time.perf_counter(), time.thread_time()
        session.train(tick_plan.budget_ms / count, epochs)
        t1_cpu = time.thread_time()
        train_cpu, train_wall = train_cpu + t1_cpu - t0_cpu, train_wall + time.perf_counter() - t0
        if session.stopped:
            break
        recorder.capture()
        frame_cpu += time.thread_time() - t1_cpu
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
    return tick_plan, train_s, recorder.payload(True, interval / max(1, len(recorder.frames)))


def _live_update(session_id: str) -> None:
    """One live update: train a time-budgeted slice (when playing), then redraw."""
    # What an update costs, for pacing: from its CPU and wall time (pacing.update_cost says why).
    started, started_cpu = time.perf_counter(), time.thread_time()
    session_state = st.session_state
    session = session_state.get("pg_session")
    if session is None:
        return
    if points.take_change():  # a point was clicked on the plane: the data set changed
        st.rerun(scope="app")
    cfg = session_state.pg_config
    live = bool(session_state.get("pg_playing"))
    if live:
        tick_plan, train_s, payload = _train_frames(
            session, session_id, cfg, min(LIVE_CANVAS_GRID, session.live_resolution())
        )
        _metrics_row(session, live, session_state.get("pg_ticks") or (), tick_plan)
        live_canvas.live_canvas(payload)
        cost = pacing.update_cost(time.thread_time() - started_cpu, time.perf_counter() - started)
        resources.load_monitor().record_update(cost, train_s)
        if "pg_update_cpu" not in session_state:
            session_state.pg_update_cpu = deque(maxlen=30)
        session_state.pg_update_cpu.append(time.thread_time() - started_cpu)
        return
    _metrics_row(session, live, session_state.get("pg_ticks") or (), None)
    boundary = session.boundary(pg.GRID_SIZE)
    curves = session.curves.arrays()
    # One point is no curve: at epoch 0 a line says where the curves will be, not an empty chart.
    has_curves = len(curves["epoch"]) >= 2 and curves["epoch"][-1] > curves["epoch"][0]
    left, right = st.columns([4, 5])
    with left:
        editing = cfg.dataset == "points"  # the plane is the "Your points" editor
        figure = figures.boundary_figure(
            boundary, session.dataset, cfg.show_test, cfg.discretize, height=380, clickable=editing
        )
        if editing:
            st.plotly_chart(
                figure,
                config=dict(CHART_CONFIG),
                key=points.CHART_KEY,
                on_select=points.on_plane_click,
                selection_mode="points",
            )
        else:
            st.plotly_chart(figure, config=dict(CHART_CONFIG))
        if has_curves:
            st.plotly_chart(
                figures.curves_figure(curves, session.task, height=240, held_out=session.held_out),
                config=dict(CHART_CONFIG),
            )
        else:
            st.caption(NO_CURVES_YET)
    with right:
        if "diagram" not in cfg.hide:
            diagram.network_diagram(session, cfg, pg.GRID_SIZE, live, session_state.get("pg_selected"))


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
