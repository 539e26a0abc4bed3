"""Plotly figures of the Playground: the decision boundary, the loss curves, the network diagram.

Built to be redrawn ten times a second: Streamlit re-creates a Plotly chart on every update, so
every figure is lean. Arrays go out as float32/uint8 (Plotly sends them base64-packed), the
template is "none" (the default template is most of a small figure's JSON), the loss history is
decimated to a few hundred points, and at most MAX_DRAWN_POINTS points per set are drawn.

Colours work for colour-blind viewers: the two classes (and the sign of a weight or an
activation) are orange and blue, TF Playground's pair, which stays distinct under the common
red-green deficiencies (deuteranopia, protanopia) because it differs in lightness and in the
blue-yellow axis. More classes add the Okabe-Ito colours (green, purple, yellow, sky), and each
class also has its own marker shape, so nothing depends on colour alone.
"""

from __future__ import annotations

import base64
import io
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.playground.session import Boundary, decimate_indices

ORANGE = "#F59322"  # class 0, negative values
BLUE = "#0877BD"  # class 1, positive values
MIDDLE = "#F4F4F4"  # zero / undecided
CLASS_COLOURS = (ORANGE, BLUE, "#009E73", "#CC79A7", "#D8B700", "#56B4E9")
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star")
TINT = 0.55  # the plane behind the points is a lighter tint of the class colour
MAX_DRAWN_POINTS = 1000
FONT = MappingProxyType({"size": 12, "color": "#262730"})
GRID_COLOUR = "#E6E6E6"


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def _tint(hex_colour: str, amount: float = TINT) -> str:
    """Blend towards white: amount 0 = the colour, 1 = white."""
    rgb = _rgb(hex_colour) * (1 - amount) + 255 * amount
    return "#" + "".join(f"{int(round(v)):02X}" for v in rgb)


def diverging_scale(tint: float = 0.0) -> list:
    """Orange (negative/class 0) -> light grey (0) -> blue (positive/class 1)."""
    return [[0.0, _tint(ORANGE, tint)], [0.5, MIDDLE], [1.0, _tint(BLUE, tint)]]


def _lut(stops, n=256) -> np.ndarray:
    """A (n, 3) uint8 lookup table interpolating colour stops [[pos, hex], ...]."""
    positions = np.array([p for p, _ in stops])
    colours = np.array([_rgb(c) for _, c in stops])
    t = np.linspace(0, 1, n)
    return (
        np.stack([np.interp(t, positions, colours[:, k]) for k in range(3)], axis=1).round().astype(np.uint8)
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)  # module constants stay constant
    return array


DIVERGING_LUT = _frozen(_lut(diverging_scale()))


def signed_rgb(values: np.ndarray, lut: np.ndarray = DIVERGING_LUT, scale: float | None = None) -> np.ndarray:
    """Map values to RGB with 0 in the middle: -scale orange .. +scale blue (scale = max |v|)."""
    v = np.asarray(values, dtype=np.float32)
    if scale is None:
        finite = np.abs(v[np.isfinite(v)])
        scale = float(finite.max()) if finite.size else 1.0
    scale = scale if scale > 1e-12 else 1.0
    index = np.clip((np.nan_to_num(v) / scale + 1) * 127.5, 0, 255).astype(np.uint8)
    return lut[index]


def signed_rgb_each(stack: np.ndarray, lut: np.ndarray = DIVERGING_LUT) -> np.ndarray:
    """`signed_rgb` for a stack of maps (k, h, w) at once, each map on its own scale (its own
    max |v|): (k, h, w, 3) uint8. One vectorized pass instead of k small ones."""
    v = np.asarray(stack, dtype=np.float32)
    finite = np.isfinite(v)
    scale = np.where(finite, np.abs(v), 0).max(axis=(1, 2), initial=0.0)
    scale[scale <= 1e-12] = 1.0
    index = np.clip((np.nan_to_num(v) / scale[:, None, None] + 1) * 127.5, 0, 255).astype(np.uint8)
    return lut[index]


