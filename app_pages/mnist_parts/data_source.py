"""Section 1 of the MNIST page: where the images come from, offline first.

The page opens on a source that works without a network: a folder of IDX files it finds among
the operator's data roots (core/mnist/local_folders.py), else scikit-learn's bundled 8×8 digits.
Each source says what it needs, and a failed download points at the two that work offline.
Loaded data sets are cached per process and shared by every user (their arrays are read-only).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from app_pages import plain_text
from core import mnist

LOCAL, DIGITS, DOWNLOAD = "Local folder", "8×8 digits (offline)", "Download (MNIST / Fashion-MNIST)"
SOURCES = (LOCAL, DIGITS, DOWNLOAD)
NEEDS = {
    LOCAL: "Needs a folder of IDX files on this server, inside its data folders. Works offline.",
    DIGITS: "Needs nothing: 1,797 digits of 8×8 pixels ship with scikit-learn. Works offline, "
    "and training takes seconds.",
    DOWNLOAD: "Needs the server to reach the internet: the four files (about 11 MB for MNIST, "
    "30 MB for Fashion-MNIST) are downloaded once, checked against their MD5 checksums and kept "
    "in the cache folder.",
}
# Relative folders typed by the learner start at the app's folder (where app.py lives); the
# folder suggested first is $NEURAL_PLAYGROUND_MNIST_DIR, else the shared 5,000-image MNIST
# subset next to this checkout (../shared/data/mnist-5k), else any IDX folder in the data roots.
APP_FOLDER = Path(__file__).resolve().parents[2]
PREFERRED_MNIST_FOLDER = Path(
    os.environ.get("NEURAL_PLAYGROUND_MNIST_DIR") or APP_FOLDER.parent / "shared" / "data" / "mnist-5k"
)


@st.cache_resource(max_entries=4, show_spinner="Reading the images ...")
def load_dataset(name: str, folder: str | None):
    return mnist.load_image_data(name, folder)


@st.cache_resource(max_entries=4, show_spinner="Reading the images ...")
def load_local_dataset(name: str, folder: str):
    return mnist.load_local_folder(name, Path(folder), APP_FOLDER)


def found_folder(roots) -> str:
    """A local IDX folder to suggest, shown relative to the app's folder (never as a server
    path); "" when the data roots hold none."""
    folder = mnist.find_local_folder(roots, PREFERRED_MNIST_FOLDER)
    return mnist.shown_folder(folder, APP_FOLDER) if folder else ""


def data_section(set_dataset) -> None:
    """The source chooser and its loader; `set_dataset(dataset)` takes a loaded data set."""
    roots = mnist.data_roots(APP_FOLDER)  # read per run: the operator's setting may change
    suggested = found_folder(roots)
    # Offline first: open on the local folder when one was found, else on the bundled digits.
    st.session_state.setdefault("mnist_source", LOCAL if suggested else DIGITS)
    source = st.radio("Where the images come from", SOURCES, key="mnist_source", horizontal=True)
    st.caption(NEEDS[source])
    if source == LOCAL:
        _local_folder(set_dataset, roots, suggested)
    elif source == DIGITS:
        if st.button("Load the 8×8 digits", key="mnist_load_digits"):
            set_dataset(load_dataset("digits-8x8", None))
    else:
        _download(set_dataset)


def _local_folder(set_dataset, roots, suggested: str) -> None:
    c_path, c_kind = st.columns([3, 1])
    folder_text = c_path.text_input(
        "Folder with the IDX files",
        suggested,
        key="mnist_folder",
        help="train-images-idx3-ubyte and train-labels-idx1-ubyte (plain or .gz), optionally "
        "the t10k test files. Relative paths start at the app's folder.",
    )
    name = c_kind.selectbox(
        "The folder holds", mnist.DOWNLOADABLE, format_func=mnist.IMAGE_DATASETS.get, key="mnist_folder_name"
    )
    where = plain_text.as_text(mnist.roots_in_words(roots, APP_FOLDER))
    found = f"Found: {plain_text.as_text(suggested)}. " if suggested else "No IDX folder was found there. "
    st.caption(
        f"{found}Folders are read only inside this server's data folders: {where} (relative to the "
        f"app's folder; the operator sets them in ${mnist.DATA_ROOTS_ENV_VAR})."
    )
    if st.button("Load folder", key="mnist_load_folder"):
        try:
            folder = mnist.resolve_local_folder(folder_text, APP_FOLDER, roots)
            set_dataset(load_local_dataset(name, str(folder)))
        except ValueError as error:
            plain_text.error(error)
    loaded = st.session_state.get("mnist_dataset")
    warning = mnist.kind_warning(loaded) if loaded is not None else None
    if warning:
        st.warning(warning)


def _download(set_dataset) -> None:
    name = st.selectbox(
        "Data set", mnist.DOWNLOADABLE, format_func=mnist.IMAGE_DATASETS.get, key="mnist_download_name"
    )
    if st.button("Download and load", key="mnist_download"):
        bar = st.progress(0.0, text="Contacting the download mirror ...")
        try:
            folder = mnist.download_image_data(
                name, progress=lambda fraction, text: bar.progress(fraction, text=text)
            )
            set_dataset(load_dataset(name, str(folder)))
        except ValueError as error:
            # The downloader's full message names server folders and commands for an operator;
            # the learner gets its first line and the two sources on this page that need no network.
            lines = str(error).strip().splitlines() or ["The download failed."]
            st.error(
                f"{plain_text.as_text(lines[0])}\n\nThis server may have no internet access. Both other "
                f"sources work offline: choose **{LOCAL}** (IDX files already on the server) or **{DIGITS}** "
                "above."
            )
        bar.empty()
