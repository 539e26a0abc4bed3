"""A short classroom load test: 6 protocol clients and 1 headless Chromium press Play together.

The full measurement is `python -m benchmarks.load_test --clients 30 --seconds 60 --workers 1 2`;
this is its 15-second version on one worker (the real app, started by docker/entrypoint.sh with
WORKERS=1, on a free 127.0.0.1 port). Every client must get at least one live update per second
from the Playground's adaptive `run_every` fragment, with zero errors (no exception, disconnect,
stall or failed page load). Skipped while the Playground page or its Play button is missing, or
without Debian's Chromium.
"""

import asyncio
import os

import pytest

from benchmarks.loadgen.browser import CHROMIUM, chromium_available
from benchmarks.loadgen.classroom import run_load, warm_up
from benchmarks.loadgen.server import REPO, AppServer

pytestmark = [pytest.mark.slow]

SECONDS = 15.0
PROTOCOL_CLIENTS = 6
BROWSERS = 1


@pytest.fixture
def server(tmp_path):
    app = AppServer(1, log_path=tmp_path / "server.log")
    app.start(timeout=60)
    try:
        yield app
    finally:
        app.stop()


def _failure_report(stats):
    return "\n".join(
        f"{s.name} ({s.kind}): {s.rate(SECONDS):.2f} updates/s, {s.frames} frames, epochs "
        f"{s.epoch_first}..{s.epoch_last}, run_every "
        f"{s.intervals[-1] if s.intervals else None} s, {s.full_runs_window} full "
        f"runs, errors {s.errors[:3]}, notes {s.notes[:3]}"
        for s in stats
    )


def test_protocol_client_loads_the_home_page(server):
    """The protocol client alone: loads the home page, sees the app's pages, no errors."""
    info = asyncio.run(warm_up([server.url], page=""))
    assert info["errors"] == []
    assert info["app_pages"], info  # the navigation message listed the pages


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"needs Playwright and Chromium at {CHROMIUM}")
@pytest.mark.skipif(
    not os.path.exists(REPO / "app_pages" / "playground.py"),
    reason="the Playground page (app_pages/playground.py) is not there yet",
)
@pytest.mark.timeout(120)
def test_short_classroom_load(server):
    info = asyncio.run(warm_up([server.url], page="playground"))
    if "playground" not in info["app_pages"]:
        pytest.skip(f"/playground is not a page of the app yet (pages: {info['app_pages']})")
    if not info["play_found"]:
        pytest.skip("the Playground page has no Play button yet")

    stats, extra = asyncio.run(
        run_load(
            server.url,
            PROTOCOL_CLIENTS + BROWSERS,
            SECONDS,
            browsers=BROWSERS,
            draw_browsers=0,
            page="playground",
            play_label="Play",
            connect_spread=1.0,
            load_timeout=45.0,
            stall_after=10.0,
        )
    )

    report = _failure_report(stats)
    assert all(s.ready for s in stats), report
    assert all(s.play_pressed for s in stats), report
    assert sum(s.error_count for s in stats) == 0, report
    rates = [s.rate(SECONDS) for s in stats]
    assert min(rates) >= 1.0, report
    # Each update carries the live canvas's frames: at least one per update, and the epochs
    # they show advance.
    protocol = [s for s in stats if s.kind == "protocol"]
    assert all(s.frames >= s.updates > 0 for s in protocol), report
    assert all(s.epoch_last > s.epoch_first for s in protocol), report
