"""Teach it your digits (Draw page): correct a wrong guess, collect examples, fine-tune a copy.

Per-session state (keys draw_*): `draw_examples` the gallery, a list of (28x28 pixels, label);
`draw_taught` the last core.vision.teaching.TeachingResult and `draw_taught_base` the model it was
taught from. The model the page started with (maybe the shipped one, shared by every session) is
never changed: core/vision/teaching.py trains a copy. Replay images come from a local MNIST folder
(read once per server, shared read-only, like on the MNIST page) or the MNIST page's data set.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_pages import plain_text
from app_pages.mnist_parts.data_source import APP_FOLDER, PREFERRED_MNIST_FOLDER, load_local_dataset
from core import mnist
from core.engine.model_io import model_file_name, model_to_bytes
from core.vision.teaching import MAX_EXAMPLES, TeachingError, teach

state = st.session_state
GALLERY_COLUMNS = 6


def _examples() -> list:
    return state.setdefault("draw_examples", [])


def model_in_use(base):
    """The taught copy when there is one for this base model, else the base model itself."""
    if state.get("draw_taught") is not None and state.get("draw_taught_base") is base:
        return state.draw_taught.model
    return base


def is_taught(model) -> bool:
    taught = state.get("draw_taught")
    return taught is not None and taught.model is model


def back_to_original() -> None:
    state.pop("draw_taught", None)
    state.pop("draw_taught_base", None)


def replay_images():
    """(images, labels, where from) of real MNIST digits to mix in, or (None, None, reason)."""
    loaded = state.get("mnist_dataset")
    if loaded is not None and loaded.name == "mnist" and tuple(loaded.X_train.shape[1:]) == (28, 28):
        return loaded.X_train, loaded.y_train, "the MNIST page's data set"
    folder = mnist.find_local_folder(mnist.data_roots(APP_FOLDER), PREFERRED_MNIST_FOLDER)
    if folder is None:
        return None, None, "no MNIST images were found on this server"
    try:
        dataset = load_local_dataset("mnist", str(folder))
    except ValueError as error:
        return None, None, f"the MNIST folder could not be read ({error})"
    return dataset.X_train, dataset.y_train, f"the MNIST folder {mnist.shown_folder(folder, APP_FOLDER)}"


def correction_form(prediction) -> None:
    """Under a shown guess: the right label, and a button that adds the drawing to the gallery."""
    names = list(prediction.class_names)
    c_label, c_add = st.columns([2, 1], vertical_alignment="bottom")
    # No default: a preselected guess would make "Add" teach the network its own mistake.
    label = c_label.selectbox(
        "Wrong? It is a …", names, index=None, placeholder="the right digit", key="draw_right_label"
    )
    full = len(_examples()) >= MAX_EXAMPLES
    if c_add.button("Add as example", key="draw_add_example", disabled=full or label is None):
        _examples().append((prediction.digit.pixels.copy(), names.index(label)))
        st.toast(f"Added as a {label}: {len(_examples())} example(s) in the gallery.")


def teach_section(base, class_names) -> None:
    """The gallery, the Teach button and the before/after table."""
    examples = _examples()
    st.subheader("Teach it your digits")
    if not examples:
        st.caption(
            "When the network reads your digit wrong, choose the right label above and press "
            "*Add as example*. A few examples (5 are usually enough) teach a copy of the network "
            "your style; the original model is never changed."
        )
    else:
        columns = st.columns(GALLERY_COLUMNS)
        for i, (pixels, label) in enumerate(examples):
            with columns[i % GALLERY_COLUMNS]:
                st.image(pixels, caption=f"a {class_names[label]}", width=84, clamp=True)
                if st.button("Remove", key=f"draw_remove_{i}"):
                    examples.pop(i)
                    st.rerun()
        images, labels, source = replay_images()
        if st.button(f"Teach the network ({len(examples)} example(s))", key="draw_teach", type="primary"):
            pixels = np.stack([p for p, _ in examples])
            targets = np.array([t for _, t in examples], dtype=np.int64)
            try:
                with st.spinner("Teaching a copy of the network ..."):
                    state.draw_taught = teach(base, pixels, targets, images, labels)
            except TeachingError as error:
                plain_text.error(f"Cannot teach with these examples: {error}.")
            else:
                state.draw_taught_base = base
                st.rerun()  # the page now predicts with the taught copy
        if images is None:
            plain_text.warning(
                f"Without real MNIST images to mix in ({source}), the copy is taught gently (fewer "
                "epochs, a smaller learning rate) so it forgets less; it may still forget a little."
            )
        else:
            st.caption(
                f"Your examples are mixed with 1,000 real MNIST digits from {source}, so it does not forget."
            )
    taught = state.get("draw_taught")
    if taught is not None and state.get("draw_taught_base") is base:
        _before_after(taught, class_names)


def _before_after(taught, class_names) -> None:
    rows = [
        {
            "example": i + 1,
            "your label": class_names[label],
            "before": f"{class_names[b]} ({taught.before[i, b]:.0%})",
            "after": f"{class_names[a]} ({taught.after[i, a]:.0%})",
        }
        for i, (label, b, a) in enumerate(zip(taught.labels, taught.before_predicted, taught.after_predicted))
    ]
    right = int(np.sum(taught.after_predicted == taught.labels))
    st.success(
        f"Taught in {taught.seconds:.1f} s: {right} of {len(rows)} examples now read right "
        f"(before: {int(np.sum(taught.before_predicted == taught.labels))})."
    )
    st.dataframe(rows, hide_index=True)
    st.download_button(
        "Download the taught model (.npz)",
        data=lambda: model_to_bytes(taught.model),  # serialized only when clicked
        file_name=model_file_name("mnist-taught", taught.model.network.layer_sizes),
        mime="application/octet-stream",
        on_click="ignore",
        key="draw_download_taught",
    )
