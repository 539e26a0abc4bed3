"""Plotly figures for the MNIST and Draw pages: pure functions, arrays or core/mnist results
(`Evaluation`, `RobustnessProbe`, `PCAMap`, the trainer's epoch history) in, go.Figure out.

Images are drawn as heat maps with one cell per pixel, so "upscaling" is always nearest-neighbour
(every pixel stays a crisp square) and hovering a pixel shows its value. Row 0 of an image is its
top row, hence the reversed y axes.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.mnist.evaluation import Evaluation
from core.mnist.inspection import PCAMap, RobustnessProbe

# Plotly's qualitative palette with 10 distinguishable colours, one per class.
CLASS_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
TRAIN_COLOUR, VAL_COLOUR = "#1f77b4", "#ff7f0e"
_MARGIN = MappingProxyType(dict(l=10, r=10, t=40, b=10))  # read-only: shared by every session


def _class_colour(index: int) -> str:
    return CLASS_COLOURS[index % len(CLASS_COLOURS)]


# ----------------------------------------------------------------------------- training curves
def batch_loss_figure(epochs: np.ndarray, losses: np.ndarray) -> go.Figure:
    """The loss of every (thinned) mini-batch against the fractional epoch it was seen in."""
    fig = go.Figure(
        go.Scatter(
            x=epochs, y=losses, mode="lines", name="mini-batch loss", line=dict(width=1, color=TRAIN_COLOUR)
        )
    )
    fig.update_layout(
        title="Mini-batch loss",
        xaxis_title="epoch",
        yaxis_title="loss",
        height=300,
        margin=dict(_MARGIN),
        showlegend=False,
    )
    return fig


def epoch_curves_figure(history) -> go.Figure:
    """Per-epoch loss and accuracy, on the training images and the held-out validation images.
    A validation curve that turns up while training keeps falling is overfitting."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Loss per epoch", "Accuracy per epoch"))
    epochs = [r.epoch for r in history]
    series = [
        ("train", TRAIN_COLOUR, "train_loss", "train_metric"),
        ("validation", VAL_COLOUR, "val_loss", "val_metric"),
    ]
    for name, colour, loss_field, metric_field in series:
        losses = [getattr(r, loss_field) for r in history]
        if not losses or losses[0] is None:
            continue
        metrics = [getattr(r, metric_field) for r in history]
        fig.add_trace(
            go.Scatter(
                x=epochs, y=losses, mode="lines+markers", name=name, legendgroup=name, line=dict(color=colour)
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=metrics,
                mode="lines+markers",
                name=name,
                legendgroup=name,
                showlegend=False,
                line=dict(color=colour),
            ),
            row=1,
            col=2,
        )
    fig.update_xaxes(title_text="epoch", dtick=1 if len(epochs) <= 20 else None)
    fig.update_yaxes(title_text="loss", row=1, col=1)
    fig.update_yaxes(title_text="accuracy", tickformat=".0%", row=1, col=2)
    fig.update_layout(height=320, margin=dict(_MARGIN), legend=dict(orientation="h", y=-0.25))
    return fig


# ----------------------------------------------------------------------------- test results
def confusion_matrix_figure(confusion: np.ndarray, class_names) -> go.Figure:
    """Rows: the true class; columns: what the network said. The diagonal is right answers;
    a bright off-diagonal cell is a pair of classes the network mixes up."""
    names = [str(c) for c in class_names]
    counts = np.asarray(confusion)
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    fig = go.Figure(
        go.Heatmap(
            z=share,
            x=names,
            y=names,
            text=counts,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar=dict(title="share of row", tickformat=".0%"),
            hovertemplate="true %{y}, predicted %{x}: %{text} images (%{z:.1%} of the row)<extra></extra>",
        )
    )
    fig.update_layout(
        title="Confusion matrix (test images)",
        xaxis_title="predicted class",
        yaxis_title="true class",
        height=480,
        margin=dict(_MARGIN),
    )
    fig.update_xaxes(type="category", side="bottom")
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


