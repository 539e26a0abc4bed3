"""The "📈 1-D fit" tab (issue 15, item 4): the sidebar's network, with one input and one linear
output, fits y = f(x); under the curve each unit of the last hidden layer draws what it adds, so a
student sees ReLU hinges or tanh steps sum up to the curve. Its own Play / Pause / Step / Reset
(state keys "pg_fit1d_*"); the math is in core/playground/fit1d.py, the figure in core/figures/fit1d.py.
"""

from __future__ import annotations

import math

import streamlit as st

from app_pages import plain_text
from app_pages.playground_parts import resources
from core import playground as pg
from core.figures import fit1d as fit_figures
from core.playground import fit1d

LIVE_INTERVAL_S = 0.25  # a redraw every 0.25 s while playing
TRAIN_BUDGET_MS = 60.0  # training per redraw (the redraw itself costs ~30 ms more)
LOCK_WAIT_S = 0.2  # give up a slice rather than stall when the NumPy threads are busy
TARGETS = (*fit1d.TARGETS, "points")


def _state():
    state = st.session_state
    state.setdefault("pg_fit1d_playing", False)
    state.setdefault("pg_fit1d_points", [])
    state.setdefault("pg_fit1d_click_round", 0)  # a new chart key clears Plotly's selection
    return state


def _data(target: str, n_points: int, noise: float, seed: int):
    """(x, y) of the chosen target; ValueError (a readable reason) for unusable clicked points."""
    if target == "points":
        return fit1d.validate_points(st.session_state.pg_fit1d_points)
    return fit1d.sample_target(target, n_points, noise, seed)


def _trainer(config: pg.PlaygroundConfig, target: str, n_points: int, noise: float):
    """The fit's trainer: rebuilt (and paused) when the network's shape or the data changed; the
    hyperparameters are applied in place, as on the Playground. None when there is no data yet."""
    state = st.session_state
    points = tuple(map(tuple, state.pg_fit1d_points)) if target == "points" else ()
    key = (config.hidden, config.activations, config.init, config.seed, target, n_points, noise, points)
    if state.get("pg_fit1d_key") != key:
        state.pg_fit1d_key = key
        state.pg_fit1d_playing = False
        try:
            x, y = _data(target, n_points, noise, config.seed)
        except ValueError as error:
            state.pg_fit1d_trainer, state.pg_fit1d_problem = None, str(error)
        else:
            state.pg_fit1d_trainer, state.pg_fit1d_problem = fit1d.fit_trainer(config, x, y), None
    trainer = state.get("pg_fit1d_trainer")
    if trainer is not None:
        options = pg.trainer_options(config, len(trainer.X_train))
        if state.get("pg_fit1d_options") != options:
            trainer.set_hyperparameters(**options)
            state.pg_fit1d_options = options
    return trainer


def _train(trainer, milliseconds: float | None = None) -> None:
    """One slice of training (a time budget, or one epoch) under the server's NumPy lock."""
    lock = resources.load_monitor().numpy_lock
    if not lock.acquire(timeout=LOCK_WAIT_S):
        return  # the server is busy: this redraw shows the curve as it is
    try:
        if milliseconds is None:
            trainer.train_epochs(1)
        else:
            trainer.train_for(milliseconds)
    finally:
        lock.release()


def _on_play() -> None:
    st.session_state.pg_fit1d_playing = True


def _on_pause() -> None:
    st.session_state.pg_fit1d_playing = st.session_state.pg_fit1d_was_playing = False


def _on_step() -> None:
    st.session_state.pg_fit1d_playing = st.session_state.pg_fit1d_was_playing = False
    st.session_state.pg_fit1d_step = True


def _on_reset() -> None:
    st.session_state.pg_fit1d_playing = st.session_state.pg_fit1d_was_playing = False
    st.session_state.pg_fit1d_key = None  # the next run rebuilds the same seeded start


def _on_clear() -> None:
    st.session_state.pg_fit1d_points = []


def _on_click(chart_key: str) -> None:
    """A click on the chart selects the nearest click-grid marker: add it as a point."""
    state = st.session_state
    event = state.get(chart_key)
    try:
        chosen = event["selection"]["points"]
    except (KeyError, TypeError):
        return
    grid_x, grid_y = fit_figures.click_grid()
    for point in chosen:
        index = point.get("point_index", point.get("point_number"))
        if point.get("curve_number") != state.get("pg_fit1d_grid_curve") or index is None:
            continue  # a click on a data point or the curve, not on the grid
        if len(state.pg_fit1d_points) < fit1d.MAX_POINTS:
            state.pg_fit1d_points = [*state.pg_fit1d_points, (float(grid_x[index]), float(grid_y[index]))]
    state.pg_fit1d_click_round += 1


def _scores(trainer) -> tuple[float, float]:
    """(MSE, R²) on the training points."""
    y_hat = trainer.network.predict_output(trainer.X_train)[:, 0]
    y = trainer.y_train
    return float(((y_hat - y) ** 2).mean()), fit1d.r_squared(y, y_hat)


