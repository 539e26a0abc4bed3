"""Realistic photos of handwritten digits, made from real MNIST digits: the photo test set.

A phone photo of a digit on paper differs from a drawing in ways that defeat a naive
preprocessing: the light is uneven (a gradient across the sheet, a vignette, a shadow over a
corner), the sheet has ruled lines, a strip of desk shows at the edge, the digit is slightly
rotated, and JPEG compression adds blocks and ringing. `render_photo` draws one MNIST digit (a
28x28 uint8 image, white on black, as the IDX files give it) as dark ink on paper under one of
these conditions, or all of them at once ("hardest"); `render_photos` does a batch. Everything
is seeded: the same digits, condition and seed give the same photos.

This module only renders arrays; reading the IDX files is core.data.idx's job (the benchmark and
the tests do it), so core.vision keeps depending on the engine only.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

PLAIN = "plain"
GRADIENT = "lighting gradient"
SHADOW = "corner shadow"
RULED = "ruled lines"
DESK = "desk border"
VIGNETTE = "vignette"
JPEG = "jpeg"
ROTATION = "rotation"
HARDEST = "hardest"
# Every condition, in the order the benchmark prints them; "hardest" combines all the others.
CONDITIONS = (PLAIN, GRADIENT, SHADOW, RULED, DESK, VIGNETTE, JPEG, ROTATION, HARDEST)
EFFECTS = CONDITIONS[1:-1]

MIN_SIDE, MAX_SIDE = 240, 400  # photo sizes in pixels (square), picked per photo
# The digit's 28 px field becomes this share of the photo's side (MNIST's digit fills 20 of 28).
DIGIT_SCALE_RANGE = (0.45, 0.75)
MAX_ROTATION_DEGREES = 12.0
JPEG_QUALITY_RANGE = (25, 55)


class PhotoConditionError(ValueError):
    """An unknown photo condition was asked for."""


def render_photos(digits: np.ndarray, condition: str, seed: int = 0) -> list[np.ndarray]:
    """One photo per MNIST digit in `digits` ((n, 28, 28) uint8), each an (S, S, 3) uint8 RGB image.

    Photo i depends only on (digit i, condition, seed, i), so a subset renders the same photos.
    """
    digits = np.asarray(digits)
    if digits.ndim != 3 or digits.shape[1:] != (28, 28) or digits.dtype != np.uint8:
        raise ValueError(f"digits must be (n, 28, 28) uint8 MNIST images; got {digits.shape} {digits.dtype}")
    effects = _effects_of(condition)
    return [
        _render(digit, effects, np.random.default_rng([seed, index, CONDITIONS.index(condition)]))
        for index, digit in enumerate(digits)
    ]


def render_photo(digit: np.ndarray, condition: str, seed: int = 0) -> np.ndarray:
    """One MNIST digit ((28, 28) uint8) as an (S, S, 3) uint8 RGB photo under `condition`."""
    return render_photos(np.asarray(digit)[np.newaxis], condition, seed)[0]


def render_empty_sheet(condition: str = HARDEST, seed: int = 0) -> np.ndarray:
    """A photo of a sheet with no digit on it, under `condition` (for "is it judged empty?")."""
    blank = np.zeros((28, 28), dtype=np.uint8)
    return _render(blank, _effects_of(condition), np.random.default_rng([seed, 0, 99]))


def _effects_of(condition: str) -> tuple[str, ...]:
    if condition not in CONDITIONS:
        raise PhotoConditionError(
            f"unknown photo condition {condition!r}; choose one of {', '.join(CONDITIONS)}"
        )
    if condition == HARDEST:
        return EFFECTS
    return () if condition == PLAIN else (condition,)


def _render(digit: np.ndarray, effects: tuple[str, ...], rng: np.random.Generator) -> np.ndarray:
    side = int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
    ink = _place_digit(digit, side, ROTATION in effects, rng)  # (side, side) in [0, 1], 1 = ink
    if RULED in effects:
        ink = np.maximum(ink, _ruled_lines(side, rng))

    paper = np.array([rng.uniform(205, 240), rng.uniform(200, 235), rng.uniform(190, 230)], np.float32)
    pen = np.array([rng.uniform(20, 60), rng.uniform(20, 60), rng.uniform(30, 110)], np.float32)
    # Ink absorbs light: the photo is the paper's colour pulled towards the pen's by the ink share.
    image = paper + (pen - paper) * ink[:, :, np.newaxis]

    if DESK in effects:
        image = _desk_border(image, rng)
    # The light falls on the sheet and the desk alike.
    light = np.ones((side, side), np.float32)
    if GRADIENT in effects:
        light *= _gradient(side, rng)
    if VIGNETTE in effects:
        light *= _vignette(side, rng)
    if SHADOW in effects:
        light *= _corner_shadow(side, rng)
    image *= light[:, :, np.newaxis]

    # A camera never gives a sharp, noiseless picture: a little blur and sensor noise.
    image = image + rng.normal(0.0, 3.0, image.shape).astype(np.float32)
    photo = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8), "RGB")
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    if JPEG in effects:
        buffer = io.BytesIO()
        photo.save(buffer, format="JPEG", quality=int(rng.integers(*JPEG_QUALITY_RANGE)))
        photo = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return np.asarray(photo)


def _place_digit(digit: np.ndarray, side: int, rotate: bool, rng: np.random.Generator) -> np.ndarray:
    """The digit scaled up smoothly (pen strokes, not pixel blocks), maybe rotated, near the centre."""
    field = max(28, round(side * rng.uniform(*DIGIT_SCALE_RANGE)))
    glyph = Image.fromarray(digit).resize((field, field), Image.Resampling.BICUBIC)
    if rotate:
        glyph = glyph.rotate(
            rng.uniform(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES), Image.Resampling.BICUBIC
        )
    # MNIST's soft edges become a pen's crisp ones: a steep contrast curve around the half level.
    strokes = np.clip((np.asarray(glyph, np.float32) / 255.0 - 0.25) * 2.0, 0.0, 1.0)
    ink = np.zeros((side, side), np.float32)
    slack = side - field
    top = int(np.clip(slack / 2 + rng.normal(0, slack / 8 + 1), 0, slack))
    left = int(np.clip(slack / 2 + rng.normal(0, slack / 8 + 1), 0, slack))
    ink[top : top + field, left : left + field] = strokes
    return ink


def _ruled_lines(side: int, rng: np.random.Generator) -> np.ndarray:
    """Faint, nearly horizontal lines of a ruled sheet (and sometimes its margin line), as ink shares."""
    spacing = rng.uniform(0.08, 0.12) * side
    tilt = np.tan(np.radians(rng.uniform(-1.0, 1.0)))
    thickness = rng.uniform(1.0, 2.2)
    strength = rng.uniform(0.35, 0.6)
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32)
    y = rows - cols * tilt - rng.uniform(0, spacing)
    distance = np.abs((y + spacing / 2) % spacing - spacing / 2)  # to the nearest line
    lines = np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0) * strength
    if rng.random() < 0.5:  # the red margin line of an exercise book
        margin = rng.uniform(0.08, 0.2) * side
        lines = np.maximum(lines, np.clip(thickness / 2 + 0.5 - np.abs(cols - margin), 0.0, 1.0) * strength)
    return lines


def _gradient(side: int, rng: np.random.Generator) -> np.ndarray:
    """Light falling off linearly across the sheet in a random direction: from 1 down to 0.4-0.6."""
    angle = rng.uniform(0, 2 * np.pi)
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32) / (side - 1) - 0.5
    along = cols * np.cos(angle) + rows * np.sin(angle)
    along = (along - along.min()) / (along.max() - along.min())
    return (1.0 - along * rng.uniform(0.4, 0.6)).astype(np.float32)


def _vignette(side: int, rng: np.random.Generator) -> np.ndarray:
    """A lens's darker corners: 1 at the centre, 0.45-0.7 in the corners."""
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32) / (side - 1) - 0.5
    radius2 = (rows**2 + cols**2) / 0.5  # 0 at the centre, 1 in the corners
    return (1.0 - rng.uniform(0.3, 0.55) * radius2).astype(np.float32)


