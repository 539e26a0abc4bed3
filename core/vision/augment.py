"""Random distortions of MNIST-like digits, computed for a whole batch at once.

Training on slightly shifted, rotated, rescaled, thicker or thinner copies of the digits makes a
network robust to how people actually draw. Every image gets its own random distortion, yet
nothing loops over images: each step is one NumPy expression over the (n, H, W) batch.

The geometric part is an affine warp. For every *output* pixel we ask "which source position
lands here?" (the inverse map), then read the source there by bilinear interpolation. Going
backwards guarantees every output pixel gets exactly one value — no holes, no overlaps.
"""

from __future__ import annotations

import numpy as np

# Images are warped in blocks of about this many pixels (≈ 5,000 digits of 28×28), so temporary
# arrays stay small (≤ 16 MB each) even when a whole data set is augmented in one call.
WARP_BLOCK_PIXELS = 4_000_000

MAX_ROTATION_LIMIT = 180.0  # degrees; beyond that the range repeats
SCALE_LIMITS = (0.5, 2.0)  # zoom factors allowed in scale_range


class AugmentError(ValueError):
    """An augmentation was called with images or parameters it cannot use."""


def transform_batch(
    images: np.ndarray,
    *,
    degrees: float | np.ndarray = 0.0,
    scale: float | np.ndarray = 1.0,
    shift: tuple[float, float] | np.ndarray = (0.0, 0.0),
) -> np.ndarray:
    """Rotate, scale and shift every image about its centre; (n, H, W) → (n, H, W) float32.

    degrees: counter-clockwise rotation as seen on screen; one number or one per image (n,).
    scale: zoom factor > 0 (1.1 = 10 % larger); one number or one per image (n,).
    shift: (down, right) in pixels, applied after rotation and scaling; (2,) or one per image (n, 2).
    Pixels that come from outside the image are 0 (background).
    """
    batch = _as_float_batch(images)
    count = batch.shape[0]
    degrees = _per_image(degrees, count, "degrees")
    scale = _per_image(scale, count, "scale")
    if np.any(scale <= 0):
        raise AugmentError(f"scale must be > 0; got a minimum of {scale.min():.4g}")
    shift = np.asarray(shift, dtype=np.float64)
    if shift.shape not in ((2,), (count, 2)):
        raise AugmentError(
            f"shift must have shape (2,) or ({count}, 2) as (down, right); got shape {shift.shape}"
        )
    _check_finite(shift, "shift")
    shift = np.broadcast_to(shift, (count, 2))
    return _warp(batch, degrees, scale, shift)


