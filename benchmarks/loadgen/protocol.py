"""A Streamlit client without a browser: speaks the websocket protocol of Streamlit 1.67.

What the browser's frontend does, and so what this client does (read from Streamlit's own
frontend, App.tsx / WidgetStateManager, and the server's app_session.py / fragment.py):

1. GET the page over HTTP (behind nginx this sets the sticky-session cookie `np_route`), then
   open `ws://HOST/_stcore/stream` with subprotocol "streamlit", the same Origin, and the cookies.
2. Send `BackMsg.rerun_script = ClientState{query_string, widget_states, page_script_hash,
   page_name, fragment_id, is_auto_rerun, cached_message_hashes, context_info}`. The first one
   names the page by its URL path (`page_name="playground"`, `page_script_hash=""`); later ones
   carry the page's hash from the `navigation` ForwardMsg (and `new_session`), and the query
   string the app last set (`page_info_changed`), as the browser's address bar would.
3. Read ForwardMsgs: `new_session` (a run starts; `metadata.run.fragment_ids` empty = a full
   run, which cancels every auto-rerun timer, as the frontend's cleanupAutoReruns does),
   `delta` (elements: buttons with their widget `id` and enclosing `Delta.fragment_id`,
   exceptions, error alerts), `auto_rerun{interval, fragment_id}` (`st.fragment(run_every=...)`:
   start a timer for that fragment unless one with the same interval runs already; a changed
   interval replaces it), `stop_auto_rerun`, `script_finished` (FINISHED_FRAGMENT_RUN_SUCCESSFULLY
   = one delivered update), `ref_hash` (a message the client said it had cached).
4. Each timer tick sends a fragment rerun: `rerun_script{fragment_id=F, is_auto_rerun=true}`,
   on a fixed period like the browser's setInterval, whether or not the last run finished (the
   server coalesces queued fragment reruns).
5. Pressing Play = a rerun with `WidgetState{id=<button id>, trigger_value=true}` (and the
   button's fragment id when the button sits inside a fragment).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request

# Streamlit's protobufs import cleanly without starting a runtime.
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .coordination import Coordinator, label_matches
from .live_payload import count_frames
from .message_cache import MessageCache
from .stats import ClientStats

FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

ALERT_ERROR = 1  # Alert.Format.ERROR


def http_get_cookies(url: str, timeout: float = 30.0) -> tuple[int, str]:
    """GET `url` like a browser's first page load; return (status, Cookie header value)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url, timeout=timeout) as response:
        response.read()
        status = response.status
    return status, "; ".join(f"{c.name}={c.value}" for c in jar)


