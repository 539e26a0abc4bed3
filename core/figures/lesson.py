"""Plotly figures for the Learn page: an activation curve with the neuron on it, the loss over
the update steps taken, and the training loss of the initialization comparison.

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
