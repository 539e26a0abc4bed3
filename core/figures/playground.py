"""Plotly figures of the Playground: the decision boundary (the comparison with scikit-learn) and
the loss curves (the live view itself is drawn by the page's canvas: live_frames.py). This module
is the page's one import for them, so it also re-exports the network diagram
(`playground_network`) and the experiments' figures (`playground_experiments`).

Built to be redrawn ten times a second (see `plotly_base`): arrays go out as float32/uint8 (Plotly
sends them base64-packed), the loss history is decimated to a few hundred points, and at most
MAX_DRAWN_POINTS points per set are drawn. Colours and markers come from core/figures/palette.py,
shared with the live canvas.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures.boundary_colours import boundary_z
from core.figures.palette import (
    BLUE,
    GRID_COLOUR,
    class_colour,
    class_symbol,
    diverging_scale,
    subsample,
    tint,
)
from core.figures.playground_experiments import race_figure
from core.figures.playground_network import network_figure, neuron_figure, neuron_image
from core.figures.plotly_base import base_layout, lean_figure
from core.playground import Boundary, decimate_indices

__all__ = [
    "boundary_figure",
    "curves_figure",
    "network_figure",
    "neuron_figure",
    "neuron_image",
    "race_figure",
]


# ----------------------------------------------------------------------------- decision boundary
def _point_traces(X, y, task, n_classes, test: bool, value_scale: float) -> list:
    X, y = subsample(np.asarray(X), np.asarray(y), seed=1 if test else 0)
    outline = dict(color="#111111" if test else "white", width=1.4 if test else 0.8)
    name = "test" if test else "train"
    if task == "regression":
        return [
            dict(
                type="scatter",
                x=X[:, 0],
                y=X[:, 1],
                mode="markers",
                name=f"{name} points",
                marker=dict(
                    size=6,
                    color=y.astype(np.float32),
                    colorscale=diverging_scale(),
                    cmin=-value_scale,
                    cmax=value_scale,
                    line=outline,
                ),
                hovertemplate="x₁=%{x:.2f}, x₂=%{y:.2f}<br>target %{marker.color:.2f}<extra>"
                f"{name}</extra>",
            )
        ]
    traces = []
    for c in range(max(2, n_classes)):
        mask = y == c
        if not mask.any():
            continue
        traces.append(
            dict(
                type="scatter",
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=f"class {c} ({name})",
                legendgroup=f"class {c}",
                showlegend=not test,
                marker=dict(
                    size=7 if test else 6,
                    color=class_colour(c),
                    symbol=class_symbol(c),
                    line=outline,
                ),
                hovertemplate=f"x₁=%{{x:.2f}}, x₂=%{{y:.2f}}<extra>class {c} ({name})</extra>",
            )
        )
    return traces


def boundary_figure(
    boundary: Boundary,
    dataset,
    show_test: bool = False,
    discretize: bool = False,
    height: int = 420,
    title: str | None = None,
) -> go.Figure:
    """The output over the plane as a heat map, the training points (and test points) on top."""
    task = boundary.task
    y_all = np.concatenate([dataset.y_train, dataset.y_test]) if task == "regression" else None
    value_scale = float(np.abs(y_all).max()) if y_all is not None and y_all.size else 1.0
    z, zmin, zmax, scale, hover = boundary_z(boundary, discretize, value_scale or 1.0)
    x_lo, x_hi, y_lo, y_hi = boundary.extent
    r = z.shape[0]
    dx, dy = (x_hi - x_lo) / (r - 1), (y_hi - y_lo) / (r - 1)
    heat = dict(
        type="heatmap",
        z=np.ascontiguousarray(z, dtype=np.float32),
        x0=x_lo,
        dx=dx,
        y0=y_lo,
        dy=dy,
        zmin=zmin,
        zmax=zmax,
        colorscale=scale,
        showscale=False,
        zsmooth=False if r >= 100 else "best",
        hovertemplate="x₁=%{x:.2f}, x₂=%{y:.2f}<br>" + hover + "<extra></extra>",
    )
    traces = [heat]
    traces += _point_traces(
        dataset.X_train, dataset.y_train, task, boundary.n_classes, False, value_scale or 1.0
    )
    if show_test:
        traces += _point_traces(
            dataset.X_test, dataset.y_test, task, boundary.n_classes, True, value_scale or 1.0
        )
    layout = base_layout(
        height,
        margin=dict(l=36, r=8, t=46 if title else 26, b=24),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=11)),
        showlegend=task != "regression",
        uirevision="boundary",
        xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False, constrain="domain", fixedrange=True),
        yaxis=dict(
            range=[y_lo, y_hi],
            showgrid=False,
            zeroline=False,
            scaleanchor="x",
            constrain="domain",
            fixedrange=True,
        ),
    )
    if title:
        layout["title"] = dict(text=title, font=dict(size=13))
    return lean_figure(traces, layout)


# ----------------------------------------------------------------------------- curves
def curves_figure(
    curves: dict, task: str, height: int = 260, max_points: int = 300, held_out: str = "test"
) -> go.Figure:
    """Train and test loss (left axis) and accuracy or R² (right axis) over the epochs
    (held_out names what the test_* columns hold: "validation" while early stopping watches it).

    `curves` holds float32 arrays (CurveHistory.arrays()); they are decimated again to at most
    `max_points` so a long run stays light."""
    epoch = np.asarray(curves.get("epoch", ()), dtype=np.float32)
    index = decimate_indices(len(epoch), max_points)
    if len(epoch) and index[-1] != len(epoch) - 1:
        index = np.append(index, len(epoch) - 1)

    def col(name):
        return np.asarray(curves[name], dtype=np.float32)[index]

    metric = "R²" if task == "regression" else "accuracy"
    traces = []
    if len(epoch):
        x = epoch[index]
        line = dict(type="scatter", mode="lines", x=x)
        traces = [
            dict(line, y=col("train_loss"), name="train loss", line=dict(color="#9A9A9A", width=2)),
            dict(line, y=col("test_loss"), name=f"{held_out} loss", line=dict(color="#202020", width=2)),
            dict(
                line,
                y=col("train_metric"),
                name=f"train {metric}",
                yaxis="y2",
                line=dict(color=tint(BLUE, 0.45), width=1.5, dash="dot"),
            ),
            dict(
                line,
                y=col("test_metric"),
                name=f"{held_out} {metric}",
                yaxis="y2",
                line=dict(color=BLUE, width=1.5, dash="dot"),
            ),
        ]
    low = 0.0
    if task == "regression" and len(epoch):
        finite = col("test_metric")[np.isfinite(col("test_metric"))]
        low = float(min(0.0, np.min(finite))) if finite.size else 0.0
        low = max(low, -1.0)
    return lean_figure(
        traces,
        base_layout(
            height,
            margin=dict(l=44, r=44, t=8, b=34),
            hovermode="x unified",
            legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=11)),
            xaxis=dict(title=dict(text="epoch", standoff=4), gridcolor=GRID_COLOUR, zeroline=False),
            yaxis=dict(
                title=dict(text="loss", standoff=2), gridcolor=GRID_COLOUR, rangemode="tozero", zeroline=False
            ),
            yaxis2=dict(
                title=dict(text=metric, standoff=2),
                overlaying="y",
                side="right",
                range=[low, 1.02],
                dtick=0.25,
                showgrid=False,
                zeroline=False,
            ),
            uirevision="curves",
        ),
    )
