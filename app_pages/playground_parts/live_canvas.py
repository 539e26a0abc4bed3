"""The live canvas: a Streamlit component (st.components.v2) that draws the live view in the
browser from compact frames (core/figures/live_frames.py) instead of pictures built on the
server. Its JavaScript is live_canvas.js next to this file, served inline by Streamlit: no
build step, no download."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages.components import with_common

JS = with_common(Path(__file__).with_name("live_canvas.js"))
# Left: the plane over the curves; right: the diagram; one column under the other on a phone.
CSS = """
.np-live { position: relative; display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.np-live-left { flex: 4 1 300px; min-width: 0; display: flex; flex-direction: column; gap: 0.5rem; }
.np-live-right { flex: 5 1 300px; min-width: 0; }
.np-live-legend { font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin: 0.5rem 0 0;
  font-family: "Source Sans Pro", sans-serif; }
.np-live-tip { display: none; position: absolute; z-index: 5; pointer-events: none; max-width: 320px;
  background: rgba(38, 39, 48, 0.92); color: #fff; border-radius: 4px; padding: 4px 8px;
  font: 12px "Source Sans Pro", sans-serif; line-height: 1.4; }
.np-live-tip-map { display: block; margin-top: 4px; width: 120px; height: 120px; image-rendering: auto; }
"""
KEY = "pg_live_canvas"

_component = st.components.v2.component("neural_playground_live", js=JS, css=CSS)


def live_canvas(payload: bytes, on_plane_click=None, on_neuron_click=None) -> None:
    """Show one payload (a scene and its frames) on the canvas; the same key keeps the one
    canvas mounted across updates, so its player goes on from frame to frame. The callbacks run
    when the student clicks the plane or a neuron (`trigger_value` gives what was clicked)."""
    callbacks = {}
    if on_plane_click is not None:
        callbacks["on_plane_click_change"] = on_plane_click
    if on_neuron_click is not None:
        callbacks["on_neuron_click_change"] = on_neuron_click
    _component(data=payload, key=KEY, **callbacks)


def trigger_value(name: str):
    """What the canvas sent with its event `name` ("plane_click", "neuron_click"), in a callback;
    None if nothing. The browser's values are checked by the callback, never trusted."""
    state = st.session_state.get(KEY)
    if state is None:
        return None
    try:
        return state[name]
    except (KeyError, TypeError):
        return getattr(state, name, None)
