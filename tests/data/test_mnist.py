"""Tests for core/data/mnist.py and images.py: local IDX folders, the real 5k MNIST subset, 8x8 digits."""

import numpy as np
import pytest

from core.data import DataError, IDXError, ImageDataset, load_digits_8x8, load_mnist, read_idx, write_idx
from core.data.mnist import FASHION_MNIST_CLASS_NAMES
from tests.paths import MNIST_5K_DIR as MNIST_5K
from tests.paths import requires_mnist_5k as needs_mnist_5k


def write_set(folder, n_train=30, n_test=20, gz=True, test=True, seed=0):
    """Write a small MNIST-shaped IDX folder; returns the arrays written."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ext = ".gz" if gz else ""
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": (np.arange(n_train) % 10).astype(np.uint8),
    }
    if test:
        arrays["t10k-images-idx3-ubyte"] = rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8)
        arrays["t10k-labels-idx1-ubyte"] = (np.arange(n_test) % 10).astype(np.uint8)
    for name, array in arrays.items():
        write_idx(folder / (name + ext), array)
    return arrays


# ---------------------------------------------------------------- the real 5,000-image subset


@needs_mnist_5k
def test_real_mnist_subset_files_are_5000_images_500_per_digit():
    images = read_idx(MNIST_5K / "train-images-idx3-ubyte.gz")
    labels = read_idx(MNIST_5K / "train-labels-idx1-ubyte.gz")
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(labels), [500] * 10)
    assert images.max() == 255 and images.min() == 0
    assert 20 < images.mean() < 50  # mostly black background with white strokes


@needs_mnist_5k
def test_loading_the_training_only_folder_makes_a_stratified_held_out_split():
    ds = load_mnist("mnist", data_dir=MNIST_5K, test_ratio=0.2, seed=0)
    assert isinstance(ds, ImageDataset) and ds.name == "mnist"
    assert ds.X_train.shape == (4000, 28, 28) and ds.X_test.shape == (1000, 28, 28)
    assert ds.X_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(ds.y_train), [400] * 10)
    np.testing.assert_array_equal(np.bincount(ds.y_test), [100] * 10)
    assert np.any(np.diff(ds.y_train) < 0)  # shuffled, no longer sorted by label
    assert "only training files were found (5,000 images)" in ds.source
    assert "stratified 20% (1,000 images, seed 0) is held out as the test set" in ds.source
    assert ds.class_names == tuple("0123456789") and ds.image_shape == (28, 28)
    # no image is in both parts
    train_keys = {x.tobytes() for x in ds.X_train}
    assert not any(x.tobytes() in train_keys for x in ds.X_test)
    other = load_mnist("mnist", data_dir=MNIST_5K, test_ratio=0.2, seed=1)
    assert not np.array_equal(other.y_test, ds.y_test)


# ---------------------------------------------------------------- generated folders


@pytest.mark.parametrize("gz", [True, False])
def test_full_folder_plain_or_gz_is_read_as_is(tmp_path, gz):
    arrays = write_set(tmp_path, gz=gz)
    ds = load_mnist("mnist", data_dir=tmp_path)
    np.testing.assert_array_equal(ds.X_train, arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(ds.y_train, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(ds.X_test, arrays["t10k-images-idx3-ubyte"])
    np.testing.assert_array_equal(ds.y_test, arrays["t10k-labels-idx1-ubyte"])
    assert ds.source == f"MNIST from {tmp_path}: 30 training and 20 test images (IDX files)."


def test_fashion_mnist_class_names(tmp_path):
    write_set(tmp_path)
    ds = load_mnist("fashion-mnist", data_dir=tmp_path)
    assert (
        ds.class_names
        == FASHION_MNIST_CLASS_NAMES
        == (
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
    )
    assert ds.source.startswith("Fashion-MNIST from")


def test_cache_without_download_reads_the_cache_folder(tmp_path):
    write_set(tmp_path / "fashion-mnist")
    ds = load_mnist("fashion-mnist", cache_dir=tmp_path, download=False)
    assert ds.n_train == 30 and ds.n_test == 20


def test_arrays_are_read_only(tmp_path):
    write_set(tmp_path)
    ds = load_mnist(data_dir=tmp_path)
    with pytest.raises(ValueError):
        ds.X_train[0, 0, 0] = 1


def test_missing_training_files_say_how_to_get_them(tmp_path):
    with pytest.raises(
        DataError,
        match=r"MNIST: no training files in .*expected train-images-idx3-ubyte and "
        r"train-labels-idx1-ubyte .*python -m core.data download mnist",
    ):
        load_mnist("mnist", data_dir=tmp_path)
    with pytest.raises(DataError, match=r"no training files"):
        load_mnist("mnist", cache_dir=tmp_path, download=False)


def test_one_test_file_without_the_other_is_refused(tmp_path):
    write_set(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match=r"has one test file but not t10k-labels-idx1-ubyte\(.gz\)"):
        load_mnist(data_dir=tmp_path)


def test_inconsistent_files_are_refused(tmp_path):
    write_set(tmp_path, test=False)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(29, dtype=np.uint8))
    expected = r"train-images-idx3-ubyte.gz has 30 images but train-labels-idx1-ubyte.gz has 29 labels"
    with pytest.raises(DataError, match=expected):
        load_mnist(data_dir=tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.full(30, 10, dtype=np.uint8))
    with pytest.raises(DataError, match=r"labels must be 0 to 9; found 10"):
        load_mnist(data_dir=tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((30, 8, 8), dtype=np.uint8))
    with pytest.raises(DataError, match=r"expected images of shape \(n, 28, 28\); got \(30, 8, 8\)"):
        load_mnist(data_dir=tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not an idx file at all")
    with pytest.raises(IDXError, match=r"bad magic number"):
        load_mnist(data_dir=tmp_path)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "cifar"}, r"name must be one of 'mnist', 'fashion-mnist'; got 'cifar'"),
        ({"test_ratio": 0}, r"test_ratio must be a number from 0.1 to 0.9; got 0"),
        ({"seed": "x"}, r"seed must be a whole number >= 0; got 'x'"),
        ({"data_dir": "/no/such/folder"}, r"data_dir /no/such/folder is not a folder"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(DataError, match=message):
        load_mnist(**kwargs)


# ---------------------------------------------------------------- scikit-learn's 8x8 digits


def test_digits_8x8():
    ds = load_digits_8x8(seed=0, test_ratio=0.2)
    assert ds.image_shape == (8, 8) and ds.X_train.dtype == np.uint8
    assert ds.n_train + ds.n_test == 1797 and abs(ds.n_test - 359) <= 10
    assert ds.X_train.max() == 255 and ds.X_train.min() == 0
    assert set(np.unique(ds.X_train)) <= {round(v * 255 / 16) for v in range(17)}  # 17 grey levels
    counts = np.bincount(ds.y_test)
    assert counts.min() >= 35 and counts.max() <= 37  # ~20 % of each of ~180 per digit
    np.testing.assert_array_equal(load_digits_8x8(seed=0).X_test, ds.X_test)
    assert ds.class_names == tuple("0123456789") and ds.name == "digits-8x8"
