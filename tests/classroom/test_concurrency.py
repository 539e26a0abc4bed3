"""30 students at once: threads on SQLite and PostgreSQL, and two app processes on one SQLite file.

The classroom's worst moment is the start of a lesson: everybody joins and sends a first result
within seconds, from several Streamlit workers (processes) sharing one SQLite file. Checked: no
row lost or doubled, and no "database is locked" (nor any other error) reaches a student.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from core.classroom.database import create_store_engine
from core.classroom.store import Store
from tests.paths import REPO_ROOT

STUDENTS = 30
SUBMISSIONS_EACH = 2
PROCESS_TIMEOUT_S = 60


def _student_runs(store: Store, join_code: str, names: list[str], start: threading.Barrier | None):
    """Each name joins and submits SUBMISSIONS_EACH results, one thread per name, all at once."""

    def run(name: str) -> tuple[str, str | None]:
        if start is not None:
            start.wait()
        try:
            member = store.join(join_code, name)
            for attempt in range(SUBMISSIONS_EACH):
                store.submit(
                    member.member_token,
                    "xor",
                    0.5 + attempt / 10,
                    attempt == 1,
                    17,
                    100 + attempt,
                    {"name": name, "attempt": attempt},
                )
        except Exception as err:  # noqa: BLE001 (collected: the tests assert there is none)
            return name, f"{type(err).__name__}: {err} {getattr(err, 'detail', '')}"
        return name, None

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return list(pool.map(run, names))


def _counts(db_url: str) -> tuple[list[str], int, int]:
    engine = create_store_engine(db_url)
    try:
        with engine.connect() as conn:
            names = (
                conn.execute(text("SELECT display_name FROM members ORDER BY display_name")).scalars().all()
            )
            rows = conn.execute(text("SELECT count(*) FROM submissions")).scalar_one()
            distinct = conn.execute(
                text("SELECT count(*) FROM (SELECT DISTINCT member_id, config_json FROM submissions) AS d")
            ).scalar_one()
    finally:
        engine.dispose()
    return list(names), rows, distinct


def _assert_every_row_once(db_url: str, store: Store, join_code: str, names: list[str]) -> None:
    stored_names, rows, distinct = _counts(db_url)
    assert stored_names == sorted(names)
    assert rows == distinct == len(names) * SUBMISSIONS_EACH
    (xor,) = store.board(join_code=join_code).challenges
    assert sorted(e.display_name for e in xor.entries) == sorted(names)
    assert all(e.solved and e.attempts == SUBMISSIONS_EACH and e.epochs == 101 for e in xor.entries)


def test_thirty_students_join_and_submit_at_once(db_url):
    with Store.open(db_url) as store:
        info, _ = store.create_class("Lesson start", ["xor"])
        names = [f"Student {i:02d}" for i in range(STUDENTS)]
        started = time.perf_counter()
        results = _student_runs(store, info.join_code, names, threading.Barrier(STUDENTS))
        elapsed = time.perf_counter() - started
        assert [error for _, error in results if error] == []
        _assert_every_row_once(db_url, store, info.join_code, names)
        assert elapsed < 30, f"{STUDENTS} students took {elapsed:.1f} s"


def process_worker(data_dir: str, join_code: str, prefix: str, start_at: float) -> None:
    """One app process (run as `python -c`): 15 students join and submit, then it prints JSON."""
    store = Store.open(data_dir=data_dir)
    time.sleep(max(0.0, start_at - time.time()))  # both processes begin at the same moment
    names = [f"{prefix} {i:02d}" for i in range(STUDENTS // 2)]
    started = time.perf_counter()
    results = _student_runs(store, join_code, names, None)
    elapsed = time.perf_counter() - started
    store.close()
    print(json.dumps({"errors": [error for _, error in results if error], "seconds": elapsed}))


def test_two_app_processes_share_one_sqlite_file(tmp_path):
    with Store.open(data_dir=tmp_path) as store:
        info, _ = store.create_class("Two workers", ["xor"])
        start_at = time.time() + 3.0  # after both interpreters have imported SQLAlchemy
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys; from tests.classroom.test_concurrency import process_worker; "
                    "process_worker(*sys.argv[1:4], float(sys.argv[4]))",
                    str(tmp_path),
                    info.join_code,
                    prefix,
                    repr(start_at),
                ],
                cwd=REPO_ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for prefix in ("Worker A", "Worker B")
        ]
        outputs = [process.communicate(timeout=PROCESS_TIMEOUT_S) for process in processes]
        for process, (out, err) in zip(processes, outputs):
            assert process.returncode == 0, err
            report = json.loads(out.strip().splitlines()[-1])
            assert report["errors"] == [] and report["seconds"] < 30
            assert "locked" not in err
        names = [f"Worker {w} {i:02d}" for w in "AB" for i in range(STUDENTS // 2)]
        _assert_every_row_once(f"sqlite:///{tmp_path / 'classroom.sqlite3'}", store, info.join_code, names)


def test_three_processes_opening_a_new_sqlite_file_build_the_schema_once(tmp_path):
    start_at = time.time() + 3.0
    script = (
        "import sys, time; from core.classroom.store import Store; "
        "time.sleep(max(0, float(sys.argv[2]) - time.time())); "
        "store = Store.open(data_dir=sys.argv[1]); "
        "info, _ = store.create_class('From ' + sys.argv[3], ['xor']); print(info.join_code)"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), repr(start_at), label],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("A", "B", "C")
    ]
    outputs = [process.communicate(timeout=PROCESS_TIMEOUT_S) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], [err for _, err in outputs]
    with Store.open(data_dir=tmp_path) as store:
        titles = sorted(store.class_by_code(out.strip()).title for out, _ in outputs)
    assert titles == ["From A", "From B", "From C"]
    url = f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0002"]
    finally:
        engine.dispose()


def _at_once(count: int, action) -> list[str]:
    """Run `action()` in `count` threads released together; each outcome's class name, sorted."""
    start = threading.Barrier(count)

    def run(_index: int) -> str:
        start.wait()
        try:
            action()
        except Exception as err:  # noqa: BLE001 (the outcome is what the tests compare)
            return f"{type(err).__name__}: {getattr(err, 'detail', '')}".rstrip(": ")
        return "ok"

    with ThreadPoolExecutor(max_workers=count) as pool:
        return sorted(pool.map(run, range(count)))


def test_one_name_taken_by_ten_students_at_once_goes_to_exactly_one(store):
    info, secret = store.create_class("Race", ["xor"])
    outcomes = _at_once(10, lambda: store.join(info.join_code, "Anna"))
    assert outcomes == ["NameTakenError"] * 9 + ["ok"]
    assert [m.display_name for m in store.board(teacher_secret=secret).members] == ["Anna"]


def test_the_rate_limit_holds_against_simultaneous_submissions(db_url):
    with Store.open(db_url, submissions_per_minute=3) as store:
        info, _ = store.create_class("Flood", ["xor"])
        anna = store.join(info.join_code, "Anna")
        outcomes = _at_once(12, lambda: store.submit(anna.member_token, "xor", 0.5, False, 1, 1, {}))
        assert outcomes == ["RateLimitedError"] * 9 + ["ok"] * 3
        assert store.board(join_code=info.join_code).challenges[0].entries[0].attempts == 3
