"""Tests for core.vision.uploads: validated decoding of uploaded PNG/JPEG files."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from core.vision.uploads import MAX_UPLOAD_BYTES, ImageUploadError, load_image_upload


def encode(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def noise_rgb(height, width, seed=0):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def png_header_only(width, height):
    """A valid PNG signature + IHDR declaring width×height, then a tiny IDAT that could never
    hold that many pixels: decoding it would fail with 'truncated', so a size error proves
    the size was checked before any decoding."""

    def chunk(kind, payload):
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --- accepted files ----------------------------------------------------------------------------


def test_rgb_png_round_trips_exactly_with_opaque_alpha():
    image = noise_rgb(30, 40)
    pixels = load_image_upload(encode(image, "PNG"))
    assert pixels.shape == (30, 40, 4)
    assert pixels.dtype == np.uint8
    np.testing.assert_array_equal(pixels[..., :3], np.asarray(image))
    assert (pixels[..., 3] == 255).all()


def test_transparent_rgba_png_keeps_its_alpha():
    rgba = np.zeros((20, 20, 4), np.uint8)
    rgba[5:15, 8:12] = (255, 255, 255, 255)  # white stroke, the rest fully transparent
    pixels = load_image_upload(encode(Image.fromarray(rgba), "PNG"))
    np.testing.assert_array_equal(pixels, rgba)


def test_palette_png_with_transparent_index_becomes_rgba():
    image = Image.new("P", (6, 4), 0)
    image.putpalette([255, 255, 255, 200, 0, 0])
    image.putpixel((2, 1), 1)
    pixels = load_image_upload(encode(image, "PNG", transparency=0))
    assert pixels.shape == (4, 6, 4)
    np.testing.assert_array_equal(pixels[1, 2], [200, 0, 0, 255])
    np.testing.assert_array_equal(pixels[0, 0], [255, 255, 255, 0])  # transparent index
    assert (pixels[..., 3] == 0).sum() == 6 * 4 - 1


def test_sixteen_bit_grayscale_png_is_scaled_not_clipped():
    values = np.array([[0, 257, 32768, 65535]], dtype=np.uint16)
    data = encode(Image.fromarray(values), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I;16")
    pixels = load_image_upload(data)
    # 0..65535 → 0..255 (÷257); PIL's own conversion would turn 32768 and 65535 into 255 both.
    np.testing.assert_array_equal(pixels[0, :, 0], [0, 1, 128, 255])
    np.testing.assert_array_equal(pixels[..., 1], pixels[..., 0])
    np.testing.assert_array_equal(pixels[..., 3], 255)


def test_grayscale_and_bilevel_png_become_gray_rgba():
    gray = Image.fromarray(np.array([[0, 100, 255]], np.uint8))
    for image in (gray, gray.convert("1"), gray.convert("LA")):
        pixels = load_image_upload(encode(image, "PNG"))
        expected = np.asarray(image.convert("L"))
        np.testing.assert_array_equal(pixels[..., 0], expected)
        np.testing.assert_array_equal(pixels[..., 2], expected)
        np.testing.assert_array_equal(pixels[..., 3], 255)


def test_jpeg_is_decoded_close_to_the_original():
    image = Image.new("RGB", (32, 32), (250, 250, 250))
    image.paste((10, 10, 10), (8, 8, 24, 24))
    pixels = load_image_upload(encode(image, "JPEG", quality=95))
    assert pixels.shape == (32, 32, 4)
    assert np.abs(pixels[16, 16, :3].astype(int) - 10).max() <= 6
    assert np.abs(pixels[2, 2, :3].astype(int) - 250).max() <= 6
    assert (pixels[..., 3] == 255).all()


def test_cmyk_jpeg_is_converted_to_rgb():
    cmyk = Image.new("CMYK", (32, 32), (0, 0, 0, 0))  # no ink: white paper
    cmyk.paste((0, 0, 0, 255), (0, 0, 16, 32))  # black (K) on the left half
    cmyk.paste((255, 0, 0, 0), (16, 0, 32, 32))  # pure cyan on the right half
    data = encode(cmyk, "JPEG", quality=95)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    pixels = load_image_upload(data).astype(int)
    assert np.abs(pixels[16, 4, :3] - [0, 0, 0]).max() <= 8
    assert np.abs(pixels[16, 28, :3] - [0, 255, 255]).max() <= 8


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (40, 20), (255, 255, 255))  # landscape as stored by the camera
    image.paste((0, 0, 0), (0, 0, 10, 20))  # dark band on the stored left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    pixels = load_image_upload(encode(image, "JPEG", quality=95, exif=exif.tobytes()))
    assert pixels.shape == (40, 20, 4)  # displayed upright: portrait
    assert pixels[2, 10, 0] < 30  # the stored left edge is now at the top
    assert pixels[37, 10, 0] > 225


def test_animated_png_gives_its_first_frame():
    first = Image.new("RGBA", (8, 8), (255, 0, 0, 255))
    second = Image.new("RGBA", (8, 8), (0, 0, 255, 255))
    data = encode(first, "PNG", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).n_frames == 2
    pixels = load_image_upload(data)
    np.testing.assert_array_equal(pixels[0, 0], [255, 0, 0, 255])


def test_phone_multi_picture_jpeg_is_accepted():
    first = Image.new("RGB", (8, 8), (0, 0, 0))
    data = encode(first, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8), "white")])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert load_image_upload(data)[..., :3].max() < 10


def test_bytearray_and_memoryview_are_accepted():
    data = encode(noise_rgb(5, 5), "PNG")
    expected = load_image_upload(data)
    np.testing.assert_array_equal(load_image_upload(bytearray(data)), expected)
    np.testing.assert_array_equal(load_image_upload(memoryview(data)), expected)


def test_image_at_exactly_the_limits_is_accepted():
    data = encode(noise_rgb(50, 40), "PNG")
    pixels = load_image_upload(data, max_bytes=len(data), max_pixels=50 * 40)
    assert pixels.shape == (50, 40, 4)


# --- refused files -----------------------------------------------------------------------------


def test_empty_upload_is_refused():
    with pytest.raises(ImageUploadError, match=r"empty \(0 bytes\)"):
        load_image_upload(b"")


def test_random_bytes_are_refused():
    data = np.random.default_rng(0).bytes(2000)
    with pytest.raises(ImageUploadError, match=r"not a recognisable image; expected a PNG or JPEG"):
        load_image_upload(data)


def test_text_file_is_refused_and_its_first_bytes_are_shown():
    with pytest.raises(ImageUploadError, match=r"not a recognisable image.*b'hello, w'"):
        load_image_upload(b"hello, world: not a picture")


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_formats_are_refused_by_name(image_format):
    data = encode(Image.new("RGB", (8, 8), "white"), image_format)
    with pytest.raises(
        ImageUploadError,
        match=rf"unsupported image format {image_format}; only PNG and JPEG are accepted",
    ):
        load_image_upload(data)


def test_animated_gif_is_refused_as_unsupported():
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(data)).n_frames == 3
    with pytest.raises(ImageUploadError, match=r"unsupported image format GIF"):
        load_image_upload(data)


def test_too_many_bytes_is_refused_before_parsing():
    data = b"\x00" * (MAX_UPLOAD_BYTES + 1)  # not even an image: the size check comes first
    with pytest.raises(
        ImageUploadError, match=r"too large: 5,000,001 bytes; the limit is 5,000,000 bytes \(5 MB\)"
    ):
        load_image_upload(data)


def test_custom_byte_limit():
    data = encode(noise_rgb(20, 20), "PNG")
    with pytest.raises(ImageUploadError, match=rf"{len(data):,} bytes; the limit is 100 bytes"):
        load_image_upload(data, max_bytes=100)


def test_too_many_pixels_is_refused_from_the_header_alone():
    data = png_header_only(3000, 3000)  # 9 MP: over our 4 MP limit, under PIL's bomb limits
    with pytest.raises(
        ImageUploadError,
        match=r"too large: 3000×3000 = 9,000,000 pixels; the limit is 4,000,000 pixels",
    ):
        load_image_upload(data)


def test_custom_pixel_limit_on_a_real_image():
    data = encode(noise_rgb(100, 60), "PNG")
    with pytest.raises(ImageUploadError, match=r"60×100 = 6,000 pixels; the limit is 5,000"):
        load_image_upload(data, max_pixels=5000)


@pytest.mark.parametrize(
    "side, pixels_stated",
    [
        (10_000, "100000000"),  # over PIL's warning threshold (≈ 89 MP): warning → our error
        (20_000, "400000000"),  # over PIL's hard limit (≈ 179 MP): DecompressionBombError
    ],
)
def test_decompression_bombs_become_a_clear_error(side, pixels_stated):
    with pytest.raises(
        ImageUploadError,
        match=rf"too large .*{pixels_stated} pixels.*the limit is 4,000,000 pixels",
    ):
        load_image_upload(png_header_only(side, side))


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_truncated_files_are_refused(image_format):
    data = encode(noise_rgb(120, 120), image_format)
    with pytest.raises(ImageUploadError, match=rf"{image_format} file is truncated or corrupt"):
        load_image_upload(data[: len(data) // 2])


def test_file_cut_inside_its_header_is_refused():
    data = encode(noise_rgb(10, 10), "PNG")
    with pytest.raises(ImageUploadError, match=r"damaged|not a recognisable image"):
        load_image_upload(data[:20])


def test_corrupted_png_data_is_refused():
    data = bytearray(encode(noise_rgb(60, 60), "PNG"))
    data[100:140] = bytes(40)  # overwrite compressed pixel data: the chunk checksum fails
    with pytest.raises(ImageUploadError, match=r"truncated or corrupt|damaged"):
        load_image_upload(bytes(data))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_bytes": 0}, r"max_bytes must be a positive integer; got 0"),
        ({"max_pixels": -5}, r"max_pixels must be a positive integer; got -5"),
        ({"max_pixels": 2.5}, r"max_pixels must be a positive integer; got 2.5"),
    ],
)
def test_bad_limits_are_refused(kwargs, message):
    with pytest.raises(ImageUploadError, match=message):
        load_image_upload(encode(noise_rgb(4, 4), "PNG"), **kwargs)


def test_non_bytes_upload_is_refused():
    with pytest.raises(ImageUploadError, match=r"must be bytes; got str"):
        load_image_upload("picture.png")


def test_upload_error_is_a_value_error():
    assert issubclass(ImageUploadError, ValueError)
