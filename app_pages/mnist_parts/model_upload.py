"""Load a saved model on the MNIST page: validated (app_pages/model_files.py), scored on the loaded
data set's test images when it fits them, and sent to the Draw page if it reads 28x28 digits."""

import streamlit as st

from app_pages import model_files, plain_text
from app_pages.session_keys import DRAW_MODEL_KEY, DRAW_MODEL_LABEL_KEY
from core.mnist.evaluation import evaluate_network, model_mismatch
from core.vision.prediction import describe_model, digit_shape_problem

UPLOAD_KEY = "mnist_model_upload"


def load_panel(dataset) -> None:
    """A collapsed expander between the settings and the training section."""
    with st.expander(
        "📂 Load a saved model",
        expanded=UPLOAD_KEY in st.session_state and bool(st.session_state[UPLOAD_KEY]),
    ):
        st.caption(
            "A model downloaded from this page (or made with `python -m core train`): see how it "
            f"does on these {dataset.name} test images, or use it on the Draw page."
        )
        loaded = model_files.uploaded_model(UPLOAD_KEY)
        if loaded is None:
            return
        model, file_name = loaded
        plain_text.info(f"{file_name}: {describe_model(model)}.".replace("**", ""))
        problem = model_mismatch(model, dataset)
        if problem is not None:
            plain_text.warning(f"It cannot be scored on this data set: {problem}.")
        else:
            evaluation = _scored(model, dataset)
            st.metric(
                "Test accuracy of the loaded model",
                f"{evaluation.accuracy:.2%}",
                help=f"On the {evaluation.n:,} test images of the data set loaded above.",
            )
        not_drawable = digit_shape_problem(model.input_shape or [model.network.n_inputs])
        if st.button(
            "Use this model on the Draw page",
            key="mnist_upload_to_draw",
            disabled=not_drawable is not None or model.network.head.task != "multiclass",
            help=not_drawable,
        ):
            st.session_state[DRAW_MODEL_KEY] = model
            st.session_state[DRAW_MODEL_LABEL_KEY] = file_name
            st.success("The Draw page now uses this model (open **Draw** in the sidebar).")


def _scored(model, dataset):
    """The evaluation, computed once per (file, data set): a rerun (Pause, Resume) costs nothing."""
    key = (id(model), dataset.name, dataset.n_train)
    kept = st.session_state.get("mnist_upload_scored")
    if kept is None or kept[0] != key:
        evaluation = evaluate_network(model.network, dataset.X_test, dataset.y_test, dataset.class_names)
        kept = st.session_state.mnist_upload_scored = (key, evaluation)
    return kept[1]
