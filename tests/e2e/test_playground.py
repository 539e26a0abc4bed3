"""End-to-end: the Playground in headless Chromium against `streamlit run app.py`.

Press Play on moons, check that the epoch counter advances and the shown test loss falls, and
measure the live update rate: visual updates per second (changes of the epoch counter, seen by
a MutationObserver), epochs per second, and the server's CPU time per update. The numbers are
printed (run with -s) for the README. Screenshots go to artifacts/ for a human to look at.
"""

import os
import re
import time
from pathlib import Path

import pytest

from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

MEASURE_SECONDS = 10.0

pytestmark = browser_marks


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def server():
    with running_app("playground_browser_server.log") as (url, process):
        yield url, process


def open_playground(browser, base, query="", viewport=(1400, 1000)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    # Start from the app's root and its navigation menu, as a student would.
    page.goto(base + "/", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Playground", exact=True)).to_be_visible(
        timeout=30_000
    )
    page.goto(f"{base}/playground{query}", wait_until="domcontentloaded")
    expect(metric_value(page, "Epoch")).to_have_text("0", timeout=30_000)
    return page


def metric_value(page, label):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text))


def screenshot(page, name: str, width: int) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 800), 6000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / name))


def test_play_moons_live(server, browser):
    base, process = server
    page = open_playground(browser, base, "?ds=moons&epu=30&showtest=1")
    page.wait_for_timeout(1000)
    screenshot(page, "playground_start.png", 1400)
    page.set_viewport_size({"width": 1400, "height": 1000})
    initial_loss = number(metric_value(page, "Test loss").inner_text())

    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=15_000)
    page.wait_for_function(
        "() => { const v = [...document.querySelectorAll("
        "'[data-testid=stMetricValue]')][0]; return v && v.innerText !== '0'; }",
        timeout=15_000,
    )
    page.wait_for_timeout(1500)  # settle into the steady state
    page.evaluate("""() => {
        window.__updates = 0;
        const value = () => document.querySelector('[data-testid=stMetricValue]');
        let last = value() && value().innerText;
        window.__observer = new MutationObserver(() => {
            const now = value() && value().innerText;
            if (now !== last) { last = now; window.__updates += 1; }
        });
        window.__observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    heap_start = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    epoch_start = number(metric_value(page, "Epoch").inner_text())
    cpu_start, started = cpu_seconds(process.pid), time.monotonic()
    page.wait_for_timeout(MEASURE_SECONDS * 1000)
    elapsed = time.monotonic() - started
    cpu_used = cpu_seconds(process.pid) - cpu_start
    updates = page.evaluate("window.__updates")
    canvas = page.locator(".np-live")
    frames_seen = int(canvas.get_attribute("data-frames"))
    canvas_epoch = int(canvas.get_attribute("data-epoch"))
    epoch_end = number(metric_value(page, "Epoch").inner_text())
    heap_end = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    final_loss = number(metric_value(page, "Test loss").inner_text())
    shown_rate = metric_value(page, "Updates").inner_text()
    screenshot(page, "playground_playing.png", 1400)

    updates_per_s = updates / elapsed
    epochs_per_s = (epoch_end - epoch_start) / elapsed
    print(
        f"\nPlayground live (2-8-8-1 tanh, moons 500 points, 30 epochs/update): "
        f"{updates_per_s:.1f} visual updates/s, {epochs_per_s:.0f} epochs/s, server CPU "
        f"{1000 * cpu_used / max(updates, 1):.0f} ms per update ({cpu_used / elapsed:.0%} of a "
        f"core), page shows {shown_rate} updates/s, JS heap {heap_start / 1e6:.1f} -> "
        f"{heap_end / 1e6:.1f} MB, test loss {initial_loss:.3f} -> {final_loss:.3f}"
    )
    assert epoch_end > epoch_start > 0
    assert final_loss < initial_loss * 0.6  # moons: the shown test loss falls
    # Behaviour, not speed (benchmarks/playground_live.py measures that): the canvas draws
    # several frames per server update, and the epoch it shows advances with the counter's.
    assert frames_seen > updates > 0
    assert epoch_start < canvas_epoch <= epoch_end

    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=15_000)
    paused_at = metric_value(page, "Epoch").inner_text()
    page.wait_for_timeout(1200)
    assert metric_value(page, "Epoch").inner_text() == paused_at  # the timer stopped
    canvas = page.locator(".np-live")
    expect(canvas).to_have_attribute("data-playing", "false", timeout=15_000)  # the paused view
    drawn = int(canvas.get_attribute("data-frames"))
    page.wait_for_timeout(1000)
    assert int(canvas.get_attribute("data-frames")) == drawn  # no frame arrives while paused
    page.wait_for_timeout(800)
    screenshot(page, "playground_paused.png", 1400)


def test_phone_width(server, browser):
    base, _ = server
    page = open_playground(
        browser, base, "?ds=spiral&layers=8,8&act=relu,relu&opt=adam&lr=0.01", viewport=(390, 844)
    )
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(3000)
    assert number(metric_value(page, "Epoch").inner_text()) > 0
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 392, overflow  # nothing wider than the phone
    page.screenshot(path=str(ARTIFACTS / "playground_phone_390x844.png"))
    screenshot(page, "playground_phone_full.png", 390)
    page.get_by_role("button", name="⏸ Pause").click()
