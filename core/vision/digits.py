"""Turn a drawn or photographed digit into a 28×28 image prepared the way MNIST's own digits were.

MNIST's recipe (LeCun et al.): take the digit's bounding box, scale it so the longer side is
20 px (keeping the aspect ratio, with anti-aliasing), then place it in a 28×28 field so that its
centre of mass sits at the centre. A network trained on MNIST only works on a drawing that went
through the same steps, so the Draw page runs `preprocess_digit` on every stroke (through
core/vision/prediction.py, which then scales it the way the model was trained); `to_model_input`
gives the flat row for a model trained on pixel / 255.

Steps inside `preprocess_digit`:
  1. image → "ink map" (H, W) in [0, 1], 1 = digit stroke, whatever the input's polarity. A
     drawing (a canvas or a rendered picture: one exact background value covers most of it) is
     read as always: background = the border's median (`preprocess_drawn_digit`). A photo goes
     through core/vision/photo_cleanup.py: light evened out, ruled lines, desk edges and shadows
     dropped, only the digit's strokes kept;
  2. blank or near-blank → `is_empty=True` (never a guess), with the reason in plain words;
  3. crop to the ink's bounding box, scale the longer side to 20 px;
  4. shift inside 28×28 so the centre of mass lands on (14, 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from PIL import Image

from core.vision.photo_cleanup import clean_photo

MNIST_SIDE = 28
DIGIT_BOX_SIDE = 20  # MNIST's digits fit a 20×20 box; the 4 px margin leaves room for centring
MNIST_CENTRE = 14.0  # where MNIST puts the centre of mass: shift = round(28/2 - com)

# Luminance of an RGB pixel (ITU-R BT.601, the same weights PIL uses for mode "L").
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
LUMA_WEIGHTS.flags.writeable = False  # a shared constant: nobody may change it

# A pixel is ink when it is at least this fraction of the strongest ink in the image; fainter
# pixels are paper texture, JPEG noise or anti-aliasing fuzz, and are set to 0.
INK_THRESHOLD = 0.25
# Below this contrast (on a 0..1 scale) between ink and background the image is only faint noise.
MIN_INK_CONTRAST = 0.15
# Fewer inked pixels than this fraction of the image (0.1 %) are stray specks, not a digit.
MIN_INK_FRACTION = 0.001
# Thickness of the frame whose median gives the background level (2 % of the shorter side).
BORDER_FRACTION = 0.02
# A drawing's background is one exact value (the canvas colour); a photo's never is (sensor noise,
# light, JPEG). When the most common 8-bit gray level covers at least this share, and the levels
# next to it are rare, it is a drawing.
DRAWING_BACKGROUND_SHARE = 0.5

BLANK = "the picture is blank: nothing differs from its background"
TOO_FAINT = "the marks are too faint to be a digit"
SPECKS = "only a few stray specks, too small to be a digit"


class DigitInputError(ValueError):
    """The image given to the digit preprocessing has the wrong type, shape, dtype or range."""


class InkBox(NamedTuple):
    """Bounding box of the ink in the input image, in pixels: rows top..bottom-1, cols left..right-1."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays with == is ambiguous
class DigitImage:
    """A digit ready for an MNIST-trained network.

    pixels: (28, 28) float32 in [0, 1], white digit on black, read-only; all zero when empty.
    is_empty: True when the input held no digit (blank, faint noise or a few stray pixels).
    ink_fraction: fraction of the input's pixels that counted as ink (0 … 1).
    bbox: where the ink was in the input image, or None when empty.
    seen: what the preprocessing found the digit in, for a page to show: (h, w) float32 in [0, 1],
        1 = ink, read-only; for a photo the darkness once the light is evened out (at most
        400 px), for a drawing its ink map; None when the input was blank.
    empty_reason: why no digit was found, in plain words ("" when there is one).
    """

    pixels: np.ndarray
    is_empty: bool
    ink_fraction: float
    bbox: InkBox | None
    seen: np.ndarray | None = None
    empty_reason: str = ""


