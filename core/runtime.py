"""Process configuration of a server that trains many small networks at once.

`limit_blas_threads` is called once per process, first thing (app.py, the benchmarks), and
`collect_garbage_every` once per server process (app.py): they are not about any one page, so
they live here rather than with the Playground's pacing.
"""

from __future__ import annotations

import gc
import importlib
import threading
import time


def limit_blas_threads(threads: int = 1) -> bool:
    """Ask OpenBLAS (NumPy's matrix library) to use `threads` threads, process-wide.

    Why: the Playground multiplies small matrices (e.g. 10,000 x 8 by 8 x 8). OpenBLAS splits
    them over threads that spin-wait for each other; on a shared 2-core server that made a
    grid evaluation 10-40x slower (4.6 ms instead of 0.11 ms for one product, measured). A
    web server gets its parallelism from serving many sessions at once, not from threading
    tiny products.

    Returns True once the limit is set, False if threadpoolctl is not installed (then nothing
    changes). Works before NumPy is imported too: it loads NumPy first, because threadpoolctl
    only limits the libraries already loaded.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn depends on it, but stay optional
        return False
    importlib.import_module("numpy")  # loads OpenBLAS, so that the limit below reaches it
    threadpool_limits(limits=int(threads), user_api="blas")
    return True


COLLECTOR_THREAD_NAME = "neural-playground-gc"


def collect_garbage_every(seconds: float = 10.0) -> threading.Thread:
    """Start (once per process) a daemon thread that runs a full `gc.collect()` every `seconds`.

    Why: `runner.postScriptGC = false` (.streamlit/config.toml) spares every rerun Streamlit's
    full collection (~130 ms each, which choked live training). But a session that has closed
    is a web of reference cycles (its state, script runner, widgets, arrays), and only a full
    collection frees it. Python starts one by counting objects, not bytes, so a session that
    holds megabytes in a few NumPy arrays hardly ever triggers it: in the soak (100 students,
    one after another) the server kept growing. One collection every 10 s for the whole process
    costs about what one rerun used to (~100 ms here), and brings the soak's memory back to
    within 5 % of its start (docs/benchmarks.md, "Soak").

    Not done, on purpose: `gc.freeze()` of the start-up objects made each collection ~4x
    shorter, but with it (and scikit-learn imported first, to freeze it too) the Playground's
    browser test lost clicks and widget values under load (2 of 6 tries against 0 of 6), so it
    was taken out.

    Calling it again returns the thread already running instead of starting a second one.
    """
    if seconds <= 0:
        raise ValueError(f"the collection interval must be positive, got {seconds!r}")
    for thread in threading.enumerate():
        if thread.name == COLLECTOR_THREAD_NAME:
            return thread

    def collect_forever() -> None:
        while True:
            time.sleep(seconds)
            gc.collect()

    thread = threading.Thread(target=collect_forever, name=COLLECTOR_THREAD_NAME, daemon=True)
    thread.start()
    return thread
