"""Classroom load test: N students press Play on the Playground at once.

    python -m benchmarks.load_test --clients 30 --seconds 60 --workers 1 2 [--json]

For each worker count it starts the app itself (docker/entrypoint.sh with WORKERS=N on a free
127.0.0.1 port: N Streamlit processes behind nginx with sticky sessions; WORKERS=1 is a plain
`streamlit run`), warms every worker up, then runs the students:

- a few real browsers (headless Chromium via Playwright): `--browsers` on /playground and
  `--draw-browsers` on /draw (drawing a stroke every ~1.5 s);
- the rest are protocol clients (benchmarks/loadgen/protocol.py): Streamlit's websocket
  protocol without a browser, following the page's `run_every` interval as the browser does
  (re-read on every AutoRerun, so the adaptive interval is honoured).

Everyone loads the page first; then all press Play at the same moment and the measurement
window (`--seconds`) starts. An "update" is one completed run of the live fragment delivered to
the client (script_finished FINISHED_FRAGMENT_RUN_SUCCESSFULLY). Reported per worker count:
total delivered updates per second, min/median/max per Playground client, errors (exceptions,
disconnects, stalls > 10 s without an update, pages that failed to load), the Streamlit
processes' summed RSS (start of window, peak) and CPU; then the ratio total(2)/total(1) and the
issue's targets. All traffic goes to 127.0.0.1 and everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from pathlib import Path

from benchmarks.loadgen.classroom import log, run_load, warm_up
from benchmarks.loadgen.server import (
    REPO,
    AppServer,
    ResourceMonitor,
    descendants,
    established_connections,
    machine_busy_seconds,
    tree_cpu_seconds,
)
from benchmarks.loadgen.stats import summarize

TARGET_MIN_RATE = 1.0  # updates (fragment runs) per second, every client
TARGET_MIN_FRAMES = 5.0  # visual updates (live canvas frames) per second, every client
TARGET_MIN_EPOCHS = 20.0  # epochs per second, every client
TARGET_RATIO = 1.6  # total frames(2 workers) / total frames(1 worker)


def measure(workers: int, args) -> dict:
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    server = AppServer(
        workers, app_dir=Path(args.app_dir), log_path=log_dir / f"load_test_server_w{workers}.log"
    )
    log(f"[workers={workers}] starting the app ...")
    t = time.monotonic()
    server.start()
    log(f"  up on {server.url} in {time.monotonic() - t:.1f} s (workers on {server.worker_ports})")
    monitor = ResourceMonitor(server.proc.pid)
    try:
        direct = [f"http://127.0.0.1:{p}" for p in server.worker_ports]
        warm = asyncio.run(warm_up(direct, args.page))
        if args.page and warm["app_pages"] and args.page not in warm["app_pages"]:
            log(f"  NOTE: /{args.page} is not a page of the app (pages: {warm['app_pages']})")
        monitor.start()
        me = os.getpid()
        marks = {}

        def gen_cpu_mark(name):
            # The load generator's own CPU: this process and its children (Chromium and
            # Playwright's driver), without the server's process tree.
            server_tree = set(descendants(server.proc.pid))
            marks[name] = (
                time.monotonic(),
                tree_cpu_seconds(me, server_tree),
                machine_busy_seconds(),
                os.getloadavg()[0],
            )

        trace = [] if args.trace else None
        stats, extra = asyncio.run(
            run_load(
                server.url,
                args.clients,
                args.seconds,
                browsers=args.browsers,
                draw_browsers=args.draw_browsers,
                page=args.page,
                play_label=args.play_label,
                connect_spread=args.connect_spread,
                load_timeout=args.load_timeout,
                stall_after=args.stall_after,
                browser_nice=args.browser_nice,
                server_pids=descendants(server.proc.pid),
                on_window=lambda t0, t1: gen_cpu_mark("start"),
                on_stop=lambda: gen_cpu_mark("end"),
                on_midway=lambda: marks.__setitem__(
                    "sessions", list(established_connections(server.worker_ports).values())
                ),
                trace=trace,
            )
        )
        if trace:
            path = log_dir / f"load_test_trace_w{workers}.txt"
            t_base = trace[0][0]
            path.write_text("".join(f"{t - t_base:9.3f} {what}\n" for t, what in trace))
            log(f"  timeline of every protocol client in {path}")
        t0, t1 = extra.pop("window")
        res = monitor.window(t0, t1)
        gen_cpu = machine = None
        if "start" in marks and "end" in marks:
            (ta, ca, ma, _), (tb, cb, mb, load1) = marks["start"], marks["end"]
            gen_cpu = round((cb - ca) / max(1e-6, tb - ta), 2)
            machine = round((mb - ma) / max(1e-6, tb - ta), 2)
            marks["load1"] = load1
    finally:
        monitor.stop()
        server.stop()
        log(f"  stopped the app (log: {server.log_path})")
    summary = summarize(stats, args.seconds)
    summary.update(res)
    summary.update(extra)
    summary["workers"] = workers
    summary["loadgen_cpu_cores_approx"] = gen_cpu
    # Everything else on the machine (other people's tests share these 2 cores): machine busy
    # cores minus the app's and the load generator's.
    summary["machine_busy_cores"] = machine
    summary["load_avg_1min_at_end"] = marks.get("load1")
    if machine is not None and gen_cpu is not None:
        summary["other_processes_cores"] = round(
            max(0.0, machine - gen_cpu - res["cpu_cores_streamlit"] - res["cpu_cores_nginx"]), 2
        )
    summary["connections_per_worker_midway"] = marks.get("sessions")
    summary["warmup_errors"] = warm["errors"][:5]
    summary["clients_detail"] = [s.as_dict(args.seconds) for s in stats]
    return summary


# ----------------------------------------------------------------------------- report
def app_fingerprint(app_dir: Path) -> dict:
    """Short hashes of the files that decide the figures (the tree changes under development)."""
    import hashlib

    out = {}
    for rel in (
        "app.py",
        "app_pages/playground.py",
        "app_pages/playground_parts/live.py",
        "core/playground/pacing.py",
        "core/playground/session.py",
        "core/playground/build.py",
    ):
        try:
            out[rel] = hashlib.sha1((app_dir / rel).read_bytes()).hexdigest()[:10]
        except OSError:
            out[rel] = None
    return out


def table(results: list[dict]) -> str:
    head = (
        f"{'workers':>7} {'clients':>7} {'browsers':>8} {'total/s':>8} {'min/s':>6} "
        f"{'median/s':>8} {'max/s':>6} {'<1/s':>5} {'frames/s':>8} {'min fr/s':>8} "
        f"{'min ep/s':>8} {'med ep/s':>8} {'errors':>6} {'RSS start MB':>12} "
        f"{'RSS peak MB':>11} {'CPU app':>7} {'CPU gen':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['workers']:>7} {r['clients']:>7} {r['browsers']:>8} "
            f"{r['total_updates_per_s']:>8.1f} {r['per_client_min']:>6.2f} "
            f"{r['per_client_median']:>8.2f} {r['per_client_max']:>6.2f} "
            f"{r['clients_below_1_per_s']:>5} {r['total_frames_per_s']:>8.1f} "
            f"{r['frames_per_s_min']:>8.2f} {r['epochs_per_s_min']:>8.1f} "
            f"{r['epochs_per_s_median']:>8.1f} {r['errors']:>6} {r['rss_start_mb']:>12.0f} "
            f"{r['rss_peak_mb']:>11.0f} {r['cpu_cores_streamlit']:>7.2f} "
            f"{(r['loadgen_cpu_cores_approx'] or 0):>7.2f}"
        )
    return "\n".join(lines)


def targets(results: list[dict]) -> dict:
    by_w = {r["workers"]: r for r in results}
    out = {}
    for w, r in by_w.items():
        out[f"zero_errors_w{w}"] = r["errors"] == 0
        out[f"every_client_ge_1_w{w}"] = r["per_client_min"] >= TARGET_MIN_RATE
        out[f"every_client_ge_5_frames_w{w}"] = r["frames_per_s_min"] >= TARGET_MIN_FRAMES
        out[f"every_client_ge_20_epochs_w{w}"] = r["epochs_per_s_min"] >= TARGET_MIN_EPOCHS
    if 1 in by_w and 2 in by_w and by_w[1]["total_frames_per_s"] > 0:
        ratio = by_w[2]["total_frames_per_s"] / by_w[1]["total_frames_per_s"]
        out["ratio_2_over_1"] = round(ratio, 2)
        out["ratio_ge_1_6"] = ratio >= TARGET_RATIO
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=30, help="students in all (default 30)")
    p.add_argument("--seconds", type=float, default=60.0, help="measurement window (default 60)")
    p.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="worker counts to measure, each on a fresh server (default: 1 2)",
    )
    p.add_argument(
        "--browsers", type=int, default=2, help="real Chromium students on the Playground (default 2)"
    )
    p.add_argument(
        "--draw-browsers", type=int, default=1, help="real Chromium students drawing on /draw (default 1)"
    )
    p.add_argument(
        "--browser-nice",
        type=int,
        default=10,
        help="CPU niceness of the Chromium students (default 10; 0 = same priority as "
        "the server). In a classroom the browsers run on the students' machines; "
        "here they share the server's 2 cores, so by default they yield to it.",
    )
    p.add_argument("--page", default="playground", help="URL path of the page (default playground)")
    p.add_argument("--play-label", default="Play", help="label of the button to press")
    p.add_argument(
        "--connect-spread",
        type=float,
        default=3.0,
        help="protocol clients connect spread over this many seconds (default 3)",
    )
    p.add_argument("--load-timeout", type=float, default=90.0)
    p.add_argument(
        "--stall-after",
        type=float,
        default=10.0,
        help="an update gap longer than this during the window is an error",
    )
    p.add_argument("--app-dir", default=str(REPO), help="directory with app.py (default: repo)")
    p.add_argument("--log-dir", default=str(REPO / "artifacts"), help="server logs go here")
    p.add_argument("--per-client", action="store_true", help="print every client's figures")
    p.add_argument(
        "--trace",
        action="store_true",
        help="write the timeline of the protocol clients (each line names its client) to the log dir",
    )
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    args = p.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or min(args.workers) < 1:
        p.error("--clients, --seconds and --workers must be positive")

    results = []
    for w in args.workers:
        results.append(measure(w, args))
    print(table(results))
    for r in results:
        extras = []
        if "interval_last_median_s" in r:
            extras.append(f"run_every median {r['interval_last_median_s']} s")
        if "browser_rendered_per_s" in r:
            extras.append(f"browsers rendered epoch changes/s {r['browser_rendered_per_s']}")
        if r.get("draw_clients"):
            extras.append(
                f"draw: {r['draw_answers']} answers, latency p50 "
                f"{r['draw_latency_p50_s']} s, max {r['draw_latency_max_s']} s"
            )
        extras.append(f"CPU per worker {r['cpu_cores_per_worker']}, nginx {r['cpu_cores_nginx']}")
        extras.append(f"connections per worker {r['connections_per_worker_midway']}")
        extras.append(
            f"machine busy {r.get('machine_busy_cores')} cores of {os.cpu_count()}, "
            f"other processes {r.get('other_processes_cores')}"
        )
        extras.append(f"loaded in {r['load_seconds']} s")
        extras.append(f"Play -> first update max {r['first_update_max_s']} s")
        extras.append(f"full app runs in window {r['full_runs_in_window']}")
        print(f"  workers={r['workers']}: " + "; ".join(extras))
        errs = [(c["name"], c["error_samples"]) for c in r["clients_detail"] if c["errors"]]
        for name, samples in errs[:8]:
            print(f"    {name}: {samples[:3]}")
        notes = sorted({n for c in r["clients_detail"] for n in c.get("notes", [])})
        for n in notes[:6]:
            print(f"    note: {n}")
        if args.per_client:
            for c in r["clients_detail"]:
                print(
                    f"    {c['name']:>16} {c['page']:>10} {c['updates_per_s']:6.2f}/s "
                    f"errors={c['errors']} full_runs={c['full_runs_in_window']} "
                    f"first={c['first_update_s']} intervals={c.get('interval_first_s')}"
                    f"->{c.get('interval_last_s')}"
                )
    tg = targets(results)
    if "ratio_2_over_1" in tg:
        print(f"ratio total(2)/total(1) = {tg['ratio_2_over_1']:.2f} (target >= {TARGET_RATIO})")
    print("targets: " + ", ".join(f"{k}={v}" for k, v in tg.items()))
    if args.json:
        out = {
            "clients": args.clients,
            "seconds": args.seconds,
            "browser_nice": args.browser_nice,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "app_files_sha1": app_fingerprint(Path(args.app_dir)),
            "results": results,
            "targets": tg,
        }
        print(json.dumps(out))
    ok = all(v for k, v in tg.items() if isinstance(v, bool))
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
