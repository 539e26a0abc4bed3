"""Plotly figures for the Learn page: an activation curve with the neuron on it, the loss over
the update steps taken, the training loss of the initialization comparison, and the paths of
gradient descent and of the optimizers on the lesson's loss surfaces.

Pure functions: numbers from core/lesson in, go.Figure out. They are small and drawn once per
rerun, so they use Plotly's ordinary helpers rather than the Playground's lean construction.
"""

from __future__ import annotations

from types import MappingProxyType

import plotly.graph_objects as go

_MARGIN = MappingProxyType({"l": 10, "r": 10, "t": 30, "b": 10})  # read-only: shared by every session


def step_ticks(points: int) -> int:
    """Tick spacing for a steps axis of `points` points: whole steps, about 10 ticks."""
    return max(1, -(-points // 10))


def activation_figure(curve_z, curve_a, z: float, a: float, activation: str) -> go.Figure:
    """The activation f over a range of z, with this neuron's (z, f(z)) marked on it."""
    figure = go.Figure(
        [
            go.Scatter(x=curve_z, y=curve_a, mode="lines", name=f"f = {activation}"),
            go.Scatter(x=[z], y=[a], mode="markers", name="this neuron", marker={"size": 12}),
        ]
    )
    figure.update_layout(
        height=260, margin=dict(_MARGIN), xaxis_title="z", yaxis_title="a = f(z)", title=activation
    )
    return figure


def update_loss_figure(losses) -> go.Figure:
    """The loss on the lesson's sample at every step: the steps taken, then the one previewed."""
    losses = list(losses)
    figure = go.Figure(go.Scatter(x=list(range(len(losses))), y=losses, mode="lines+markers"))
    figure.update_layout(
        height=230,
        margin=dict(_MARGIN),
        xaxis_title="step",
        yaxis_title="loss",
        title="Loss on this sample",
        xaxis={"tick0": 0, "dtick": step_ticks(len(losses))},
    )
    return figure


def symmetry_loss_figure(runs) -> go.Figure:
    """One training-loss curve per initialization (core.lesson.SymmetryRun), on the same batch."""
    runs = list(runs)
    figure = go.Figure([go.Scatter(y=run.losses, mode="lines", name=f"{run.init} init") for run in runs])
    points = max((len(run.losses) for run in runs), default=1)
    figure.update_layout(
        height=240,
        margin=dict(_MARGIN),
        xaxis_title="step",
        yaxis_title="loss on the 8 samples",
        title="Training loss",
        xaxis={"tick0": 0, "dtick": step_ticks(points)},
    )
    return figure


def _path_extent(paths, minimum: float = 2.5) -> float:
    """Half-width of the plot: the paths' reach (finite points only), at least `minimum`, at most 10."""
    values = [abs(v) for path in paths for v in path.ravel() if abs(v) < 1e6]
    return min(10.0, max([minimum, *values]) * 1.15)


def spread_labels(values, gap: float) -> list[str]:
    """Step numbers for the points, blank where a point is within `gap` of the last labelled one
    (converging paths pile up at the bottom, and overlapping numbers are unreadable)."""
    labels, last = [], None
    for index, value in enumerate(values):
        keep = last is None or abs(value - last) >= gap
        labels.append(str(index) if keep else "")
        last = value if keep else last
    return labels


# One colour per optimizer, the same in every chart of the optimizer comparison.
OPTIMIZER_COLOURS = MappingProxyType(
    {
        "sgd": "#1f77b4",
        "momentum": "#d62728",
        "nesterov": "#ff7f0e",
        "adagrad": "#2ca02c",
        "rmsprop": "#9467bd",
        "adam": "#111111",
    }
)


def descent_1d_figure(surface, path) -> go.Figure:
    """The 1-D bowl L(w) with the path of gradient descent drawn as numbered points on it."""
    extent = _path_extent([path.points])
    ws = [-extent + 2 * extent * i / 200 for i in range(201)]
    points = [float(p[0]) for p in path.points if abs(p[0]) <= extent]
    figure = go.Figure(
        [
            go.Scatter(x=ws, y=[surface.loss([w]) for w in ws], mode="lines", name="loss L(w)"),
            go.Scatter(
                x=points,
                y=[surface.loss([w]) for w in points],
                mode="lines+markers+text",
                text=spread_labels(points, extent / 12),
                textposition="top center",
                name="steps",
            ),
        ]
    )
    figure.update_layout(
        height=300,
        margin=dict(_MARGIN),
        xaxis_title="w",
        yaxis_title="loss",
        title=f"lr = {path.learning_rate:g}",
    )
    return figure


def descent_2d_figure(surface, paths, names) -> go.Figure:
    """Contours of a 2-D surface with one or more paths (lists of (x, y) points) on it."""
    extent = _path_extent([p for p in paths])
    xs, ys, loss = surface.grid(extent)
    traces = [go.Contour(x=xs, y=ys, z=loss, showscale=False, ncontours=25, colorscale="Greys", opacity=0.35)]
    for points, name in zip(paths, names):
        kept = [p for p in points if abs(p[0]) <= extent and abs(p[1]) <= extent]
        line = {"color": OPTIMIZER_COLOURS[name]} if name in OPTIMIZER_COLOURS else {}
        traces.append(
            go.Scatter(
                x=[p[0] for p in kept], y=[p[1] for p in kept], mode="lines+markers", name=name, line=line
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        height=380,
        margin=dict(_MARGIN),
        xaxis_title="w1",
        yaxis_title="w2",
        title=surface.name,
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def losses_figure(curves, names, title: str = "Loss per step") -> go.Figure:
    """Loss curves (log scale) of several paths, one per name."""
    figure = go.Figure(
        [
            go.Scatter(
                y=[max(v, 1e-12) for v in c],
                mode="lines+markers",
                name=n,
                line={"color": OPTIMIZER_COLOURS[n]} if n in OPTIMIZER_COLOURS else {},
            )
            for c, n in zip(curves, names)
        ]
    )
    points = max((len(c) for c in curves), default=1)
    figure.update_layout(
        height=280,
        margin=dict(_MARGIN),
        xaxis_title="step",
        yaxis_title="loss (log scale)",
        yaxis_type="log",
        title=title,
        xaxis={"tick0": 0, "dtick": step_ticks(points)},
        legend={"orientation": "h", "y": -0.35},
    )
    return figure
