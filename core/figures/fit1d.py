"""The 1-D fit's figure: the data points and the fitted curve on top, and under it (same x axis)
each hidden unit's contribution v_j * a_j(x) as a line, plus the output bias as a dashed line; the
curve is the bias plus the sum of the lines below it.

For the "your points" target an invisible grid of markers covers the top plot, so a click
anywhere selects the nearest grid point (Plotly only reports clicks on markers).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures.palette import BLUE, CLASS_COLOURS, GRID_COLOUR, ORANGE
from core.figures.plotly_base import base_layout, lean_figure
from core.playground.fit1d import X_RANGE, Y_RANGE, FitCurve

MAX_DRAWN_UNITS = 16  # more lines than this are unreadable; the caption says how many are hidden
CLICK_GRID = (61, 49)  # x by y markers of the click grid (a step of 0.05 in x, 0.125 in y)
CLICK_TRACE_NAME = "click grid"
UNIT_COLOURS = (BLUE, ORANGE, *CLASS_COLOURS[2:], "#7F7F7F", "#8C564B")


DECIMALS = 4  # values sent to the browser: 4 decimals halve the JSON of every redraw


def _values(a) -> list:
    return np.round(np.asarray(a, np.float64).ravel(), DECIMALS).tolist()


def click_grid() -> tuple[np.ndarray, np.ndarray]:
    """The x and y of every click-grid marker (flattened)."""
    gx = np.linspace(*X_RANGE, CLICK_GRID[0])
    gy = np.linspace(*Y_RANGE, CLICK_GRID[1])
    xx, yy = np.meshgrid(gx, gy)
    return xx.ravel(), yy.ravel()


def drawn_units(curve: FitCurve) -> int:
    return min(curve.contributions.shape[1], MAX_DRAWN_UNITS)


def fit_figure(curve: FitCurve, x_data, y_data, clickable: bool = False, height: int = 560) -> go.Figure:
    """Top: points (x_data, y_data) and the curve; bottom: the first MAX_DRAWN_UNITS
    contributions and the bias. With `clickable`, the click grid is the LAST trace."""
    x = _values(curve.x)
    data = [
        dict(
            type="scatter",
            mode="markers",
            x=_values(x_data),
            y=_values(y_data),
            name="data",
            marker=dict(color=ORANGE, size=7, line=dict(color="white", width=1)),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            mode="lines",
            x=x,
            y=_values(curve.y_hat),
            name="fit",
            line=dict(color=BLUE, width=3),
        ),
    ]
    for j in range(drawn_units(curve)):
        label = "v·x" if curve.hidden_layers == 0 else f"unit {j + 1}"
        data.append(
            dict(
                type="scatter",
                mode="lines",
                x=x,
                y=_values(curve.contributions[:, j]),
                name=label,
                xaxis="x2",
                yaxis="y2",
                showlegend=False,
                line=dict(color=UNIT_COLOURS[j % len(UNIT_COLOURS)], width=1.5),
                hovertemplate=f"{label}: %{{y:.3f}}<extra></extra>",
            )
        )
    data.append(
        dict(
            type="scatter",
            mode="lines",
            x=[X_RANGE[0], X_RANGE[1]],
            y=[curve.bias, curve.bias],
            name="bias",
            xaxis="x2",
            yaxis="y2",
            showlegend=False,
            line=dict(color="#262730", width=1.5, dash="dash"),
            hovertemplate="bias: %{y:.3f}<extra></extra>",
        )
    )
    if clickable:
        gx, gy = click_grid()
        data.append(
            dict(
                type="scatter",
                mode="markers",
                x=_values(gx),
                y=_values(gy),
                name=CLICK_TRACE_NAME,
                showlegend=False,
                marker=dict(color="rgba(0,0,0,0.01)", size=8),
                hovertemplate="click to add (%{x:.2f}, %{y:.2f})<extra></extra>",
            )
        )
    axis = dict(gridcolor=GRID_COLOUR, zeroline=True, zerolinecolor="#BBBBBB", range=list(X_RANGE))
    layout = base_layout(
        height,
        xaxis=dict(axis, anchor="y", matches="x2", showticklabels=False),
        yaxis=dict(gridcolor=GRID_COLOUR, domain=[0.42, 1.0], title=dict(text="y"), range=list(Y_RANGE)),
        xaxis2=dict(axis, anchor="y2", title=dict(text="x")),
        yaxis2=dict(gridcolor=GRID_COLOUR, domain=[0.0, 0.34], title=dict(text="unit adds")),
        legend=dict(orientation="h", x=0.0, y=1.08),
        hovermode="closest",
        clickmode="event+select",
        dragmode=False,
        margin=dict(l=50, r=10, t=30, b=40),
    )
    return lean_figure(data, layout)
