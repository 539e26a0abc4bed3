"""The live canvas's payloads as a client without a browser counts them.

Each live update of the Playground carries a payload for its canvas (core/figures/live_frames.py:
b"NPL1", the header's length as uint32, the JSON header, then arrays). Its frames are what a
browser would draw, one visual update each, and their epochs give the training rate. Only the
header is read: the client never draws.
"""

from __future__ import annotations

import json

from .stats import ClientStats


def live_frames_header(payload: bytes) -> dict | None:
    """The JSON header of a live-frames payload, or None when it is not one."""
    if payload[:4] != b"NPL1" or len(payload) < 8:
        return None
    length = int.from_bytes(payload[4:8], "little")
    try:
        return json.loads(payload[8 : 8 + length])
    except ValueError:
        return None


def count_frames(stats: ClientStats, payload: bytes, in_window: bool) -> None:
    """Add a playing payload's frames (and the epochs they show, in the window) to `stats`."""
    header = live_frames_header(payload)
    frames = (header or {}).get("frames") or []
    if not header or not header.get("playing") or not frames:
        return
    stats.frames_total += len(frames)
    if in_window:
        stats.frames += len(frames)
        if stats.epoch_first is None:
            stats.epoch_first = frames[0]["epoch"]
        stats.epoch_last = frames[-1]["epoch"]
