"""Fixtures shared by the end-to-end tests."""

import pytest

from tests.e2e.browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser():
    """Debian's headless Chromium, driven by Playwright; closed after the test."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
