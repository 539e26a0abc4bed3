"""Which server folders a learner may load IDX files from, and how a typed folder is checked.

On a shared classroom server the folder box must not become a way to look around the disk: a
typed folder is loaded only if it lies inside one of the data roots the operator configured
($NEURAL_PLAYGROUND_DATA_ROOTS, folders separated by ":"; by default the download cache, the
project's own data/ folder and the shared data folder next to the checkout). Containment is
checked on the real path (symlinks and ".." resolved) before anything about the folder is looked
up, and messages name folders only as typed relative to the app's folder, never as server paths.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from core.data.download import default_cache_dir
from core.data.errors import DataError
from core.data.image_sets import ImageDataset
from core.mnist.datasets import load_image_data

DATA_ROOTS_ENV_VAR = "NEURAL_PLAYGROUND_DATA_ROOTS"
MAX_FOLDER_TEXT = 300  # characters; a real data folder path is far shorter


def data_roots(app_folder) -> list[Path]:
    """The folders (real paths) whose sub-folders may be loaded."""
    app_folder = Path(app_folder)
    configured = os.environ.get(DATA_ROOTS_ENV_VAR, "").strip()
    if configured:
        roots = [Path(part).expanduser() for part in configured.split(os.pathsep) if part.strip()]
    else:
        roots = [default_cache_dir(), app_folder / "data", app_folder.parent / "shared" / "data"]
    return [Path(os.path.realpath(root)) for root in roots]


def shown_folder(path, app_folder) -> str:
    """`path` as a learner should see it: relative to the app's folder, not the server's full path."""
    return os.path.relpath(os.path.realpath(path), os.path.realpath(app_folder))


def roots_in_words(roots, app_folder) -> str:
    return ", ".join(shown_folder(root, app_folder) for root in roots)


def resolve_local_folder(text: str, app_folder, roots) -> Path:
    """The real path of the typed folder, or a DataError that reveals nothing about the server's disk."""
    text = (text or "").strip()
    if not text:
        raise DataError(
            "type the path of a folder holding the IDX files "
            "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], ...)."
        )
    if len(text) > MAX_FOLDER_TEXT:
        raise DataError(
            f"that folder path is {len(text):,} characters long; a data folder's path has at most "
            f"{MAX_FOLDER_TEXT} characters."
        )
    if "\x00" in text:
        raise DataError("a folder path cannot contain a NUL character.")
    path = Path(text)
    real = Path(os.path.realpath(path if path.is_absolute() else Path(app_folder) / path))
    if not any(real == root or real.is_relative_to(root) for root in roots):
        raise DataError(
            "this server loads images only from its data folders ("
            f"{roots_in_words(roots, app_folder)}, relative to the app's folder); type a folder "
            "inside one of them. Your teacher can add data folders."
        )
    if not real.is_dir():
        raise DataError("there is no such folder inside the server's data folders.")
    return real


def load_local_folder(name: str, folder: Path, app_folder) -> ImageDataset:
    """The data set in `folder` (already checked by `resolve_local_folder`); its `source` and any
    error name the folder relative to the app's folder, not by its server path."""
    shown = shown_folder(folder, app_folder)
    try:
        dataset = load_image_data(name, folder)
    except DataError as error:
        raise DataError(str(error).replace(str(folder), shown)) from None
    return dataclasses.replace(dataset, source=dataset.source.replace(str(folder), shown))
