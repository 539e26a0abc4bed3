"""Image data sets (MNIST-like): the `ImageDataset` container and scikit-learn's 8x8 digits.

Images are kept as uint8 grey levels 0..255 (0 = black background, 255 = white ink) with shape
(n, height, width); a model usually flattens them and divides by 255 first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.arrays import frozen_array
from core.data.errors import DataError
from core.data.split import check_test_ratio, split_indices
from core.data.validation import check_seed

DIGIT_CLASS_NAMES = tuple(str(d) for d in range(10))


@dataclass(frozen=True, eq=False)
class ImageDataset:
    """Grey-level images split into training and test parts.

    X_* are uint8 arrays (n, height, width); y_* are int64 class ids 0..len(class_names)-1.
    `source` says in words where the images came from and how the test set was made.
    The arrays are read-only.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    name: str
    source: str

    def __post_init__(self):
        object.__setattr__(self, "class_names", tuple(self.class_names))
        for part in ("train", "test"):
            X = np.asarray(getattr(self, f"X_{part}"))
            y = np.asarray(getattr(self, f"y_{part}"))
            if X.dtype != np.uint8 or X.ndim != 3:
                raise DataError(f"X_{part} must be uint8 images (n, height, width); got {X.dtype} {X.shape}.")
            if y.ndim != 1 or y.shape[0] != X.shape[0]:
                raise DataError(
                    f"y_{part} must have one label per image ({X.shape[0]}); got shape {y.shape}."
                )
            if y.size and (y.min() < 0 or y.max() >= len(self.class_names)):
                raise DataError(
                    f"labels in y_{part} must be from 0 to {len(self.class_names) - 1}; "
                    f"got values from {y.min()} to {y.max()}."
                )
            object.__setattr__(self, f"X_{part}", frozen_array(X))
            object.__setattr__(self, f"y_{part}", frozen_array(y, np.int64))
        if self.X_train.shape[1:] != self.X_test.shape[1:]:
            raise DataError(
                "training and test images differ in size: "
                f"{self.X_train.shape[1:]} vs {self.X_test.shape[1:]}."
            )

    @property
    def image_shape(self) -> tuple[int, int]:
        return self.X_train.shape[1], self.X_train.shape[2]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[0]


def load_digits_8x8(seed: int = 0, test_ratio: float = 0.2) -> ImageDataset:
    """scikit-learn's bundled handwritten digits (1,797 images of 8x8), no download needed.

    The original grey levels 0..16 are scaled to 0..255 (value * 255 / 16, rounded) so they
    look and behave like MNIST pixels. Seeded stratified split.
    """
    from sklearn.datasets import load_digits  # imported here: scikit-learn takes ~1 s to import

    seed = check_seed(seed)
    test_ratio = check_test_ratio(test_ratio)
    digits = load_digits()
    images = np.rint(digits.images * (255.0 / 16.0)).astype(np.uint8)
    labels = digits.target.astype(np.int64)
    train, test = split_indices(labels, test_ratio, np.random.default_rng(seed), stratify=True)
    X_train, y_train, X_test, y_test = images[train], labels[train], images[test], labels[test]
    source = (
        f"scikit-learn's bundled 8x8 digits (UCI optical digits), {len(labels):,} images; "
        f"stratified {test_ratio:.0%} held out as the test set (seed {seed})."
    )
    return ImageDataset(X_train, y_train, X_test, y_test, DIGIT_CLASS_NAMES, "digits-8x8", source)