def preprocess_digit(image: np.ndarray | Image.Image) -> DigitImage:
    """Prepare a digit image like MNIST's: white on black, longer side 20 px, centred by mass in 28×28.

    image: numpy array (H, W) gray, (H, W, 2) gray+alpha, (H, W, 3) RGB or (H, W, 4) RGBA, as
    uint8 (0..255), uint16 (0..65535), bool, or float in [0, 1]; or a PIL.Image of any mode.
    Polarity is detected automatically: dark ink on white paper and a white or coloured stroke on
    a black or transparent canvas give the same result. A drawing is read exactly as
    `preprocess_drawn_digit` reads it; a photo (uneven light, ruled lines, a desk at the border)
    is cleaned first by core.vision.photo_cleanup.
    """
    values = _as_float_channels(image)
    gray = _gray(values)
    if gray is None or _is_drawing(gray):
        return _digit_from_ink(_ink_map(values))
    cleaned = clean_photo(gray)
    if not cleaned.found:
        return _empty_digit(0.0, seen=cleaned.darkness, reason=cleaned.reason)
    digit = _digit_from_ink(cleaned.ink, seen=cleaned.darkness)
    if digit.bbox is None or cleaned.scale == 1.0:
        return digit
    # The box was found on the shrunk working copy: report it in the input's pixels.
    height, width = values.shape[:2]
    box = digit.bbox
    scaled = InkBox(
        top=int(box.top / cleaned.scale),
        left=int(box.left / cleaned.scale),
        bottom=min(height, int(np.ceil(box.bottom / cleaned.scale))),
        right=min(width, int(np.ceil(box.right / cleaned.scale))),
    )
    return DigitImage(digit.pixels, False, digit.ink_fraction, scaled, digit.seen)


def preprocess_drawn_digit(image: np.ndarray | Image.Image) -> DigitImage:
    """The recipe for drawings, used on any image: the background is the border's median and the
    ink the side (brighter or darker) that differs from it most. Exact on a canvas; uneven light,
    shadows and desk edges all count as ink (benchmarks/photo_digits.py compares it on photos)."""
    return _digit_from_ink(_ink_map(_as_float_channels(image)))


def _digit_from_ink(ink: np.ndarray, seen: np.ndarray | None = None) -> DigitImage:
    """An ink map (H, W) ≥ 0, high on the stroke → the MNIST-style digit (or empty, with why)."""
    strongest = float(ink.max())
    if seen is None:  # a drawing: what was seen is its ink map, strongest ink = 1
        seen = np.clip(ink / strongest, 0.0, 1.0) if strongest > 0 else None
        if seen is not None:
            seen = seen.astype(np.float32, copy=False)
            seen.flags.writeable = False
    if strongest < MIN_INK_CONTRAST:
        return _empty_digit(0.0, seen, BLANK if strongest == 0.0 else TOO_FAINT)
    threshold = INK_THRESHOLD * strongest
    inked = ink > threshold
    ink_fraction = float(np.count_nonzero(inked)) / inked.size
    if ink_fraction < MIN_INK_FRACTION:
        return _empty_digit(ink_fraction, seen, SPECKS)

    box = _bounding_box(inked)
    crop = ink[box.top : box.bottom, box.left : box.right]
    # Remove the noise floor and stretch the contrast: threshold → 0, strongest ink → 1.
    crop = np.clip((crop - threshold) / (strongest - threshold), 0.0, 1.0)

    digit = _scale_longer_side(crop, DIGIT_BOX_SIDE)
    peak = float(digit.max())
    if peak <= 0.0:  # cannot happen for a non-empty crop, but a division by zero must never
        return _empty_digit(ink_fraction, seen, SPECKS)
    # MNIST digits always reach full intensity (255); a thin stroke averaged down to 20 px does
    # not, so stretch it back: the network then sees the same range it was trained on.
    digit /= peak

    pixels = _place_by_centre_of_mass(digit)
    pixels.flags.writeable = False
    return DigitImage(pixels=pixels, is_empty=False, ink_fraction=ink_fraction, bbox=box, seen=seen)


