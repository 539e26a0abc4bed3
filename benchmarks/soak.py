"""Soak: many students, one after another, connect, train for a few seconds and leave.

    python -m benchmarks.soak [--sessions 100] [--train-seconds 3] [--settle 45] [--json]

Starts `streamlit run app.py` (the image's STREAMLIT_* settings, benchmarks/loadgen/server.py) on
a free 127.0.0.1 port, then runs `--sessions` students in turn over Streamlit's websocket protocol
(benchmarks/loadgen/protocol.py, no browser): each opens /playground, presses Play, trains for
`--train-seconds` and disconnects. The server's RSS (VmRSS of /proc/<pid>/status) is read

- at the start: after one warm-up session has come and gone, `--settle` seconds passed and one
  visit of the home page (see below), so imports, caches and the first session's allocations
  are not counted as growth;
- every 10 sessions (the trajectory);
- at the end: after the last session left, the same `--settle` seconds and the same visit.

Streamlit keeps a disconnected session (its st.session_state: a student's network and data)
for `server.disconnectedSessionTTL` (the image sets 30 s; Streamlit's default is 120 s) in case
the browser reconnects, at most 128 of them, and drops expired ones only when it next stores one
(a TTL cache that expires lazily). A dropped session is a web of reference cycles, freed by the
app's collector thread within 10 s (core/runtime.py). Hence the settle (default 45 s: past the
TTL and one collection) and then the visit, whose disconnect makes Streamlit drop the expired
sessions: the end sample counts no student's session, only what stayed behind. The issue's
target (issue 20 item 9): end/start within 10 %.

Exit code 0 when every session trained without an error and the target holds, 1 otherwise.
All traffic goes to 127.0.0.1; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.loadgen.coordination import Coordinator
from benchmarks.loadgen.protocol import ProtocolClient
from benchmarks.loadgen.server import REPO, AppServer
from benchmarks.loadgen.stats import ClientStats

TARGET_RATIO = 1.10  # end RSS / start RSS
TRAJECTORY_EVERY = 10  # sessions between two RSS samples along the way


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def vm_rss_bytes(pid: int) -> int:
    """The resident set size the kernel reports for pid (VmRSS in /proc/<pid>/status)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                value, unit = line.split()[1:3]
                assert unit == "kB", f"unexpected VmRSS unit {unit!r}"
                return int(value) * 1024
    raise RuntimeError(f"no VmRSS line for process {pid} (a zombie?)")


@dataclass
class SessionOutcome:
    """What one student of the soak saw."""

    index: int
    seconds: float
    updates: int
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


async def one_session(url: str, page: str, train_seconds: float, load_timeout: float, index: int):
    """Connect, load the page, press Play, train for train_seconds, leave."""
    started = time.monotonic()
    stats = ClientStats(name=f"soak-{index}", kind="protocol", page=page)
    coord = Coordinator(expected=1)
    client = ProtocolClient(url, page, stats, coord, load_timeout=load_timeout, stall_after=train_seconds + 5)
    task = asyncio.ensure_future(client.run())
    try:
        await asyncio.wait_for(coord.all_ready.wait(), load_timeout + 40)
    except TimeoutError:
        stats.error(f"not ready within {load_timeout + 40:.0f} s")
    coord.window.start = time.monotonic()
    coord.window.end = coord.window.start + train_seconds
    coord.go.set()
    await asyncio.sleep(train_seconds)
    coord.stop.set()
    try:
        await asyncio.wait_for(task, 30)
    except TimeoutError:
        stats.error("did not leave within 30 s")
    except Exception as exc:  # noqa: BLE001 - a crashed client is this session's error, reported
        stats.error(f"client crashed: {exc!r}"[:300])
    errors = list(stats.errors)
    if not stats.ready:
        errors.append("page never became ready")
    elif not stats.play_pressed:
        errors.append(f"no Play control found ({'; '.join(stats.notes[:2])})")
    elif stats.updates_total == 0:
        errors.append(f"no live update in {train_seconds:g} s of training")
    errors += [note for note in stats.notes if note.startswith("st.error")]
    return SessionOutcome(index, round(time.monotonic() - started, 2), stats.updates_total, errors)


async def visit_home(url: str, load_timeout: float) -> list:
    """Load the home page once and leave; returns the visit's errors. Leaving stores this
    session in Streamlit's disconnected-session cache, which drops the expired ones then."""
    stats = ClientStats(name="visit", kind="protocol", page="")
    coord = Coordinator(expected=1)
    coord.go.set()
    coord.stop.set()
    await ProtocolClient(url, "", stats, coord, press_play=False, load_timeout=load_timeout).run()
    await asyncio.sleep(2)  # the server notices the closed websocket
    return list(stats.errors)


async def settled_rss(url: str, pid: int, args) -> int:
    log(f"settling {args.settle:g} s, then one visit of the home page ...")
    await asyncio.sleep(args.settle)
    errors = await visit_home(url, args.load_timeout)
    if errors:
        log(f"  the visit saw errors: {errors[:3]}")
    return vm_rss_bytes(pid)


