"""End-to-end: upload photos of handwriting on the Draw page in headless Chromium.

A held-out MNIST digit rendered by core.vision.synthetic_photos under the hardest condition
(lighting gradient, corner shadow, ruled lines, desk border, vignette, rotation, JPEG) is uploaded
through the page's file uploader; the "Prediction" metric must show the digit. Then a photo of an
empty ruled sheet: the page must say plainly that no digit was found, and show what the
preprocessing saw. Screenshots go to artifacts/.
"""

import numpy as np
import pytest
from PIL import Image

from core.data.mnist import load_mnist
from core.vision.synthetic_photos import HARDEST, render_empty_sheet, render_photo
from tests.e2e.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks, running_app
from tests.paths import MNIST_5K_DIR, requires_mnist_5k

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [*browser_marks, requires_mnist_5k]
SEED = 7


@pytest.fixture
def server_url():
    with running_app("photo_upload_browser_server.log") as (url, _):
        yield url


def photo_files(folder):
    """(digit photo path, its label, empty sheet photo path), as JPEGs a phone would send."""
    dataset = load_mnist(data_dir=MNIST_5K_DIR, download=False, test_ratio=0.2, seed=0)
    index = int(np.flatnonzero(dataset.y_test == 3)[0])
    digit_path, empty_path = folder / "digit_photo.jpg", folder / "empty_sheet.jpg"
    Image.fromarray(render_photo(dataset.X_test[index], HARDEST, SEED)).save(digit_path, quality=85)
    Image.fromarray(render_empty_sheet(HARDEST, SEED)).save(empty_path, quality=85)
    return digit_path, int(dataset.y_test[index]), empty_path


def test_an_uploaded_photo_is_read_and_an_empty_sheet_says_so(server_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    digit_path, label, empty_path = photo_files(tmp_path)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server_url}/draw", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Draw a digit")).to_be_visible(timeout=60_000)
            page.get_by_text("Upload a picture", exact=True).click()
            # The picture's uploader, not the model-file one in the "Load a model file" expander.
            picture = page.get_by_test_id("stFileUploader").filter(has_text="PNG or JPEG")
            uploader = picture.locator('input[type="file"]')
            expect(uploader).to_have_count(1, timeout=30_000)

            uploader.set_input_files(str(digit_path))
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="Prediction")
            try:
                expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(
                    str(label), timeout=30_000
                )
            finally:
                page.screenshot(path=str(ARTIFACTS / "photo_upload_digit.png"))
            expect(page.get_by_text("confident")).to_be_visible()

            uploader.set_input_files(str(empty_path))
            try:
                expect(page.get_by_text("No digit found:")).to_be_visible(timeout=30_000)
                # the uploaded picture and what the preprocessing saw, both shown
                expect(page.locator('[data-testid="stImage"] img')).to_have_count(2, timeout=30_000)
                expect(page.locator('[data-testid="stImage"] img').nth(1)).to_be_visible()
            finally:
                page.screenshot(path=str(ARTIFACTS / "photo_upload_empty.png"))
            expect(metric).to_have_count(0)
            expect(page.get_by_text("What the preprocessing saw")).to_be_visible()
            errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            expect(errors).to_have_count(0)
        finally:
            browser.close()
