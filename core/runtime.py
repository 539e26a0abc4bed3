"""Process configuration of a server that trains many small networks at once.

`limit_blas_threads` is called once per process, first thing (app.py, the benchmarks): it is
not about any one page, so it lives here rather than with the Playground's pacing.
"""

from __future__ import annotations

import importlib


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
