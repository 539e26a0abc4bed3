"""Real students: headless Chromium pages (Playwright, Debian's /usr/bin/chromium).

Playground pages open /playground, press Play and count
- delivered updates: completed fragment runs, read from the page's own websocket frames
  (each frame is one ForwardMsg; `script_finished = FINISHED_FRAGMENT_RUN_SUCCESSFULLY`), the
  same measure as the protocol clients;
- rendered updates: visible changes of the epoch counter (an `st.metric` labelled "Epoch",
  else the first "Epoch <number>" text on the page), polled in the page every 100 ms.
Draw pages open /draw and draw a stroke on the canvas every ~1.5 s; an answer is the full
script run (prediction) that follows the stroke, and its latency is mouse-up to script_finished.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time

from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .coordination import Coordinator, label_matches
from .stats import ClientStats

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--disable-dev-shm-usage",
]


async def keep_niced(
    root_pid: int, niceness: int, skip: set, stop: asyncio.Event, every: float = 1.0
) -> None:
    """Hold the browser processes under `root_pid` (the load generator) at CPU niceness
    `niceness` until `stop`: in a classroom the students' browsers run on their own machines,
    not on the server's cores. Chromium sets its processes' priorities itself (run as root it
    even raises some), so this is re-applied every `every` seconds to every chromium process
    in the tree outside `skip` (the server's processes)."""
    from .server import descendants

    while not stop.is_set():
        for pid in descendants(root_pid):
            if pid in skip:
                continue
            try:
                with open(f"/proc/{pid}/comm") as handle:
                    if "chrom" not in handle.read():
                        continue
                if os.getpriority(os.PRIO_PROCESS, pid) != niceness:
                    os.setpriority(os.PRIO_PROCESS, pid, niceness)
            except OSError:
                pass  # gone meanwhile
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass


EPOCH_WATCH_JS = r"""
() => {
  if (window.__npWatch) return;
  window.__npEpochChanges = 0; window.__npEpochLast = null; window.__npEpochSource = null;
  const read = () => {
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const label = m.querySelector('[data-testid="stMetricLabel"]');
      if (label && /epoch/i.test(label.textContent)) {
        const v = m.querySelector('[data-testid="stMetricValue"]');
        if (v) { window.__npEpochSource = 'metric'; return v.textContent; }
      }
    }
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return null;
    const found = /epoch\D{0,3}([\d][\d,.]*)/i.exec(main.textContent);
    if (found) { window.__npEpochSource = 'text'; return found[1]; }
    return null;
  };
  window.__npWatch = setInterval(() => {
    const v = read();
    if (v !== null && v !== window.__npEpochLast) {
      if (window.__npEpochLast !== null) window.__npEpochChanges++;
      window.__npEpochLast = v;
    }
  }, 100);
}
"""


def chromium_available() -> bool:
    if not os.path.exists(CHROMIUM):
        return False
    import importlib.util

    return importlib.util.find_spec("playwright") is not None


class _FrameCounter:
    """Reads the ForwardMsgs a page receives over its websocket."""

    def __init__(self, stats: ClientStats, coord: Coordinator):
        self.stats = stats
        self.coord = coord
        self.intervals: dict[str, float] = {}
        self.full_run_finished = asyncio.Event()
        self.last_full_finish = 0.0
        self.finishes = 0

    def attach(self, page) -> None:
        def on_ws(ws):
            if "/_stcore/stream" not in ws.url:
                return
            ws.on("framereceived", self.on_frame)
            ws.on(
                "close",
                lambda _ws: (
                    None if self.coord.stop.is_set() else self.stats.error("browser websocket closed")
                ),
            )
            ws.on("socketerror", lambda err: self.stats.error(f"browser websocket error: {err}"))

        page.on("websocket", on_ws)

    def on_frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except DecodeError:
            self.stats.error("unparsable frame")
            return
        self.stats.msgs += 1
        self.stats.bytes += len(payload)
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            now = time.monotonic()
            if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.stats.updates_total += 1
                if self.stats.page != "draw" and self.coord.window.open(now):
                    self.stats.updates += 1
                    if self.stats.first_update_s is None:
                        self.stats.first_update_s = round(now - self.coord.window.start, 3)
            elif msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.stats.full_runs += 1
                if self.coord.window.open(now):
                    self.stats.full_runs_window += 1
                self.last_full_finish = now
                self.finishes += 1
                self.full_run_finished.set()
            elif msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.stats.error("script finished with a compile error")
        elif kind == "auto_rerun":
            fid, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fid and self.intervals.get(fid) != interval:
                self.intervals[fid] = interval
                self.stats.intervals.append(round(float(interval), 4))
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            which = el.WhichOneof("type")
            if which == "exception":
                self.stats.error(f"exception in app: {el.exception.type}: {el.exception.message}"[:300])
            elif which == "alert" and el.alert.format == 1:
                self.stats.alerts += 1
                self.stats.note(f"st.error: {el.alert.body[:120]}")
        elif kind == "session_event":
            if msg.session_event.WhichOneof("type") == "script_compilation_exception":
                self.stats.error("compile error")


async def _new_page(browser, stats: ClientStats, coord: Coordinator):
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    counter = _FrameCounter(stats, coord)
    counter.attach(page)
    page.on("pageerror", lambda err: stats.error(f"page error: {err}"[:300]))
    return context, page, counter


async def _finish(page, stats: ClientStats) -> None:
    """Errors visible on the page at the end (exceptions, connection-lost dialogs)."""
    try:
        n = await page.locator('[data-testid="stException"]').count()
        if n:
            stats.error(f"{n} exception box(es) on the page at the end")
        if await page.get_by_text("Connection error", exact=False).count():
            stats.error("'Connection error' shown")
    except Exception as exc:  # noqa: BLE001 - page may be gone at the end: a note, not an error
        stats.note(f"final check failed: {exc}")


async def playground_student(
    browser,
    base_url: str,
    stats: ClientStats,
    coord: Coordinator,
    *,
    play_label: str = "Play",
    load_timeout: float = 90.0,
    page_path: str = "playground",
) -> None:
    context = page = None
    ready_marked = False
    try:
        context, page, counter = await _new_page(browser, stats, coord)
        await page.goto(f"{base_url}/{page_path}", wait_until="domcontentloaded", timeout=load_timeout * 1000)
        play = await _find_button(page, counter, play_label, load_timeout)
        if play is None:
            stats.note(f"browser: no '{play_label}' button on /{page_path}")
        stats.play_found = play is not None
        await page.evaluate(EPOCH_WATCH_JS)
        stats.ready = counter.full_run_finished.is_set()
        coord.mark_ready()
        ready_marked = True

        await coord.go.wait()
        if play is not None:
            await play.click(timeout=10_000)
            stats.play_pressed = True
        # Epoch changes counted from the window's start to its end.
        await asyncio.sleep(max(0.0, coord.window.start - time.monotonic()))
        start_changes = await page.evaluate("window.__npEpochChanges || 0")
        await coord.stop.wait()
        end_changes = await page.evaluate("window.__npEpochChanges || 0")
        source = await page.evaluate("window.__npEpochSource")
        stats.rendered_updates = int(end_changes) - int(start_changes) if source else None
        if not source:
            stats.note("browser: no epoch counter found on the page")
        await _finish(page, stats)
    except Exception as exc:  # noqa: BLE001 - whatever stopped this student is counted
        stats.error(f"browser: {type(exc).__name__}: {exc}"[:300])
    finally:
        if not ready_marked:
            coord.mark_ready()
        if context is not None:
            try:
                await context.close()
            except Exception:  # noqa: BLE001 - session over; a failed close changes nothing
                pass


async def _button_label(button) -> str:
    """A Streamlit button's label without its icon (a Material icon renders as its name)."""
    md = button.locator('[data-testid="stMarkdownContainer"]')
    if await md.count():
        return (await md.first.inner_text(timeout=2000)).strip()
    return (await button.inner_text(timeout=2000)).strip()


async def _find_button(page, counter: _FrameCounter, label: str, timeout: float, search: float = 10.0):
    """The button labelled `label`: looked for during `search` seconds once the page's first
    full run has finished (within `timeout`)."""
    try:
        await asyncio.wait_for(counter.full_run_finished.wait(), timeout)
    except TimeoutError:
        return None
    buttons = page.get_by_role("button")
    deadline = time.monotonic() + search
    while True:
        for i in range(await buttons.count()):
            b = buttons.nth(i)
            try:
                text = await _button_label(b)
            except Exception:  # noqa: BLE001 - button re-rendered meanwhile: next one
                continue
            if label_matches(" ".join(text.split()), label):
                return b
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(0.5)


async def _canvas(page, timeout: float):
    """The drawing canvas (fabric.js's top layer): in the page, or in a component iframe."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            loc = frame.locator("canvas.upper-canvas")
            try:
                if await loc.count() and await loc.first.is_visible():
                    return loc.first
            except Exception:  # noqa: BLE001 - frame detached meanwhile: next one
                continue
        await asyncio.sleep(0.3)
    raise TimeoutError(f"no drawing canvas (canvas.upper-canvas) in {timeout:.0f} s")


async def _draw_stroke(page, box, rng: random.Random) -> None:
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    cx, cy = x0 + w * rng.uniform(0.35, 0.65), y0 + h * rng.uniform(0.3, 0.5)
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    for k in range(1, 13):  # a wobbly vertical line, a "1"
        await page.mouse.move(cx + rng.uniform(-4, 4), cy + k * h * 0.035, steps=2)
    await page.mouse.up()


async def draw_student(
    browser,
    base_url: str,
    stats: ClientStats,
    coord: Coordinator,
    *,
    load_timeout: float = 90.0,
    pause: float = 1.5,
    answer_timeout: float = 15.0,
    seed: int = 0,
) -> None:
    context = page = None
    ready_marked = False
    rng = random.Random(seed)
    try:
        context, page, counter = await _new_page(browser, stats, coord)
        await page.goto(f"{base_url}/draw", wait_until="domcontentloaded", timeout=load_timeout * 1000)
        await asyncio.wait_for(counter.full_run_finished.wait(), load_timeout)
        canvas = await _canvas(page, load_timeout)
        stats.ready = True
        coord.mark_ready()
        ready_marked = True

        await coord.go.wait()
        strokes = 0
        while not coord.stop.is_set():
            box = await canvas.bounding_box()
            if box is None:
                stats.error("draw: canvas not visible")
                break
            before = counter.finishes
            await _draw_stroke(page, box, rng)
            t_up = time.monotonic()
            strokes += 1
            while (
                counter.finishes == before
                and time.monotonic() - t_up < answer_timeout
                and not coord.stop.is_set()
            ):
                await asyncio.sleep(0.02)
            if counter.finishes > before:
                latency = counter.last_full_finish - t_up
                if coord.window.open(t_up):
                    stats.updates += 1
                    stats.latencies.append(max(0.0, latency))
            elif not coord.stop.is_set():
                stats.error(f"draw: no answer {answer_timeout:.0f} s after a stroke")
            if strokes % 6 == 0:  # start over on a fresh canvas now and then
                clear = page.get_by_role("button", name=re.compile("Clear"))
                if await clear.count():
                    await clear.first.click(timeout=10_000)
                    await asyncio.sleep(0.5)
                    canvas = await _canvas(page, answer_timeout)
            try:
                await asyncio.wait_for(coord.stop.wait(), pause)
            except TimeoutError:
                pass
        if await page.get_by_text("Prediction", exact=True).count() == 0:
            stats.note("draw: no Prediction shown at the end")
        await _finish(page, stats)
    except Exception as exc:  # noqa: BLE001 - whatever stopped this student is counted
        stats.error(f"browser: {type(exc).__name__}: {exc}"[:300])
    finally:
        if not ready_marked:
            coord.mark_ready()
        if context is not None:
            try:
                await context.close()
            except Exception:  # noqa: BLE001 - session over; a failed close changes nothing
                pass
