"""Validate and decode an uploaded PNG or JPEG into an RGBA pixel array.

An upload is untrusted input: it can be empty, not an image at all, a format we do not handle,
cut off half-way, or a "decompression bomb" (a small file that declares gigantic dimensions and
would need gigabytes of memory once decoded). Every one of these is refused with an
`ImageUploadError` that says what was wrong, what is allowed and what was received — and the
size checks happen *before* any pixel is decoded.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5_000_000
MAX_UPLOAD_PIXELS = 4_000_000  # e.g. 2000 × 2000
# PIL names a phone's multi-picture JPEG "MPO"; its first picture is an ordinary JPEG.
ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "MPO"})

# What a decoder may raise on a damaged file (PIL does not wrap them in one exception type).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)


class ImageUploadError(ValueError):
    """The uploaded file is not a PNG or JPEG image we can safely decode."""


def load_image_upload(
    data: bytes,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_UPLOAD_PIXELS,
) -> np.ndarray:
    """Decode an uploaded PNG or JPEG into a (H, W, 4) uint8 RGBA array.

    Handles: transparency and palettes (→ RGBA), 16-bit grayscale PNG (scaled to 8 bits),
    CMYK JPEG (→ RGB), the EXIF orientation of phone photos (applied, so the picture is upright)
    and animated PNG (the first frame). Raises ImageUploadError for everything else.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageUploadError(f"the upload must be bytes; got {type(data).__name__}")
    _check_positive_int(max_bytes, "max_bytes")
    _check_positive_int(max_pixels, "max_pixels")
    size_in_bytes = len(data)
    if size_in_bytes == 0:
        raise ImageUploadError("the uploaded file is empty (0 bytes); expected a PNG or JPEG image")
    if size_in_bytes > max_bytes:
        raise ImageUploadError(
            f"the uploaded file is too large: {size_in_bytes:,} bytes; "
            f"the limit is {max_bytes:,} bytes ({max_bytes / 1e6:g} MB)"
        )

    # PIL warns (DecompressionBombWarning) and then raises (DecompressionBombError) on huge
    # dimensions; turning the warning into an error lets both reach one clear message.
    # (catch_warnings is process-wide, not per thread; if another thread's filters win, the
    # warning is merely logged and our own pixel-count check below still refuses the image.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_header(bytes(data), max_pixels)
        with image:
            _check_pixel_count(image.size, max_pixels)  # header only: nothing decoded yet
            _decode_all_pixels(image, max_pixels)
            return _to_rgba_array(image)


def _check_positive_int(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ImageUploadError(f"{name} must be a positive integer; got {value!r}")


def _open_header(data: bytes, max_pixels: int) -> Image.Image:
    """Read only the file header (format and dimensions); pixels are decoded later by load()."""
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _decompression_bomb_error(error, max_pixels) from error
    except UnidentifiedImageError as error:
        raise ImageUploadError(
            "the uploaded file is not a recognisable image; expected a PNG or JPEG "
            f"(first bytes received: {data[:8]!r})"
        ) from error
    except _DECODE_ERRORS as error:
        raise ImageUploadError(
            f"the uploaded image is damaged and its header cannot be read ({error})"
        ) from error

    if image.format not in ACCEPTED_FORMATS:
        image.close()
        raise ImageUploadError(f"unsupported image format {image.format}; only PNG and JPEG are accepted")
    return image


def _check_pixel_count(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageUploadError(
            f"the image is too large: {width}×{height} = {width * height:,} pixels; "
            f"the limit is {max_pixels:,} pixels (e.g. 2000×2000 for the default)"
        )


def _decompression_bomb_error(error: Exception, max_pixels: int) -> ImageUploadError:
    # PIL's message states the declared pixel count, e.g. "Image size (400000000 pixels) exceeds …".
    return ImageUploadError(
        f"the image is too large (PIL refused it: {error}); the limit is {max_pixels:,} pixels"
    )


def _decode_all_pixels(image: Image.Image, max_pixels: int) -> None:
    # Image.open() only reads the header; load() forces the full decode, so a file cut off in
    # the middle fails here (PIL would otherwise fill the missing part with grey silently).
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _decompression_bomb_error(error, max_pixels) from error
    except _DECODE_ERRORS as error:
        raise ImageUploadError(
            f"the uploaded {image.format} file is truncated or corrupt and cannot be decoded ({error})"
        ) from error


def _to_rgba_array(image: Image.Image) -> np.ndarray:
    # Phone cameras store the sensor's orientation in EXIF instead of rotating the pixels.
    try:
        image = ImageOps.exif_transpose(image)
    except _DECODE_ERRORS:
        pass  # unreadable EXIF is only metadata: the pixels are fine, keep them as stored
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grayscale PNG. PIL's own conversion to 8 bits clips at 255 (almost everything
        # would turn white), so scale instead: 0..65535 → 0..255, i.e. value / 257.
        sixteen_bit = np.clip(np.asarray(image, dtype=np.float32), 0, 65535)
        gray = np.round(sixteen_bit / np.float32(257.0)).astype(np.uint8)
        opaque = np.full_like(gray, 255)
        return np.stack([gray, gray, gray, opaque], axis=-1)
    # convert() knows every other mode: CMYK (incl. Adobe's inverted CMYK JPEG) → RGB,
    # palette with a transparent colour → real alpha, gray / gray+alpha → RGBA.
    return np.array(image.convert("RGBA"), dtype=np.uint8)
