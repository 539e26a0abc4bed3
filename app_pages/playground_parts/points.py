"""The "Your points" editor, on the decision boundary itself: click the plane to add a point of the
chosen class, click a point to remove it. Every point a student adds is a training point."""

from __future__ import annotations

import streamlit as st

from core import playground as pg

MAX_POINTS = pg.RANGES["n_samples"][1]  # as many as a generated data set may have
CHART_KEY = "pg_boundary_chart"  # the clickable boundary chart (drawn by live.py when paused)
CLICK_TRACE = 1  # boundary_figure(clickable=True): trace 1 is the grid of click targets


def on_plane_click() -> None:
    """A click on the boundary chart: a click target adds a point of the chosen class, a point
    removes the drawn point nearest to it. The live fragment then reruns the whole page (the
    data set changed), see `take_change`."""
    state = st.session_state
    chart = state.get(CHART_KEY)
    clicked = chart["selection"]["points"] if chart else []
    label = state.get("pg_point_label", 0)
    drawn = state.pg_drawn
    if len(clicked) != 1:  # a click selects one marker; a dragged box many: not a click
        return
    for point in clicked:
        x, y = round(float(point["x"]), 2), round(float(point["y"]), 2)
        if point.get("curve_number") == CLICK_TRACE:
            if len(drawn) < MAX_POINTS:
                drawn.append((x, y, label))
                state.pg_points_changed = True
        elif point.get("curve_number", 0) > CLICK_TRACE and drawn:
            nearest = min(range(len(drawn)), key=lambda i: (drawn[i][0] - x) ** 2 + (drawn[i][1] - y) ** 2)
            drawn.pop(nearest)
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
