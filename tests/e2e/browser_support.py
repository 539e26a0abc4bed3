"""Shared pieces of the end-to-end tests: start the real app, find Chromium, where to save.

Chromium is Debian's (`/usr/bin/chromium`), driven by Playwright for Python; never
`playwright install` (it cannot download here)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.paths import REPO_ROOT as REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "artifacts"  # screenshots and server logs, git-ignored

# Applied with `pytestmark = browser_marks` in each end-to-end test module (tests/conftest.py also
# marks everything under tests/e2e as `browser`; the explicit mark keeps each file self-describing).
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Debian's Chromium at {CHROMIUM}"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy on port {port} in {timeout} s")


@contextlib.contextmanager
def running_app(log_name: str):
    """`streamlit run app.py` on a free port; yields (base URL, process); always stopped after.

    No file watcher: a change in the tree must not rerun the app in the middle of a test."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / log_name, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(port, process)
            yield f"http://127.0.0.1:{port}", process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def whole_page_screenshot(page, name: str, width: int, settle_ms: int = 800) -> None:
    """A screenshot of the whole page into ARTIFACTS/name: Streamlit scrolls inside its main
    block, so the viewport grows to it (up to 6,000 px) for the picture, then shrinks back."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 1000), 6000)})
    page.wait_for_timeout(settle_ms)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": width, "height": 1000})


# Page script: from now on, collect the duration of every main-thread long task (> 50 ms) in
# window.__longtasks (PerformanceObserver 'longtask').
LONG_TASKS = """() => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longtasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
}"""


def click_until_shown(page, button: str, shown: str, tries: int = 3, wait_ms: int = 15_000) -> None:
    """Click the button named `button` until the button named `shown` appears (e.g. ▶ Play until
    ⏸ Pause). A click that lands while Streamlit is still rerunning for the previous one (a tab
    switch, say) can be lost when the rerun replaces the button; CI saw it at 390 px under load."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    target = page.get_by_role("button", name=shown).first
    for attempt in range(tries):
        try:
            page.get_by_role("button", name=button).first.click(timeout=wait_ms)
        except PlaywrightTimeout:  # the button is gone: perhaps the last click took effect after all
            pass
        try:
            target.wait_for(state="visible", timeout=wait_ms)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
