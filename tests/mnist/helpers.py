"""Small image data sets for the tests of core/mnist and core/figures/images.py."""

import numpy as np

from core.data import ImageDataset, load_digits_8x8
from core.mnist import ImageTrainingRun, TrainingConfig


def synthetic_images(n_per_class: int, seed: int = 0, side: int = 28):
    """Ten easy classes of side x side uint8 images: class k is a bright bar at its own height,
    with random brightness noise, so a small network learns them in an epoch or two."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), n_per_class)
    images = (rng.random((labels.size, side, side)) * 60).astype(np.uint8)
    rows = 2 + labels * (side - 4) // 10
    for i, row in enumerate(rows):
        images[i, row : row + 2, 4 : side - 4] = 255
    order = rng.permutation(labels.size)
    return images[order], labels[order]


def synthetic_dataset(n_per_class=40, n_test_per_class=10, side=28) -> ImageDataset:
    X, y = synthetic_images(n_per_class, 0, side)
    X_test, y_test = synthetic_images(n_test_per_class, 1, side)
    return ImageDataset(X, y, X_test, y_test, tuple(str(i) for i in range(10)), "synthetic", "synthetic bars")


def trained_digits_run(epochs: int = 8) -> tuple[ImageTrainingRun, ImageDataset]:
    """A 64-32-10 network trained to the end on scikit-learn's 8x8 digits (about a second)."""
    digits = load_digits_8x8()
    run = ImageTrainingRun(
        digits, TrainingConfig(hidden_layers=(32,), epochs=epochs, learning_rate=0.003, batch_size=32)
    )
    while not run.finished:
        run.train_slice(200)
    return run, digits
