"""Where the tests find the repository and the real MNIST subset: defined here once.

`MNIST_5K_DIR` is the 5,000-image subset of the real MNIST training set that development machines
and CI keep beside the repository (`../shared/data/mnist-5k`, see its README). The project never
copies it in, so every test that needs it must skip, with a reason, where it is absent: use the
`requires_mnist_5k` marker or the `mnist_5k_dir` fixture of tests/conftest.py.
"""

from pathlib import Path

import pytest

# tests/paths.py -> tests/ -> the repository
REPO_ROOT = Path(__file__).resolve().parents[1]

MNIST_5K_DIR = REPO_ROOT.parent / "shared" / "data" / "mnist-5k"
MNIST_5K_IMAGES = MNIST_5K_DIR / "train-images-idx3-ubyte.gz"
MNIST_5K_LABELS = MNIST_5K_DIR / "train-labels-idx1-ubyte.gz"


def mnist_5k_available() -> bool:
    """True when both IDX files of the subset are there (a folder alone is not enough)."""
    return MNIST_5K_IMAGES.is_file() and MNIST_5K_LABELS.is_file()


MNIST_5K_MISSING = f"the real MNIST subset is not at {MNIST_5K_DIR} (../shared/data/mnist-5k beside the repo)"

# For a whole test or module: `@requires_mnist_5k` or `pytestmark = requires_mnist_5k`.
requires_mnist_5k = pytest.mark.skipif(not mnist_5k_available(), reason=MNIST_5K_MISSING)
