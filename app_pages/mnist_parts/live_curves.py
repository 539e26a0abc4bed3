"""The MNIST page's live curves: a Streamlit component (st.components.v2) that draws the
mini-batch loss and the per-epoch curves on canvases from compact numbers
(core/mnist/live_curves.py), so a training slice costs the browser almost nothing. Its
JavaScript is live_curves.js next to this file, served inline by Streamlit: no build step, no
download. The same approach as the Playground's live canvas (playground_parts/live_canvas.py)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages.components import with_common

JS = with_common(Path(__file__).with_name("live_curves.js"))
# Three panels side by side on a wide screen, one under the other on a phone.
CSS = """
.np-curves { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-start; }
.np-curves-cell { flex: 1 1 280px; min-width: 0; }
.np-curves-legend { flex-basis: 100%; margin: 0; font: 0.875rem "Source Sans Pro", sans-serif;
  color: rgba(49, 51, 63, 0.6); }
"""
KEY = "mnist_live_curves"

_component = st.components.v2.component("neural_playground_mnist_curves", js=JS, css=CSS)


def live_curves(data: dict) -> None:
    """Draw `data` (core.mnist.live_curve_data); the fixed key keeps one component mounted
    across the fragment's reruns, so each slice only repaints its canvases."""
    _component(data=data, key=KEY)
