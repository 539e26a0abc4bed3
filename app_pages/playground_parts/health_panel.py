"""The Playground's 🩺 Health tab (issue 15, item 2): per layer, the gradient norm over time, the
activation histograms, the share of dead / saturated units and the weight norms, live while
training plays.

Its own fragment, re-run about once a second while playing, draws one light SVG
(core/figures/health_svg.py); the interactive Plotly charts when paused. It measures on at most
`SAMPLE_POINTS` training points under the server's NumPy lock (one forward pass of a small
network: about a millisecond), and skips a redraw rather than wait long for the lock, so it never
takes the training's turn for long.
"""

from __future__ import annotations

import streamlit as st

from app_pages.playground_parts import resources
from core import playground as pg
from core.engine.layer_statistics import layer_statistics, sample_rows
from core.figures import training_health as figures
from core.figures.health_svg import LIVE_CAPTION, health_svg

SAMPLE_POINTS = 500
REFRESH_S = 1.0
LOCK_WAIT_S = 0.1


def health_panel(session: pg.PlaygroundSession, playing: bool) -> None:
    """The Health tab of `session`; refreshes by itself while `playing`."""
    st.caption(
        "How each layer is doing. To see vanishing gradients, try 6 hidden layers of sigmoid; "
        "to see dying units, try ReLU at learning rate 1 with the Adam optimizer."
    )
    _health_fragment(session, playing)


@st.fragment(run_every=REFRESH_S)
def _live(session: pg.PlaygroundSession) -> None:
    _draw(session, playing=True)


def _health_fragment(session: pg.PlaygroundSession, playing: bool) -> None:
    if playing:
        _live(session)
    else:
        _draw(session, playing=False)


def _draw(session: pg.PlaygroundSession, playing: bool) -> None:
    lock = resources.load_monitor().numpy_lock
    if not lock.acquire(timeout=LOCK_WAIT_S):
        st.caption("The server is busy: the health charts will update in a moment.")
        return
    try:
        stats = layer_statistics(session.network, sample_rows(session.X_fit, SAMPLE_POINTS))
        epochs, norms = session.gradients.arrays()
    finally:
        lock.release()
    if playing:  # one light picture: a Plotly redraw every second would stall the live view
        st.image(
            health_svg(stats, epochs, norms),
            caption=LIVE_CAPTION,
        )
        return
    if len(epochs):
        st.plotly_chart(figures.gradient_norm_figure(epochs, norms), key="pg_health_gradients")
        st.caption(figures.GRADIENT_CAPTION)
    else:
        st.info("The gradient norms appear once training has run an epoch (press ▶ Play or Step).")
    st.plotly_chart(figures.activation_histograms_figure(stats), key="pg_health_histograms")
    st.caption(figures.HISTOGRAM_CAPTION)
    st.plotly_chart(figures.shares_figure(stats), key="pg_health_shares")
    st.caption(figures.SHARES_CAPTION)