def per_class_accuracy_figure(accuracy: np.ndarray, class_names) -> go.Figure:
    names = [str(c) for c in class_names]
    raw = np.asarray(accuracy, dtype=float)
    values = np.nan_to_num(raw)  # a class without test images: an empty bar labelled "n/a"
    colours = [_class_colour(i) for i in range(len(names))]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=colours,
            text=["n/a" if np.isnan(v) else f"{v:.0%}" for v in raw],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Accuracy per class (test images)",
        xaxis_title="true class",
        yaxis=dict(title="accuracy", tickformat=".0%", range=[0, 1.12]),
        height=360,
        margin=dict(_MARGIN),
    )
    fig.update_xaxes(type="category")
    return fig


def image_grid_figure(
    images, titles, columns: int = 8, diverging: bool = False, title: str | None = None, cell_px: int = 110
) -> go.Figure:
    """A gallery: one small heat map per image, with its own title.

    diverging=False: grey levels (uint8 0..255 or floats 0..1), black background like MNIST.
    diverging=True: weights; blue positive, red negative, white zero, each image on its own
    symmetric scale (what matters is the pattern, not the size of the numbers).
    """
    images = np.asarray(images)
    count = len(images)
    columns = max(1, min(columns, count))
    rows = max(1, math.ceil(count / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=list(titles),
        horizontal_spacing=0.01,
        vertical_spacing=0.28 / rows + 0.02,
    )
    top = 255 if images.dtype == np.uint8 else 1.0
    for i, image in enumerate(images):
        row, col = divmod(i, columns)
        if diverging:
            limit = float(np.abs(image).max()) or 1.0
            trace = go.Heatmap(
                z=image,
                colorscale="RdBu",
                zmin=-limit,
                zmax=limit,
                showscale=False,
                hovertemplate="row %{y}, col %{x}: weight %{z:.3f}<extra></extra>",
            )
        else:
            trace = go.Heatmap(
                z=image,
                colorscale="gray",
                zmin=0,
                zmax=top,
                showscale=False,
                hovertemplate="row %{y}, col %{x}: %{z}<extra></extra>",
            )
        fig.add_trace(trace, row=row + 1, col=col + 1)
    bare = dict(showticklabels=False, showgrid=False, zeroline=False, showline=False, ticks="")
    fig.update_xaxes(**bare)
    fig.update_yaxes(**bare, autorange="reversed", scaleanchor="x", constrain="domain")
    for i in range(2, count + 1):  # square pixels in every subplot, not only the first
        fig.layout[f"yaxis{i}"].scaleanchor = f"x{i}"
    fig.update_annotations(font_size=11)
    fig.update_layout(title=title, height=rows * cell_px + 60, margin=dict(l=5, r=5, t=60, b=5))
    return fig


def misclassified_gallery_figure(images, evaluation: Evaluation, class_names, columns: int = 8) -> go.Figure:
    """The test images the network got wrong, most confident mistakes first."""
    names = [str(c) for c in class_names]
    mistakes = evaluation.mistakes
    titles = [
        f"true {names[m.true_class]} → {names[m.predicted_class]} ({m.confidence:.0%})" for m in mistakes
    ]
    return image_grid_figure(
        np.asarray(images)[[m.index for m in mistakes]],
        titles,
        columns,
        title="Misclassified test images (true → predicted, confidence)",
    )


def weight_images_figure(weight_images: np.ndarray, columns: int = 8) -> go.Figure:
    titles = [f"neuron {j + 1}" for j in range(len(weight_images))]
    return image_grid_figure(
        weight_images,
        titles,
        columns,
        diverging=True,
        title="First-layer weights (blue: ink here excites the neuron, red: inhibits it)",
    )


def robustness_figure(probe: RobustnessProbe) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Gaussian pixel noise", "Rotation"))
    fig.add_trace(
        go.Scatter(
            x=probe.noise_levels,
            y=probe.noise_accuracy,
            mode="lines+markers",
            name="noise",
            hovertemplate="noise std %{x}: %{y:.1%}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=probe.angles,
            y=probe.rotation_accuracy,
            mode="lines+markers",
            name="rotation",
            hovertemplate="%{x}°: %{y:.1%}<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="noise standard deviation (pixels 0..1)", row=1, col=1)
    fig.update_xaxes(title_text="rotation (degrees)", row=1, col=2)
    fig.update_yaxes(title_text="test accuracy", tickformat=".0%", range=[0, 1.05])
    fig.update_layout(
        title=f"Robustness probe ({probe.n:,} test images)",
        height=360,
        margin=dict(l=10, r=10, t=80, b=10),
        showlegend=False,
    )
    return fig


def pca_figure(pca: PCAMap, class_names) -> go.Figure:
    """One scatter trace per class, so the legend can hide or isolate classes."""
    names = [str(c) for c in class_names]
    fig = go.Figure()
    for index, name in enumerate(names):
        points = pca.coordinates[pca.labels == index]
        if len(points) == 0:
            continue
        fig.add_trace(
            go.Scatter(
                x=points[:, 0],
                y=points[:, 1],
                mode="markers",
                name=name,
                marker=dict(size=5, opacity=0.7, color=_class_colour(index)),
                hovertemplate=f"class {name}<extra></extra>",
            )
        )
    fig.update_layout(
        title=f"Hidden layer {pca.layer} ({pca.n_units} neurons) of {len(pca.labels):,} test images, "
        f"PCA to 2-D",
        xaxis_title=f"PC1 ({pca.explained[0]:.0%} of the variance)",
        yaxis_title=f"PC2 ({pca.explained[1]:.0%} of the variance)",
        height=500,
        margin=dict(_MARGIN),
        legend_title_text="class",
    )
    return fig


# ----------------------------------------------------------------------------- Draw page
def probability_figure(probabilities, class_names, predicted: int | None = None) -> go.Figure:
    names = [str(c) for c in class_names]
    values = np.asarray(probabilities, dtype=float)
    colours = ["#d62728" if i == predicted else "#9bb7d4" for i in range(len(names))]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=colours,
            text=[f"{v:.0%}" if v >= 0.005 else "" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.2%}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Probability of each class (softmax output)",
        yaxis=dict(title="probability", range=[0, 1.15], tickformat=".0%"),
        height=300,
        margin=dict(_MARGIN),
    )
    fig.update_xaxes(type="category")
    return fig


def digit_image_figure(pixels, title: str = "What the network sees (28×28)") -> go.Figure:
    pixels = np.asarray(pixels)
    fig = go.Figure(
        go.Heatmap(
            z=pixels,
            colorscale="gray",
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>",
        )
    )
    bare = dict(showticklabels=False, showgrid=False, zeroline=False, showline=False, ticks="")
    fig.update_xaxes(**bare, constrain="domain")
    fig.update_yaxes(**bare, autorange="reversed", scaleanchor="x", constrain="domain")
    fig.update_layout(title=title, height=300, margin=dict(l=5, r=5, t=40, b=5))
    return fig


def activations_figure(hidden_activations) -> go.Figure:
    """One bar chart row per hidden layer: the output of every neuron for this input."""
    layers = list(hidden_activations)
    rows = max(1, len(layers))
    fig = make_subplots(
        rows=rows,
        cols=1,
        vertical_spacing=0.3 / rows,
        subplot_titles=[
            f"Hidden layer {i + 1}: {len(a)} neurons, {int(np.count_nonzero(np.asarray(a) > 0))} active"
            for i, a in enumerate(layers)
        ]
        or None,
    )
    for i, activation in enumerate(layers):
        activation = np.asarray(activation, dtype=float)
        fig.add_trace(
            go.Bar(
                x=np.arange(1, len(activation) + 1),
                y=activation,
                marker_color="#2ca02c",
                name=f"layer {i + 1}",
                hovertemplate="neuron %{x}: %{y:.3f}<extra></extra>",
            ),
            row=i + 1,
            col=1,
        )
        fig.update_yaxes(title_text="activation", row=i + 1, col=1)
    fig.update_xaxes(title_text="neuron", row=rows, col=1)
    fig.update_annotations(font_size=12)
    fig.update_layout(
        title="Hidden-layer activations for this input",
        showlegend=False,
        height=100 + 190 * rows,
        margin=dict(l=10, r=10, t=80, b=10),
        bargap=0.05,
    )
    return fig
