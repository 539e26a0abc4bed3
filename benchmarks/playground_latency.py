"""How long a student waits on the Playground: the first view, a control change, a clicked point.

    python -m benchmarks.playground_latency [--repeat 5] [--url http://127.0.0.1:8501] [--json]

Starts `streamlit run app.py` on a free 127.0.0.1 port (unless --url is given), warms it up with
one visit, then measures in headless Chromium (Debian's /usr/bin/chromium), each `--repeat`
times, reporting the median and the worst:

- first view: from opening /playground in a new tab to the live canvas's first drawn frame
  (the page is usable: plane, curves, diagram and the controls are there);
- control change: picking another data set in the control bar, to the canvas showing the new
  data set (its scene changes);
- click to add: a click on the "Your points" plane, to the canvas drawing one point more.

The issue's targets (warm server): first view < 2 s, a control change < 0.5 s, a click-to-add
point < 0.3 s. Not part of the test suite; the numbers go in the README.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from benchmarks.playground_live import ARGS, CHROMIUM, REPO, free_port, wait_healthy

CANVAS = ".np-live"
PLANE = 'canvas[aria-label^="decision boundary"]'


def first_view(browser, base: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.perf_counter()
    page.goto(f"{base}/playground", wait_until="commit")
    page.wait_for_function(
        "() => window.__npLiveFrames > 0",  # the canvas (in a shadow root) counts its frames
        timeout=60_000,
        polling="raf",
    )
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def control_change(browser, base: str, names: tuple[str, str]) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/playground?ds=moons", wait_until="domcontentloaded")
    page.locator(CANVAS).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    before = page.locator(CANVAS).get_attribute("data-scene")
    box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="Data set")
    box.click()
    option = page.get_by_role("option", name=names[1], exact=True)
    option.wait_for()
    started = time.perf_counter()
    option.click()
    page.wait_for_function(
        f"() => window.__npLiveState && window.__npLiveState.scene !== '{before}'",
        timeout=30_000,
        polling="raf",
    )
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def click_to_add(browser, base: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/playground?ds=points", wait_until="domcontentloaded")
    page.locator(PLANE).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    before = int(page.locator(CANVAS).get_attribute("data-points"))
    box = page.locator(PLANE).bounding_box()
    scale = box["width"] / 398  # the plane: 360 logical px from (30, 6) of a 398 px canvas
    started = time.perf_counter()
    page.mouse.click(box["x"] + (30 + 300) * scale, box["y"] + (6 + 300) * scale)
    page.wait_for_function(
        f"() => window.__npLiveState && window.__npLiveState.points === {before + 1}",
        timeout=30_000,
        polling="raf",
    )
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def summary(values: list[float]) -> dict:
    return {"median_s": round(statistics.median(values), 3), "max_s": round(max(values), 3)}


def run(base: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            first_view(browser, base)  # warm-up: the server's caches and the browser's
            views = [first_view(browser, base) for _ in range(repeat)]
            changes = [control_change(browser, base, ("Moons", "Circles")) for _ in range(repeat)]
            clicks = [click_to_add(browser, base) for _ in range(repeat)]
        finally:
            browser.close()
    return {
        "first_view": summary(views),
        "control_change": summary(changes),
        "click_to_add": summary(clicks),
        "targets_s": {"first_view": 2.0, "control_change": 0.5, "click_to_add": 0.3},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an already running app")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    process = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_healthy(base, process)
        result = run(base, args.repeat)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name in ("first_view", "control_change", "click_to_add"):
            r = result[name]
            print(
                f"{name.replace('_', ' ')}: median {r['median_s']:.2f} s, worst {r['max_s']:.2f} s "
                f"(target < {result['targets_s'][name]} s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
