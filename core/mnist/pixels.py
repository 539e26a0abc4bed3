"""From stored images to network inputs: uint8 pixels / 255, flattened into rows.

Images stay uint8 (0..255) until the moment they are fed to the network, which sees
pixel / 255 in [0, 1]: the same scaling the saved model records as `input_scale`.
"""

from __future__ import annotations

import numpy as np

PIXEL_SCALE = 1.0 / 255.0  # network input = uint8 pixel / 255


def flatten_images(images: np.ndarray) -> np.ndarray:
    """(n, H, W) uint8 or float in [0, 1] -> (n, H*W) float32 network inputs in [0, 1]."""
    flat = images.reshape(images.shape[0], -1)
    if flat.dtype == np.uint8:
        return flat.astype(np.float32) * np.float32(PIXEL_SCALE)
    return flat.astype(np.float32, copy=False)


def enlarged(images: np.ndarray, min_px: int = 84) -> np.ndarray:
    """(n, H, W) uint8 images scaled up by a whole factor (pixel blocks, no blur) to at least
    `min_px` pixels wide, for showing a few samples as plain pictures: a Plotly grid of them
    took over half a second to build on every rerun of the page."""
    factor = max(1, -(-min_px // images.shape[-1]))  # ceiling division
    return np.repeat(np.repeat(images, factor, axis=-2), factor, axis=-1)
