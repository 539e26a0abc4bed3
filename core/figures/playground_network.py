"""Plotly figures of the network itself: the diagram (TF Playground's view, every neuron drawn as
its output over the plane, every weight as a line) and one neuron's output, large, for the inspector.

The page's live canvas draws the diagram itself (core/figures/live_frames.py); this Plotly
version serves figures outside the page and its tests. Colours come from core/figures/palette.py,
as the canvas's do.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from core.figures.palette import (
    BLUE,
    ORANGE,
    WEIGHT_CLAMP,
    column_rgb,
    diverging_scale,
    png_data_uri,
    range_text,
    signed_rgb,
)
from core.figures.plotly_base import base_layout, lean_figure

X_GAP = 2.4  # horizontal distance between diagram columns (node size is NODE)
NODE = 0.78


def _node_y(count: int, j: int) -> float:
    return (count - 1) / 2.0 - j


def network_figure(maps, names, weights, biases, layer_titles, selected=None, kinds=None) -> go.Figure:
    """TF Playground's view: every neuron drawn as a small heat map of its output over the plane,
    weights as lines (blue positive, orange negative, thickness = |w|).

    maps: per column [inputs, hidden..., output] arrays (k, r, r): the k neurons drawn
    (PlaygroundSession.neuron_maps keeps at most DIAGRAM_MAX_NEURONS per layer)
    names: per column, the names of ALL its neurons (a wider layer shows "+n more")
    weights / biases: the network's per-layer W (n_in, n_out) and b (n_out,)
    selected: (column, index) of the neuron to outline (the inspector's choice), or None
    kinds: per column "input", the hidden activations, the head: one colour scale per column
    (palette.column_rgb), so every neuron of a layer is drawn on its activation's range
    """
    columns = len(maps)
    shown = [m.shape[0] for m in maps]
    tallest = max(shown)
    kinds = list(kinds) if kinds is not None else ["input"] * columns
    images, node_x, node_y, node_text, labels, scales = [], [], [], [], [], []
    bias_x, bias_y, bias_colour, bias_text = [], [], [], []
    for c, stack in enumerate(maps):
        column, scale = column_rgb(stack[:, ::-1], kinds[c])  # image rows go top-down
        scales.append(range_text(scale))
        for j in range(shown[c]):
            x, y = c * X_GAP, _node_y(shown[c], j)
            rgb = column[j]
            images.append(
                dict(
                    source=png_data_uri(rgb),
                    xref="x",
                    yref="y",
                    x=x - NODE / 2,
                    y=y + NODE / 2,
                    sizex=NODE,
                    sizey=NODE,
                    sizing="stretch",
                    layer="above",
                    xanchor="left",
                    yanchor="top",
                )
            )
            node_x.append(x)
            node_y.append(y)
            bias = "" if c == 0 else f"<br>bias {float(biases[c - 1][j]):+.3f}"
            node_text.append(f"{names[c][j]}{bias}<br>colour scale {scales[c]}")
            if c > 0:  # the bias as a small square at the lower left corner, as in the live view
                b = float(biases[c - 1][j])
                bias_x.append(x - NODE / 2)
                bias_y.append(y - NODE / 2)
                strength = 0.25 + 0.75 * min(abs(b), WEIGHT_CLAMP) / WEIGHT_CLAMP
                bias_text.append(f"bias {b:+.3f}")
                bias_colour.append(f"rgba({'8,119,189' if b >= 0 else '245,147,34'},{strength:.2f})")
            if c in (0, columns - 1):  # inputs labelled on the left, outputs on the right
                labels.append(
                    dict(
                        x=x + (-1 if c == 0 else 1) * (NODE / 2 + 0.08),
                        y=y,
                        xref="x",
                        yref="y",
                        text=names[c][j],
                        showarrow=False,
                        xanchor="right" if c == 0 else "left",
                        font=dict(size=12),
                    )
                )

    # Edges, grouped into a few traces by sign and thickness (one trace per edge would be
    # hundreds of traces; Plotly draws a trace's line with one width).
    all_w = [np.asarray(weights[c])[: shown[c], : shown[c + 1]] for c in range(columns - 1)]
    levels = np.array([0.6, 1.4, 2.4, 3.6, 5.0])
    segments = {}  # (sign, level) -> xs, ys
    mid_x, mid_y, mid_text = [], [], []
    for c, w in enumerate(all_w):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                value = float(w[i, j])
                # Absolute widths (clamped at |w| = 5, as TF Playground): growing weights show.
                level = min(len(levels) - 1, int(abs(value) / WEIGHT_CLAMP * len(levels)))
                key = (value >= 0, level)
                x0, y0 = c * X_GAP + NODE / 2, _node_y(shown[c], i)
                x1, y1 = (c + 1) * X_GAP - NODE / 2, _node_y(shown[c + 1], j)
                xs, ys = segments.setdefault(key, ([], []))
                xs += [x0, x1, None]
                ys += [y0, y1, None]
                mid_x.append(x0 + (x1 - x0) * 0.35)
                mid_y.append(y0 + (y1 - y0) * 0.35)
                mid_text.append(f"{names[c][i]} → {names[c + 1][j]}: w = {value:+.3f}")
    traces = []
    for (positive, level), (xs, ys) in sorted(segments.items()):
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                opacity=0.75,
                line=dict(color=BLUE if positive else ORANGE, width=float(levels[level])),
            )
        )
    traces.append(
        dict(
            type="scatter",
            x=mid_x,
            y=mid_y,
            mode="markers",
            text=mid_text,
            hoverinfo="text",
            showlegend=False,
            marker=dict(size=8, color="rgba(0,0,0,0)"),
        )
    )
    traces.append(
        dict(
            type="scatter",
            x=node_x,
            y=node_y,
            mode="markers",
            text=node_text,
            hoverinfo="text",
            showlegend=False,
            marker=dict(size=18, color="rgba(0,0,0,0)"),
        )
    )
    traces.append(
        dict(
            type="scatter",
            x=bias_x,
            y=bias_y,
            text=bias_text,
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker=dict(symbol="square", size=7, color=bias_colour, line=dict(color="#fff", width=0.8)),
        )
    )
    shapes = []
    if selected is not None:
        c, j = selected
        if 0 <= c < columns and 0 <= j < shown[c]:
            x, y = c * X_GAP, _node_y(shown[c], j)
            shapes.append(
                dict(
                    type="rect",
                    xref="x",
                    yref="y",
                    x0=x - NODE / 2 - 0.08,
                    x1=x + NODE / 2 + 0.08,
                    y0=y - NODE / 2 - 0.08,
                    y1=y + NODE / 2 + 0.08,
                    line=dict(color="#D81B60", width=3),
                )
            )
    top = (tallest - 1) / 2.0 + NODE / 2
    annotations = [
        dict(
            x=c * X_GAP,
            y=top + 0.15,
            xref="x",
            yref="y",
            text=f"{layer_titles[c]}<br><span style='color:#888;font-size:10px'>{scales[c]}</span>",
            showarrow=False,
            yanchor="bottom",
            font=dict(size=11),
        )
        for c in range(columns)
    ] + labels
    for c in range(columns):
        hidden_count = len(names[c]) - shown[c]
        if hidden_count > 0:
            annotations.append(
                dict(
                    x=c * X_GAP,
                    y=_node_y(shown[c], shown[c]) + 0.1,
                    xref="x",
                    yref="y",
                    text=f"… +{hidden_count}",
                    showarrow=False,
                    font=dict(size=11),
                )
            )
    bottom = -(tallest - 1) / 2.0 - NODE / 2 - (0.7 if any(len(n) > s for n, s in zip(names, shown)) else 0.2)
    height = int(min(740, max(260, 44 * tallest + 110)))
    return lean_figure(
        traces,
        base_layout(
            height,
            margin=dict(l=4, r=4, t=4, b=4),
            images=images,
            shapes=shapes,
            annotations=annotations,
            hovermode="closest",
            showlegend=False,
            xaxis=dict(
                visible=False,
                range=[-1.6 * NODE - 0.5, (columns - 1) * X_GAP + 1.6 * NODE + 0.5],
                fixedrange=True,
            ),
            yaxis=dict(visible=False, range=[bottom, top + 1.3], fixedrange=True),  # 3-line titles,
        ),
    )


def neuron_figure(values: np.ndarray, extent, title: str, dataset=None, height: int = 360) -> go.Figure:
    """One neuron's output over the plane, large, with a colour bar (0 in the middle)."""
    x_lo, x_hi, y_lo, y_hi = extent
    r = values.shape[0]
    scale = float(np.abs(values).max()) or 1.0
    traces = [
        dict(
            type="heatmap",
            z=np.ascontiguousarray(values, dtype=np.float32),
            x0=x_lo,
            dx=(x_hi - x_lo) / (r - 1),
            y0=y_lo,
            dy=(y_hi - y_lo) / (r - 1),
            zmin=-scale,
            zmax=scale,
            colorscale=diverging_scale(),
            zsmooth=False,
            colorbar=dict(thickness=12, len=0.9),
            hovertemplate="x₁=%{x:.2f}, x₂=%{y:.2f}<br>output %{z:.3f}<extra></extra>",
        )
    ]
    if dataset is not None:
        X = np.asarray(dataset.X_train)[:400]
        traces.append(
            dict(
                type="scatter",
                x=X[:, 0],
                y=X[:, 1],
                mode="markers",
                hoverinfo="skip",
                marker=dict(size=3, color="rgba(30,30,30,0.35)"),
                showlegend=False,
            )
        )
    return lean_figure(
        traces,
        base_layout(
            height,
            title=dict(text=title, font=dict(size=13)),
            margin=dict(l=36, r=8, t=36, b=30),
            xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False, constrain="domain"),
            yaxis=dict(
                range=[y_lo, y_hi], showgrid=False, zeroline=False, scaleanchor="x", constrain="domain"
            ),
        ),
    )


def neuron_image(values: np.ndarray, extent, dataset=None, size: int = 300) -> tuple[np.ndarray, float]:
    """One neuron's output over the plane as an RGB picture (size x size, row 0 at the top),
    0 in the middle (grey), -scale orange, +scale blue, with up to 400 training points as dark
    dots; and that scale. A picture, not a chart: the page shows it at once (the live canvas's
    hover gives the values)."""
    scale = float(np.abs(values[np.isfinite(values)]).max(initial=0.0)) or 1.0
    rgb = signed_rgb(np.asarray(values, dtype=np.float32)[::-1], scale=scale)
    picture = Image.fromarray(np.ascontiguousarray(rgb), "RGB").resize(
        (size, size), Image.Resampling.BILINEAR
    )
    if dataset is not None:
        x_lo, x_hi, y_lo, y_hi = extent
        draw = ImageDraw.Draw(picture)
        for x, y in np.asarray(dataset.X_train, dtype=np.float64)[:400, :2]:
            px, py = (x - x_lo) / (x_hi - x_lo) * size, (y_hi - y) / (y_hi - y_lo) * size
            draw.ellipse((px - 1.5, py - 1.5, px + 1.5, py + 1.5), fill=(40, 40, 40))
    return np.asarray(picture), scale
