"""MNIST and Fashion-MNIST: 28x28 grey images of 10 classes, read from IDX files.

`load_mnist("mnist")` downloads the four files once into the cache (see download.py) and
reads them. `load_mnist("mnist", data_dir=folder)` reads a local folder instead, with plain or
.gz file names. A folder holding only the training files also works: a seeded, stratified part
of it is then held out as the test set, and `source` says so.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np

from core.data.download import IDX_FILES, default_cache_dir, download_dataset
from core.data.errors import DataError
from core.data.idx import read_idx
from core.data.image_sets import DIGIT_CLASS_NAMES, ImageDataset
from core.data.split import check_test_ratio, split_indices
from core.data.validation import check_choice, check_seed

IMAGE_SHAPE = (28, 28)
FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
CLASS_NAMES = MappingProxyType({"mnist": DIGIT_CLASS_NAMES, "fashion-mnist": FASHION_MNIST_CLASS_NAMES})
TITLES = MappingProxyType({"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"})
# The four parts, each found as "<part>-idx?-ubyte" or the same name + ".gz"
PARTS = MappingProxyType({f.split("-idx")[0]: f.removesuffix(".gz") for f in IDX_FILES})


def find_idx_files(folder) -> dict[str, Path | None]:
    """Map "train-images", "train-labels", "t10k-images", "t10k-labels" to the file found (or None)."""
    folder = Path(folder)
    found = {}
    for part, plain in PARTS.items():
        candidates = [folder / plain, folder / (plain + ".gz")]
        found[part] = next((p for p in candidates if p.is_file()), None)
    return found


def _read_pair(images_path: Path, labels_path: Path, n_classes: int):
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
        raise DataError(f"{images_path}: expected images of shape (n, 28, 28); got {images.shape}.")
    if labels.ndim != 1:
        raise DataError(f"{labels_path}: expected a 1-D list of labels; got shape {labels.shape}.")
    if labels.shape[0] != images.shape[0]:
        raise DataError(
            f"{images_path.name} has {images.shape[0]:,} images but {labels_path.name} has "
            f"{labels.shape[0]:,} labels; they must match."
        )
    if labels.max() >= n_classes:
        raise DataError(f"{labels_path}: labels must be 0 to {n_classes - 1}; found {labels.max()}.")
    return images, labels.astype(np.int64)


def load_mnist(
    name: str = "mnist",
    data_dir=None,
    cache_dir=None,
    download: bool = True,
    progress=None,
    mirrors=None,
    test_ratio: float = 0.2,
    seed: int = 0,
    timeout: float = 30,
) -> ImageDataset:
    """Load "mnist" or "fashion-mnist" as an ImageDataset of uint8 (n, 28, 28) images.

    data_dir: a folder with the IDX files (plain or .gz); when given, nothing is downloaded.
    Otherwise the files live in cache_dir/name (cache_dir defaults to default_cache_dir()) and
    are downloaded there first if download=True (progress(filename, done, total) reports it;
    mirrors overrides the mirror list). test_ratio and seed are used only when the folder has no
    test files: that share of the training files (0.1..0.9) is held out, stratified by class.
    """
    name = check_choice("name", name, tuple(TITLES))
    test_ratio = check_test_ratio(test_ratio)
    seed = check_seed(seed)
    title = TITLES[name]
    if data_dir is not None:
        folder = Path(data_dir)
        if not folder.is_dir():
            raise DataError(f"data_dir {folder} is not a folder.")
    elif download:
        folder = download_dataset(name, cache_dir, progress, mirrors, timeout)
    else:
        folder = Path(cache_dir if cache_dir is not None else default_cache_dir()) / name

    files = find_idx_files(folder)
    if files["train-images"] is None or files["train-labels"] is None:
        raise DataError(
            f"{title}: no training files in {folder}: expected {PARTS['train-images']} and "
            f"{PARTS['train-labels']} (optionally .gz). Download them with "
            f"`python -m core.data download {name}`, or point data_dir at a folder that has them."
        )
    has_test = files["t10k-images"] is not None, files["t10k-labels"] is not None
    if has_test[0] != has_test[1]:
        missing = PARTS["t10k-labels"] if has_test[0] else PARTS["t10k-images"]
        raise DataError(
            f"{title}: {folder} has one test file but not {missing}(.gz); add it or remove the other."
        )

    n_classes = len(CLASS_NAMES[name])
    images, labels = _read_pair(files["train-images"], files["train-labels"], n_classes)
    if all(has_test):
        X_test, y_test = _read_pair(files["t10k-images"], files["t10k-labels"], n_classes)
        X_train, y_train = images, labels
        source = (
            f"{title} from {folder}: {len(y_train):,} training and {len(y_test):,} test images (IDX files)."
        )
    else:
        train, test = split_indices(labels, test_ratio, np.random.default_rng(seed), stratify=True)
        X_train, y_train, X_test, y_test = images[train], labels[train], images[test], labels[test]
        source = (
            f"{title} from {folder}: only training files were found ({len(labels):,} images), "
            f"so a stratified {test_ratio:.0%} ({len(y_test):,} images, seed {seed}) is held "
            "out as the test set."
        )
    return ImageDataset(X_train, y_train, X_test, y_test, CLASS_NAMES[name], name, source)
