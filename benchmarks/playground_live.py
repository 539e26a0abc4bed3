"""Playground liveness soak: one student presses Play and watches for minutes.

    python -m benchmarks.playground_live [--seconds 300] [--sample 30] [--query "?epu=30"]
                                         [--url http://127.0.0.1:8501] [--json]

Starts `streamlit run app.py` on a free 127.0.0.1 port (unless --url is given), opens
/playground in headless Chromium (Debian's /usr/bin/chromium), presses Play and measures, per
sampling window and in total:

- visual updates per second: changes of the epoch counter seen by a MutationObserver;
- epochs per second: the counter's progress;
- server CPU per update: the Streamlit process's user+system time (/proc) over the updates;
- server RSS (/proc/<pid>/status) and the page's JS heap (after a forced GC, Chromium's
  --expose-gc) at the start and the end, to show that neither grows over a long run.

Not part of the test suite (it takes minutes); the numbers go in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--js-flags=--expose-gc",
]

# Visual updates: the live canvas counts the frames it draws (window.__npLiveFrames); a page
# without it (an older version) is measured by changes of the epoch counter.
OBSERVER_JS = """() => {
    window.__updates = 0;
    window.__framesAtStart = window.__npLiveFrames || 0;
    window.__npFrameTimes = [];
    const value = () => document.querySelector('[data-testid=stMetricValue]');
    let last = value() && value().innerText;
    new MutationObserver(() => {
        const now = value() && value().innerText;
        if (now !== last) { last = now; if (window.__npLiveFrames === undefined) window.__updates += 1; }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


UPDATES_JS = (
    "() => window.__npLiveFrames === undefined ? window.__updates "
    ": window.__npLiveFrames - window.__framesAtStart"
)
# The gaps between drawn frames (ms), for their spacing: the 50th and 95th percentiles.
GAPS_JS = """() => { const t = window.__npFrameTimes || []; const g = [];
    for (let i = 1; i < t.length; i++) g.push(t[i] - t[i - 1]); g.sort((a, b) => a - b);
    const q = (p) => g.length ? g[Math.min(g.length - 1, Math.floor(p * g.length))] : NaN;
    return [q(0.5), q(0.95), g.length]; }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_healthy(base: str, process=None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{base} did not become healthy")


def epoch(page) -> int:
    text = (
        page.locator("[data-testid=stMetric]")
        .filter(has_text="Epoch")
        .locator("[data-testid=stMetricValue]")
        .inner_text()
    )
    return int(text.replace(",", ""))


def js_heap_mb(page) -> float:
    return page.evaluate(
        "() => { if (window.gc) window.gc(); "
        "return performance.memory ? performance.memory.usedJSHeapSize / 1e6 : NaN; }"
    )


def update_log_lines(path: Path | None) -> list[dict]:
    if path is None or not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def thread_costs(lines: list[dict]) -> dict:
    """Per visual update (frame), from the server's own log of its live updates: the script
    thread's CPU (time.thread_time around the whole update: training, frames, the payload and
    the elements), its training part, and the bytes sent."""
    frames = sum(line["frames"] for line in lines)
    if not frames:
        return {}
    cpu = sum(line["cpu_ms"] for line in lines)
    train = sum(line["train_ms"] for line in lines)
    return {
        "updates_logged": len(lines),
        "frames_per_update": round(frames / len(lines), 1),
        "thread_cpu_ms_per_frame": round(cpu / frames, 2),
        "thread_cpu_ms_per_frame_without_training": round((cpu - train) / frames, 2),
        "bytes_per_frame": round(sum(line["bytes"] for line in lines) / frames),
    }


def run(
    base: str, pid: int | None, seconds: float, sample: float, query: str, log: Path | None = None
) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(base + "/", wait_until="domcontentloaded")  # see the report: deep links
            page.wait_for_timeout(3000)
            page.goto(f"{base}/playground{query}", wait_until="domcontentloaded")
            page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=60_000)
            page.wait_for_timeout(2000)
            page.get_by_role("button", name="▶ Play").click()
            page.get_by_role("button", name="⏸ Pause").wait_for(timeout=30_000)
            page.wait_for_timeout(3000)  # warm up
            page.evaluate(OBSERVER_JS)
            logged_before = len(update_log_lines(log))
            start = {
                "t": time.monotonic(),
                "epoch": epoch(page),
                "updates": 0,
                "cpu": cpu_seconds(pid) if pid else float("nan"),
                "rss": rss_mb(pid) if pid else float("nan"),
                "heap": js_heap_mb(page),
            }
            rows, previous = [], dict(start)
            print(
                f"{'t (s)':>6} {'updates/s':>10} {'epochs/s':>9} {'CPU ms/update':>14} "
                f"{'server RSS MB':>14} {'JS heap MB':>11}",
                flush=True,
            )
            while time.monotonic() - start["t"] < seconds:
                page.wait_for_timeout(min(sample, seconds - (time.monotonic() - start["t"])) * 1000)
                now = {
                    "t": time.monotonic(),
                    "epoch": epoch(page),
                    "updates": page.evaluate(UPDATES_JS),
                    "cpu": cpu_seconds(pid) if pid else float("nan"),
                    "rss": rss_mb(pid) if pid else float("nan"),
                    "heap": js_heap_mb(page),
                }
                dt = now["t"] - previous["t"]
                du = now["updates"] - previous["updates"]
                row = {
                    "t": round(now["t"] - start["t"], 1),
                    "updates_per_s": du / dt,
                    "epochs_per_s": (now["epoch"] - previous["epoch"]) / dt,
                    "cpu_ms_per_update": 1000 * (now["cpu"] - previous["cpu"]) / max(du, 1),
                    "server_rss_mb": now["rss"],
                    "js_heap_mb": now["heap"],
                }
                rows.append(row)
                print(
                    f"{row['t']:6.0f} {row['updates_per_s']:10.1f} {row['epochs_per_s']:9.0f} "
                    f"{row['cpu_ms_per_update']:14.1f} {row['server_rss_mb']:14.1f} "
                    f"{row['js_heap_mb']:11.1f}",
                    flush=True,
                )
                previous = now
            end = previous
            logged = update_log_lines(log)[logged_before:]
            gaps = page.evaluate(GAPS_JS)
            page.get_by_role("button", name="⏸ Pause").click()
        finally:
            browser.close()
    elapsed = end["t"] - start["t"]
    return {
        "seconds": round(elapsed, 1),
        "query": query,
        "updates_per_s": end["updates"] / elapsed,
        "epochs_per_s": (end["epoch"] - start["epoch"]) / elapsed,
        "cpu_ms_per_update": 1000 * (end["cpu"] - start["cpu"]) / max(end["updates"], 1),
        "server_cpu_share": (end["cpu"] - start["cpu"]) / elapsed,
        "frame_gap_ms_p50_p95": [round(gaps[0], 1), round(gaps[1], 1)],
        **thread_costs(logged),
        "server_rss_mb": [round(start["rss"], 1), round(end["rss"], 1)],
        "js_heap_mb": [round(start["heap"], 1), round(end["heap"], 1)],
        "windows": rows,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--sample", type=float, default=30.0, help="seconds per printed window")
    parser.add_argument(
        "--query",
        default="?ds=moons&n=500&layers=8,8&act=tanh,tanh&epu=30",
        help="the Playground's URL query (the configuration)",
    )
    parser.add_argument("--url", help="an already running app (its server CPU/RSS are not measured)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)

    process, log, update_log = None, None, None
    if args.url:
        base, pid = args.url.rstrip("/"), None
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (
            open(REPO / "artifacts" / "playground_live_server.log", "wb")
            if (REPO / "artifacts").is_dir()
            else subprocess.DEVNULL
        )
        update_log = Path(tempfile.mkdtemp()) / "updates.jsonl"
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
            env={**os.environ, "NEURAL_PLAYGROUND_UPDATE_LOG": str(update_log)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        pid = process.pid
    try:
        wait_healthy(base, process)
        summary = run(base, pid, args.seconds, args.sample, args.query, update_log)
    finally:
        if process is not None:  # stop the server we started, by its handle
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            if log not in (None, subprocess.DEVNULL):
                log.close()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"\nPlayground live, {summary['seconds']} s ({summary['query']}): "
            f"{summary['updates_per_s']:.1f} updates/s, {summary['epochs_per_s']:.0f} epochs/s, "
            f"server CPU {summary['cpu_ms_per_update']:.0f} ms/update "
            f"({summary['server_cpu_share']:.0%} of a core); gaps between frames p50 "
            f"{summary['frame_gap_ms_p50_p95'][0]} ms, p95 {summary['frame_gap_ms_p50_p95'][1]} ms; "
            "server RSS "
            f"{summary['server_rss_mb'][0]} -> {summary['server_rss_mb'][1]} MB; JS heap "
            f"{summary['js_heap_mb'][0]} -> {summary['js_heap_mb'][1]} MB"
        )
        if "thread_cpu_ms_per_frame" in summary:
            print(
                f"Server script thread per visual update: {summary['thread_cpu_ms_per_frame']} ms "
                f"({summary['thread_cpu_ms_per_frame_without_training']} ms without the training), "
                f"{summary['frames_per_update']} frames per update, "
                f"{summary['bytes_per_frame']} bytes per frame"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
