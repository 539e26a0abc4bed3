"""core/mnist/pixels.py: uint8 images become rows of pixel / 255."""

import numpy as np

from core.mnist import PIXEL_SCALE, flatten_images


def test_uint8_images_become_float32_rows_in_0_1():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    rows = flatten_images(images)
    assert rows.dtype == np.float32 and rows.shape == (1, 4)
    np.testing.assert_allclose(rows[0], [0.0, 1.0, 0.2, 0.4], rtol=1e-6)
    assert PIXEL_SCALE == 1 / 255


def test_float_images_are_only_flattened():
    images = np.full((3, 2, 2), 0.5, dtype=np.float64)
    rows = flatten_images(images)
    assert rows.dtype == np.float32 and rows.shape == (3, 4) and np.all(rows == 0.5)