class ProtocolClient:
    """One student on one page, over Streamlit's websocket protocol."""

    def __init__(
        self,
        base_url: str,
        page: str,
        stats: ClientStats,
        coord: Coordinator,
        *,
        play_label: str = "Play",
        load_timeout: float = 60.0,
        stall_after: float = 10.0,
        press_play: bool = True,
        trace: list | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.page = page  # URL path name: "playground", "draw", "" for the home page
        self.stats = stats
        self.coord = coord
        self.play_label = play_label
        self.load_timeout = load_timeout
        self.stall_after = stall_after
        self.press_play = press_play
        self.trace = trace  # if a list: (monotonic time, event) of every send and lifecycle msg

        self.ws = None
        self.page_script_hash = ""
        self.query_string = ""
        self.app_pages: list[str] = []
        self.page_not_found = False
        self.controls: dict[str, tuple[str, str, str]] = {}  # label -> (kind, widget id, fragment)
        self.timers: dict[str, tuple[float, asyncio.Task]] = {}
        self.cache = MessageCache()
        self.loaded = asyncio.Event()
        self.last_update = 0.0
        self.closing = False
        self._full_run_pending = False

    # ------------------------------------------------------------------ sending
    def _rerun(self, fragment_id: str = "", widgets: list | None = None, auto: bool = False) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.widget_states.SetInParent()
        if widgets:
            cs.widget_states.widgets.extend(widgets)
        if self.page_script_hash:
            cs.page_script_hash = self.page_script_hash
        else:
            cs.page_name = self.page
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.cached_message_hashes.extend(self.cache.hashes())
        ci = cs.context_info
        ci.timezone = "UTC"
        ci.timezone_offset = 0
        ci.locale = "en-US"
        ci.url = f"{self.base_url}/{self.page}"
        ci.is_embedded = False
        ci.color_scheme = "light"
        return msg

    def _trace(self, what: str) -> None:
        if self.trace is not None:
            self.trace.append((round(time.monotonic(), 3), f"{self.stats.name} {what}"))

    async def _send(self, msg: BackMsg) -> None:
        if self.ws is None or self.closing:
            return
        if self.trace is not None:
            cs = msg.rerun_script
            self._trace(
                f"send rerun fragment={cs.fragment_id[:8] or '-'} auto={cs.is_auto_rerun} "
                f"widgets={len(cs.widget_states.widgets)}"
            )
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:  # noqa: BLE001 - any failed send is this client's error, counted
            if not self.closing:
                self.stats.error(f"send failed: {type(exc).__name__}: {exc}")

    # ------------------------------------------------------------------ timers (run_every)
    def _on_auto_rerun(self, fragment_id: str, interval: float) -> None:
        if not fragment_id:
            return  # the 1.67 frontend ignores an auto-rerun without a fragment id
        current = self.timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return  # same interval: the countdown goes on (frontend behaviour)
        if current is not None:
            current[1].cancel()
        self.stats.intervals.append(round(float(interval), 4))
        task = asyncio.ensure_future(self._tick(fragment_id, float(interval)))
        self.timers[fragment_id] = (interval, task)

    def _clear_timers(self, fragment_ids=None) -> None:
        for fid in list(self.timers if fragment_ids is None else fragment_ids):
            entry = self.timers.pop(fid, None)
            if entry is not None:
                entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        if interval <= 0:
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + interval
        while not self.closing:
            await asyncio.sleep(max(0.0, due - loop.time()))
            if self.closing:
                return
            await self._send(self._rerun(fragment_id=fragment_id, auto=True))
            due += interval
            if due < loop.time():  # a blocked loop: skip missed ticks, like setInterval
                due = loop.time() + interval

    # ------------------------------------------------------------------ receiving
    def _handle(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        self.stats.msgs += 1
        self.stats.bytes += len(raw)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.stats.error(f"ref_hash {msg.ref_hash} not in the client cache")
                return
            full = ForwardMsg()
            full.ParseFromString(cached)
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        else:
            self.cache.add(msg, raw)

        if kind != "delta" and kind != "ref_hash":
            extra = ""
            if kind == "new_session":
                extra = f" fragments={[f[:8] for f in msg.metadata.run.fragment_ids]}"
            elif kind == "auto_rerun":
                extra = f" {msg.auto_rerun.interval:.3f}s {msg.auto_rerun.fragment_id[:8]}"
            elif kind == "script_finished":
                extra = f" {ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)}"
            elif kind == "session_status_changed":
                extra = f" running={msg.session_status_changed.script_is_running}"
            self._trace(f"recv {kind}{extra}")
        if kind == "delta":
            self._on_delta(msg)
        elif kind == "new_session":
            ns = msg.new_session
            if ns.HasField("config") and ns.config.max_cached_message_age:
                self.cache.max_age = ns.config.max_cached_message_age
            if not msg.metadata.run.fragment_ids:  # a full run: every auto-rerun timer ends
                self._clear_timers()
                self._full_run_pending = True
                if ns.page_script_hash and not self.page_script_hash:
                    self.page_script_hash = ns.page_script_hash
        elif kind == "navigation":
            nav = msg.navigation
            if nav.page_script_hash:
                self.page_script_hash = nav.page_script_hash
            self.app_pages = [p.url_pathname for p in nav.app_pages]
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.page_not_found = True
            self.stats.note(f"page not found: /{self.page}")
        elif kind == "auto_rerun":
            self._on_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._clear_timers(list(msg.stop_auto_rerun.fragment_ids))
        elif kind == "script_finished":
            self._on_finished(msg.script_finished)
        elif kind == "session_event":
            ev = msg.session_event
            if ev.WhichOneof("type") == "script_compilation_exception":
                self.stats.error(f"compile error: {ev.script_compilation_exception.message}")

    def _on_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        which = el.WhichOneof("type")
        if which == "exception":
            ex = el.exception
            self.stats.error(f"exception in app: {ex.type}: {ex.message}"[:300])
        elif which == "alert":
            if el.alert.format == ALERT_ERROR:
                self.stats.alerts += 1
                self.stats.note(f"st.error: {el.alert.body[:120]}")
        elif which == "button":
            b = el.button
            if not b.form_id:
                self.controls[b.label] = ("trigger", b.id, delta.fragment_id)
        elif which == "bidi_component" and el.bidi_component.WhichOneof("data") == "bytes":
            count_frames(self.stats, el.bidi_component.bytes, self.coord.window.open(time.monotonic()))
        elif which == "checkbox":  # st.toggle / st.checkbox labelled Play
            self.controls[el.checkbox.label] = ("bool", el.checkbox.id, delta.fragment_id)

    def _on_finished(self, status: int) -> None:
        self.cache.script_finished()
        now = time.monotonic()
        if status == FINISHED_FRAGMENT:
            self.stats.updates_total += 1
            if self.coord.window.open(now):
                self.stats.updates += 1
                if self.stats.first_update_s is None:
                    self.stats.first_update_s = round(now - self.coord.window.start, 3)
            self.last_update = now
        elif status == FINISHED_OK:
            if self._full_run_pending:
                self.stats.full_runs += 1
                if self.coord.window.open(now):
                    self.stats.full_runs_window += 1
                self._full_run_pending = False
            self.loaded.set()
        elif status == FINISHED_COMPILE_ERROR:
            self.stats.error("script finished with a compile error")
            self.loaded.set()

    def find_play(self):
        for label, control in self.controls.items():
            if label_matches(label, self.play_label):
                return label, control
        return None

    # ------------------------------------------------------------------ the session
    async def _reader(self) -> None:
        import websockets

        problem = "websocket closed by the server"
        try:
            async for raw in self.ws:
                if isinstance(raw, str):
                    self.stats.error("unexpected text frame")
                    continue
                self._handle(raw)
        except websockets.ConnectionClosed as exc:
            problem = f"disconnected: {exc}"
        except Exception as exc:  # noqa: BLE001 - any other failure ends this client, counted
            problem = f"reader failed: {type(exc).__name__}: {exc}"
        finally:
            if not self.closing:
                self.stats.error(problem)
            self.loaded.set()

    async def _watch_stalls(self) -> None:
        """During the window: an update must arrive at least every `stall_after` seconds."""
        stalled = False
        while not self.closing:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            if not self.coord.window.open(now) or not self.stats.play_pressed:
                continue
            since = now - max(self.last_update, self.coord.window.start)
            if since > self.stall_after and not stalled:
                stalled = True
                self.stats.error(f"stall: no update for {since:.0f} s")
            elif since <= self.stall_after:
                stalled = False

    async def run(self) -> None:
        import websockets

        host = self.base_url.split("://", 1)[1]
        page_url = f"{self.base_url}/{self.page}"
        ready_marked = False
        reader = watcher = None
        try:
            try:
                status, cookie = await asyncio.to_thread(http_get_cookies, page_url)
            except Exception as exc:  # noqa: BLE001 - a failed page load is this client's error, counted
                self.stats.error(f"GET {page_url}: {type(exc).__name__}: {exc}")
                return
            headers = {"Cookie": cookie} if cookie else {}
            try:
                self.ws = await websockets.connect(
                    f"ws://{host}/_stcore/stream",
                    subprotocols=["streamlit"],
                    origin=f"http://{host}",
                    additional_headers=headers,
                    max_size=None,
                    open_timeout=30,
                    ping_interval=20,
                    ping_timeout=60,
                    close_timeout=5,
                    user_agent_header="neural-playground-loadgen",
                )
            except Exception as exc:  # noqa: BLE001 - a failed connect is this client's error, counted
                self.stats.error(f"websocket connect: {type(exc).__name__}: {exc}")
                return
            reader = asyncio.ensure_future(self._reader())
            watcher = asyncio.ensure_future(self._watch_stalls())
            await self._send(self._rerun())
            try:
                await asyncio.wait_for(self.loaded.wait(), self.load_timeout)
            except TimeoutError:
                self.stats.error(f"/{self.page} did not finish loading in {self.load_timeout:.0f} s")
            if self.page_not_found or (self.app_pages and self.page not in self.app_pages and self.page):
                self.stats.note(f"/{self.page} is not one of the app's pages {self.app_pages}")
            play = self.find_play()
            self.stats.play_found = play is not None
            if play is None and self.press_play:
                self.stats.note(
                    f"no '{self.play_label}' control on /{self.page}: "
                    f"controls seen {sorted(self.controls)[:8]}"
                )
            self.stats.ready = self.loaded.is_set() and not reader.done()
            self.coord.mark_ready()
            ready_marked = True

            await self.coord.go.wait()
            if play is not None and self.press_play and not reader.done():
                _, (kind, wid, fid) = play
                from streamlit.proto.WidgetStates_pb2 import WidgetState

                ws_state = WidgetState(id=wid)
                if kind == "trigger":
                    ws_state.trigger_value = True
                else:
                    ws_state.bool_value = True
                await self._send(self._rerun(fragment_id=fid, widgets=[ws_state]))
                self.stats.play_pressed = True
            self.last_update = time.monotonic()
            await self.coord.stop.wait()
        finally:
            if not ready_marked:
                self.coord.mark_ready()
            self.closing = True
            self._clear_timers()
            if watcher is not None:
                watcher.cancel()
            if self.ws is not None:
                try:
                    await asyncio.wait_for(self.ws.close(), 5)
                except Exception:  # noqa: BLE001 - the run is over; a failed close changes nothing
                    pass
            if reader is not None:
                reader.cancel()