def rotate_batch(images: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate every image by the same angle (counter-clockwise, about the centre), as float32.

    Used by the robustness probe: how does accuracy fall as digits are tilted further?
    """
    if np.ndim(degrees) != 0:
        raise AugmentError(f"degrees must be a single number; got shape {np.shape(degrees)}")
    return transform_batch(images, degrees=float(degrees))


def augment_batch(
    images: np.ndarray,
    rng: np.random.Generator,
    *,
    max_shift: float = 2.0,
    max_rotation: float = 12.0,
    scale_range: tuple[float, float] = (0.9, 1.1),
    thickness_fraction: float = 0.2,
) -> np.ndarray:
    """Give every image its own random distortion; (n, H, W) uint8 or float in [0, 1] → float32.

    Per image: with probability `thickness_fraction` the strokes get one pixel thicker or thinner
    (50/50); then a rotation uniform in ±max_rotation degrees, a zoom uniform in scale_range and
    a shift uniform in ±max_shift pixels along each axis. The same rng state gives the same result.
    """
    batch = _as_float_batch(images)
    count, height, width = batch.shape
    _check_generator(rng)
    _check_range(max_shift, "max_shift", 0.0, min(height, width) / 2)
    _check_range(max_rotation, "max_rotation", 0.0, MAX_ROTATION_LIMIT)
    _check_range(thickness_fraction, "thickness_fraction", 0.0, 1.0)
    low_scale, high_scale = _check_scale_range(scale_range)

    # Draw every random number up front, always in the same order and amount, so a seed gives
    # the same augmentation whatever the parameters turned on.
    change_thickness = rng.random(count) < thickness_fraction
    make_thicker = rng.random(count) < 0.5
    degrees = rng.uniform(-max_rotation, max_rotation, size=count)
    scale = rng.uniform(low_scale, high_scale, size=count)
    shift = rng.uniform(-max_shift, max_shift, size=(count, 2))

    thicker = change_thickness & make_thicker
    thinner = change_thickness & ~make_thicker
    if thicker.any():
        batch[thicker] = _plus_neighbourhood(batch[thicker], np.maximum)
    if thinner.any():
        batch[thinner] = _plus_neighbourhood(batch[thinner], np.minimum)
    return _warp(batch, degrees, scale, shift)


def add_noise(images: np.ndarray, std: float, rng: np.random.Generator) -> np.ndarray:
    """Add Gaussian pixel noise with standard deviation `std`, clipped back to [0, 1]; float32."""
    batch = _as_float_batch(images)
    _check_range(std, "std", 0.0, 1.0)
    _check_generator(rng)
    noise = rng.standard_normal(batch.shape, dtype=np.float32)
    batch += np.float32(std) * noise
    return np.clip(batch, 0.0, 1.0, out=batch)


def dilate(images: np.ndarray) -> np.ndarray:
    """Thicken strokes by one pixel: each pixel becomes the max of itself and its 4 neighbours."""
    return _plus_neighbourhood(_as_float_batch(images), np.maximum)


def erode(images: np.ndarray) -> np.ndarray:
    """Thin strokes by one pixel: each pixel becomes the min of itself and its 4 neighbours."""
    return _plus_neighbourhood(_as_float_batch(images), np.minimum)


def _plus_neighbourhood(batch: np.ndarray, combine: np.ufunc) -> np.ndarray:
    # Plus-shaped (not 3×3) neighbourhood: MNIST strokes are only 2–3 px wide, and a square
    # erosion would wipe many of them out. Outside the image counts as background (0).
    padded = np.pad(batch, ((0, 0), (1, 1), (1, 1)))
    result = batch.copy()
    for neighbour in (
        padded[:, :-2, 1:-1],  # pixel above
        padded[:, 2:, 1:-1],  # pixel below
        padded[:, 1:-1, :-2],  # pixel to the left
        padded[:, 1:-1, 2:],  # pixel to the right
    ):
        combine(result, neighbour, out=result)
    return result


def _warp(batch: np.ndarray, degrees: np.ndarray, scale: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Affine-warp each image: out = c + scale·R(θ)·(src − c) + shift, with c the image centre."""
    count, height, width = batch.shape
    block_size = max(1, WARP_BLOCK_PIXELS // (height * width))
    warped_blocks = []
    for start in range(0, count, block_size):  # blocks of thousands of images, not single ones
        block = slice(start, start + block_size)
        rows, cols = _source_coordinates((height, width), degrees[block], scale[block], shift[block])
        warped_blocks.append(_bilinear_sample(batch[block], rows, cols))
    if len(warped_blocks) == 1:
        return warped_blocks[0]
    if not warped_blocks:  # an empty batch
        return batch.copy()
    return np.concatenate(warped_blocks)


def _source_coordinates(
    shape: tuple[int, int], degrees: np.ndarray, scale: np.ndarray, shift: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For every output pixel of every image, the (row, col) in the source it comes from.

    Inverse map: src = c + R(θ)ᵀ·(out − c − shift) / scale, since R(θ)⁻¹ = R(θ)ᵀ.
    """
    height, width = shape
    # Rotate about the middle of the pixel grid, so rotating by 90° is exactly np.rot90.
    centre_row = np.float32((height - 1) / 2)
    centre_col = np.float32((width - 1) / 2)
    angle = np.deg2rad(degrees)
    # R(θ)ᵀ/scale in (row, col) coordinates. Rows grow downwards, so a counter-clockwise
    # rotation on screen is R(θ) = [[cos, −sin], [sin, cos]] acting on (row, col).
    cos_over_scale = (np.cos(angle) / scale).astype(np.float32)[:, None, None]
    sin_over_scale = (np.sin(angle) / scale).astype(np.float32)[:, None, None]

    shift = shift.astype(np.float32)
    out_rows = np.arange(height, dtype=np.float32)[None, :, None] - centre_row - shift[:, 0, None, None]
    out_cols = np.arange(width, dtype=np.float32)[None, None, :] - centre_col - shift[:, 1, None, None]
    source_rows = centre_row + cos_over_scale * out_rows + sin_over_scale * out_cols
    source_cols = centre_col - sin_over_scale * out_rows + cos_over_scale * out_cols
    return source_rows, source_cols


def _bilinear_sample(batch: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Read image i at fractional positions (rows[i], cols[i]); 0 outside the image.

    Bilinear: blend the 4 pixels around each position,
        upper = top_left + right_weight·(top_right − top_left)      (same for lower)
        value = upper + down_weight·(lower − upper)
    with the weights being the fractional parts of the position.
    """
    count, height, width = batch.shape
    # A one-pixel frame of zeros around every image: any neighbour outside the image is clamped
    # onto that frame, so it reads as background without a separate mask.
    padded = np.pad(batch, ((0, 0), (1, 1), (1, 1)))
    padded_height, padded_width = height + 2, width + 2
    flat = padded.reshape(-1)

    top = np.floor(rows)
    left = np.floor(cols)
    down_weight = rows - top
    right_weight = cols - left
    # Source row r is row r + 1 of the padded image; rows −1 and H are the zero frame.
    top_index = _padded_index(top, 1, padded_height)
    bottom_index = _padded_index(top, 2, padded_height)
    left_index = _padded_index(left, 1, padded_width)
    right_index = _padded_index(left, 2, padded_width)
    # Index into the flattened batch: image i starts at i·(padded H·W), row r at r·(padded W).
    image_start = np.arange(count, dtype=np.int64)[:, None, None] * (padded_height * padded_width)
    top_index *= padded_width
    top_index += image_start
    bottom_index *= padded_width
    bottom_index += image_start

    top_left, top_right = flat[top_index + left_index], flat[top_index + right_index]
    bottom_left, bottom_right = flat[bottom_index + left_index], flat[bottom_index + right_index]
    # The lerps above, computed in place: the arrays are large and fresh memory costs time.
    top_right -= top_left
    top_right *= right_weight
    upper = top_left
    upper += top_right
    bottom_right -= bottom_left
    bottom_right *= right_weight
    lower = bottom_left
    lower += bottom_right
    lower -= upper
    lower *= down_weight
    upper += lower
    return upper


def _padded_index(floored: np.ndarray, offset: int, padded_size: int) -> np.ndarray:
    """Integer index `floored + offset`, clamped into [0, padded_size − 1] (onto the zero frame)."""
    # Clamp while still float: a huge coordinate (tiny scale) would overflow the integer cast.
    clamped = np.clip(floored + offset, 0, padded_size - 1)
    return clamped.astype(np.int64)


def _as_float_batch(images: np.ndarray) -> np.ndarray:
    """(n, H, W) uint8 or float in [0, 1] → a new float32 array in [0, 1] (the input is never modified)."""
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1] < 1 or images.shape[2] < 1:
        raise AugmentError(f"images must have shape (n, H, W); got shape {images.shape}")
    if images.dtype == np.uint8:
        return images.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(images.dtype, np.floating):
        raise AugmentError(f"images must be uint8 (0..255) or float in [0, 1]; got dtype {images.dtype}")
    batch = images.astype(np.float32)  # always a copy
    if batch.size:
        low, high = float(batch.min()), float(batch.max())
        if not (np.isfinite(low) and np.isfinite(high)):
            raise AugmentError("images contain NaN or infinite values")
        if low < 0.0 or high > 1.0:
            raise AugmentError(
                f"float images must have values in [0, 1]; got values from {low:.4g} to {high:.4g}"
            )
    return batch


def _per_image(value: float | np.ndarray, count: int, name: str) -> np.ndarray:
    values = np.asarray(value, dtype=np.float64)
    if values.shape not in ((), (count,)):
        raise AugmentError(
            f"{name} must be one number or one per image, shape ({count},); got shape {values.shape}"
        )
    _check_finite(values, name)
    return np.broadcast_to(values, (count,))


def _check_finite(values: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(values)):
        raise AugmentError(f"{name} must be finite; got NaN or infinite values in {values!r}"[:300])


def _check_generator(rng: np.random.Generator) -> None:
    if not isinstance(rng, np.random.Generator):
        raise AugmentError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)); got {type(rng).__name__}"
        )


def _check_range(value: float, name: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AugmentError(f"{name} must be a number in [{low:g}, {high:g}]; got {value!r}")
    if not (low <= value <= high):  # also False for NaN
        raise AugmentError(f"{name} must be in [{low:g}, {high:g}]; got {value!r}")


def _check_scale_range(scale_range: tuple[float, float]) -> tuple[float, float]:
    low_limit, high_limit = SCALE_LIMITS
    try:
        low, high = (float(bound) for bound in scale_range)
    except (TypeError, ValueError) as error:
        raise AugmentError(f"scale_range must be a pair (low, high); got {scale_range!r}") from error
    if not (low_limit <= low <= high <= high_limit):
        raise AugmentError(
            f"scale_range must satisfy {low_limit:g} ≤ low ≤ high ≤ {high_limit:g}; got {scale_range!r}"
        )
    return low, high