def _live_view(config: pg.PlaygroundConfig, target: str, n_points: int, noise: float) -> None:
    state = _state()
    trainer = _trainer(config, target, n_points, noise)
    if trainer is None:
        plain_text.info(state.pg_fit1d_problem)
    elif state.pop("pg_fit1d_step", False):
        _train(trainer)
    elif state.pg_fit1d_playing:
        _train(trainer, TRAIN_BUDGET_MS)

    if trainer is None:
        curve = fit1d.fit_curve(fit1d.fit_network(config))
        x_data, y_data = [p[0] for p in state.pg_fit1d_points], [p[1] for p in state.pg_fit1d_points]
    else:
        curve = fit1d.fit_curve(trainer.network)
        x_data, y_data = trainer.X_train[:, 0], trainer.y_train
        loss, r2 = _scores(trainer)
        if trainer.stopped or not math.isfinite(loss):
            state.pg_fit1d_playing = False
            plain_text.warning(
                f"Training stopped: {(trainer.stop_reason or 'the loss is not a number').rstrip('.')}. "
                "Lower the learning rate in the sidebar and press Reset."
            )
        cols = st.columns(3)
        cols[0].metric("Epoch", f"{trainer.epoch}")
        cols[1].metric("Loss (MSE)", f"{loss:.4f}" if math.isfinite(loss) else "—")
        cols[2].metric("R²", f"{r2:.3f}" if math.isfinite(r2) else "—")

    clickable = target == "points"
    if clickable:  # here, in the fragment: a click reruns only the fragment
        st.caption(
            f"Click the top plot to add a point ({len(state.pg_fit1d_points)} so far, at least "
            f"{fit1d.MIN_POINTS}); a new point restarts the fit."
        )
    figure = fit_figures.fit_figure(curve, x_data, y_data, clickable=clickable)
    if clickable:
        state.pg_fit1d_grid_curve = len(figure.data) - 1
        chart_key = f"pg_fit1d_click_{state.pg_fit1d_click_round}"
        st.plotly_chart(
            figure,
            key=chart_key,
            on_select=lambda: _on_click(chart_key),
            selection_mode="points",
            config={"displayModeBar": False},
        )
    else:
        st.plotly_chart(figure, key="pg_fit1d_chart", config={"displayModeBar": False})
    units = curve.contributions.shape[1]
    hidden = units - fit_figures.drawn_units(curve)
    if curve.hidden_layers == 0:
        note = "No hidden layer: the network is a line, bias + v·x (the bottom plot shows v·x)."
    else:
        layer = "the hidden layer" if curve.hidden_layers == 1 else "the last of the hidden layers"
        note = (
            f"Bottom: what each of the {units} units of {layer} adds, v_j · a_j(x); the fit on top "
            "is the dashed bias plus the sum of these lines."
        )
        if curve.hidden_layers > 1:
            note += " (Each a_j(x) is itself built by the layers before it.)"
        if hidden > 0:
            note += f" The first {fit_figures.MAX_DRAWN_UNITS} are drawn; {hidden} more are not."
    st.caption(note)
    if state.get("pg_fit1d_was_playing", False) and not state.pg_fit1d_playing:
        state.pg_fit1d_was_playing = False
        st.rerun()  # paused from inside the timer's run: a full run stops the timer
    state.pg_fit1d_was_playing = state.pg_fit1d_playing


def fit1d_panel(config: pg.PlaygroundConfig) -> None:
    state = _state()
    st.markdown(
        "Fit **y = f(x)** with the sidebar's network (one input, one linear output, squared error). "
        "Under the curve: each hidden unit's share. ReLU units add hinges, tanh units add smooth steps."
    )
    left, middle, right = st.columns([2, 1, 1])
    target = left.selectbox(
        "f(x)", TARGETS, format_func=fit1d.TARGET_LABELS.__getitem__, key="pg_fit1d_target"
    )
    n_points = middle.slider(
        "Points", *fit1d.N_POINTS_RANGE, 60, 10, key="pg_fit1d_n", disabled=target == "points"
    )
    noise = right.slider(
        "Noise", *fit1d.NOISE_RANGE, 0.1, 0.05, key="pg_fit1d_noise", disabled=target == "points"
    )
    buttons = st.columns(5)
    buttons[0].button("▶ Play", key="pg_fit1d_play", on_click=_on_play, disabled=state.pg_fit1d_playing)
    buttons[1].button(
        "⏸ Pause", key="pg_fit1d_pause", on_click=_on_pause, disabled=not state.pg_fit1d_playing
    )
    buttons[2].button("⏭ Step", key="pg_fit1d_step_button", on_click=_on_step)
    buttons[3].button("↺ Reset", key="pg_fit1d_reset", on_click=_on_reset)
    if target == "points":
        buttons[4].button("🧹 Clear points", key="pg_fit1d_clear", on_click=_on_clear)
    playing = state.pg_fit1d_playing
    live = st.fragment(run_every=LIVE_INTERVAL_S if playing else None)(_live_view)
    live(config, target, n_points, noise)
