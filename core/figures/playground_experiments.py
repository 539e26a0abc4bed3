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
