"""A class of N students on the app with 2 workers sharing one SQLite file:
`python -m benchmarks.classroom_load [--students 30] [--results 5] [--workers 2] [--json]`.

What runs:
- the app, as the container runs it: docker/entrypoint.sh with WORKERS=2 (two Streamlit
  processes behind nginx, benchmarks/loadgen/server.py's AppServer), NEURAL_PLAYGROUND_DB_URL
  pointing both at one SQLite file in a temporary folder;
- the teacher's board page held open on each worker over Streamlit's websocket protocol
  (benchmarks/loadgen/protocol.py, `/classroom?teacher=<secret>`): its fragment re-reads the
  board every 2 s in both app processes, so both read the file while the students write it;
- the students: not through the pages (driving the join form and a Playground run over the raw
  protocol is a project of its own), but through the same `Store` the pages call, in 2 separate
  processes, one per worker, N/2 students each as threads. All join at once, then each sends
  R results (a better score each time, a second apart on average, at random);
- the teacher's poll: this process reads `Store.board` every POLL_S seconds and notes when each
  submission first shows as a student's best. Board latency = that moment minus the moment the
  submission's transaction committed (both wall-clock times of this machine). The page adds its
  own refresh period (BOARD_REFRESH_S = 2 s) on top: a projected board is at most that much
  later than this figure.

Printed: students served (joined and every result stored), results lost or duplicated (rows
counted in the database), board latency p50/p95/max, errors (a student's failed call, a "database
is locked", an error box or exception on the teacher's pages).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

POLL_S = 0.05
SUBMIT_GAP_S = (0.5, 1.5)  # a student's pause between two results (seconds, uniform)


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- students
def _student(url: str, code: str, number: int, results: int, start_at: float, out: list) -> None:
    from core.classroom.records import ClassroomError

    store = _STORES[url]
    rng = random.Random(number)
    time.sleep(max(0.0, start_at - time.time()))
    record = {"student": number, "joined": False, "submits": [], "errors": []}
    try:
        seat = store.join(code, f"Student {number:02d}")
        record["joined"] = True
        for attempt in range(results):
            time.sleep(rng.uniform(*SUBMIT_GAP_S))
            score = 0.5 + 0.45 * (attempt + 1) / results  # each result beats the last: the board shows it
            submission = store.submit(
                seat.member_token, "diverge", score, attempt == results - 1, 105, 10 * (attempt + 1), {}
            )
            record["submits"].append((submission.id, time.time()))
    except ClassroomError as error:  # StoreUnavailable covers "database is locked"
        record["errors"].append(f"{type(error).__name__}: {error.message} {getattr(error, 'detail', '')}")
    except Exception as error:  # noqa: BLE001 - anything else is an error of the run, counted
        record["errors"].append(f"{type(error).__name__}: {error}")
    out.append(record)


_STORES: dict = {}


def student_process(url: str, code: str, numbers: list[int], results: int, start_at: float, queue) -> None:
    """One app process's share of the class: its own Store (engine, pool), one thread a student."""
    from core.classroom.store import Store

    _STORES[url] = Store.open(url)
    out: list = []
    threads = [
        threading.Thread(target=_student, args=(url, code, n, results, start_at, out)) for n in numbers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _STORES[url].close()
    queue.put(out)


# ----------------------------------------------------------------------------- the teacher
def poll_board(store, secret: str, seen: dict, stop: threading.Event, reads: list) -> None:
    """Note when each submission id first shows on the board (wall-clock)."""
    while not stop.is_set():
        start = time.perf_counter()
        board = store.board(teacher_secret=secret)
        now = time.time()
        reads.append(time.perf_counter() - start)
        for challenge_board in board.challenges:
            for entry in challenge_board.entries:
                seen.setdefault(entry.submission_id, now)
        stop.wait(POLL_S)


async def teacher_pages(worker_urls: list[str], secret: str, stop_after: asyncio.Event):
    """The teacher's board page open on each worker; returns each client's stats."""
    from benchmarks.loadgen.coordination import Coordinator
    from benchmarks.loadgen.protocol import ProtocolClient
    from benchmarks.loadgen.stats import ClientStats

    coord = Coordinator(expected=len(worker_urls))
    coord.go.set()
    clients, stats = [], []
    for number, url in enumerate(worker_urls):
        one = ClientStats(name=f"teacher-board-{number}", kind="protocol", page="classroom")
        client = ProtocolClient(url, "classroom", one, coord, press_play=False, load_timeout=90)
        client.query_string = f"teacher={secret}"
        clients.append(client)
        stats.append(one)
    tasks = [asyncio.create_task(client.run()) for client in clients]
    await stop_after.wait()
    coord.stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


# ----------------------------------------------------------------------------- the run
def run(students: int, results: int, workers: int) -> dict:
    from sqlalchemy import func, select

    from benchmarks.loadgen.server import AppServer
    from core.classroom.schema import members, submissions
    from core.classroom.store import Store

    folder = Path(tempfile.mkdtemp(prefix="classroom-load-"))
    url = f"sqlite:///{folder / 'classroom.sqlite3'}"
    os.environ["NEURAL_PLAYGROUND_DB_URL"] = url  # the app's workers inherit it
    os.environ["NEURAL_PLAYGROUND_DATA"] = str(folder)
    server = AppServer(workers, log_path=folder / "server.log")
    log(f"starting the app with {workers} workers on {url}")
    server.start()
    try:
        store = Store.open(url)
        info, secret = store.create_class("Load test", ["diverge"])
        worker_urls = [f"http://127.0.0.1:{port}" for port in server.worker_ports]

        loop = asyncio.new_event_loop()
        stop_pages = asyncio.Event()
        page_box: list = []

        def hold_pages() -> None:
            page_box.append(loop.run_until_complete(teacher_pages(worker_urls, secret, stop_pages)))

        pages = threading.Thread(target=hold_pages)
        pages.start()
        time.sleep(8)  # both board pages loaded and ticking before the class starts

        seen: dict = {}
        reads: list = []
        stop = threading.Event()
        poller = threading.Thread(target=poll_board, args=(store, secret, seen, stop, reads))
        poller.start()

        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        start_at = time.time() + 5  # every process imported and connected: all start together
        shares = [list(range(students))[i::workers] for i in range(workers)]
        processes = [
            context.Process(
                target=student_process, args=(url, info.join_code, share, results, start_at, queue)
            )
            for share in shares
        ]
        for process in processes:
            process.start()
        records = [record for _ in processes for record in queue.get(timeout=300)]
        for process in processes:
            process.join(timeout=30)
        time.sleep(1.0)  # the last results reach the poll
        stop.set()
        poller.join()
        loop.call_soon_threadsafe(stop_pages.set)
        pages.join(timeout=60)
        page_stats = page_box[0] if page_box else []

        with store._engine.connect() as conn:  # noqa: SLF001 - counting rows is the point here
            rows = conn.execute(select(func.count()).select_from(submissions)).scalar_one()
            distinct = conn.execute(select(func.count(func.distinct(submissions.c.id)))).scalar_one()
            joined_rows = conn.execute(select(func.count()).select_from(members)).scalar_one()
        store.close()
    finally:
        server.stop()

    submitted = [(sid, t) for r in records for sid, t in r["submits"]]
    latencies = [seen[sid] - t for sid, t in submitted if sid in seen]
    student_errors = [e for r in records for e in r["errors"]]
    page_errors = [e for s in page_stats for e in s.errors] + [
        n for s in page_stats for n in s.notes if n.startswith("st.error")
    ]
    served = sum(1 for r in records if r["joined"] and len(r["submits"]) == results)
    if student_errors or page_errors:
        log(f"errors: the database and the server's log are kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "workers": workers,
        "students": students,
        "students_served": served,
        "results_sent": len(submitted),
        "results_expected": students * results,
        "rows_in_database": rows,
        "rows_distinct": distinct,
        "members_in_database": joined_rows,
        "board_seen": len(latencies),
        "board_latency_p50_ms": round(1000 * percentile(latencies, 0.5), 1),
        "board_latency_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "board_latency_max_ms": round(1000 * max(latencies, default=float("nan")), 1),
        "board_read_p50_ms": round(1000 * statistics.median(reads), 1) if reads else None,
        "teacher_page_refreshes": [s.updates_total for s in page_stats],
        "teacher_page_notes": [n for s in page_stats for n in s.notes][:5],
        "errors": len(student_errors) + len(page_errors),
        "error_samples": (student_errors + page_errors)[:5],
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--results", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.students, args.results, args.workers)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['workers']} workers, one SQLite file: {result['students_served']}/{result['students']} "
            f"students served, {result['rows_in_database']}/{result['results_expected']} results stored "
            f"({result['rows_distinct']} distinct); board latency p50 {result['board_latency_p50_ms']} ms, "
            f"p95 {result['board_latency_p95_ms']} ms (poll every {POLL_S * 1000:.0f} ms, the page adds "
            f"up to 2 s); teacher page refreshes per worker {result['teacher_page_refreshes']}; "
            f"errors {result['errors']} {result['error_samples']}"
        )
    return result


if __name__ == "__main__":
    main()