def png_data_uri(rgb: np.ndarray) -> str:
    """A small PNG (uint8 (h, w, 3)) as a data URI Plotly can show as a layout image."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), "RGB").save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(data: list, layout: dict) -> go.Figure:
    """One validated construction from plain dicts. (Plotly's update_layout/update_xaxes helpers
    cost ~15 ms per figure; building the dict first and validating once costs ~1 ms.)"""
    return go.Figure({"data": data, "layout": layout})


def _base_layout(height: int, **extra) -> dict:
    layout = dict(
        template="none",
        height=height,
        margin=dict(l=40, r=10, t=30, b=36),
        font=dict(FONT),
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    layout.update(extra)
    return layout


# ----------------------------------------------------------------------------- decision boundary
def boundary_z(boundary: Boundary, discretize: bool, value_scale: float | None = None):
    """The heat map's z (float32) with its range, colour scale and hover text."""
    if boundary.task == "binary":
        z = (boundary.values > 0.5).astype(np.float32) if discretize else boundary.values
        return z, 0.0, 1.0, diverging_scale(TINT), "P(class 1) = %{z:.2f}"
    if boundary.task == "multiclass":
        k = boundary.n_classes
        conf = boundary.values
        # z = class + shade in [0, 0.49]: the integer part is the class (hover rounds to it), the
        # fraction the confidence above chance. One colour band per class.
        shade = (
            np.float32(0.49)
            if discretize
            else np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0, 1).astype(np.float32) * np.float32(0.49)
        )
        z = (boundary.classes.astype(np.float32) + shade).astype(np.float32)
        stops = []
        for c in range(k):
            colour = CLASS_COLOURS[c % len(CLASS_COLOURS)]
            stops += [
                [c / k, _tint(colour, 0.9)],
                [(c + 0.5) / k, _tint(colour, TINT)],
                [(c + 1) / k - 1e-6, _tint(colour, TINT)],
            ]
        stops[-1][0] = 1.0
        return z, 0.0, float(k), stops, "predicted class %{z:.0f}"
    scale = value_scale or float(np.abs(boundary.values).max()) or 1.0
    z = boundary.values
    if discretize:  # a few flat steps instead of a smooth surface
        z = (np.round(z / scale * 4) / 4 * scale).astype(np.float32)
    return z, -scale, scale, diverging_scale(TINT), "prediction = %{z:.2f}"


def _subsample(X, y, limit, seed=0):
    if len(X) <= limit:
        return X, y
    index = np.sort(np.random.default_rng(seed).choice(len(X), limit, replace=False))
    return X[index], y[index]


