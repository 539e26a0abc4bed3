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


TRAIN_IMAGE_FILES = ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz")
MAX_FOLDERS_LOOKED_AT = 200  # a data root is a handful of folders; never walk a whole disk


def holds_idx_training_images(folder) -> bool:
    """True when `folder` has MNIST-style training images (plain or .gz)."""
    folder = Path(folder)
    return any((folder / name).is_file() for name in TRAIN_IMAGE_FILES)


def find_local_folder(roots, preferred=None) -> Path | None:
    """A folder of IDX training images inside the data `roots`, so the page can open on a source
    that works offline: `preferred` when it lies in a root and holds them, else the shallowest
    such folder among the roots and their sub-folders down to two levels (breadth first, sorted
    by name, so the choice is the same on every run); None when there is none."""
    roots = [Path(root) for root in roots]
    if preferred is not None:
        real = Path(os.path.realpath(preferred))
        inside = any(real == root or real.is_relative_to(root) for root in roots)
        if inside and holds_idx_training_images(real):
            return real
    looked_at = 0
    for root in roots:
        level = [root]
        for _depth in range(3):
            following = []
            for folder in level:
                looked_at += 1
                if looked_at > MAX_FOLDERS_LOOKED_AT:
                    return None
                if holds_idx_training_images(folder):
                    return Path(os.path.realpath(folder))
                try:
                    following.extend(sorted(p for p in folder.iterdir() if p.is_dir()))
                except OSError:  # a missing or unreadable root: nothing to find there
                    continue
            level = following
    return None


# Mean pixel (0..255) of the training images: about 33 for MNIST's thin strokes on black, about
# 73 for Fashion-MNIST's filled garments. Halfway between tells which one a folder holds.
MEAN_PIXEL = {"mnist": 33.3, "fashion-mnist": 72.9}
MEAN_PIXEL_BOUNDARY = 53.0


def kind_warning(dataset: ImageDataset) -> str | None:
    """A sentence when a folder loaded as MNIST looks like Fashion-MNIST or the other way round
    (judged by the images' mean brightness, which differs by a factor of two); None otherwise."""
    if dataset.name not in MEAN_PIXEL or dataset.X_train.size == 0:
        return None
    sample = dataset.X_train[:2_000]
    mean = float(sample.mean())
    looks_like = "fashion-mnist" if mean > MEAN_PIXEL_BOUNDARY else "mnist"
    if looks_like == dataset.name:
        return None
    what = {"mnist": "handwritten digits (MNIST)", "fashion-mnist": "clothing (Fashion-MNIST)"}
    return (
        f"These images look like {what[looks_like]}, not {what[dataset.name]}: their mean brightness "
        f"is {mean:.0f} of 255 (MNIST's is about {MEAN_PIXEL['mnist']:.0f}, Fashion-MNIST's about "
        f"{MEAN_PIXEL['fashion-mnist']:.0f}), so the class names may be wrong. Choose the other kind "
        "in 'The folder holds' and load again if so."
    )
