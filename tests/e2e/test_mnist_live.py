"""End-to-end: live training on the MNIST page in headless Chromium against `streamlit run app.py`.

Behaviour only: the epoch counter (the progress bar's text) advances while training plays, stops
after Pause and moves again after Resume. The latencies (click to the counter's last change after
Pause, click to its first change after Resume) and the browser's long tasks while training
(PerformanceObserver 'longtask') are printed (run with -s) for the README; speed is not asserted,
the shared 2-core machine is too noisy for that.

The data are the real 5,000-image MNIST subset beside the checkout when it is there, else the
bundled 8x8 digits; 100 epochs of a 1024,1024 network with augmentation, so training outlasts the test.
"""

import pytest

from tests.e2e.browser_support import browser_marks, running_app
from tests.paths import mnist_5k_available

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks

# Records every change of the first progress bar's text with its time, every click on a button
# with its label and time, and every long task of the main thread.
RECORDER = """() => {
  const log = window.__npLog = { changes: [], clicks: [], longtasks: [] };
  let last = null;
  const read = () => {
    const bar = document.querySelector('[data-testid="stProgress"]');
    const text = bar ? bar.innerText : null;
    if (text !== last) { last = text; log.changes.push([performance.now(), text]); }
  };
  setInterval(read, 10);
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (button) log.clicks.push([performance.now(), button.innerText]);
  }, true);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) log.longtasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
}"""


@pytest.fixture(scope="module")
def server():
    with running_app("mnist_browser_server.log") as (url, process):
        yield url


def open_mnist(browser, base):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/mnist", wait_until="domcontentloaded")
    expect(page.get_by_text("Where the images come from")).to_be_visible(timeout=30_000)
    return page


def load_data(page) -> None:
    if mnist_5k_available():
        page.get_by_text("Local folder", exact=True).click()
        page.get_by_role("button", name="Load folder").click()
        expect(page.get_by_text("only training files were found")).to_be_visible(timeout=30_000)
    else:
        page.get_by_text("8×8 digits", exact=False).first.click()
        page.get_by_role("button", name="Load the 8×8 digits").click()
        expect(page.get_by_text("1,797 images")).to_be_visible(timeout=30_000)
    # A wide network on freshly distorted images: 100 epochs outlast the test however fast the
    # machine (a 128-wide one finished them in 8 s, and Pause was disabled before the test's last click).
    hidden = page.get_by_role("textbox", name="Hidden layers")
    hidden.fill("1024,1024")
    hidden.press("Enter")
    page.get_by_text("Augmentation", exact=True).click()
    epochs = page.get_by_label("Epochs")
    epochs.fill("100")
    epochs.press("Enter")
    page.wait_for_timeout(800)


def changes_between(page, start: float, end: float) -> list[float]:
    return [t for t, _ in page.evaluate("window.__npLog.changes") if start < t <= end]


def now(page) -> float:
    return page.evaluate("performance.now()")


def click_time(page, label: str) -> float:
    return [t for t, text in page.evaluate("window.__npLog.clicks") if label in text][-1]


def test_pause_stops_the_counter_and_resume_starts_it(browser, server):
    page = open_mnist(browser, server)
    load_data(page)
    page.evaluate(RECORDER)
    page.get_by_role("button", name="▶ Train").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_enabled(timeout=15_000)
    page.wait_for_timeout(1500)  # the first slices build the network
    started = now(page)
    page.wait_for_timeout(5000)
    playing_changes = changes_between(page, started, now(page))
    long_while_playing = [d for t, d in page.evaluate("window.__npLog.longtasks") if t > started]
    assert len(playing_changes) >= 3, "the counter advances while training plays"

    page.get_by_role("button", name="⏸ Pause").click()
    pause_click = click_time(page, "Pause")
    page.wait_for_timeout(2500)
    after_pause = changes_between(page, pause_click, now(page))
    settled = now(page)
    page.wait_for_timeout(1500)
    assert changes_between(page, settled, now(page)) == [], "the counter stays still after Pause"
    pause_latency = (after_pause[-1] - pause_click) if after_pause else 0.0

    page.get_by_role("button", name="▶ Resume").click()
    resume_click = click_time(page, "Resume")
    page.wait_for_timeout(3000)
    after_resume = changes_between(page, resume_click, now(page))
    assert after_resume, "the counter moves again after Resume"
    resume_latency = after_resume[0] - resume_click
    page.get_by_role("button", name="⏸ Pause").click()

    gaps = sorted(b - a for a, b in zip(playing_changes, playing_changes[1:]))
    print(
        f"\nMNIST live: {len(playing_changes) / 5:.1f} counter updates/s while playing "
        f"(median gap {gaps[len(gaps) // 2]:.0f} ms); Pause -> last change {pause_latency:.0f} ms "
        f"({len(after_pause)} change(s) after the click); Resume -> first change {resume_latency:.0f} ms; "
        f"long tasks while playing: {len(long_while_playing)}, longest "
        f"{max(long_while_playing, default=0):.0f} ms, over 200 ms: "
        f"{sum(d > 200 for d in long_while_playing)}"
    )
    page.close()
