"""The editor of the "Your points" data set: click the plane to add a point of the chosen class."""

from __future__ import annotations

import streamlit as st

from app_pages.playground_parts import CHART_CONFIG
from core import playground as pg
from core.figures import playground as figures

MAX_POINTS = pg.RANGES["n_samples"][1]  # as many as a generated data set may have


def _on_point_click() -> None:
    state = st.session_state
    chart = state.get("pg_points_chart")
    points = chart["selection"]["points"] if chart else []
    label = state.get("pg_point_label", 0)
    for point in points:
        if point.get("curve_number", 0) == 0 and len(state.pg_drawn) < MAX_POINTS:
            state.pg_drawn.append((round(float(point["x"]), 2), round(float(point["y"]), 2), label))


def _on_undo() -> None:
    if st.session_state.pg_drawn:
        st.session_state.pg_drawn.pop()


def _on_clear() -> None:
    st.session_state.pg_drawn.clear()


def points_editor(drawn: list) -> None:
    """The clickable plane over the points drawn so far (`drawn`: (x1, x2, class) triples)."""
    with st.expander("✏️ Your points: click the plane to add one", expanded=True):
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
        st.plotly_chart(
            figures.points_editor_figure(drawn),
            key="pg_points_chart",
            on_select=_on_point_click,
            selection_mode="points",
            config=dict(CHART_CONFIG),
        )
        st.caption(
            f"{len(drawn)} points. At least 2 per class are needed; half of them are held out as test points."
        )
