"""Per-client counters and the per-run summary."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

MAX_ERRORS_KEPT = 20  # per client: the first few are enough to say what went wrong


@dataclass
class ClientStats:
    """What one simulated student saw."""

    name: str
    kind: str  # "protocol" or "browser"
    page: str  # "playground" or "draw"
    ready: bool = False  # page loaded (and, on the Playground, the Play button found)
    play_found: bool = False
    play_pressed: bool = False
    updates: int = 0  # completed fragment runs (Playground) or answered strokes (Draw), in window
    updates_total: int = 0  # the same over the client's whole life
    full_runs: int = 0
    full_runs_window: int = 0  # full app runs during the window (each one restarts the timers)
    first_update_s: float | None = None  # window start (Play) -> first delivered update
    intervals: list = field(default_factory=list)  # run_every intervals announced (AutoRerun)
    rendered_updates: int | None = None  # browsers: visible changes of the epoch counter
    frames: int = 0  # live canvas frames received in the window (each one a visual update)
    frames_total: int = 0
    epoch_first: int | None = None  # the first and last epoch those frames showed
    epoch_last: int | None = None
    latencies: list = field(default_factory=list)  # Draw: stroke -> answer, seconds
    msgs: int = 0
    bytes: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    alerts: int = 0  # st.error boxes the app showed (not counted as errors)
    notes: list = field(default_factory=list)

    def error(self, what: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(what)

    def note(self, what: str) -> None:
        if what not in self.notes and len(self.notes) < MAX_ERRORS_KEPT:
            self.notes.append(what)

    def rate(self, seconds: float) -> float:
        return self.updates / seconds if seconds > 0 else 0.0

    def frame_rate(self, seconds: float) -> float:
        return self.frames / seconds if seconds > 0 else 0.0

    def epoch_rate(self, seconds: float) -> float:
        if seconds <= 0 or self.epoch_first is None or self.epoch_last is None:
            return 0.0
        return (self.epoch_last - self.epoch_first) / seconds

    def as_dict(self, seconds: float) -> dict:
        d = {
            "name": self.name,
            "kind": self.kind,
            "page": self.page,
            "ready": self.ready,
            "play_pressed": self.play_pressed,
            "updates": self.updates,
            "updates_per_s": round(self.rate(seconds), 3),
            "frames_per_s": round(self.frame_rate(seconds), 2),
            "epochs_per_s": round(self.epoch_rate(seconds), 1),
            "full_runs": self.full_runs,
            "full_runs_in_window": self.full_runs_window,
            "first_update_s": self.first_update_s,
            "errors": self.error_count,
            "error_samples": self.errors[:5],
            "alerts": self.alerts,
            "msgs": self.msgs,
            "bytes": self.bytes,
        }
        if self.intervals:
            d["interval_first_s"] = self.intervals[0]
            d["interval_last_s"] = self.intervals[-1]
            d["interval_changes"] = len(self.intervals) - 1
        if self.rendered_updates is not None:
            d["rendered_updates_per_s"] = round(self.rendered_updates / seconds, 3) if seconds else 0
        if self.latencies:
            lat = sorted(self.latencies)
            d["latency_p50_s"] = round(lat[len(lat) // 2], 3)
            d["latency_max_s"] = round(lat[-1], 3)
        if self.notes:
            d["notes"] = self.notes[:5]
        return d


def _spread(name: str, rates: list[float]) -> dict:
    """min and median of per-client rates, as name_min / name_median."""
    if not rates:
        return {f"{name}_min": 0.0, f"{name}_median": 0.0}
    return {f"{name}_min": round(rates[0], 2), f"{name}_median": round(statistics.median(rates), 2)}


def summarize(clients: list[ClientStats], seconds: float) -> dict:
    """Totals over the Playground clients (the ones pressing Play), plus the Draw clients."""
    play = [c for c in clients if c.page != "draw"]  # the students of the tested page
    draw = [c for c in clients if c.page == "draw"]
    rates = sorted(c.rate(seconds) for c in play)
    out = {
        "clients": len(clients),
        "playground_clients": len(play),
        "draw_clients": len(draw),
        "browsers": sum(c.kind == "browser" for c in clients),
        "seconds": seconds,
        "total_updates": sum(c.updates for c in play),
        "total_updates_per_s": round(sum(c.updates for c in play) / seconds, 2) if seconds else 0,
        "per_client_min": round(rates[0], 3) if rates else 0.0,
        "per_client_median": round(statistics.median(rates), 3) if rates else 0.0,
        "per_client_max": round(rates[-1], 3) if rates else 0.0,
        "clients_below_1_per_s": sum(r < 1.0 for r in rates),
        # Frames and epochs are read from the canvas payloads by the protocol clients (a browser
        # client reports the epoch counter's changes instead: rendered_updates).
        **_spread("frames_per_s", sorted(c.frame_rate(seconds) for c in play if c.kind == "protocol")),
        **_spread("epochs_per_s", sorted(c.epoch_rate(seconds) for c in play if c.kind == "protocol")),
        "total_frames_per_s": round(sum(c.frames for c in play) / seconds, 2) if seconds else 0,
        "full_runs_in_window": sum(c.full_runs_window for c in play),
        "first_update_max_s": max(
            (c.first_update_s for c in play if c.first_update_s is not None), default=None
        ),
        "errors": sum(c.error_count for c in clients),
        "alerts": sum(c.alerts for c in clients),
        "not_ready": sum(not c.ready for c in clients),
    }
    intervals = [c.intervals[-1] for c in play if c.intervals]
    if intervals:
        out["interval_last_median_s"] = round(statistics.median(intervals), 3)
    browsers = [c for c in play if c.kind == "browser" and c.rendered_updates is not None]
    if browsers:
        out["browser_rendered_per_s"] = [round(c.rendered_updates / seconds, 3) for c in browsers]
    lat = sorted(x for c in draw for x in c.latencies)
    if draw:
        out["draw_answers"] = sum(c.updates for c in draw)
        out["draw_latency_p50_s"] = round(lat[len(lat) // 2], 3) if lat else None
        out["draw_latency_max_s"] = round(lat[-1], 3) if lat else None
    return out