async def soak(url: str, pid: int, args) -> dict:
    mb = 2**20
    log("warm-up session ...")
    warm = await one_session(url, args.page, args.train_seconds, args.load_timeout, 0)
    log(f"  warm-up: {warm.updates} updates, errors {warm.errors or 'none'}")
    rss_start = await settled_rss(url, pid, args)
    log(f"RSS start: {rss_start / mb:.1f} MB")
    outcomes, trajectory = [], [(0, round(rss_start / mb, 1))]
    t0 = time.monotonic()
    for i in range(1, args.sessions + 1):
        outcome = await one_session(url, args.page, args.train_seconds, args.load_timeout, i)
        outcomes.append(outcome)
        verdict = "ok" if outcome.ok else "ERROR " + " | ".join(outcome.errors)[:300]
        log(f"  session {i:3d}: {outcome.seconds:5.1f} s, {outcome.updates:3d} updates, {verdict}")
        if i % TRAJECTORY_EVERY == 0 or i == args.sessions:
            trajectory.append((i, round(vm_rss_bytes(pid) / mb, 1)))
            log(f"    RSS after {i} sessions: {trajectory[-1][1]:.1f} MB")
    sessions_seconds = time.monotonic() - t0
    log("all sessions left")
    rss_end = await settled_rss(url, pid, args)
    ratio = rss_end / rss_start
    failed = [o for o in outcomes if not o.ok]
    updates = sorted(o.updates for o in outcomes)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.node()} ({platform.machine()}, {len(os.sched_getaffinity(0))} cores)",
        "sessions": args.sessions,
        "train_seconds": args.train_seconds,
        "settle_seconds": args.settle,
        "sessions_wall_seconds": round(sessions_seconds, 1),
        "rss_start_mb": round(rss_start / mb, 1),
        "rss_end_mb": round(rss_end / mb, 1),
        "rss_peak_along_the_way_mb": max(mb_ for _, mb_ in trajectory),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "trajectory_mb": trajectory,
        "sessions_ok": len(outcomes) - len(failed),
        "sessions_failed": len(failed),
        "failures": [{"session": o.index, "errors": o.errors[:3]} for o in failed[:20]],
        "updates_per_session_min_median_max": (
            [updates[0], updates[len(updates) // 2], updates[-1]] if updates else []
        ),
        "warm_up_errors": warm.errors,
        "server_env": dict(args.server_env_pairs),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100, help="students, one after another (default 100)")
    parser.add_argument(
        "--train-seconds", type=float, default=3.0, help="training time per student (default 3)"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=45.0,
        help="seconds to wait before each RSS reading (default 45: past the image's 30 s session TTL "
        "and the app's 10 s garbage collection)",
    )
    parser.add_argument("--page", default="playground", help="URL path of the page (default playground)")
    parser.add_argument("--load-timeout", type=float, default=60.0, help="seconds for a page to load")
    parser.add_argument("--log-dir", default="/tmp", help="folder for the server's log (default /tmp)")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra environment variable for the server, over the image's settings, "
        "e.g. STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL=30, MALLOC_ARENA_MAX=2 or "
        "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 (repeatable)",
    )
    parser.add_argument(
        "--url", help="soak an app already running on this machine instead (with --pid); e.g. a profiler's"
    )
    parser.add_argument("--pid", type=int, help="with --url: the Streamlit process whose RSS is read")
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.train_seconds <= 0 or args.settle < 0:
        parser.error("--sessions must be >= 1, --train-seconds > 0 and --settle >= 0")
    server_env = {}
    for item in args.server_env:
        name, equals, value = item.partition("=")
        if not equals or not name.isidentifier():
            parser.error(f"--server-env wants NAME=VALUE; got {item!r}")
        server_env[name] = value
    args.server_env_pairs = sorted(server_env.items())

    if args.url:
        if not args.pid:
            parser.error("--url needs --pid: the server process whose RSS is read")
        if not args.url.startswith(("http://127.", "http://localhost")):
            parser.error("--url must be a server on this machine (http://127.x.x.x:PORT)")
        result = asyncio.run(soak(args.url.rstrip("/"), args.pid, args))
        return report(result, args.json)

    log_path = Path(args.log_dir) / "soak_server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # extra_env goes over the image's settings: --server-env STREAMLIT_RUNNER_POST_SCRIPT_GC=true
    # really changes what the Dockerfile sets (through this process's environment it would not).
    server = AppServer(1, app_dir=REPO, log_path=log_path, use_entrypoint=False, extra_env=server_env)
    log(f"starting streamlit run app.py (log: {log_path}) ...")
    server.start()
    log(f"  up on {server.url}, server pid {server.proc.pid}")
    try:
        result = asyncio.run(soak(server.url, server.proc.pid, args))
    finally:
        server.stop()
    return report(result, args.json)


def report(result: dict, as_json: bool) -> int:
    """Print the result; 0 when every session was fine and the RSS target holds, else 1."""
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"soak: {result['sessions']} sessions x {result['train_seconds']:g} s training, "
            f"settle {result['settle_seconds']:g} s, {result['sessions_wall_seconds']:.0f} s of sessions"
            + "".join(f", {name}={value}" for name, value in result["server_env"].items())
        )
        print(
            f"  server RSS start {result['rss_start_mb']:.1f} MB, end {result['rss_end_mb']:.1f} MB, "
            f"ratio {result['ratio']:.3f} (target <= {TARGET_RATIO}); "
            f"highest along the way {result['rss_peak_along_the_way_mb']:.1f} MB"
        )
        print(
            "  RSS trajectory (sessions, MB): " + ", ".join(f"{n}: {v}" for n, v in result["trajectory_mb"])
        )
        print(
            f"  sessions ok {result['sessions_ok']}, failed {result['sessions_failed']}; updates per "
            f"session min/median/max {result['updates_per_session_min_median_max']}"
        )
        for failure in result["failures"]:
            print(f"  session {failure['session']}: {' | '.join(failure['errors'])}")
    good = result["sessions_failed"] == 0 and result["ratio"] <= TARGET_RATIO
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
