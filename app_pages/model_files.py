"""The model-file uploader of the MNIST and Draw pages: one widget, one validated load, one message.

core/engine/model_io.load_model refuses every file it cannot trust (not a zip, pickled or
object arrays, shapes that do not match the architecture, sizes over the caps, NaN or infinite
weights, unprintable class names) with a one-line ModelFileError; this shows it as text.
A loaded model is kept in st.session_state under `key + "_loaded"` with the file's name, so the
page does not parse the file again on every rerun.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import plain_text
from core.engine.model_io import SavedModel, load_model
from core.vision.uploads import MAX_UPLOAD_BYTES


def uploaded_model(
    key: str, label: str = "A model file (.npz) saved by this app"
) -> tuple[SavedModel, str] | None:
    """(model, file name) of the file uploaded under `key`, or None (nothing uploaded, or refused:
    the reason is shown)."""
    upload = st.file_uploader(
        label,
        type=["npz"],
        key=key,
        max_upload_size=max(1, MAX_UPLOAD_BYTES // 1_000_000),
        help=f"Up to {MAX_UPLOAD_BYTES // 1_000_000} MB (the server's upload limit): "
        "a network of about a million weights, e.g. 784-1024-256-10.",
    )
    if upload is None:
        st.session_state.pop(key + "_loaded", None)
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get(key + "_loaded")
    if kept is not None and kept[0] == digest:
        return kept[1], upload.name
    try:
        model = load_model(data)
    except ValueError as error:  # ModelFileError: what is wrong with the file, in one line
        plain_text.error(f"This file cannot be used as a model: {error}.")
        return None
    st.session_state[key + "_loaded"] = (digest, model)
    return model, upload.name
