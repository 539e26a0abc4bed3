"""The MNIST page's "Save / use" tab: download the trained model (named after the run) or send it
to the Draw page."""

import streamlit as st

from app_pages.session_keys import DRAW_MODEL_KEY, DRAW_MODEL_LABEL_KEY
from core.engine.model_io import model_file_name, model_to_bytes, score_tag
from core.vision.prediction import digit_shape_problem


def use_on_draw_page() -> None:
    state = st.session_state
    state[DRAW_MODEL_KEY] = state.mnist_run.saved_model()
    state.pop(DRAW_MODEL_LABEL_KEY, None)  # "your network from the MNIST page"
    state.mnist_sent_to_draw = True


def save_tab(run, dataset, evaluation) -> None:
    st.download_button(
        "Download the model (.npz)",
        data=lambda: model_to_bytes(run.saved_model()),
        file_name=model_file_name(
            dataset.name, run.network.layer_sizes, score_tag("accuracy", evaluation.accuracy)
        ),
        mime="application/octet-stream",
        on_click="ignore",
        key="mnist_download_model",
        help="Weights plus metadata, named after the run (data set, layers, test accuracy, date); "
        "load it back under **Load a saved model**, with core.engine.model_io.load_model or "
        "`python -m core`.",
    )
    not_drawable = digit_shape_problem(dataset.image_shape)
    st.button(
        "Use this model on the Draw page",
        key="mnist_use_on_draw",
        on_click=use_on_draw_page,
        disabled=not_drawable is not None,
        help=not_drawable,
    )
    if st.session_state.pop("mnist_sent_to_draw", False):
        st.success(
            "The Draw page now uses this model (open **Draw** in the sidebar). It keeps "
            "this copy even if you train on."
        )
