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
