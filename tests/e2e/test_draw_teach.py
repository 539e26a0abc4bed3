"""End-to-end: teach the network a digit style on the Draw page, in headless Chromium.

A "1" with a long flag and a base (which the shipped model reads as another digit) is drawn with
the mouse 5 times, each a little different; each time the right label, 1, is chosen in
"Wrong? It is a …" and *Add as example* is pressed. *Teach the network* then trains a copy, and a
new drawing of the same style must read as 1. Screenshots go to artifacts/.
"""

import pytest

from tests.e2e.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks, running_app
from tests.e2e.test_draw import INK_JS, _screenshot, draw
from tests.paths import MNIST_5K_DIR

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks


def flagged_one(shift: int) -> list:
    return [
        [(80 + shift, 110 - shift), (150 + shift, 40), (150 + shift, 240)],
        [(90 - shift, 240 + shift // 2), (210 + shift, 240 + shift // 2)],
    ]


@pytest.fixture
def server_url():
    with running_app("draw_teach_browser_server.log") as (url, _):
        yield url


def draw_on_fresh_canvas(page, strokes) -> None:
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
    canvas = page.locator("canvas.upper-canvas")
    expect(canvas).to_have_count(1, timeout=30_000)
    expect(canvas).to_be_visible(timeout=30_000)
    drawn = page.locator("canvas.dc-canvas.lower-canvas")
    for _ in range(3):  # Fabric attaches its pen a moment after the canvas appears
        draw(page, canvas, strokes)
        page.wait_for_timeout(300)
        if drawn.evaluate(INK_JS) > 0:
            break
    assert drawn.evaluate(INK_JS) > 0, "the canvas never took the strokes"


@pytest.mark.skipif(not MNIST_5K_DIR.is_dir(), reason=f"no local MNIST images to mix in ({MNIST_5K_DIR})")
def test_teach_a_digit_and_see_it_read_right(server_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server_url}/draw", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Draw a digit")).to_be_visible(timeout=60_000)
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="Prediction")
            value = metric.locator('[data-testid="stMetricValue"]')

            draw_on_fresh_canvas(page, flagged_one(6))
            expect(value).to_have_count(1, timeout=30_000)
            expect(value).not_to_have_text("1", timeout=5_000)  # misread before teaching
            _screenshot(page, "draw_teach_before.png")

            for count, shift in enumerate((-12, -6, 0, 12, 18), 1):
                page.get_by_role("button", name="Clear", exact=True).click()
                expect(metric).to_have_count(0, timeout=30_000)
                draw_on_fresh_canvas(page, flagged_one(shift))
                expect(value).to_have_count(1, timeout=30_000)
                expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
                page.get_by_test_id("stSelectbox").filter(has_text="Wrong? It is a").click()
                page.get_by_role("option", name="1", exact=True).click()
                expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
                page.get_by_role("button", name="Add as example").click()
                teach = page.get_by_role("button", name=f"Teach the network ({count} example(s))")
                expect(teach).to_be_visible(timeout=30_000)

            teach.click()
            expect(page.get_by_text("now read right")).to_be_visible(timeout=60_000)
            page.get_by_role("button", name="Clear", exact=True).click()
            expect(metric).to_have_count(0, timeout=30_000)
            draw_on_fresh_canvas(page, flagged_one(6))
            try:
                expect(value).to_have_text("1", timeout=30_000)
                expect(page.get_by_text("taught your 5 example(s)")).to_be_visible()
            finally:
                _screenshot(page, "draw_teach_after.png")
            errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            expect(errors).to_have_count(0)
        finally:
            browser.close()
