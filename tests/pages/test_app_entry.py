"""app.py, the entry point, through AppTest: what it sets up once per server process."""

import threading
from pathlib import Path

import pytest

from core.runtime import COLLECTOR_THREAD_NAME

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

REPO = Path(__file__).resolve().parents[2]


def collector_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == COLLECTOR_THREAD_NAME]


def test_the_app_starts_one_garbage_collector_for_the_process():
    """With Streamlit's per-rerun collection off (runner.postScriptGC), closed sessions are only
    freed by the collector thread (core/runtime.py): the app must start it, and only once."""
    for _ in range(2):  # two sessions of the same process
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    threads = collector_threads()
    assert len(threads) == 1 and threads[0].is_alive() and threads[0].daemon
