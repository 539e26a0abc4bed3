"""The neuron inspector tab: pick a neuron, see its map over the plane, edit a weight or its bias."""

from __future__ import annotations

import streamlit as st

from core import playground as pg
from core.figures import playground as figures
from core.playground.widgets import box_value


def neuron_panel(session: pg.PlaygroundSession, playing: bool) -> None:
    """The inspector of `session`'s network; the edits are disabled while `playing`."""
    choices = session.layer_choices()
    c_layer, c_neuron = st.columns(2)
    layer = c_layer.selectbox(
        "Layer", [i for i, _ in choices], key="pg_inspect_layer", format_func=lambda i: dict(choices)[i]
    )
    names = session.column_names()[layer + 1]
    neuron = c_neuron.selectbox(
        "Neuron", list(range(len(names))), key="pg_inspect_neuron", format_func=lambda j: names[j]
    )
    st.session_state.pg_selected = (layer, neuron)  # the diagram highlights it
    resolution = session.live_resolution() if playing else pg.GRID_SIZE
    detail = session.neuron_detail(layer, neuron, resolution)
    c_map, c_edit = st.columns([3, 2])
    picture, scale = figures.neuron_image(detail["map"], detail["extent"], session.dataset)
    c_map.image(
        picture,
        caption=f"{detail['name']} ({detail['activation']}) over the plane: orange −{scale:.3g}, "
        f"grey 0, blue +{scale:.3g}; dots: training points.",
        width=320,
    )
    with c_edit:
        _editor(session, layer, neuron, detail, playing)


def _editor(session: pg.PlaygroundSession, layer: int, neuron: int, detail: dict, playing: bool) -> None:
    st.metric("Bias", f"{detail['bias']:+.4f}")
    st.table({"from": detail["inputs"], "weight": [f"{w:+.4f}" for w in detail["weights"]]})
    if playing:
        st.caption("Pause to edit weights.")
    source = st.selectbox(
        "Edit the weight from",
        list(range(len(detail["inputs"]))),
        format_func=lambda i: detail["inputs"][i],
        key="pg_edit_source",
        disabled=playing,
    )
    # The key includes the current value: after an edit (or more training) the box shows
    # the weight as it is now, not what was typed before.
    current = float(detail["weights"][source])
    weight_key = f"pg_edit_w_{layer}_{neuron}_{source}_{current:.6g}"
    _parameter_box("New weight", current, weight_key, playing)
    bias = float(detail["bias"])
    bias_key = f"pg_edit_b_{layer}_{neuron}_{bias:.6g}"

    def edit(change, *args) -> None:
        # A callback's exception would stop the page: say what was wrong instead.
        try:
            change(*args)
            st.session_state.pop("pg_edit_error", None)
        except ValueError as error:
            st.session_state.pg_edit_error = str(error)

    st.button(
        "Set weight",
        on_click=lambda: edit(session.set_weight, layer, source, neuron, st.session_state[weight_key]),
        disabled=playing,
        key="pg_set_weight",
    )
    _parameter_box("New bias", bias, bias_key, playing)
    st.button(
        "Set bias",
        on_click=lambda: edit(session.set_bias, layer, neuron, st.session_state[bias_key]),
        disabled=playing,
        key="pg_set_bias",
    )
    error = st.session_state.pop("pg_edit_error", None)
    if error:
        st.error(error)


def _parameter_box(label: str, value: float, key: str, playing: bool) -> None:
    """A number box for a weight or bias, starting at the engine's value clamped into the range a
    student may type (and saying so when it had to be clamped)."""
    start, note = box_value(value)
    st.number_input(
        label, -pg.MAX_WEIGHT, pg.MAX_WEIGHT, value=start, step=0.1, format="%.4f", key=key, disabled=playing
    )
    if note:
        st.caption(note)
