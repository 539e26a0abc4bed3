"""Tests for core/data/idx.py: the IDX reader refuses anything that is not exactly right."""

import gzip

import numpy as np
import pytest

from core.data import IDXError, encode_idx, read_idx, write_idx


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, (7, 28, 28), dtype=np.uint8)


def test_header_layout_is_big_endian():
    data = encode_idx(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8))
    assert data == bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("filename", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_round_trip_through_a_file(tmp_path, images, filename):
    path = write_idx(tmp_path / filename, images)
    assert path.read_bytes()[:2] == (b"\x1f\x8b" if filename.endswith(".gz") else b"\x00\x00")
    out = read_idx(path)
    assert out.dtype == np.uint8 and out.shape == (7, 28, 28)
    np.testing.assert_array_equal(out, images)
    np.testing.assert_array_equal(read_idx(str(path)), images)


def test_reads_plain_and_gzip_bytes(images):
    labels = np.arange(10, dtype=np.uint8)
    np.testing.assert_array_equal(read_idx(encode_idx(labels)), labels)
    np.testing.assert_array_equal(read_idx(gzip.compress(encode_idx(images))), images)


def test_bad_magic_is_refused(images):
    data = b"\x01\x02" + encode_idx(images)[2:]
    with pytest.raises(IDXError, match=r"bad magic number 0x01020803; an IDX file starts with bytes 00 00"):
        read_idx(data)
    with pytest.raises(IDXError, match=r"bad magic number 0x89504e47"):
        read_idx(b"\x89PNG\r\n\x1a\n" + bytes(100))


@pytest.mark.parametrize(
    "code, name",
    [
        (0x0D, "float"),
        (0x0C, "int"),
        (0x09, "signed byte"),
        (0x42, "unknown"),
    ],
)
def test_wrong_data_type_code_is_refused(images, code, name):
    data = bytearray(encode_idx(images))
    data[2] = code
    with pytest.raises(IDXError, match=rf"data type code 0x{code:02x} \({name}.*only 0x08 \(unsigned byte\)"):
        read_idx(bytes(data))


def test_truncated_payload_is_refused(images):
    data = encode_idx(images)[:-5]
    with pytest.raises(
        IDXError,
        match=r"truncated: the header promises 5,488 bytes of data for shape "
        r"\(7, 28, 28\), but only 5,483 are there",
    ):
        read_idx(data)


def test_truncated_header_and_tiny_files_are_refused(images):
    with pytest.raises(IDXError, match=r"truncated header: 10 bytes, expected at least 16"):
        read_idx(encode_idx(images)[:10])
    with pytest.raises(IDXError, match=r"only 3 bytes; an IDX file starts with a 4-byte magic number"):
        read_idx(b"\x00\x00\x08")


def test_extra_bytes_are_refused(images):
    with pytest.raises(IDXError, match=r"3 extra bytes after the 5,488 bytes of data for shape \(7, 28, "):
        read_idx(encode_idx(images) + b"abc")


def test_bad_dimension_counts_and_sizes_are_refused():
    with pytest.raises(IDXError, match=r"0 dimensions; expected 1 to 4"):
        read_idx(bytes([0, 0, 8, 0]))
    with pytest.raises(IDXError, match=r"dimension 2 of \(3, 0\) has size 0"):
        read_idx(bytes([0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 0]))


def test_broken_gzip_is_refused(tmp_path, images):
    packed = gzip.compress(encode_idx(images))
    path = tmp_path / "broken.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(IDXError, match=rf"{path}: not a valid gzip file"):
        read_idx(path)


def test_missing_file_and_wrong_argument_type_are_refused(tmp_path):
    with pytest.raises(IDXError, match=r"nothing-here: cannot read the file \(No such file or directory\)"):
        read_idx(tmp_path / "nothing-here")
    with pytest.raises(IDXError, match=r"read_idx needs a path or bytes; got int"):
        read_idx(3)


def test_errors_are_value_errors_and_name_the_file(tmp_path, images):
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(encode_idx(images) + b"\x00")
    with pytest.raises(ValueError, match=rf"^{path}: 1 extra bytes"):
        read_idx(path)


def test_write_idx_refuses_what_idx_cannot_hold(tmp_path):
    with pytest.raises(IDXError, match=r"only uint8 arrays can be written as IDX; got dtype float32"):
        write_idx(tmp_path / "a", np.zeros(3, dtype=np.float32))
    with pytest.raises(IDXError, match=r"IDX arrays need 1 to 4 dimensions; got 0"):
        write_idx(tmp_path / "a", np.uint8(3))
