"""End-to-end: the Learn page in headless Chromium, one screenshot per tab in artifacts/.

Starts the real app (`streamlit run app.py`) on a free port, opens /learn, clicks through the tabs
and presses "Step again". The screenshots are for a human to look at; the assertions only check
that every tab rendered its formulas and metrics without an exception.
"""

import pytest

from tests.e2e.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

TABS = {  # tab -> a metric label (or text) that only that tab shows
    "Neuron": "Weighted sum z",
    "Forward": "p(true class)",
    "Backward": "Chain-rule product",
    "Update": "Loss after step",
    "Gradient check": "Numerical gradient",
    "Initialization": "Spread between neurons (zeros)",
    "Learning rate": "This path is",
    "Optimizers": "Adam's first step Δw",
    "Shapes": "log means ln: −log(0.5)",
}

pytestmark = browser_marks


@pytest.fixture
def server_url():
    with running_app("learn_browser_server.log") as (url, _):
        yield url


def _screenshot(page, name: str, width: int = 1400) -> None:
    """The whole page: Streamlit scrolls inside its main container, not the document, so
    full_page=True would stop at the viewport; grow the viewport to the content instead."""
    page.wait_for_timeout(300)  # let KaTeX and plotly finish laying out
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=15_000)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 1000), 8000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": width, "height": 1000})


def test_learn_page_screenshots(server_url):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # A deep link as the very first request of a fresh server: it must still run app.py
            # (page config, navigation). It would not if the pages folder were named pages/
            # (see app.py's docstring).
            page.goto(f"{server_url}/learn", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Learn: the numbers inside a network")).to_be_visible(
                timeout=30_000
            )
            # st.navigation's own menu (not a legacy folder listing) means app.py ran in full.
            expect(page.get_by_test_id("stSidebarNav").get_by_text("Learn", exact=True)).to_be_visible(
                timeout=30_000
            )
            for tab, marker in TABS.items():
                page.get_by_role("tab", name=tab, exact=True).click()
                panel = page.get_by_role("tabpanel").filter(has_text=marker)
                expect(panel.get_by_test_id("stMetricLabel").filter(has_text=marker).first).to_be_visible(
                    timeout=15_000
                )
                expect(panel.locator(".katex").first).to_be_visible(timeout=15_000)
                _screenshot(page, f"learn_{tab.lower().replace(' ', '_')}.png")

            # One optimizer step: the counter moves and the page still renders cleanly.
            page.get_by_role("tab", name="Update", exact=True).click()
            steps = page.get_by_test_id("stMetric").filter(has_text="Steps taken")
            expect(steps.get_by_test_id("stMetricValue")).to_have_text("0", timeout=15_000)
            page.get_by_role("button", name="Step again").click()
            expect(steps.get_by_test_id("stMetricValue")).to_have_text("1", timeout=15_000)
            _screenshot(page, "learn_update_after_step.png")
            assert page.get_by_test_id("stException").count() == 0
        finally:
            browser.close()


def test_learn_intuition_tabs_on_a_phone(server_url):
    """The three intuition tabs at 390 px: they render, name the regime, and show Adam's step."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 900})
            page.goto(f"{server_url}/learn", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Learn: the numbers inside a network")).to_be_visible(
                timeout=30_000
            )
            for tab in ("Learning rate", "Optimizers", "Shapes"):
                page.get_by_role("tab", name=tab, exact=True).click()
                marker = TABS[tab]
                panel = page.get_by_role("tabpanel").filter(has_text=marker)
                expect(panel.get_by_test_id("stMetricLabel").filter(has_text=marker).first).to_be_visible(
                    timeout=15_000
                )
                _screenshot(page, f"learn_{tab.lower().replace(' ', '_')}_390.png", width=390)
            page.get_by_role("tab", name="Learning rate", exact=True).click()
            regime = page.get_by_test_id("stMetric").filter(has_text="This path is")
            expect(regime.get_by_test_id("stMetricValue")).to_have_text("good", timeout=15_000)
            assert page.get_by_test_id("stException").count() == 0
        finally:
            browser.close()
