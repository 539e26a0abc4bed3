"""What one refresh of the teacher's live board costs: `python -m benchmarks.classroom_board
[--students N] [--results R] [--repeats K] [--json]`.

The board (app_pages/classroom_parts/board.py) re-runs every 2 s while a teacher's page is open;
each run reads the whole class (`Store.board`, one query) and builds one table per challenge.
This fills a fresh SQLite file (in a temporary folder, as the app's default database is) with
a class of all the built-in challenges, N students and R results per student and Playground
challenge, then times that read and the tables, median of K runs, in milliseconds. The page's
own drawing (Streamlit's elements, the websocket) is not included.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from app_pages.classroom_parts.board import table
from core.classroom.challenges import BUILT_IN
from core.classroom.store import Store


def fill(store: Store, students: int, results: int) -> str:
    """A class with every built-in challenge and `results` results per student and challenge."""
    keys = [c.key for c in BUILT_IN]
    info, secret = store.create_class("Benchmark", keys)
    store.submissions_per_minute = students * results * len(keys) + 1  # no limit while filling
    for number in range(students):
        seat = store.join(info.join_code, f"Student {number}")
        for key in keys:
            for attempt in range(results):
                score = 0.5 + 0.4 * attempt / max(1, results - 1)
                store.submit(seat.member_token, key, score, score > 0.85, 100 + number, 50 * attempt, {})
    return secret


def board_ms(store: Store, secret: str, repeats: int) -> tuple[float, float]:
    """(median ms of Store.board, median ms of building its tables)."""
    reads, tables = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        board = store.board(teacher_secret=secret)
        middle = time.perf_counter()
        for challenge_board in board.challenges:
            table(challenge_board)
        end = time.perf_counter()
        reads.append((middle - start) * 1000)
        tables.append((end - middle) * 1000)
    return statistics.median(reads), statistics.median(tables)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--results", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(f"sqlite:///{Path(folder) / 'classroom.sqlite3'}") as store:
            secret = fill(store, args.students, args.results)
            read, build = board_ms(store, secret, args.repeats)
    result = {
        "students": args.students,
        "challenges": len(BUILT_IN),
        "results": args.students * args.results * len(BUILT_IN),
        "board_read_ms": round(read, 2),
        "tables_ms": round(build, 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['students']} students, {result['challenges']} challenges, {result['results']} results: "
            f"board read {read:.1f} ms, tables {build:.1f} ms (median of {args.repeats})"
        )
    return result


if __name__ == "__main__":
    main()
