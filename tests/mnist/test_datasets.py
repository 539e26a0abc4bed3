"""core/mnist/datasets.py: which image sets exist, and finding, downloading and loading them."""

from pathlib import Path

import numpy as np
import pytest

from core.data import DataError, write_idx
from core.data.download import CACHE_ENV_VAR, IDX_FILES
from core.mnist import datasets
from tests.mnist.helpers import synthetic_images


def test_the_image_data_sets_and_which_can_be_downloaded():
    assert list(datasets.IMAGE_DATASETS) == ["mnist", "fashion-mnist", "digits-8x8"]
    assert set(datasets.DOWNLOADABLE) < set(datasets.IMAGE_DATASETS)
    assert "digits-8x8" not in datasets.DOWNLOADABLE


def test_load_image_data_reads_an_idx_folder(tmp_path):
    X, y = synthetic_images(3)
    write_idx(tmp_path / "train-images-idx3-ubyte", X)
    write_idx(tmp_path / "train-labels-idx1-ubyte", y.astype(np.uint8))
    dataset = datasets.load_image_data("mnist", tmp_path)
    assert dataset.n_train + dataset.n_test == 30
    assert dataset.image_shape == (28, 28)


def test_load_image_data_errors_are_value_errors(tmp_path):
    with pytest.raises(ValueError, match="one of"):
        datasets.load_image_data("cifar")
    with pytest.raises(ValueError, match="needs a folder"):
        datasets.load_image_data("mnist")
    with pytest.raises(DataError, match="not a folder"):
        datasets.load_image_data("mnist", tmp_path / "missing")
    with pytest.raises(DataError, match="no training files"):
        datasets.load_image_data("fashion-mnist", tmp_path)
    with pytest.raises(DataError, match="type the path"):
        datasets.resolve_folder("  ", tmp_path)


def test_relative_folders_start_at_the_base_the_caller_gives(tmp_path):
    assert datasets.resolve_folder("models", tmp_path) == tmp_path.resolve() / "models"
    assert datasets.resolve_folder("../shared", tmp_path / "app") == tmp_path.resolve() / "shared"
    assert datasets.resolve_folder("/tmp", tmp_path) == Path("/tmp")


def test_the_suggested_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV_VAR, raising=False)
    assert datasets.default_local_folder(tmp_path) == str(tmp_path)
    assert datasets.default_local_folder(tmp_path / "absent") == ""
    assert datasets.default_local_folder() == ""
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))
    assert datasets.default_local_folder(tmp_path / "absent") == str(tmp_path / "cache" / "mnist")


def test_download_progress_is_overall_and_throttled():
    reports = []
    progress = datasets.DownloadProgress(lambda fraction, text: reports.append((fraction, text)))
    for name in IDX_FILES:
        for done in range(0, 1_000_001, 10_000):  # 101 callbacks per file, like 10 kB chunks
            progress(name, done, 1_000_000)
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(reports) <= 101  # once per whole percent, not once per chunk
    assert "file 4 of 4" in reports[-1][1]


def test_download_refuses_the_offline_set():
    with pytest.raises(ValueError, match="can be downloaded"):
        datasets.download_image_data("digits-8x8")


def test_download_hands_the_overall_progress_on(monkeypatch, tmp_path):
    calls = []

    def fake_download(name, progress=None):
        progress(IDX_FILES[1], 500, 1_000)  # half of the second file: 3/8 of the whole
        return tmp_path

    monkeypatch.setattr(datasets, "download_dataset", fake_download)
    folder = datasets.download_image_data("mnist", progress=lambda f, text: calls.append(f))
    assert folder == tmp_path and calls == [pytest.approx(0.375)]
