"""Load scikit-learn's MLP tests from the installed scikit-learn, with the adapters in place.

`sklearn/neural_network/tests/test_mlp.py` is read from site-packages at test time (never copied
into this repository) and executed as a fresh module while `sklearn.neural_network.MLPClassifier`
and `MLPRegressor` are the adapters: its `from sklearn.neural_network import MLPClassifier,
MLPRegressor` then binds the adapters, also inside its `@pytest.mark.parametrize` lists. The
attributes are put back at once, so nothing else in the process sees the swap.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from contextlib import contextmanager
from pathlib import Path

import sklearn.neural_network

from tests.sklearn_mlp.adapter import MLPClassifier, MLPRegressor

SUITE = "sklearn.neural_network.tests.test_mlp"
MODULE_NAME = "tests.sklearn_mlp.sklearn_test_mlp"  # the loaded copy's name in sys.modules


def suite_path() -> Path:
    """Where the installed scikit-learn keeps its MLP tests."""
    spec = importlib.util.find_spec(SUITE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"{SUITE} is not shipped with this scikit-learn")
    return Path(spec.origin)


@contextmanager
def adapters_in_sklearn():
    """sklearn.neural_network's two MLP names point at the adapters inside the block only."""
    saved = sklearn.neural_network.MLPClassifier, sklearn.neural_network.MLPRegressor
    sklearn.neural_network.MLPClassifier, sklearn.neural_network.MLPRegressor = MLPClassifier, MLPRegressor
    try:
        yield
    finally:
        sklearn.neural_network.MLPClassifier, sklearn.neural_network.MLPRegressor = saved


def load_suite() -> types.ModuleType:
    """scikit-learn's test_mlp.py as a module whose MLPClassifier / MLPRegressor are the adapters."""
    if MODULE_NAME in sys.modules:
        return sys.modules[MODULE_NAME]
    path = suite_path()
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = str(path)
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    with adapters_in_sklearn():
        exec(code, module.__dict__)  # scikit-learn's own test file, from its installation
    if module.MLPClassifier is not MLPClassifier or module.MLPRegressor is not MLPRegressor:
        raise RuntimeError(f"{path} no longer imports the MLPs from sklearn.neural_network")
    sys.modules[MODULE_NAME] = module
    return module


def suite_tests(module: types.ModuleType) -> dict:
    """The suite's test functions by name, for a pytest module to collect."""
    return {name: test for name, test in vars(module).items() if name.startswith("test_") and callable(test)}
