"""End-to-end: the Playground's "📚 Runs" tab in headless Chromium.

Two runs (Step x3, Reset, a new learning rate, Step x2), then the tab: both runs in the table,
the learning rate highlighted as the difference, their curves overlaid; "↩ Run 1" puts the first
learning rate back in the sidebar. Screenshots go to artifacts/ at 1400 and 390 px wide.
"""

import pytest

from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app, whole_page_screenshot

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks
QUERY = "?bs=250&lr=0.03"


@pytest.fixture(scope="module")
def server():
    with running_app("run_history_browser_server.log") as (url, _):
        yield url


def settled(page) -> None:
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(500)


def click(page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    settled(page)


@pytest.mark.parametrize("width", [1400, 390])
def test_two_runs_side_by_side_and_restore(browser, server, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(server + "/", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Playground", exact=True)).to_be_attached(
        timeout=30_000
    )
    page.goto(f"{server}/playground{QUERY}", wait_until="domcontentloaded")
    page.get_by_role("tab", name="📚 Runs").click(timeout=60_000)
    expect(page.get_by_text("No runs yet", exact=False)).to_be_visible(timeout=30_000)
    for _ in range(3):
        click(page, "⏭ Step")
    click(page, "↺ Reset")
    # A second run at the next learning rate: the toolbar's slider, moved with the keyboard.
    page.get_by_test_id("stMain").get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")
    settled(page)
    for _ in range(2):
        click(page, "⏭ Step")
    expect(page.get_by_text("Highlighted, the settings that differ", exact=False)).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("Run 1 train").first).to_be_attached()
    whole_page_screenshot(page, f"runs_{width}.png", width)
    click(page, "↩ Run 1")
    thumb = page.get_by_test_id("stMain").get_by_test_id("stSliderThumbValue").first
    expect(thumb).to_have_text("0.03", timeout=30_000)  # Run 1's learning rate is back
    expect(page.get_by_role("button", name="↩ Run 2")).to_be_attached()  # the second run was kept
