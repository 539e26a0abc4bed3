"""Fixtures and markers shared by every test folder.

Markers (registered in pyproject.toml, `--strict-markers` rejects any other):
- `browser`: drives headless Chromium. Every test under tests/e2e/ gets it here, by folder, so a new
  end-to-end test cannot slip into the quick loop by forgetting the mark.
- `slow`: takes more than a few seconds (real data trained to an accuracy target, the deployment
  stack with its freshly built virtual environment, the load test).

The quick loop is `python -m pytest -m "not slow and not browser"`; the full suite runs everything.
"""

from pathlib import Path

import pytest

from tests.paths import MNIST_5K_DIR, MNIST_5K_MISSING, mnist_5k_available

E2E_DIR = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config, items):
    """Mark every test collected from tests/e2e/ as `browser` (explicit marks there stay valid)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def mnist_5k_dir() -> Path:
    """The folder of the real 5,000-image MNIST subset; skips the test where it is absent."""
    if not mnist_5k_available():
        pytest.skip(MNIST_5K_MISSING)
    return MNIST_5K_DIR
