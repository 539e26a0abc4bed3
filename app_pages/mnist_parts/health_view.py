"""MNIST training health (issue 15, item 2), under the live curves: per layer, the gradient norm
over epochs, the activation histograms, dead / saturated units and weight norms.

Off by default (toggle "Show training health"). While training plays it measures at most once a
second on `SAMPLE_IMAGES` validation images and shows one light SVG (core/figures/health_svg.py:
the browser's work is a repaint, far under issue 16's 200 ms); the interactive Plotly figures
only when paused.
"""

from __future__ import annotations

import time

import streamlit as st

from core import mnist
from core.engine.layer_statistics import GradientHistory, layer_statistics, sample_rows
from core.figures import training_health as figures
from core.figures.health_svg import LIVE_CAPTION, health_svg

SAMPLE_IMAGES = 256
REFRESH_S = 1.0
CACHE_KEY = "mnist_health_cache"


def health_view(run: mnist.ImageTrainingRun, playing: bool) -> None:
    """Drawn inside the live training fragment, under the curves."""
    if not st.toggle("Show training health", key="mnist_show_health"):
        return
    stats = _statistics(run, playing)
    history = GradientHistory()
    history.add(run.history)
    epochs, norms = history.arrays()
    if playing:
        st.image(
            health_svg(stats, epochs, norms),
            caption=LIVE_CAPTION,
        )
        return
    if len(epochs):
        st.plotly_chart(figures.gradient_norm_figure(epochs, norms), key="mnist_health_gradients")
        st.caption(figures.GRADIENT_CAPTION)
    st.plotly_chart(figures.activation_histograms_figure(stats), key="mnist_health_histograms")
    st.caption(figures.HISTOGRAM_CAPTION)
    st.plotly_chart(figures.shares_figure(stats), key="mnist_health_shares")
    st.caption(figures.SHARES_CAPTION)


def _statistics(run: mnist.ImageTrainingRun, playing: bool):
    """The layer statistics, measured again at most once a second while playing (kept in the
    session between the fragment's 0.25 s reruns), and always fresh for the weights when paused."""
    cached = st.session_state.get(CACHE_KEY)
    now = time.monotonic()
    position = (id(run), run.position)
    if cached is not None:
        when, where, stats = cached
        if where == position or (playing and now - when < REFRESH_S and where[0] == id(run)):
            return stats
    trainer = run.trainer
    images = trainer.X_val if trainer.has_val else trainer.X_train
    stats = layer_statistics(trainer.network, sample_rows(images, SAMPLE_IMAGES))
    st.session_state[CACHE_KEY] = (now, position, stats)
    return stats