def _point_traces(X, y, task, n_classes, test: bool, value_scale: float) -> list:
    X, y = _subsample(np.asarray(X), np.asarray(y), MAX_DRAWN_POINTS, seed=1 if test else 0)
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
                    color=CLASS_COLOURS[c % len(CLASS_COLOURS)],
                    symbol=CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
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
    layout = _base_layout(
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
    return _figure(traces, layout)


def boundary_rgb(boundary: Boundary, discretize: bool = False) -> np.ndarray:
    """The boundary as an RGB uint8 image (row 0 at the TOP, as images go): for GIF frames."""
    z, zmin, zmax, stops, _ = boundary_z(boundary, discretize)
    lut = _lut(stops, 512)
    index = np.clip((z - zmin) / (zmax - zmin) * 511, 0, 511).astype(np.int64)
    return lut[index][::-1]


# ----------------------------------------------------------------------------- curves
def curves_figure(curves: dict, task: str, height: int = 260, max_points: int = 300) -> go.Figure:
    """Train and test loss (left axis) and accuracy or R² (right axis) over the epochs.

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
            dict(line, y=col("test_loss"), name="test loss", line=dict(color="#202020", width=2)),
            dict(
                line,
                y=col("train_metric"),
                name=f"train {metric}",
                yaxis="y2",
                line=dict(color=_tint(BLUE, 0.45), width=1.5, dash="dot"),
            ),
            dict(
                line,
                y=col("test_metric"),
                name=f"test {metric}",
                yaxis="y2",
                line=dict(color=BLUE, width=1.5, dash="dot"),
            ),
        ]
    low = 0.0
    if task == "regression" and len(epoch):
        finite = col("test_metric")[np.isfinite(col("test_metric"))]
        low = float(min(0.0, np.min(finite))) if finite.size else 0.0
        low = max(low, -1.0)
    return _figure(
        traces,
        _base_layout(
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


# ----------------------------------------------------------------------------- network diagram
X_GAP = 2.4  # horizontal distance between diagram columns (node size is NODE)
NODE = 0.78


def _node_y(count: int, j: int) -> float:
    return (count - 1) / 2.0 - j


def network_figure(
    maps, names, weights, biases, layer_titles, selected=None, max_per_layer: int = 12
) -> go.Figure:
    """TF Playground's view: every neuron drawn as a small heat map of its output over the plane,
    weights as lines (blue positive, orange negative, thickness = |w|).

    maps: per column [inputs, hidden..., output] arrays (k, r, r), k <= max_per_layer
    names: per column, the names of ALL its neurons (a wider layer shows "+n more")
    weights / biases: the network's per-layer W (n_in, n_out) and b (n_out,)
    selected: (column, index) of the neuron to outline (the inspector's choice), or None
    """
    columns = len(maps)
    shown = [m.shape[0] for m in maps]
    tallest = max(shown)
    images, node_x, node_y, node_text = [], [], [], []
    for c, stack in enumerate(maps):
        for j in range(shown[c]):
            x, y = c * X_GAP, _node_y(shown[c], j)
            # Each neuron map scaled by its own largest |value|: the shape is what matters here.
            rgb = signed_rgb(stack[j][::-1])  # image rows go top-down, the grid's bottom-up
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
            node_text.append(f"{names[c][j]}{bias}")

    # Edges, grouped into a few traces by sign and thickness (one trace per edge would be
    # hundreds of traces; Plotly draws a trace's line with one width).
    all_w = [np.asarray(weights[c])[: shown[c], : shown[c + 1]] for c in range(columns - 1)]
    biggest = max((float(np.abs(w).max()) for w in all_w if w.size), default=1.0) or 1.0
    levels = np.array([0.6, 1.4, 2.4, 3.6, 5.0])
    segments = {}  # (sign, level) -> xs, ys
    mid_x, mid_y, mid_text = [], [], []
    for c, w in enumerate(all_w):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                value = float(w[i, j])
                level = min(len(levels) - 1, int(abs(value) / biggest * len(levels)))
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
            text=layer_titles[c],
            showarrow=False,
            yanchor="bottom",
            font=dict(size=11),
        )
        for c in range(columns)
    ]
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
    height = int(min(720, max(240, 44 * tallest + 90)))
    return _figure(
        traces,
        _base_layout(
            height,
            margin=dict(l=4, r=4, t=4, b=4),
            images=images,
            shapes=shapes,
            annotations=annotations,
            hovermode="closest",
            showlegend=False,
            xaxis=dict(visible=False, range=[-NODE, (columns - 1) * X_GAP + NODE], fixedrange=True),
            yaxis=dict(visible=False, range=[bottom, top + 0.9], fixedrange=True),
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
    return _figure(
        traces,
        _base_layout(
            height,
            title=dict(text=title, font=dict(size=13)),
            margin=dict(l=36, r=8, t=36, b=30),
            xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False, constrain="domain"),
            yaxis=dict(
                range=[y_lo, y_hi], showgrid=False, zeroline=False, scaleanchor="x", constrain="domain"
            ),
        ),
    )


# ----------------------------------------------------------------------------- experiments
def race_figure(results, height: int = 320) -> go.Figure:
    """Test loss (solid) and train loss (dotted) of each optimizer of a race, on one chart."""
    traces = []
    palette = (BLUE, ORANGE, "#009E73", "#CC79A7", "#D8B700", "#56B4E9", "#333333")
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
    return _figure(
        traces,
        _base_layout(
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
                            color=CLASS_COLOURS[c % len(CLASS_COLOURS)],
                            symbol=CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
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
    return _figure(
        traces,
        _base_layout(
            height,
            margin=dict(l=30, r=8, t=8, b=30),
            legend=dict(orientation="h", y=-0.1),
            clickmode="event+select",
            dragmode=False,
            xaxis=axis,
            yaxis=dict(axis, scaleanchor="x"),
        ),
    )


# ----------------------------------------------------------------------------- live (SVG) views
# While training runs, the page redraws several times a second. A Plotly chart is re-created from
# scratch on every update (blank until Plotly has drawn it again: the charts blink, and on a
# busy 2-core machine the browser managed ~1.4 updates/s). So the live views are drawn here as
# small self-contained SVG pictures, shown as <img> (data URI): the browser just decodes an
# image. When training pauses, the page switches to the interactive Plotly figures above (hover,
# values).
SVG_FONT = 'font-family="Source Sans Pro, Helvetica, Arial, sans-serif"'
_SHAPES = (
    "M{x:.1f} {y:.1f}m-3.2 0a3.2 3.2 0 1 0 6.4 0a3.2 3.2 0 1 0-6.4 0",  # circle
    "M{x:.1f} {y:.1f}m-3 -3h6v6h-6z",  # square
    "M{x:.1f} {y:.1f}m0 -4l4 4l-4 4l-4 -4z",  # diamond
    "M{x:.1f} {y:.1f}m0 -4l4 7h-8z",  # triangle
    "M{x:.1f} {y:.1f}m-1.2 -4h2.4v2.8h2.8v2.4h-2.8v2.8h-2.4v-2.8h-2.8v-2.4h2.8z",  # cross
    "M{x:.1f} {y:.1f}m-3.2 0a3.2 3.2 0 1 0 6.4 0a3.2 3.2 0 1 0-6.4 0",  # circle again
)


def _esc(text) -> str:
    import html

    return html.escape(str(text), quote=True)


def svg_image_html(svg: str, max_width: int, alt: str) -> str:
    """An <img> showing the SVG (for st.html: a data URI image is drawn by the browser in one
    go, without a chart library)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_esc(alt)}" decoding="sync" '
        f'style="width:100%;max-width:{int(max_width)}px;height:auto;display:block">'
    )


