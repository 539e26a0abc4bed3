"""The data layer: toy 2-D data sets, features, CSV upload, and MNIST-style image data sets.

Everything here is pure NumPy (no Streamlit), seeded, and raises `DataError` (a ValueError)
with a readable message for bad input.
"""

from core.data.csv_upload import parse_csv
from core.data.download import (
    FASHION_MNIST_MD5,
    FASHION_MNIST_MIRRORS,
    IDX_FILES,
    MNIST_MD5,
    MNIST_MIRRORS,
    SOURCES,
    default_cache_dir,
    download_dataset,
    download_file,
    file_md5,
)
from core.data.errors import CSVError, DataError, DownloadError, IDXError
from core.data.features import FEATURE_LABELS, FEATURES, expand_features
from core.data.idx import encode_idx, read_idx, write_idx
from core.data.image_sets import ImageDataset, load_digits_8x8
from core.data.layer_sizes import parse_layer_sizes
from core.data.mnist import FASHION_MNIST_CLASS_NAMES, load_mnist
from core.data.two_d import DATASETS, Dataset2D, from_points, make_dataset

__all__ = [
    "CSVError",
    "DATASETS",
    "DataError",
    "Dataset2D",
    "DownloadError",
    "FASHION_MNIST_CLASS_NAMES",
    "FASHION_MNIST_MD5",
    "FASHION_MNIST_MIRRORS",
    "FEATURES",
    "FEATURE_LABELS",
    "IDXError",
    "IDX_FILES",
    "ImageDataset",
    "MNIST_MD5",
    "MNIST_MIRRORS",
    "SOURCES",
    "default_cache_dir",
    "download_dataset",
    "download_file",
    "encode_idx",
    "expand_features",
    "file_md5",
    "from_points",
    "load_digits_8x8",
    "load_mnist",
    "make_dataset",
    "parse_csv",
    "parse_layer_sizes",
    "read_idx",
    "write_idx",
]
