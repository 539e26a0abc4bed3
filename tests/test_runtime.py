"""Process configuration (core/runtime.py): one BLAS thread per server process."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# core/runtime.py loaded on its own: importing the `core` package would import the engine, and
# with it NumPy, before the function under test runs.
LOAD_RUNTIME = (
    "import importlib.util\n"
    "spec = importlib.util.spec_from_file_location('runtime', 'core/runtime.py')\n"
    "runtime = importlib.util.module_from_spec(spec); spec.loader.exec_module(runtime)\n"
)


def run_python(code: str) -> dict:
    """Run `code` in a fresh interpreter (BLAS limits are process-wide) and read back its JSON."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD_RUNTIME + code], capture_output=True, text=True, check=True, cwd=str(REPO)
    )
    return json.loads(out.stdout)


def test_blas_limit_reaches_numpy_even_when_called_before_numpy_is_imported():
    """app.py calls it first thing; threadpoolctl only limits libraries already loaded."""
    result = run_python(
        "import json, sys\n"
        "before = 'numpy' in sys.modules\n"
        "done = runtime.limit_blas_threads(1)\n"
        "import numpy as np; from threadpoolctl import threadpool_info\n"
        "a = np.ones((300, 300), dtype=np.float32)\n"
        "product = float((a @ a)[0, 0])\n"  # NumPy still computes, on one thread
        "blas = [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']\n"
        "print(json.dumps({'before': before, 'done': done, 'blas': blas, 'product': product}))"
    )
    assert result["before"] is False  # the test really starts without NumPy
    assert result["done"] is True
    assert result["blas"] and set(result["blas"]) == {1}
    assert result["product"] == 300.0


def test_without_threadpoolctl_nothing_changes_and_it_says_so():
    result = run_python(
        "import json, sys\n"
        "sys.modules['threadpoolctl'] = None\n"  # makes `import threadpoolctl` raise ImportError
        "print(json.dumps({'done': runtime.limit_blas_threads(1), 'numpy': 'numpy' in sys.modules}))"
    )
    assert result == {"done": False, "numpy": False}


def test_the_collector_frees_a_closed_sessions_reference_cycles():
    """A closed Streamlit session is a web of reference cycles; with Python's own collection off
    (as it nearly is for a few big arrays) only the collector thread can free it."""
    result = run_python(
        "import gc, json, time, weakref, threading\n"
        "gc.disable()\n"  # no automatic collection: whatever frees the cycle is the thread
        "class Session: pass\n"
        "s = Session(); s.state = {'session': s, 'weights': bytearray(8_000_000)}\n"
        "alive = weakref.ref(s); del s\n"
        "time.sleep(0.2)\n"
        "freed_at_once = alive() is None\n"  # before the thread: nothing can have collected it
        "thread = runtime.collect_garbage_every(0.05)\n"
        "deadline = time.monotonic() + 10\n"
        "while alive() is not None and time.monotonic() < deadline: time.sleep(0.02)\n"
        "again = runtime.collect_garbage_every(0.05)\n"
        "named = [t for t in threading.enumerate() if t.name == runtime.COLLECTOR_THREAD_NAME]\n"
        "print(json.dumps({'at_once': freed_at_once, 'freed': alive() is None,\n"
        "                  'daemon': thread.daemon, 'same': again is thread, 'threads': len(named)}))"
    )
    assert result["at_once"] is False  # the cycle outlives its last name: reference counts cannot free it
    assert result["freed"] is True  # a session closed after start-up is collected
    assert result["daemon"] is True  # never keeps a stopping server alive
    assert result["same"] is True and result["threads"] == 1  # one per process, however often called


def test_the_collector_refuses_a_non_positive_interval():
    result = run_python(
        "import json\n"
        "errors = []\n"
        "for seconds in (0, -1):\n"
        "    try: runtime.collect_garbage_every(seconds)\n"
        "    except ValueError as e: errors.append(str(e))\n"
        "print(json.dumps(errors))"
    )
    assert len(result) == 2 and all("positive" in e for e in result)
