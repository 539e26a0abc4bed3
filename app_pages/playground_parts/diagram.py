"""The network diagram of the live view: each neuron's map over the plane, the weights as lines."""

from __future__ import annotations

import streamlit as st

from app_pages.playground_parts import CHART_CONFIG
from core import playground as pg
from core.figures import playground as figures
from core.figures import playground_svg as svg_figures
from core.playground.config import ACTIVATION_LABELS

LEGEND = (
    "Each square: that neuron's output over the plane, every neuron of a layer on one scale "
    "(under the layer's name; the inputs each on their own): orange = low end, grey = middle, "
    "blue = high end; tanh −1…1, "
    "sigmoid 0…1 (0.5 is grey), ReLU and linear ± the layer's largest value; a class's output "
    "neuron in that class's colour. Small corner square: the neuron's bias (blue +, orange −, "
    "stronger = larger). Lines: weights (blue +, orange −, thickest from |w| = 5)."
)


def network_diagram(
    session: pg.PlaygroundSession, config: pg.PlaygroundConfig, resolution: int, live: bool, selected
) -> None:
    """The diagram of `session`'s network at the boundary's `resolution` (at most 24 x 24 per
    neuron); `selected` is the (layer, neuron) open in the inspector, drawn highlighted."""
    maps = session.neuron_maps(resolution=min(24, resolution))
    titles = (
        ["Input"]
        + [
            f"Hidden {i + 1}<br>{n} {ACTIVATION_LABELS.get(a, a)}"
            for i, (n, a) in enumerate(zip(config.hidden, config.activations))
        ]
        + ["Output"]
    )
    # The inspector counts hidden layers from 0; the diagram's columns start with the inputs.
    highlighted = (selected[0] + 1, selected[1]) if selected else None
    args = (
        maps,
        session.column_names(),
        session.network.weights,
        session.network.biases,
        titles,
        highlighted,
    )
    kinds = ["input", *session.config.activations[: len(session.config.hidden)], session.head]
    if live:  # picture and legend in one element (one message per update, not two)
        st.html(
            svg_figures.svg_image_html(svg_figures.svg_network(*args, kinds=kinds), 560, "network diagram")
            + svg_figures.caption_html(LEGEND)
        )
    else:
        st.plotly_chart(figures.network_figure(*args, kinds=kinds), config=dict(CHART_CONFIG))
        st.caption(LEGEND + " Hover a neuron or a weight for its values.")
