"""The live view: epoch counter, decision boundary, loss curves and network diagram.

It is a fragment re-run by a browser timer (`st.fragment(run_every=...)`) while the student
plays: each tick trains a time-budgeted slice of epochs (core/playground/pacing.py plans how
much), then redraws. Live, the pictures are light SVG images (the browser shows them at once, no
blinking); paused, they are the interactive Plotly figures (hover for values).

A fragment re-run does not run the rest of the page, so it reads what it needs from
st.session_state each time; when training stops by itself, or the timer should change level,
it asks for a full run of the page.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from app_pages.playground_parts import CHART_CONFIG, diagram, points, resources, state
from core import playground as pg
from core.figures import playground as figures
from core.figures import playground_svg as svg_figures
from core.playground import pacing

NO_CURVES_YET = "The loss curves start with the first epoch: press ▶ Play or ⏭ Step."


def register_timer(session_id: str, config: pg.PlaygroundConfig, playing: bool) -> pacing.LiveTimer:
    """The timer this full run gives the live fragment (no interval when paused), remembered in
    st.session_state: the fragment's ticks compare the interval they want with it."""
    previous = st.session_state.get("pg_timer")
    plan = (
        resources.load_monitor().plan(
            session_id, config.epochs_per_update, interval_in_force=previous.interval_s if previous else None
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


def _train_slice(session: pg.PlaygroundSession, session_id: str, epochs_per_update: int) -> tuple:
    """Train one planned slice; returns (its plan, its cost for pacing). May rerun the whole
    page: when training stopped by itself, or the timer should change level."""
    monitor = resources.load_monitor()
    session_state = st.session_state
    timer = session_state.get("pg_timer")
    in_force = timer.interval_s if timer else None
    tick_plan = monitor.plan(session_id, epochs_per_update, interval_in_force=in_force)
    t0, t0_cpu = time.perf_counter(), time.thread_time()
    session.train(tick_plan.budget_ms, tick_plan.max_epochs)
    train_s = pacing.update_cost(time.thread_time() - t0_cpu, time.perf_counter() - t0)
    session_state.pg_ticks.append((time.perf_counter(), session.epoch))
    if session.stopped:  # diverged or stopped early: pause, and say why (full run)
        session_state.pg_playing = False
        monitor.leave(session_id)
        session_state.pg_notice = state.stop_notice(session)
        st.rerun(scope="app")
    # The load changed: a full run re-registers the timer with the new interval (the browser
    # keeps a fragment's timer until the fragment is registered again); LiveTimer says when.
    if timer is not None and timer.needs_new_interval(tick_plan.interval_s, time.monotonic()):
        st.rerun(scope="app")
    return tick_plan, train_s


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
    tick_plan = None
    if live:
        tick_plan, train_s = _train_slice(session, session_id, cfg.epochs_per_update)

    _metrics_row(session, live, session_state.get("pg_ticks") or (), tick_plan)
    resolution = session.live_resolution() if live else pg.GRID_SIZE
    boundary = session.boundary(resolution)
    curves = session.curves.arrays()
    # One point is no curve: at epoch 0 a line says where the curves will be, not an empty chart.
    has_curves = len(curves["epoch"]) >= 2 and curves["epoch"][-1] > curves["epoch"][0]
    left, right = st.columns([4, 5])
    with left:
        if live:
            curves_html = (
                svg_figures.svg_image_html(
                    svg_figures.svg_curves(curves, session.task, held_out=session.held_out),
                    460,
                    "loss and accuracy curves",
                )
                if has_curves
                else svg_figures.caption_html(NO_CURVES_YET)
            )
            st.html(
                svg_figures.svg_image_html(
                    svg_figures.svg_boundary(boundary, session.dataset, cfg.show_test, cfg.discretize),
                    420,
                    "decision boundary with the training points",
                )
                + curves_html
            )
        else:
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
            diagram.network_diagram(session, cfg, resolution, live, session_state.get("pg_selected"))
    if live:
        cost = pacing.update_cost(time.thread_time() - started_cpu, time.perf_counter() - started)
        resources.load_monitor().record_update(cost, train_s)


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
        # The server's pacing is for the curious, in the tooltip: not a caption on every screen.
        row.metric(
            "Updates / s",
            f"{(len(ticks) - 1) / span:.1f}",
            width=130,
            help=f"{(ticks[-1][1] - ticks[0][1]) / span:,.0f} epochs per second. "
            "Redraws adapt to the server's load: with more students training, "
            "updates are rarer and each one trains more epochs. Now: "
            f"{resources.load_monitor().active_sessions()} training on this server, an update "
            f"every {tick_plan.interval_s:.2f} s with {tick_plan.budget_ms:.0f} ms of training "
            f"(up to {tick_plan.max_epochs} epochs).",
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
