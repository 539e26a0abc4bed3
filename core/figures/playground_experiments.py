"""Plotly figures of the Playground's experiments and data editor: the optimizer race's loss
curves, and the clickable plane of the "Your points" data set.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures.palette import (
    BLUE,
    CLASS_COLOURS,
    GRID_COLOUR,
    ORANGE,
    class_colour,
    class_symbol,
    diverging_scale,
)
from core.figures.plotly_base import base_layout, lean_figure
from core.playground import decimate_indices


def race_figure(results, height: int = 320) -> go.Figure:
    """Test loss (solid) and train loss (dotted) of each optimizer of a race, on one chart."""
    traces = []
    # Blue and orange first (the first two racers are the easiest to tell apart), then the class colours.
    palette = (BLUE, ORANGE, *CLASS_COLOURS[2:], "#333333")
    for k, result in enumerate(results):
        colour = palette[k % len(palette)]
        index = decimate_indices(len(result.epochs), 300)
        epochs = np.asarray(result.epochs, np.float32)[index]
        traces.append(
            dict(
                type="scatter",
                x=epochs,
                y=np.asarray(result.test_loss, np.float32)[index],
                name=f"{result.name} (test)",
                mode="lines",
                legendgroup=result.name,
                line=dict(color=colour, width=2),
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=epochs,
                y=np.asarray(result.train_loss, np.float32)[index],
                name=f"{result.name} (train)",
                mode="lines",
                legendgroup=result.name,
                line=dict(color=colour, width=1, dash="dot"),
                showlegend=False,
            )
        )
    return lean_figure(
        traces,
        base_layout(
            height,
            hovermode="x unified",
            margin=dict(l=44, r=10, t=10, b=36),
            legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
            xaxis=dict(title=dict(text="epoch", standoff=4), gridcolor=GRID_COLOUR),
            yaxis=dict(title=dict(text="loss", standoff=2), gridcolor=GRID_COLOUR, rangemode="tozero"),
        ),
    )


def points_editor_figure(points, grid_step: float = 0.5, height: int = 380) -> go.Figure:
    """The clickable plane of the "Your points" data set: a faint grid of click targets (trace
    0) under the points added so far."""
    ticks = np.arange(-6.0, 6.0 + 1e-9, grid_step, dtype=np.float32)
    gx, gy = np.meshgrid(ticks, ticks)
    traces = [
        dict(
            type="scatter",
            x=gx.ravel(),
            y=gy.ravel(),
            mode="markers",
            name="click to add",
            marker=dict(size=9, color="rgba(120,120,120,0.12)"),
            hovertemplate="add a point at (%{x:.1f}, %{y:.1f})<extra></extra>",
            showlegend=False,
        )
    ]
    if len(points):
        array = np.asarray(points, dtype=np.float32)
        labels = array[:, 2]
        whole = np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < 10
        if whole:
            for c in sorted(set(labels.astype(int).tolist())):
                m = labels == c
                traces.append(
                    dict(
                        type="scatter",
                        x=array[m, 0],
                        y=array[m, 1],
                        mode="markers",
                        name=f"class {c}",
                        marker=dict(
                            size=10,
                            color=class_colour(c),
                            symbol=class_symbol(c),
                            line=dict(color="white", width=1),
                        ),
                        hoverinfo="skip",
                    )
                )
        else:
            traces.append(
                dict(
                    type="scatter",
                    x=array[:, 0],
                    y=array[:, 1],
                    mode="markers",
                    name="value",
                    marker=dict(
                        size=10,
                        color=labels,
                        colorscale=diverging_scale(),
                        cmid=0,
                        line=dict(color="white", width=1),
                    ),
                    hoverinfo="skip",
                )
            )
    axis = dict(
        range=[-6.3, 6.3],
        showgrid=False,
        zeroline=True,
        zerolinecolor=GRID_COLOUR,
        fixedrange=True,
        constrain="domain",
    )
    return lean_figure(
        traces,
        base_layout(
            height,
            margin=dict(l=30, r=8, t=8, b=30),
            legend=dict(orientation="h", y=-0.1),
            clickmode="event+select",
            dragmode=False,
            xaxis=axis,
            yaxis=dict(axis, scaleanchor="x"),
        ),
    )
