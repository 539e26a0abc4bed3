"""One classroom run against a running app: warm it up, load every student, all press Play at once.

`run_load` starts the students (protocol clients and a few headless browsers), waits until every
page has loaded, opens the measurement window by setting the shared `Coordinator`'s `go`, and
returns each client's counters. benchmarks/load_test.py calls it once per worker count, and
tests/deploy/test_load_short.py runs a 15-second version of it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from . import browser as browser_mod
from .coordination import Coordinator
from .protocol import ProtocolClient
from .stats import ClientStats


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- warm-up
async def _one_session(url: str, page: str, timeout: float) -> ClientStats:
    """Load one page once over the protocol (no Play) and leave."""
    stats = ClientStats(name=f"warmup:{page or 'home'}", kind="protocol", page=page)
    coord = Coordinator(expected=1)
    coord.go.set()
    coord.stop.set()
    client = ProtocolClient(url, page, stats, coord, press_play=False, load_timeout=timeout)
    await client.run()
    stats.app_pages = client.app_pages  # type: ignore[attr-defined]
    stats.play_found = client.find_play() is not None
    return stats


async def warm_up(urls: list[str], page: str, timeout: float = 90.0) -> dict:
    """Every worker: the home page first, then the tested page once (its imports and caches),
    so that start-up is not in the measurement."""
    info = {"app_pages": [], "play_found": None, "errors": []}
    for url in urls:
        home = await _one_session(url, "", timeout)
        info["app_pages"] = getattr(home, "app_pages", []) or info["app_pages"]
        info["errors"] += home.errors
        if page:
            st = await _one_session(url, page, timeout)
            info["errors"] += st.errors
            info["play_found"] = bool(info["play_found"]) or st.play_found
    return info


# ----------------------------------------------------------------------------- one run
async def run_load(
    url: str,
    clients: int,
    seconds: float,
    *,
    browsers: int,
    draw_browsers: int,
    page: str,
    play_label: str,
    connect_spread: float,
    load_timeout: float,
    stall_after: float,
    browser_nice: int = 0,
    server_pids=None,
    on_window=None,
    on_stop=None,
    on_midway=None,
    trace: list | None = None,
) -> tuple[list[ClientStats], dict]:
    if not browser_mod.chromium_available():
        if browsers or draw_browsers:
            log("  (no Chromium/Playwright: protocol clients only)")
        browsers = draw_browsers = 0
    browsers = min(browsers, clients)
    draw_browsers = min(draw_browsers, clients - browsers)
    n_protocol = clients - browsers - draw_browsers
    coord = Coordinator(expected=clients)
    stats: list[ClientStats] = []
    tasks = []

    pw = chromium = None
    if browsers or draw_browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        chromium = await pw.chromium.launch(
            executable_path=browser_mod.CHROMIUM, args=browser_mod.CHROMIUM_ARGS
        )

    nice_stop = asyncio.Event()
    nice_task = None
    if browser_nice and chromium is not None:
        nice_task = asyncio.ensure_future(
            browser_mod.keep_niced(os.getpid(), browser_nice, set(server_pids or ()), nice_stop)
        )

    async def later(delay, coro):
        await asyncio.sleep(delay)
        await coro

    try:
        for i in range(browsers):
            s = ClientStats(name=f"browser-{i}", kind="browser", page=page)
            stats.append(s)
            tasks.append(
                asyncio.ensure_future(
                    browser_mod.playground_student(
                        chromium,
                        url,
                        s,
                        coord,
                        play_label=play_label,
                        load_timeout=load_timeout,
                        page_path=page,
                    )
                )
            )
        for i in range(draw_browsers):
            s = ClientStats(name=f"draw-browser-{i}", kind="browser", page="draw")
            stats.append(s)
            tasks.append(
                asyncio.ensure_future(
                    browser_mod.draw_student(chromium, url, s, coord, load_timeout=load_timeout, seed=i)
                )
            )
        for i in range(n_protocol):
            s = ClientStats(name=f"proto-{i}", kind="protocol", page=page)
            stats.append(s)
            client = ProtocolClient(
                url,
                page,
                s,
                coord,
                play_label=play_label,
                load_timeout=load_timeout,
                stall_after=stall_after,
                trace=trace,  # every client's events, each tagged with its name
            )
            delay = connect_spread * i / max(1, n_protocol)
            tasks.append(asyncio.ensure_future(later(delay, client.run())))

        t_connect = time.monotonic()
        try:
            await asyncio.wait_for(coord.all_ready.wait(), connect_spread + load_timeout + 30)
        except TimeoutError:
            log(f"  only {coord.ready}/{clients} clients ready; starting anyway")
        load_s = time.monotonic() - t_connect
        ready = sum(s.ready for s in stats)
        play = sum(s.play_found for s in stats if s.page == page)
        log(
            f"  {ready}/{clients} clients loaded in {load_s:.1f} s; "
            f"'{play_label}' found by {play}/{sum(s.page == page for s in stats)}"
        )
        if play == 0:
            log(
                f"  NOTE: no '{play_label}' control on /{page}: Play is skipped; measuring "
                f"whatever live updates the page makes by itself"
            )

        # Everyone presses Play now; the window opens at the same moment.
        coord.window.start = time.monotonic()
        coord.window.end = coord.window.start + seconds
        coord.go.set()
        if on_window is not None:
            on_window(coord.window.start, coord.window.end)
        if on_midway is not None:
            await asyncio.sleep(seconds / 2)
            on_midway()
        await asyncio.sleep(max(0.0, coord.window.end - time.monotonic()))
        if on_stop is not None:
            on_stop()
        coord.stop.set()
        done, pending = await asyncio.wait(tasks, timeout=60)
        for t in pending:
            t.cancel()
        for s, t in zip(stats, tasks):
            if t in done and not t.cancelled() and t.exception() is not None:
                s.error(f"client crashed: {t.exception()!r}"[:300])
        for s in stats:
            if s.page == page and s.ready and s.play_pressed and s.updates == 0:
                s.error("no update in the whole window")
            if not s.ready:
                s.error("page never became ready")
        if trace is not None:
            trace.insert(0, (round(coord.window.start, 3), "window start"))
            trace.insert(1, (round(coord.window.end, 3), "window end"))
        extra = {
            "load_seconds": round(load_s, 1),
            "play_found": play,
            "window": (coord.window.start, coord.window.end),
        }
        return stats, extra
    finally:
        nice_stop.set()
        if nice_task is not None:
            await nice_task
        if chromium is not None:
            await chromium.close()
        if pw is not None:
            await pw.stop()