def to_model_input(pixels: np.ndarray) -> np.ndarray:
    """Flatten a 28×28 digit into the (1, 784) float32 row the network takes.

    Matches how MNIST is fed during training: raw uint8 / 255, so values are in [0, 1].
    Accepts uint8 (0..255, e.g. a raw MNIST image) or float in [0, 1] (e.g. DigitImage.pixels).
    """
    pixels = np.asarray(pixels)
    if pixels.shape != (MNIST_SIDE, MNIST_SIDE):
        raise DigitInputError(
            f"pixels must have shape ({MNIST_SIDE}, {MNIST_SIDE}); got shape {pixels.shape}"
        )
    if pixels.dtype == np.uint8:
        scaled = pixels.astype(np.float32) / np.float32(255.0)
    elif np.issubdtype(pixels.dtype, np.floating):
        scaled = pixels.astype(np.float32)  # astype copies: the caller's array stays untouched
        _check_unit_range(scaled, "pixels")
    else:
        raise DigitInputError(f"pixels must be uint8 (0..255) or float in [0, 1]; got dtype {pixels.dtype}")
    return scaled.reshape(1, MNIST_SIDE * MNIST_SIDE)


def _empty_digit(ink_fraction: float, seen: np.ndarray | None, reason: str) -> DigitImage:
    pixels = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    pixels.flags.writeable = False
    return DigitImage(pixels, True, ink_fraction, None, seen=seen, empty_reason=reason)


def _gray(values: np.ndarray) -> np.ndarray | None:
    """The luminance (H, W) of an opaque image; None for a transparent canvas (alpha is the ink)."""
    channels = values.shape[2]
    if channels in (2, 4) and _border_median(values[:, :, -1]) < 0.5:
        return None
    return values[:, :, 0] if channels <= 2 else values[:, :, :3] @ LUMA_WEIGHTS


def _is_drawing(gray: np.ndarray) -> bool:
    """True when one exact gray level (the canvas colour) covers most of the image."""
    # A regular sample of about 250,000 pixels tells as well as all 12 million of a phone photo.
    step = max(1, int(np.ceil(np.sqrt(gray.size / 250_000))))
    sample = gray[::step, ::step]
    levels = np.rint(sample * np.float32(255.0)).astype(np.uint8).ravel()  # gray is in [0, 1]
    counts = np.bincount(levels, minlength=256)
    top = int(np.argmax(counts))
    # A flat but noisy photo of blank paper can have a most common level too; its neighbours
    # (±1, ±2) are then nearly as common, where a canvas has only its strokes' few edge pixels.
    neighbours = int(counts[max(0, top - 2) : top + 3].sum() - counts[top])
    return counts[top] >= DRAWING_BACKGROUND_SHARE * levels.size and neighbours <= 0.1 * counts[top]


def _as_float_channels(image: np.ndarray | Image.Image) -> np.ndarray:
    """Any accepted input → float32 array (H, W, C) in [0, 1] with C = 1 (gray), 2 (gray+alpha), 3 or 4."""
    if isinstance(image, Image.Image):
        image = _pil_to_array(image)
    if not isinstance(image, np.ndarray):
        raise DigitInputError(f"image must be a numpy array or a PIL.Image; got {type(image).__name__}")

    if image.ndim == 2:
        image = image[:, :, np.newaxis]
    if image.ndim != 3 or image.shape[2] not in (1, 2, 3, 4):
        raise DigitInputError(
            "image must have shape (H, W) gray, (H, W, 2) gray+alpha, (H, W, 3) RGB or "
            f"(H, W, 4) RGBA; got shape {image.shape}"
        )
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise DigitInputError(f"image must be at least 1×1 pixel; got {image.shape[0]}×{image.shape[1]}")

    if image.dtype == np.uint8:
        return image.astype(np.float32) / np.float32(255.0)
    if image.dtype == np.uint16:
        return image.astype(np.float32) / np.float32(65535.0)
    if image.dtype == np.bool_:
        return image.astype(np.float32)
    if np.issubdtype(image.dtype, np.floating):
        values = image.astype(np.float32)
        _check_unit_range(values, "image")
        return values
    raise DigitInputError(
        "image dtype must be uint8 (0..255), uint16 (0..65535), bool or float in [0, 1]; "
        f"got dtype {image.dtype}"
    )


def _pil_to_array(image: Image.Image) -> np.ndarray:
    # Modes numpy reads directly with a known value range; everything else (palette, CMYK, …)
    # is converted by PIL, keeping transparency when the mode can carry it.
    if image.mode in ("L", "LA", "RGB", "RGBA", "F"):
        return np.asarray(image)
    if image.mode.startswith("I;16"):  # 16-bit gray, maybe big-endian: make it native uint16
        return np.asarray(image).astype(np.uint16)
    if image.mode == "1":
        return np.asarray(image.convert("L"))
    if image.mode == "I":  # 32-bit ints; from PNG/TIFF this is 16-bit data, so clip to 0..65535
        return np.clip(np.asarray(image), 0, 65535).astype(np.uint16)
    has_alpha = "A" in image.mode or "transparency" in image.info
    return np.asarray(image.convert("RGBA" if has_alpha else "RGB"))


