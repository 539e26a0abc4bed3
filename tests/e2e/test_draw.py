"""End-to-end: draw digits with the mouse on the Draw page in headless Chromium.

Starts the real app (`streamlit run app.py`) on a free port, opens /draw, and drags the mouse over
the drawing canvas (Fabric.js listens on `canvas.upper-canvas`; `steps=` makes every move a series
of mousemove events, i.e. a real drag) to write a 1, a 0 and a 7, pressing Clear in between.
After each digit it waits for the "Prediction" metric to show that digit, and saves a screenshot
in artifacts/ for a person to look at.
"""

import math

import pytest

from tests.e2e.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CANVAS_SIDE = 280

pytestmark = browser_marks


@pytest.fixture
def server_url():
    with running_app("draw_browser_server.log") as (url, _):
        yield url


def _screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main container, not the document, so
    full_page=True would stop at the viewport; grow the viewport to the content instead."""
    page.wait_for_timeout(300)  # let Plotly finish laying out
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=15_000)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 40, 1000), 4000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.wait_for_timeout(200)


# Strokes in canvas pixels (0..280); each stroke is one press-drag-release.
ONE = [[(140, 45), (140, 235)]]
ZERO = [
    [
        (140 + 58 * math.sin(2 * math.pi * k / 40), 140 - 92 * math.cos(2 * math.pi * k / 40))
        for k in range(42)
    ]
]  # a little past a full turn, so the ring closes
SEVEN = [[(75, 60), (205, 60), (125, 235)]]


INK_JS = """c => {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) ink += data[i];  // red channel: white strokes
    return ink;
}"""


def draw(page, canvas, strokes) -> None:
    box = canvas.bounding_box()
    scale = box["width"] / CANVAS_SIDE
    for stroke in strokes:
        x0, y0 = stroke[0]
        page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=15)
        page.mouse.up()


def test_drawn_digits_are_recognized(server_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # Start from the home page and its navigation menu, as a student would.
            page.goto(server_url, wait_until="domcontentloaded")
            nav = page.get_by_test_id("stSidebarNav")
            expect(nav.get_by_text("Draw", exact=True)).to_be_visible(timeout=60_000)
            page.goto(f"{server_url}/draw", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Draw a digit")).to_be_visible(timeout=30_000)
            expect(nav.get_by_text("Draw", exact=True)).to_be_visible(timeout=30_000)
            prompt = page.get_by_text("Draw a digit: the network's guess appears here.")
            expect(prompt).to_be_visible(timeout=60_000)
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="Prediction")
            expect(metric).to_have_count(0)  # an empty canvas is never a guess
            _screenshot(page, "draw_empty.png")

            for index, (digit, strokes) in enumerate((("1", ONE), ("0", ZERO), ("7", SEVEN))):
                if index:
                    page.get_by_role("button", name="Clear").click()
                    expect(prompt).to_be_visible(timeout=30_000)
                    expect(metric).to_have_count(0)
                expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
                canvas = page.locator("canvas.upper-canvas")
                expect(canvas).to_have_count(1, timeout=30_000)  # the new canvas, not the old
                expect(canvas).to_be_visible(timeout=30_000)
                drawn = page.locator("canvas.dc-canvas.lower-canvas")
                assert drawn.evaluate(INK_JS) == 0
                for _ in range(3):
                    draw(page, canvas, strokes)
                    # Fabric attaches its pen a moment after the canvas appears; strokes made
                    # before that leave no ink and are drawn again (the digit itself is unchanged).
                    page.wait_for_timeout(300)
                    if drawn.evaluate(INK_JS) > 0:
                        break
                assert drawn.evaluate(INK_JS) > 0, "the canvas never took the strokes"
                value = metric.locator('[data-testid="stMetricValue"]')
                try:
                    expect(value).to_have_text(digit, timeout=30_000)
                finally:  # the screenshot is wanted most when the assertion fails
                    _screenshot(page, f"draw_{digit}.png")
                expect(page.get_by_text("confident")).to_be_visible()
            errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            expect(errors).to_have_count(0)
        finally:
            browser.close()