def _corner_shadow(side: int, rng: np.random.Generator) -> np.ndarray:
    """The shadow of a hand or phone over one corner: a soft-edged region at 0.35-0.6 of the light."""
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32) / (side - 1)
    flip_rows, flip_cols = rng.random() < 0.5, rng.random() < 0.5
    r = 1.0 - rows if flip_rows else rows
    c = 1.0 - cols if flip_cols else cols
    # An ellipse centred on the corner: inside it is shadow, with a penumbra of 2-6 % of the side.
    reach_r, reach_c = rng.uniform(0.3, 0.55), rng.uniform(0.3, 0.55)
    distance = np.sqrt((r / reach_r) ** 2 + (c / reach_c) ** 2) - 1.0
    penumbra = rng.uniform(0.04, 0.12)
    inside = np.clip(0.5 - distance / penumbra, 0.0, 1.0)
    return (1.0 - inside * rng.uniform(0.4, 0.65)).astype(np.float32)


def _desk_border(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A strip of desk (dark, grainy wood) beyond the sheet's edge along one or two sides."""
    side = image.shape[0]
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32)
    desk = np.zeros((side, side), bool)
    for _ in range(int(rng.integers(1, 3))):
        width = rng.uniform(0.04, 0.12) * side
        slope = np.tan(np.radians(rng.uniform(-4, 4)))  # the sheet's edge is not quite straight
        where = int(rng.integers(4))
        coordinate, across = (rows, cols) if where < 2 else (cols, rows)
        edge = width + (across - side / 2) * slope
        desk |= coordinate < edge if where % 2 == 0 else coordinate > side - 1 - edge
    wood = np.array([rng.uniform(70, 130), rng.uniform(45, 90), rng.uniform(25, 60)], np.float32)
    grain = 1.0 + 0.12 * np.sin(rows / rng.uniform(2, 5) + rng.normal(0, 0.3, (side, side)))
    desk_pixels = wood * grain[:, :, np.newaxis].astype(np.float32)
    return np.where(desk[:, :, np.newaxis], desk_pixels, image).astype(np.float32)
