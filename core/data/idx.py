"""The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/).

Layout, all integers big-endian:
    bytes 0-1   0x00 0x00                  (magic)
    byte  2     type code, 0x08 = unsigned byte (the only type we accept)
    byte  3     number of dimensions d (1 for labels, 3 for images)
    4*d bytes   the size of each dimension, uint32
    the rest    prod(sizes) values, row-major (C order)
Files may be gzip-compressed (.gz), as they are distributed.
"""

from __future__ import annotations

import gzip
import io
import math
import os
import zlib
from pathlib import Path

import numpy as np

from core.data.errors import IDXError

UBYTE_TYPE_CODE = 0x08
TYPE_NAMES = {
    0x08: "unsigned byte",
    0x09: "signed byte",
    0x0B: "short (int16)",
    0x0C: "int (int32)",
    0x0D: "float (float32)",
    0x0E: "double (float64)",
}
MAX_DIMENSIONS = 4
MAX_BYTES = 256 * 1024 * 1024  # refuse to inflate anything larger than 256 MB (MNIST is 47 MB)
GZIP_MAGIC = b"\x1f\x8b"


def _gunzip(data: bytes, where: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise IDXError(f"{where}: not a valid gzip file ({err}).") from None
    if len(out) > MAX_BYTES:
        raise IDXError(f"{where}: uncompressed size exceeds the limit of {MAX_BYTES // 2**20} MB.")
    return out


def read_idx(source) -> np.ndarray:
    """Read an IDX array of unsigned bytes from a path (plain or .gz) or from the file's bytes.

    Returns a read-only uint8 array with the file's shape, e.g. (60000, 28, 28) for images.
    Raises IDXError naming the file and the problem (bad magic, wrong type, size mismatch ...).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, where = bytes(source), "IDX data"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        where = str(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise IDXError(f"{where}: cannot read the file ({err.strerror or err}).") from None
    else:
        raise IDXError(f"read_idx needs a path or bytes; got {type(source).__name__}.")
    if data[:2] == GZIP_MAGIC:
        data = _gunzip(data, where)
    return _parse(data, where)


def _parse(data: bytes, where: str) -> np.ndarray:
    if len(data) < 4:
        raise IDXError(f"{where}: only {len(data)} bytes; an IDX file starts with a 4-byte magic number.")
    if data[0] != 0 or data[1] != 0:
        raise IDXError(
            f"{where}: bad magic number 0x{data[:4].hex()}; an IDX file starts with bytes 00 00 "
            "(then the type code and the number of dimensions). Is this really an IDX file?"
        )
    type_code, ndim = data[2], data[3]
    if type_code != UBYTE_TYPE_CODE:
        kind = TYPE_NAMES.get(type_code, "unknown")
        raise IDXError(
            f"{where}: data type code 0x{type_code:02x} ({kind}) is not supported; "
            f"only 0x{UBYTE_TYPE_CODE:02x} (unsigned byte) is, as in MNIST."
        )
    if not 1 <= ndim <= MAX_DIMENSIONS:
        raise IDXError(f"{where}: {ndim} dimensions; expected 1 to {MAX_DIMENSIONS}.")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IDXError(f"{where}: truncated header: {len(data)} bytes, expected at least {header_size}.")
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    if 0 in shape:
        raise IDXError(f"{where}: dimension {shape.index(0) + 1} of {shape} has size 0.")
    expected = math.prod(shape)  # exact (Python ints never overflow)
    payload = len(data) - header_size
    if payload < expected:
        raise IDXError(
            f"{where}: truncated: the header promises {expected:,} bytes of data for shape "
            f"{shape}, but only {payload:,} are there."
        )
    if payload > expected:
        raise IDXError(
            f"{where}: {payload - expected:,} extra bytes after the {expected:,} bytes of data for "
            f"shape {shape}; the file is corrupt or not an IDX file."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape)


def encode_idx(array) -> bytes:
    """The IDX bytes (uncompressed) of a uint8 array with 1 to 4 dimensions."""
    array = np.asarray(array)
    if array.dtype != np.uint8:
        raise IDXError(f"only uint8 arrays can be written as IDX; got dtype {array.dtype}.")
    if not 1 <= array.ndim <= MAX_DIMENSIONS:
        raise IDXError(f"IDX arrays need 1 to {MAX_DIMENSIONS} dimensions; got {array.ndim}.")
    header = bytes([0, 0, UBYTE_TYPE_CODE, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array).tobytes()


def write_idx(path, array) -> Path:
    """Write a uint8 array as an IDX file; gzip-compressed if the path ends with .gz."""
    path = Path(path)
    data = encode_idx(array)
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: same array -> same bytes
    path.write_bytes(data)
    return path
