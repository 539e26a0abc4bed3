"""The "Your points" editor, on the decision boundary itself: click the plane to add a point of the
chosen class, click a point to remove it. Every point a student adds is a training point."""

from __future__ import annotations

import streamlit as st

from app_pages.playground_parts import live_canvas
from core import playground as pg

MAX_POINTS = pg.RANGES["n_samples"][1]  # as many as a generated data set may have


def on_plane_click() -> None:
    """A click on the plane of the live canvas: on a point it removes the drawn point nearest to
    it, elsewhere it adds a point of the chosen class (core's click_points). The live fragment
    then reruns the whole page (the data set changed), see `take_change`."""
    clicked = live_canvas.trigger_value("plane_click")
    if not isinstance(clicked, dict):
        return
    state = st.session_state
    try:
        x, y, on_point = float(clicked["x"]), float(clicked["y"]), bool(clicked.get("on_point"))
    except (KeyError, TypeError, ValueError):
        return  # not what the canvas sends: ignored
    label = state.get("pg_point_label", 0)
    if pg.click_points(state.pg_drawn, x, y, label if label in (0, 1, 2) else 0, on_point, MAX_POINTS):
        state.pg_points_changed = True


def take_change() -> bool:
    """True once after the points changed (the page must rebuild its data set)."""
    return bool(st.session_state.pop("pg_points_changed", False))


def _on_undo() -> None:
    if st.session_state.pg_drawn:
        st.session_state.pg_drawn.pop()


def _on_clear() -> None:
    st.session_state.pg_drawn.clear()


def points_toolbar(drawn: list, playing: bool) -> None:
    """One row above the plane: the next point's class, Undo, Clear, and what a click does."""
    c_label, c_undo, c_clear = st.columns([3, 1, 1], vertical_alignment="bottom")
    c_label.segmented_control(
        "Next point's class",
        [0, 1, 2],
        key="pg_point_label",
        format_func=lambda c: f"class {c}",
        default=0,
    )
    c_undo.button("↩️ Undo", on_click=_on_undo, width="stretch", key="pg_points_undo")
    c_clear.button("🗑️ Clear", on_click=_on_clear, width="stretch", key="pg_points_clear")
    how = (
        "Pause to add or remove points on the plane."
        if playing
        else "Click the plane to add a point of this class; click a point to remove it."
    )
    st.caption(
        f"{how} {len(drawn)} points, all of them training points: the network learns from every "
        "point you add (there is no test set; at least 2 points per class)."
    )
