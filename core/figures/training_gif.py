"""An animated GIF (Pillow) of the decision boundary evolving over training, from the frames that
`core.playground.experiments.boundary_frames` recorded: the same colours as the page's boundary,
the training points on top, the epoch and the test loss written on each frame.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from core.figures.boundary_colours import boundary_rgb
from core.figures.palette import CLASS_COLOURS, hex_rgb, signed_rgb, subsample
from core.playground.experiments import BoundaryFrames

MAX_GIF_POINTS = 600  # fewer than the live view: the points are only the background here
HEADER_PX = 16  # the white band at the top that holds the caption


@dataclass
class GifResult:
    data: bytes  # the GIF file
    frames: int
    epochs: int  # epochs trained by the last frame
    seconds: float  # training, evaluation and drawing


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray]:
    """(dy, dx) offsets of the pixels within `radius` of a centre pixel."""
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    inside = dy**2 + dx**2 <= radius**2
    return dy[inside], dx[inside]


def draw_points(rgb: np.ndarray, X: np.ndarray, colours: np.ndarray, extent, radius: float) -> None:
    """Paint each point as a disc of its colour with a white rim, in place on `rgb` (h, w, 3).

    Vectorized: one assignment per offset of the disc stamp (a few dozen), for all points at once."""
    height, width = rgb.shape[:2]
    x_lo, x_hi, y_lo, y_hi = extent
    px = np.round((X[:, 0] - x_lo) / (x_hi - x_lo) * (width - 1)).astype(np.int64)
    py = np.round((1 - (X[:, 1] - y_lo) / (y_hi - y_lo)) * (height - 1)).astype(np.int64)
    white = np.full((len(X), 3), 255, dtype=np.uint8)
    for fill, r in ((white, radius + 1.0), (colours, radius)):  # the rim first, the disc over it
        for dy, dx in zip(*_disc(r)):
            ys, xs = py + dy, px + dx
            ok = (ys >= 0) & (ys < height) & (xs >= 0) & (xs < width)
            rgb[ys[ok], xs[ok]] = fill[ok]


def _point_colours(y: np.ndarray, task: str) -> np.ndarray:
    if task == "regression":
        return signed_rgb(y, scale=float(np.abs(y).max()) or 1.0)
    palette = np.array([hex_rgb(c) for c in CLASS_COLOURS], dtype=np.uint8)
    return palette[y.astype(np.int64) % len(palette)]


def boundary_gif(recording: BoundaryFrames, size: int = 240, frame_ms: int = 120) -> GifResult:
    """The recorded frames as a looping GIF of size x size pixels, `frame_ms` per frame."""
    started = time.perf_counter()
    size = max(64, min(int(size), 600))
    dataset = recording.dataset
    X, y = subsample(np.asarray(dataset.X_train), np.asarray(dataset.y_train), MAX_GIF_POINTS)
    radius = 2.5 if size <= 300 else 3.5
    images = []
    for boundary, epoch, test_loss in zip(recording.boundaries, recording.epochs, recording.test_losses):
        plane = Image.fromarray(boundary_rgb(boundary, recording.discretize), "RGB")
        rgb = np.array(plane.resize((size, size), Image.BILINEAR))
        draw_points(rgb, X, _point_colours(y, boundary.task), boundary.extent, radius)
        image = Image.fromarray(rgb, "RGB")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, size, HEADER_PX), fill=(255, 255, 255))
        draw.text((4, 2), f"epoch {epoch}  test loss {test_loss:.3f}", fill=(20, 20, 20))
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=int(frame_ms), loop=0
    )
    seconds = recording.seconds + time.perf_counter() - started
    return GifResult(buffer.getvalue(), len(images), recording.epochs[-1], seconds)