def _check_unit_range(values: np.ndarray, name: str) -> None:
    if values.size == 0:
        return
    low, high = float(values.min()), float(values.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise DigitInputError(f"{name} contains NaN or infinite values")
    if low < 0.0 or high > 1.0:
        raise DigitInputError(
            f"float {name} must have values in [0, 1]; got values from {low:.4g} to {high:.4g}"
        )


def _ink_map(values: np.ndarray) -> np.ndarray:
    """(H, W, C) in [0, 1] → (H, W) ink strength ≥ 0, high where the digit is, 0 on background.

    The background is whatever covers the image's border (a digit rarely touches all four sides).
    """
    channels = values.shape[2]
    has_alpha = channels in (2, 4)
    if has_alpha:
        alpha = values[:, :, -1]
        # Transparent background (the drawing canvas): whatever was painted is ink, whatever its
        # colour, so the alpha channel *is* the ink map (anti-aliased edges included).
        if _border_median(alpha) < 0.5:
            return alpha
    gray = values[:, :, 0] if channels <= 2 else values[:, :, :3] @ LUMA_WEIGHTS

    background = _border_median(gray)
    brighter = np.clip(gray - background, 0.0, None)
    darker = np.clip(background - gray, 0.0, None)
    # Ink is the side that differs most from the background in total: dark ink on white paper
    # gives a large "darker" mass; a white stroke on black gives a large "brighter" mass. Glare
    # or a shadow covers few pixels by comparison.
    return brighter if brighter.sum() >= darker.sum() else darker


def _border_median(channel: np.ndarray) -> float:
    height, width = channel.shape
    thickness = max(1, round(BORDER_FRACTION * min(height, width)))
    frame = np.concatenate(
        [
            channel[:thickness].ravel(),
            channel[-thickness:].ravel(),
            channel[:, :thickness].ravel(),
            channel[:, -thickness:].ravel(),
        ]
    )
    return float(np.median(frame))


def _bounding_box(inked: np.ndarray) -> InkBox:
    rows = np.flatnonzero(inked.any(axis=1))
    cols = np.flatnonzero(inked.any(axis=0))
    return InkBox(int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1)


def _scale_longer_side(crop: np.ndarray, side: int) -> np.ndarray:
    """Resize so the longer side is `side` px, keeping the aspect ratio (a tall "1" stays thin)."""
    height, width = crop.shape
    factor = side / max(height, width)
    new_height = max(1, round(height * factor))
    new_width = max(1, round(width * factor))
    # Lanczos anti-aliases when shrinking and stays sharp when enlarging; a float32 array becomes
    # a PIL image of mode "F", so no precision is lost to 8-bit rounding.
    resized = Image.fromarray(crop.astype(np.float32, copy=False)).resize(
        (new_width, new_height), Image.Resampling.LANCZOS
    )
    # Lanczos rings slightly below 0 and above 1 next to sharp edges; clip the overshoot.
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def _place_by_centre_of_mass(digit: np.ndarray) -> np.ndarray:
    """Paste `digit` into 28×28 so its centre of mass lands on (14, 14), shifting by whole pixels."""
    height, width = digit.shape
    total = digit.sum(dtype=np.float64)
    # Centre of mass: com_row = Σ row·value / Σ value (likewise for columns).
    com_row = float(digit.sum(axis=1) @ np.arange(height)) / total
    com_col = float(digit.sum(axis=0) @ np.arange(width)) / total
    # Round half up (not Python's round-half-to-even) so equal offsets always shift the same way.
    top = int(np.floor(MNIST_CENTRE - com_row + 0.5))
    left = int(np.floor(MNIST_CENTRE - com_col + 0.5))
    # A very lopsided digit would be pushed partly off the field; keep all of its ink instead
    # (its centre of mass then ends a pixel or two from the centre).
    top = min(max(top, 0), MNIST_SIDE - height)
    left = min(max(left, 0), MNIST_SIDE - width)

    pixels = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    pixels[top : top + height, left : left + width] = digit
    return pixels
