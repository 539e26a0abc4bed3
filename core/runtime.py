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


def collect_garbage_every(seconds: float = 10.0, preload: tuple[str, ...] = ()) -> threading.Thread:
    """Start (once per process) a daemon thread that runs a full `gc.collect()` every `seconds`.

    Why: `runner.postScriptGC = false` (.streamlit/config.toml) spares every rerun Streamlit's
    full collection (~130 ms each, which choked live training). But a session that has closed
    is a web of reference cycles (its state, script runner, widgets, arrays), and only a full
    collection frees it. Python starts one by counting objects, not bytes, so a session that
    holds megabytes in a few NumPy arrays hardly ever triggers it: in the soak (100 students,
    one after another) the server kept growing.

    Before the thread starts, the `preload` modules are imported (here, in the calling thread),
    then one collection runs and `gc.freeze()` sets aside everything alive: the libraries' ~190,000
    objects (scikit-learn alone ~94,000), which live as long as the process. Later collections
    skip them and only walk what was created since: in the app a collection, which every session
    waits for, took a median 23 ms instead of ~100 ms (docs/benchmarks.md, "Soak"). The price:
    the objects of the session that called this are frozen with them and never collected, at
    most one session's worth (< 1 MB), once per process.

    Calling it again returns the thread already running instead of starting a second one.
    """
    if seconds <= 0:
        raise ValueError(f"the collection interval must be positive, got {seconds!r}")
    for thread in threading.enumerate():
        if thread.name == COLLECTOR_THREAD_NAME:
            return thread
    for module in preload:
        importlib.import_module(module)
    gc.collect()
    gc.freeze()  # the start-up objects: alive for good, no need to walk them again

    def collect_forever() -> None:
        while True:
            time.sleep(seconds)
            gc.collect()

    thread = threading.Thread(target=collect_forever, name=COLLECTOR_THREAD_NAME, daemon=True)
    thread.start()
    return thread
