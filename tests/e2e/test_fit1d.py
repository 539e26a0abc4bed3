"""End-to-end: the Playground's "📈 1-D fit" tab in headless Chromium.

Opens the real app with one ReLU hidden layer of 8 units, presses the tab's Play and waits for
the live fragment to raise R² on sin(2x); then switches to "your points", clicks the plot (the
invisible click grid turns each click into a point) and fits those. Screenshots go to artifacts/.
"""

import re

import pytest

from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks
QUERY = "?layers=8&act=relu&opt=adam&lr=0.03"


@pytest.fixture(scope="module")
def server():
    with running_app("fit1d_browser_server.log") as (url, _):
        yield url


def readout(page, label):
    """The tab's own metric (the Playground's "Epoch" above the tabs comes first)."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").last


def number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text.replace("−", "-")))


def screenshot(page, name: str) -> None:
    page.wait_for_timeout(400)  # let Plotly finish laying out
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 40, 1000), 4000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_play_raises_r2_and_clicks_add_points(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Playground", exact=True)).to_be_visible(
        timeout=30_000
    )
    page.goto(f"{server}/playground{QUERY}", wait_until="domcontentloaded")
    page.get_by_role("tab", name="📈 1-D fit").click(timeout=60_000)
    expect(readout(page, "R²")).to_be_visible(timeout=30_000)
    start = number(readout(page, "R²").inner_text())
    screenshot(page, "fit1d_start.png")

    page.get_by_role("button", name="▶ Play").last.click()
    deadline_ms = 60_000
    waited = 0
    while number(readout(page, "R²").inner_text()) < 0.9 and waited < deadline_ms:
        page.wait_for_timeout(500)
        waited += 500
    r2 = number(readout(page, "R²").inner_text())
    page.get_by_role("button", name="⏸ Pause").last.click()
    screenshot(page, "fit1d_trained.png")
    assert start < 0.5 and r2 >= 0.9, (start, r2)
    assert number(readout(page, "Epoch").inner_text()) > 0

    # Your points: three clicks on the plot add three points, then Step fits them.
    expect(page.get_by_role("button", name="▶ Play").last).to_be_enabled(timeout=30_000)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(1000)  # the paused page's full run has settled
    page.get_by_test_id("stSelectbox").filter(has_text="f(x)").click()
    page.keyboard.type("your points")  # the selectbox filters its options as one types
    page.keyboard.press("Enter")
    expect(page.get_by_text("0 so far")).to_be_visible(timeout=30_000)
    plot = page.locator(".js-plotly-plot").last
    for k, (fx, fy) in enumerate(((0.2, 0.2), (0.5, 0.45), (0.8, 0.3))):
        drag = page.locator(".js-plotly-plot .nsewdrag").first  # the top plot's mouse layer
        drag.scroll_into_view_if_needed()
        box = drag.bounding_box()
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        expect(page.get_by_text(f"{k + 1} so far")).to_be_visible(timeout=30_000)
        plot = page.locator(".js-plotly-plot").last
    expect(plot).to_be_visible()
    page.get_by_role("button", name="⏭ Step").last.click()
    expect(readout(page, "Epoch")).to_have_text("1", timeout=30_000)
    screenshot(page, "fit1d_points.png")
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    expect(errors).to_have_count(0)
    page.close()
