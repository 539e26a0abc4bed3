"""End-to-end: the MNIST page's training health and run history in headless Chromium.

On the bundled 8x8 digits (always there, offline): a wide network trains with "Show training
health" on, which shows its light picture while playing and the Plotly charts once paused (the
browser's long tasks while playing are printed, run with -s); then two short runs (16 and 32
hidden units), each with its robustness measured (the Robustness tab stays open from one run to
the next), and the Runs tab shows both, their curves and robustness overlaid. Screenshots go to
artifacts/ at 1400 and 390 px wide.
"""

import pytest

from tests.e2e.browser_support import LONG_TASKS, browser_marks, running_app, whole_page_screenshot

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks


@pytest.fixture(scope="module")
def server():
    with running_app("mnist_runs_health_browser_server.log") as (url, _):
        yield url


def open_digits(browser, base, width):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(base + "/mnist", wait_until="domcontentloaded")
    expect(page.get_by_text("Where the images come from")).to_be_visible(timeout=30_000)
    page.get_by_text("8×8 digits", exact=False).first.click()
    page.get_by_role("button", name="Load the 8×8 digits").click()
    expect(page.get_by_text("1,797 images")).to_be_visible(timeout=30_000)
    return page


def settings(page, hidden: str, epochs: int) -> None:
    box = page.get_by_role("textbox", name="Hidden layers")
    box.fill(hidden)
    box.press("Enter")
    field = page.get_by_label("Epochs")
    field.fill(str(epochs))
    field.press("Enter")
    page.wait_for_timeout(800)


def train_to_the_end(page) -> None:
    page.get_by_role("button", name="▶ Train").click()
    expect(page.get_by_text("Training finished", exact=False)).to_be_visible(timeout=120_000)
    expect(page.get_by_text("4. Results on the test images")).to_be_visible(timeout=60_000)


def test_health_live_then_paused(browser, server):
    page = open_digits(browser, server, 1400)
    settings(page, "512,512", 100)
    page.get_by_role("button", name="▶ Train").click()
    page.get_by_text("Show training health", exact=True).click(timeout=30_000)  # in the live part
    page.evaluate(LONG_TASKS)
    expect(page.get_by_text("Pause for the interactive charts", exact=False)).to_be_visible(timeout=30_000)
    page.wait_for_timeout(4000)
    long_tasks = page.evaluate("window.__longtasks")
    longest = max(long_tasks, default=0)
    print(f"MNIST health on, playing 4 s: {len(long_tasks)} long tasks, longest {longest:.0f} ms")
    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_text("Gradient norm per layer").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Dead / saturated units").first).to_be_attached()
    whole_page_screenshot(page, "mnist_health_1400.png", 1400)


@pytest.mark.parametrize("width", [1400, 390])
def test_two_runs_in_the_runs_tab(browser, server, width):
    page = open_digits(browser, server, width)
    settings(page, "16", 3)
    train_to_the_end(page)
    page.get_by_role("tab", name="Robustness").click()
    expect(page.get_by_text("Robustness probe", exact=False).first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="↺ Start over").click()
    page.wait_for_timeout(800)
    settings(page, "32", 3)
    train_to_the_end(page)
    page.get_by_role("tab", name="Runs").click()
    expect(page.get_by_text("Highlighted, the settings that differ: hidden layers.")).to_be_visible(
        timeout=30_000
    )
    # The Robustness tab stays the open one, so run 2 measured its robustness too.
    expect(page.get_by_text("Robustness measured for 2 of the 2 runs shown", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="↩ Run 1")).to_be_visible()
    whole_page_screenshot(page, f"mnist_runs_{width}.png", width)
