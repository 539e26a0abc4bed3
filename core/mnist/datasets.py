"""Which image data sets the MNIST page offers, and how one is found, downloaded and loaded.

MNIST and Fashion-MNIST are read from a folder of IDX files (plain or .gz), which
`download_image_data` fills from a mirror into the cache; scikit-learn's 8x8 digits ship with
scikit-learn and need no folder. Folders are whatever the caller passes: this module knows no
place on disk of its own (the page says where the app lives and which folder to suggest).
"""

from __future__ import annotations

import os
from pathlib import Path

from core.data.download import CACHE_ENV_VAR, IDX_FILES, download_dataset
from core.data.errors import DataError
from core.data.image_sets import ImageDataset, load_digits_8x8
from core.data.mnist import load_mnist
from core.mnist.config import ImageTrainingError

IMAGE_DATASETS = {  # name -> what the learner reads in the selector
    "mnist": "MNIST (handwritten digits)",
    "fashion-mnist": "Fashion-MNIST (clothing)",
    "digits-8x8": "8×8 digits (scikit-learn, offline)",
}
DOWNLOADABLE = ("mnist", "fashion-mnist")


def default_local_folder(preferred=None) -> str:
    """A sensible folder to suggest: `preferred` if it is a folder, else the MNIST folder inside
    $NEURAL_PLAYGROUND_DATA (where downloads are cached) if that is set, else ""."""
    if preferred is not None and Path(preferred).is_dir():
        return str(preferred)
    cache = os.environ.get(CACHE_ENV_VAR)
    return str(Path(cache).expanduser() / "mnist") if cache else ""


def resolve_folder(text: str, base) -> Path:
    """A folder typed by the user. Relative paths are taken from `base` (the page passes the
    app's folder), so "../shared/data/mnist-5k" means the same thing from any working directory."""
    text = (text or "").strip()
    if not text:
        raise DataError(
            "type the path of a folder holding the IDX files "
            "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], ...)."
        )
    path = Path(text).expanduser()
    return path if path.is_absolute() else (Path(base) / path).resolve()


def load_image_data(name: str, folder=None, seed: int = 0) -> ImageDataset:
    """The data set `name` ("mnist", "fashion-mnist" or "digits-8x8") as uint8 images.

    MNIST-style sets are read from `folder` (IDX files, plain or .gz; an absolute path, see
    `resolve_folder`); download them first with `download_image_data`. The 8x8 digits ship
    with scikit-learn and need no folder.
    """
    if name not in IMAGE_DATASETS:
        raise ImageTrainingError(f"data set must be one of {list(IMAGE_DATASETS)}; got {name!r}")
    if name == "digits-8x8":
        return load_digits_8x8(seed=seed)
    if folder is None:
        raise ImageTrainingError(f"{IMAGE_DATASETS[name]} needs a folder with its IDX files")
    return load_mnist(name, data_dir=Path(folder), seed=seed)


def download_image_data(name: str, progress=None) -> Path:
    """Download (or find already cached and verified) the IDX files of "mnist" or "fashion-mnist"
    into the default cache folder; returns that folder. progress(fraction, text) is called now
    and then with the overall fraction done (0..1) and a sentence for a progress bar."""
    if name not in DOWNLOADABLE:
        raise ImageTrainingError(f"only {list(DOWNLOADABLE)} can be downloaded; got {name!r}")
    return download_dataset(name, progress=DownloadProgress(progress) if progress else None)


class DownloadProgress:
    """Turns the downloader's per-file callback (filename, bytes done, bytes total) into one
    overall fraction for a progress bar. It reports only when the bar would visibly move (every
    whole percent): the downloader calls back for every 64 kB, far more often than a page can
    redraw."""

    def __init__(self, report):
        self.report = report
        self._last_percent = -1

    def __call__(self, filename: str, done: int, total: int | None) -> None:
        index = IDX_FILES.index(filename) if filename in IDX_FILES else 0
        part = min(done / total, 1.0) if total else 0.0
        fraction = (index + part) / len(IDX_FILES)
        percent = int(fraction * 100)
        if percent == self._last_percent:
            return
        self._last_percent = percent
        size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        self.report(fraction, f"Downloading {filename} (file {index + 1} of {len(IDX_FILES)}): {size}")
