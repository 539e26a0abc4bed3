"""What turning Streamlit's forward-message cache off costs in bandwidth (issue 20, item 7).

    python -m benchmarks.message_cache_bandwidth [--play-seconds 20] [--reruns 20] [--json]

The app sets `global.minCachedMessageSize` so high that no message is cached (.streamlit/
config.toml and the Dockerfile): with the cache on, fast clicks on Play, Pause, Step and Reset
made the browser's cache fall out of step with the server's ("Cached ForwardMsg MISS") and the
student lost the session. A cached message is sent once; afterwards the server sends only its
hash while the browser still has it. So the price of the setting is the bytes of the large
messages sent again.

For each setting (the app's: nothing cached; Streamlit's default: messages of 10 kB or more
cached), this starts `streamlit run app.py` with the image's settings on 127.0.0.1, and one
student over Streamlit's websocket protocol (benchmarks/loadgen/protocol.py, which keeps the
same client-side cache as the browser):
1. opens the Playground, presses Play and trains for `--play-seconds` (the live updates);
2. then, paused, asks for `--reruns` full runs of the page one after another, as a control
   change or a click does (each sends every element of the page again, or its hash).
It prints the bytes received in each phase, per second of training and per full run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.loadgen.coordination import Coordinator, label_matches
from benchmarks.loadgen.protocol import ProtocolClient
from benchmarks.loadgen.server import REPO, AppServer
from benchmarks.loadgen.stats import ClientStats

SETTING = "STREAMLIT_GLOBAL_MIN_CACHED_MESSAGE_SIZE"
STREAMLIT_DEFAULT = "10240"  # bytes: Streamlit's own default for global.minCachedMessageSize
APP_SETTING = "1000000000000"  # the app's (.streamlit/config.toml, Dockerfile): nothing cached


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


async def one_student(url: str, play_seconds: float, reruns: int) -> dict:
    stats = ClientStats(name="bandwidth", kind="protocol", page="playground")
    coord = Coordinator(expected=1)
    client = ProtocolClient(url, "playground", stats, coord, stall_after=play_seconds + 10)
    task = asyncio.ensure_future(client.run())
    await asyncio.wait_for(coord.all_ready.wait(), 120)
    loaded_bytes = stats.bytes
    coord.window.start = time.monotonic()
    coord.window.end = coord.window.start + play_seconds
    coord.go.set()
    await asyncio.sleep(play_seconds)
    played_bytes = stats.bytes - loaded_bytes
    updates = stats.updates_total
    after_play = stats.updates_total
    pause = next(
        (control for label, control in client.controls.items() if label_matches(label, "Pause")), None
    )
    if pause is None:
        raise RuntimeError(f"no Pause button among {sorted(client.controls)[:10]}")
    await client._send(
        client._rerun(fragment_id=pause[2], widgets=[WidgetState(id=pause[1], trigger_value=True)])
    )
    await asyncio.sleep(3.0)  # the pause's full run and any update in flight arrive
    before = stats.bytes
    refs_before = stats.msgs
    for _ in range(reruns):
        await client._send(client._rerun())
        await asyncio.sleep(1.0)
    rerun_bytes = stats.bytes - before
    if stats.updates_total > after_play + 1:
        stats.error(f"{stats.updates_total - after_play} live updates after Pause: the page did not pause")
    coord.stop.set()
    await asyncio.wait_for(task, 30)
    return {
        "load_bytes": loaded_bytes,
        "play_bytes": played_bytes,
        "play_bytes_per_s": round(played_bytes / play_seconds),
        "live_updates": updates,
        "rerun_bytes_each": round(rerun_bytes / max(1, reruns)),
        "rerun_messages_each": round((stats.msgs - refs_before) / max(1, reruns), 1),
        "errors": list(stats.errors),
    }


def measure(setting: str, args) -> dict:
    log_path = Path(args.log_dir) / f"bandwidth_server_{setting}.log"
    server = AppServer(1, app_dir=REPO, log_path=log_path, use_entrypoint=False, extra_env={SETTING: setting})
    server.start()
    try:
        result = asyncio.run(one_student(server.url, args.play_seconds, args.reruns))
    finally:
        server.stop()
    result["min_cached_message_size"] = int(setting)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.message_cache_bandwidth", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--play-seconds", type=float, default=20.0, help="seconds of live training")
    parser.add_argument("--reruns", type=int, default=20, help="full runs of the paused page")
    parser.add_argument("--log-dir", default="/tmp", help="folder for the servers' logs")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    results = {}
    for name, setting in (
        ("nothing cached (the app)", APP_SETTING),
        ("Streamlit's default", STREAMLIT_DEFAULT),
    ):
        log(f"{name}: {SETTING}={setting} ...")
        results[name] = measure(setting, args)
    off, on = results["nothing cached (the app)"], results["Streamlit's default"]
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.node()} ({platform.machine()})",
        "results": results,
        "play_ratio": round(off["play_bytes_per_s"] / max(1, on["play_bytes_per_s"]), 3),
        "rerun_ratio": round(off["rerun_bytes_each"] / max(1, on["rerun_bytes_each"]), 3),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for name, r in results.items():
            print(
                f"{name:26s} page load {r['load_bytes'] / 1e3:7.1f} kB, "
                f"playing {r['play_bytes_per_s'] / 1e3:6.1f} kB/s ({r['live_updates']} updates), "
                f"a full run of the paused page {r['rerun_bytes_each'] / 1e3:6.1f} kB"
                + (f", errors {r['errors'][:2]}" if r["errors"] else "")
            )
        print(
            f"nothing cached / cached: {summary['play_ratio']:.2f}x the bytes while playing, "
            f"{summary['rerun_ratio']:.2f}x per full run"
        )
    failed = any(r["errors"] for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
