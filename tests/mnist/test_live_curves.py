"""The MNIST page's compact live curves, finding an offline folder, telling MNIST from Fashion-MNIST
by the images, and enlarged sample pictures."""

import math

import numpy as np
import pytest

from core.data import ImageDataset, write_idx
from core.mnist import (
    ImageTrainingRun,
    TrainingConfig,
    enlarged,
    find_local_folder,
    kind_warning,
    live_curve_data,
)
from core.mnist.live_curves import _rounded
from tests.mnist.helpers import synthetic_dataset


def test_live_curve_data_is_the_runs_curves_rounded():
    run = ImageTrainingRun(synthetic_dataset(), TrainingConfig(hidden_layers=(16,), epochs=3, batch_size=16))
    while not run.finished:
        run.train_slice(200)
    data = live_curve_data(run, playing=True, max_points=50)
    assert data["playing"] is True and data["epochs_total"] == 3
    x, y = run.batch_loss_curve(50)
    assert len(data["batch"]["x"]) == len(x) <= 50
    assert data["batch"]["x"][-1] == pytest.approx(3.0) and data["batch"]["y"] == pytest.approx(
        list(y), rel=1e-3
    )
    epochs = data["epoch"]
    assert epochs["x"] == [1, 2, 3]
    assert epochs["train_loss"] == pytest.approx([r.train_loss for r in run.history], rel=1e-3)
    assert epochs["val_acc"] == pytest.approx([r.val_metric for r in run.history], rel=1e-3)
    assert len(str(data)) < 4_000  # compact: a few hundred numbers


def test_rounding_keeps_four_digits_and_turns_non_finite_values_into_gaps():
    assert _rounded([0.123456, 2345.678, math.nan, None, math.inf]) == [0.1235, 2346.0, None, None, None]


def test_a_run_without_validation_images_sends_no_validation_curve():
    data = live_curve_data(ImageTrainingRun(synthetic_dataset(), TrainingConfig(epochs=2)), playing=False)
    assert data["batch"] == {"x": [], "y": []} and data["epoch"]["val_loss"] == []
    assert data["playing"] is False


def write_idx_folder(folder):
    folder.mkdir(parents=True)
    write_idx(folder / "train-images-idx3-ubyte.gz", np.zeros((3, 28, 28), np.uint8))


def test_find_local_folder_prefers_the_suggestion_inside_the_roots(tmp_path):
    root = tmp_path / "root"
    write_idx_folder(root / "a" / "mnist")
    write_idx_folder(root / "b")
    outside = tmp_path / "outside"
    write_idx_folder(outside)
    assert find_local_folder([root], preferred=root / "a" / "mnist") == root / "a" / "mnist"
    # A suggestion outside the data roots is never offered: the shallowest folder inside them is.
    assert find_local_folder([root], preferred=outside) == root / "b"
    assert find_local_folder([root / "b"]) == root / "b"


def test_find_local_folder_finds_nothing_in_empty_or_missing_roots(tmp_path):
    (tmp_path / "empty" / "deep").mkdir(parents=True)
    assert find_local_folder([tmp_path / "empty", tmp_path / "missing"]) is None
    write_idx_folder(tmp_path / "far" / "one" / "two" / "three")  # deeper than two levels
    assert find_local_folder([tmp_path / "far"]) is None


def test_enlarged_repeats_pixels_in_blocks():
    images = np.arange(2 * 8 * 8, dtype=np.uint8).reshape(2, 8, 8)
    big = enlarged(images, min_px=84)
    assert big.shape == (2, 88, 88)  # 8 x 11: the smallest whole factor reaching 84
    assert (big[1, :11, :11] == images[1, 0, 0]).all() and big[0, 87, 87] == images[0, 7, 7]
    assert enlarged(np.zeros((1, 28, 28), np.uint8)).shape == (1, 84, 84)


def images_of_mean(mean: int, name: str) -> ImageDataset:
    X = np.full((20, 28, 28), mean, np.uint8)
    y = np.arange(20, dtype=np.uint8) % 10
    return ImageDataset(X, y, X[:10], y[:10], tuple(str(i) for i in range(10)), name, "test")


def test_a_folder_loaded_as_the_wrong_kind_gets_a_warning():
    assert "look like handwritten digits (MNIST), not clothing" in kind_warning(
        images_of_mean(33, "fashion-mnist")
    )
    assert "look like clothing (Fashion-MNIST), not handwritten digits" in kind_warning(
        images_of_mean(73, "mnist")
    )
    assert kind_warning(images_of_mean(33, "mnist")) is None
    assert kind_warning(images_of_mean(73, "fashion-mnist")) is None
    assert kind_warning(images_of_mean(90, "digits-8x8")) is None  # not a folder's data set
