"""The training GIF (core/figures/training_gif.py): the recorded frames, drawn as the page draws them."""

import io

import numpy as np
import pytest
from PIL import Image

from core import playground as pg
from core.figures import palette, training_gif
from core.playground import DEFAULT, experiments


@pytest.fixture(scope="module")
def recording():
    return experiments.boundary_frames(DEFAULT, pg.make_data(DEFAULT), epochs=40, frames=5, time_budget_s=10)


def _frames(data: bytes) -> list[np.ndarray]:
    image = Image.open(io.BytesIO(data))
    frames = []
    for k in range(image.n_frames):
        image.seek(k)
        frames.append(np.asarray(image.convert("RGB"), dtype=np.int16))
    return frames


def test_one_gif_frame_per_recorded_frame(recording):
    result = training_gif.boundary_gif(recording, size=120)
    image = Image.open(io.BytesIO(result.data))
    assert image.format == "GIF" and image.size == (120, 120)
    assert result.frames == image.n_frames == 5 and result.epochs == 40
    assert result.seconds >= recording.seconds
    frames = _frames(result.data)
    below_header = slice(training_gif.HEADER_PX + 1, None)
    assert np.abs(frames[-1][below_header] - frames[0][below_header]).mean() > 1  # the boundary moved


def test_points_are_discs_of_their_class_colour_with_a_white_rim():
    rgb = np.zeros((21, 21, 3), dtype=np.uint8)
    X = np.array([[0.0, 0.0], [9.0, 9.0]], dtype=np.float32)  # the centre, and far outside
    colour = palette.hex_rgb(palette.BLUE).astype(np.uint8)
    training_gif.draw_points(rgb, X, np.array([colour, colour]), (-1, 1, -1, 1), radius=2.0)
    assert tuple(rgb[10, 10]) == tuple(colour) and tuple(rgb[10, 12]) == tuple(colour)
    assert tuple(rgb[10, 13]) == (255, 255, 255)  # the rim
    assert tuple(rgb[10, 15]) == (0, 0, 0) and tuple(rgb[0, 0]) == (0, 0, 0)  # untouched
    painted = (rgb.sum(axis=2) > 0).sum()
    rim_disc = sum(dy * dy + dx * dx <= 9 for dy in range(-3, 4) for dx in range(-3, 4))
    assert painted == rim_disc == 29  # one disc: the point outside the image drew nothing


def test_gif_size_is_bounded(recording):
    result = training_gif.boundary_gif(recording, size=10_000)
    assert Image.open(io.BytesIO(result.data)).size == (600, 600)
