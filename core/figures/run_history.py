"""Several runs in one chart: their loss and metric curves overlaid (the run history of the
Playground and the MNIST page), and on the MNIST page their robustness curves.

One colour per run, the same in every chart; training solid, held-out (test or validation) dashed.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.palette import GRID_COLOUR
from core.figures.plotly_base import base_layout
from core.runs import RunRecord

# Colour-blind-safe (Okabe-Ito) plus two, so that ten runs stay apart.
RUN_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#000000",
    "#F0E442",
    "#7F7F7F",
    "#8C564B",
)
ROBUSTNESS_KEYS = (
    ("robustness_noise", "robustness_noise_accuracy", "Gaussian pixel noise", "noise standard deviation"),
    ("robustness_angle", "robustness_angle_accuracy", "Rotation", "rotation (degrees)"),
)


def run_colour(index: int) -> str:
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def _values(values) -> list:
    """NaN (no test set) as a gap: Plotly draws None as a break in the line."""
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]


def metric_label(records) -> str:
    """The metric axis' name: accuracy, R², or both when runs of both kinds are overlaid."""
    tasks = {record.config.get("task") for record in records}
    if tasks == {"regression"}:
        return "R²"
    return "accuracy or R²" if "regression" in tasks else "accuracy"


def runs_curves_figure(records: list[RunRecord], held_out: str = "test") -> go.Figure:
    """Left: the loss per epoch, right: the metric per epoch, of every run in `records` (lines
    named by the run's label; training solid, `held_out` dashed)."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("Loss", metric_label(records)), horizontal_spacing=0.1
    )
    for index, record in enumerate(records):
        colour = run_colour(index)
        epochs = record.curves["epoch"]
        for key, kind, dash in (("train", "train", "solid"), ("test", held_out, "dash")):
            for col, measure in ((1, "loss"), (2, "metric")):
                figure.add_trace(
                    go.Scatter(
                        x=epochs,
                        y=_values(record.curves[f"{key}_{measure}"]),
                        mode="lines",
                        name=f"{record.label} {kind}",
                        legendgroup=record.label,
                        showlegend=col == 1,
                        line=dict(color=colour, dash=dash, width=2),
                        hovertemplate=f"{record.label} {kind}, epoch %{{x}}: %{{y:.4g}}<extra></extra>",
                    ),
                    row=1,
                    col=col,
                )
    figure.update_layout(
        base_layout(380, margin=dict(l=50, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25))
    )
    figure.update_xaxes(title_text="epoch", gridcolor=GRID_COLOUR)
    figure.update_yaxes(gridcolor=GRID_COLOUR)
    return figure


def has_robustness(record: RunRecord) -> bool:
    return all(key in record.extra for pair in ROBUSTNESS_KEYS for key in pair[:2])


def runs_robustness_figure(records: list[RunRecord]) -> go.Figure:
    """The MNIST robustness probe of each run that has one: test accuracy against pixel noise and
    against rotation, one line per run."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=[title for *_, title, _ in ROBUSTNESS_KEYS])
    for index, record in enumerate(records):
        if not has_robustness(record):
            continue
        for col, (x_key, y_key, _, _) in enumerate(ROBUSTNESS_KEYS, start=1):
            figure.add_trace(
                go.Scatter(
                    x=record.extra[x_key],
                    y=record.extra[y_key],
                    mode="lines+markers",
                    name=record.label,
                    legendgroup=record.label,
                    showlegend=col == 1,
                    line=dict(color=run_colour(index), width=2),
                    hovertemplate=f"{record.label}: %{{x}} → %{{y:.1%}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    for col, (*_, axis) in enumerate(ROBUSTNESS_KEYS, start=1):
        figure.update_xaxes(title_text=axis, row=1, col=col, gridcolor=GRID_COLOUR)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05], gridcolor=GRID_COLOUR)
    figure.update_yaxes(title_text="test accuracy", row=1, col=1)  # one title: two collide at 390 px
    figure.update_layout(
        base_layout(360, margin=dict(l=50, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.3))
    )
    return figure
