"""Training health figures: per layer, the gradient norm over epochs (log y), the activation
histograms (small multiples), and bars of dead / saturated share and of weight norms.

Each figure has a one-line caption (`*_CAPTION`) saying what a healthy and an unhealthy picture
look like, for the page to show under it. While training plays, the pages show the same
numbers as one light SVG instead (core/figures/health_svg.py): Plotly redraws cost far more.
"""

from __future__ import annotations

import math

import numpy as np
from plotly.subplots import make_subplots

from core.figures.palette import BLUE, CLASS_COLOURS, FONT, GRID_COLOUR, ORANGE
from core.figures.plotly_base import base_layout, lean_figure

OUTPUT_COLOUR = FONT["color"]
HISTOGRAMS_PER_ROW = 4  # histograms side by side; more layers wrap to the next row

GRADIENT_CAPTION = (
    "Healthy: every layer's line at a similar height (within ~10×). Unhealthy: the first layers "
    "far below the last (vanishing gradients: try 6 layers of sigmoid) or lines shooting up (exploding)."
)
HISTOGRAM_CAPTION = (
    "Each bar: how many of the sample's activations fall in that bin. "
    "Healthy: activations spread over the range. Unhealthy: piled at 0 for ReLU (dead units) or "
    "at the ends for tanh / sigmoid (saturated: f'(z) ≈ 0, little gradient passes)."
)
SHARES_CAPTION = (
    "Healthy: few dead or saturated units and weight norms that grow slowly. Unhealthy: a large "
    "dead share (try ReLU at learning rate 1 with Adam) or weight norms exploding."
)


def layer_name(index: int, n_layers: int) -> str:
    return "output" if index == n_layers - 1 else f"layer {index + 1}"


def layer_colour(index: int, n_layers: int) -> str:
    """Hidden layers in the class colours; the output layer in the text's dark grey."""
    return OUTPUT_COLOUR if index == n_layers - 1 else CLASS_COLOURS[index % len(CLASS_COLOURS)]


def gradient_norm_figure(epochs: np.ndarray, norms: np.ndarray, height: int = 320):
    """One line per layer: ||dL/dW, dL/db|| over epochs, on a log y axis. Zeros (a dead layer)
    cannot be drawn on a log axis and are left as gaps."""
    n_layers = norms.shape[1] if norms.ndim == 2 else 0
    data = []
    for i in range(n_layers):
        y = np.where(norms[:, i] > 0, norms[:, i], np.nan)
        data.append(
            dict(
                type="scatter",
                mode="lines",
                x=epochs.tolist(),
                y=[None if math.isnan(v) else float(v) for v in y],
                name=layer_name(i, n_layers),
                line=dict(color=layer_colour(i, n_layers), width=2),
            )
        )
    layout = base_layout(
        height,
        title=dict(text="Gradient norm per layer", font=dict(size=13)),
        xaxis=dict(title="epoch", gridcolor=GRID_COLOUR),
        yaxis=dict(title="‖gradient‖", type="log", gridcolor=GRID_COLOUR, exponentformat="power"),
        legend=dict(orientation="h", y=-0.4),
    )
    return lean_figure(data, layout)


def activation_histograms_figure(stats, height_per_row: int = 200):
    """Small multiples: one bar chart per layer of its activations on the sample, at most
    `HISTOGRAMS_PER_ROW` to a row so that their titles stay readable on a phone (390 px)."""
    n = len(stats)
    cols = max(min(n, HISTOGRAMS_PER_ROW), 1)
    rows = max(math.ceil(n / cols), 1)
    titles = [f"{layer_name(s.layer, n)}<br>({s.activation})" for s in stats]
    figure = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.05, vertical_spacing=0.55 / rows
    )
    for i, s in enumerate(stats):
        centres = (s.edges[:-1] + s.edges[1:]) / 2
        figure.add_bar(
            x=centres.tolist(),
            y=s.counts.tolist(),
            width=float(s.edges[1] - s.edges[0]),
            marker_color=layer_colour(i, n),
            showlegend=False,
            row=i // cols + 1,
            col=i % cols + 1,
        )
    figure.update_layout(base_layout(height_per_row * rows, margin=dict(l=30, r=10, t=50, b=30), bargap=0))
    figure.update_yaxes(showticklabels=False)  # the shape matters; numbers would collide at 390 px
    figure.update_annotations(font_size=11)
    return figure


def shares_figure(stats, height: int = 260):
    """Left: dead share (ReLU) and saturated share (tanh / sigmoid) of each hidden layer's units;
    right: ||W|| and ||b|| of each layer."""
    n = len(stats)
    names = [layer_name(s.layer, n) for s in stats]
    hidden = stats[:-1]
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("Dead / saturated units", "Weight norms"), horizontal_spacing=0.12
    )
    for label, field, colour in (("dead", "dead_share", ORANGE), ("saturated", "saturated_share", BLUE)):
        values = [getattr(s, field) for s in hidden]
        figure.add_bar(
            x=names[:-1],
            y=[0.0 if math.isnan(v) else v for v in values],
            name=label,
            marker_color=colour,
            row=1,
            col=1,
        )
    figure.add_bar(
        x=names, y=[s.weight_norm for s in stats], name="‖W‖", marker_color="#009E73", row=1, col=2
    )
    figure.add_bar(x=names, y=[s.bias_norm for s in stats], name="‖b‖", marker_color="#CC79A7", row=1, col=2)
    figure.update_layout(base_layout(height, margin=dict(l=40, r=10, t=40, b=30), barmode="group"))
    figure.update_yaxes(range=[0, 1], tickformat=".0%", row=1, col=1)
    figure.update_annotations(font_size=12)
    return figure