def caption_html(text: str) -> str:
    """Small grey text like st.caption's, to ship with a picture in the same st.html element."""
    return f'<p style="font-size:0.875rem;color:rgba(49,51,63,0.6);margin:0.5rem 0 0">{_esc(text)}</p>'


def _ticks(lo: float, hi: float, count: int = 5) -> np.ndarray:
    """Round tick values between lo and hi (steps of 1, 2 or 5 times a power of ten)."""
    span = hi - lo
    if not np.isfinite(span) or span <= 0:
        return np.array([lo])
    raw = span / max(1, count - 1)
    power = 10 ** np.floor(np.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10) if m * power >= raw), default=raw)
    first = np.ceil(lo / step - 1e-9) * step
    return np.arange(first, hi + step * 1e-6, step)


def _tick_text(value: float) -> str:
    return f"{value:.3g}" if abs(value) >= 1e-9 else "0"


def svg_boundary(
    boundary: Boundary, dataset, show_test: bool = False, discretize: bool = False, size: int = 360
) -> str:
    """The decision boundary (a PNG of the grid, scaled by the browser) with the points on top,
    as one SVG picture. Same colours and shapes as `boundary_figure`."""
    left, top, bottom = 30, 6, 22
    width, height = left + size + 8, top + size + bottom
    x_lo, x_hi, y_lo, y_hi = boundary.extent
    rendering = "pixelated" if discretize else "auto"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#555">',
        f'<image href="{png_data_uri(boundary_rgb(boundary, discretize))}" x="{left}" y="{top}" '
        f'width="{size}" height="{size}" preserveAspectRatio="none" '
        f'style="image-rendering:{rendering}"/>',
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#ccc"/>',
    ]
    for v in _ticks(x_lo, x_hi):
        x = left + (v - x_lo) / (x_hi - x_lo) * size
        parts.append(f'<text x="{x:.1f}" y="{top + size + 14}" text-anchor="middle">{_tick_text(v)}</text>')
    for v in _ticks(y_lo, y_hi):
        y = top + (1 - (v - y_lo) / (y_hi - y_lo)) * size
        parts.append(f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end">{_tick_text(v)}</text>')

    def draw(X, y, test):
        X, y = _subsample(np.asarray(X), np.asarray(y), MAX_DRAWN_POINTS, seed=1 if test else 0)
        px = left + (X[:, 0] - x_lo) / (x_hi - x_lo) * size
        py = top + (1 - (X[:, 1] - y_lo) / (y_hi - y_lo)) * size
        inside = (px >= left) & (px <= left + size) & (py >= top) & (py <= top + size)
        stroke = 'stroke="#111" stroke-width="1.3"' if test else 'stroke="#fff" stroke-width="0.8"'
        if boundary.task == "regression":
            scale = float(np.abs(y).max()) or 1.0
            bins = np.clip(((y / scale + 1) * 7.5).round(), 0, 15).astype(int)  # 16 colours
            for b in np.unique(bins[inside]):
                m = inside & (bins == b)
                colour = "#{:02X}{:02X}{:02X}".format(*DIVERGING_LUT[int(b * 17)])
                d = "".join(_SHAPES[0].format(x=a, y=c) for a, c in zip(px[m], py[m]))
                parts.append(f'<path d="{d}" fill="{colour}" {stroke}/>')
            return
        for c in np.unique(y):
            m = inside & (y == c)
            shape = _SHAPES[int(c) % len(_SHAPES)]
            d = "".join(shape.format(x=a, y=b) for a, b in zip(px[m], py[m]))
            parts.append(f'<path d="{d}" fill="{CLASS_COLOURS[int(c) % len(CLASS_COLOURS)]}" {stroke}/>')

    draw(dataset.X_train, dataset.y_train, False)
    if show_test:
        draw(dataset.X_test, dataset.y_test, True)
    parts.append("</svg>")
    return "".join(parts)


def svg_curves(curves: dict, task: str, width: int = 460, height: int = 220, max_points: int = 300) -> str:
    """Train/test loss (left axis) and accuracy or R² (right axis) as an SVG line chart."""
    left, right, top, bottom = 42, 40, 22, 24
    pw, ph = width - left - right, height - top - bottom
    epoch = np.asarray(curves.get("epoch", ()), dtype=np.float64)
    metric = "R²" if task == "regression" else "accuracy"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#555">'
    ]
    index = decimate_indices(len(epoch), max_points)
    x_max = float(epoch[-1]) if len(epoch) and epoch[-1] > 0 else 1.0
    losses = np.zeros(1)
    if len(epoch):
        losses = np.concatenate(
            [
                np.asarray(curves["train_loss"], np.float64)[index],
                np.asarray(curves["test_loss"], np.float64)[index],
            ]
        )
    losses = losses[np.isfinite(losses)]
    y_max = float(losses.max()) * 1.05 if losses.size and losses.max() > 0 else 1.0
    m_lo = 0.0
    if task == "regression" and len(epoch):
        test_metric = np.asarray(curves["test_metric"], np.float64)
        finite = test_metric[np.isfinite(test_metric)]
        m_lo = max(-1.0, min(0.0, float(finite.min()))) if finite.size else 0.0

    def sx(v):
        return left + v / x_max * pw

    for v in _ticks(0, x_max, 5):
        parts.append(
            f'<line x1="{sx(v):.1f}" x2="{sx(v):.1f}" y1="{top}" y2="{top + ph}" '
            f'stroke="#eee"/><text x="{sx(v):.1f}" y="{top + ph + 13}" '
            f'text-anchor="middle">{_tick_text(v)}</text>'
        )
    for v in _ticks(0, y_max, 4):
        y = top + ph - v / y_max * ph
        parts.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end">{_tick_text(v)}</text>'
        )
    for v in _ticks(m_lo, 1.0, 4):
        y = top + ph - (v - m_lo) / (1.0 - m_lo) * ph
        parts.append(f'<text x="{left + pw + 4}" y="{y + 3.5:.1f}">{_tick_text(v)}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{height - 1}" text-anchor="middle">epoch</text>')
    series = (
        ("train_loss", "train loss", "#9A9A9A", "", False),
        ("test_loss", "test loss", "#202020", "", False),
        ("train_metric", f"train {metric}", _tint(BLUE, 0.45), "4 3", True),
        ("test_metric", f"test {metric}", BLUE, "4 3", True),
    )
    legend_x = left
    for name, label, colour, dash, on_metric in series:
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 16}" y1="10" y2="10" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/><text x="{legend_x + 20}" '
            f'y="13.5">{_esc(label)}</text>'
        )
        legend_x += 24 + 5.2 * len(label)
        if not len(epoch):
            continue
        values = np.asarray(curves[name], np.float64)[index]
        xs = epoch[index]
        ok = np.isfinite(values)
        if on_metric:
            ys = top + ph - (np.clip(values, m_lo, 1.0) - m_lo) / (1.0 - m_lo) * ph
        else:
            ys = top + ph - np.clip(values / y_max, 0, 1) * ph
        points = " ".join(f"{sx(a):.1f},{b:.1f}" for a, b in zip(xs[ok], ys[ok]))
        if len(xs[ok]) == 1:
            points += f" {sx(xs[ok][0]) + 1:.1f},{ys[ok][0]:.1f}"
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
    parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_network(
    maps,
    names,
    weights,
    biases,
    layer_titles,
    selected=None,
    node: int = 30,
    column_gap: int = 104,
    row_gap: int = 40,
) -> str:
    """The network diagram (same content as `network_figure`) as an SVG picture."""
    columns = len(maps)
    shown = [m.shape[0] for m in maps]
    tallest = max(shown)
    top = 34
    width = 16 + (columns - 1) * column_gap + node + 16
    extra = 18 if any(len(n) > s for n, s in zip(names, shown)) else 4
    height = top + tallest * row_gap + extra

    def centre(c, j):
        x = 16 + node / 2 + c * column_gap
        y = top + (tallest - shown[c]) * row_gap / 2 + j * row_gap + row_gap / 2
        return x, y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#444">'
    ]
    all_w = [np.asarray(weights[c])[: shown[c], : shown[c + 1]] for c in range(columns - 1)]
    biggest = max((float(np.abs(w).max()) for w in all_w if w.size), default=1.0) or 1.0
    for c, w in enumerate(all_w):
        for positive in (True, False):
            for i, j in zip(*np.nonzero(w >= 0 if positive else w < 0)):
                x0, y0 = centre(c, i)
                x1, y1 = centre(c + 1, j)
                thickness = 0.4 + 4.6 * abs(float(w[i, j])) / biggest
                parts.append(
                    f'<line x1="{x0 + node / 2:.1f}" y1="{y0:.1f}" x2="{x1 - node / 2:.1f}" '
                    f'y2="{y1:.1f}" stroke="{BLUE if positive else ORANGE}" '
                    f'stroke-width="{thickness:.2f}" stroke-opacity="0.7"/>'
                )
    # All neuron maps in one sprite PNG (one encode), each node showing its own square of it.
    r = maps[0].shape[-1]
    sprite = signed_rgb_each(np.concatenate(maps, axis=0)[:, ::-1]).reshape(-1, r, 3)
    parts.append(
        f'<defs><image id="maps" href="{png_data_uri(sprite)}" width="{r}" '
        f'height="{sprite.shape[0]}"/></defs>'
    )
    k = 0
    for c in range(len(maps)):
        x, _ = centre(c, 0)
        for line_no, line in enumerate(str(layer_titles[c]).split("<br>")):
            parts.append(
                f'<text x="{x:.1f}" y="{12 + 11 * line_no}" text-anchor="middle">{_esc(line)}</text>'
            )
        for j in range(shown[c]):
            x, y = centre(c, j)
            parts.append(
                f'<svg x="{x - node / 2:.1f}" y="{y - node / 2:.1f}" width="{node}" '
                f'height="{node}" viewBox="0 {k * r} {r} {r}" preserveAspectRatio="none">'
                f'<use href="#maps"/></svg>'
                f'<rect x="{x - node / 2:.1f}" y="{y - node / 2:.1f}" width="{node}" '
                f'height="{node}" fill="none" stroke="#bbb" stroke-width="0.6"/>'
            )
            k += 1
        more = len(names[c]) - shown[c]
        if more > 0:
            x, y = centre(c, shown[c] - 1)
            parts.append(
                f'<text x="{x:.1f}" y="{y + node / 2 + 13:.1f}" text-anchor="middle">… +{more}</text>'
            )
    if selected is not None:
        c, j = selected
        if 0 <= c < columns and 0 <= j < shown[c]:
            x, y = centre(c, j)
            parts.append(
                f'<rect x="{x - node / 2 - 3:.1f}" y="{y - node / 2 - 3:.1f}" '
                f'width="{node + 6}" height="{node + 6}" fill="none" stroke="#D81B60" '
                f'stroke-width="2.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
