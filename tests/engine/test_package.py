"""The engine package: its docstring's example runs, its API is exported, it stands alone."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import core.engine

ENGINE = Path(core.engine.__file__).parent
READING_ORDER = [
    "activations",
    "initializers",
    "layers",
    "losses",
    "network",
    "optimizers",
    "schedules",
    "trainer",
    "model_io",
]


def test_the_usage_example_in_the_docstring_runs():
    result = doctest.testmod(core.engine, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8  # the example is there and every line of it was checked
    assert result.failed == 0


def test_every_exported_name_exists_and_the_main_api_is_there():
    for name in core.engine.__all__:
        assert getattr(core.engine, name) is not None, name
    expected = {"Network", "Trainer", "EpochRecord", "ACTIVATIONS", "INITIALIZERS", "OPTIMIZERS"}
    expected |= {"SCHEDULES", "OUTPUT_HEADS", "make_optimizer", "save_model", "load_model", "SavedModel"}
    assert expected <= set(core.engine.__all__)
    assert core.engine.__version__ == importlib.import_module("core.engine.version").__version__
    assert len(core.engine.__all__) == len(set(core.engine.__all__))


def test_the_docstring_lists_every_module_in_the_reading_order():
    doc = core.engine.__doc__
    positions = [doc.index(f"{name}.py") for name in READING_ORDER]
    assert positions == sorted(positions)
    for module in pkgutil.iter_modules([str(ENGINE)]):
        assert f"{module.name}.py" in doc, f"{module.name}.py is missing from the reading order"


def test_the_engine_imports_only_itself_of_core():
    for path in ENGINE.glob("*.py"):
        for line in path.read_text().splitlines():
            found = re.match(r"\s*(?:from|import)\s+(core[\w.]*)", line)
            if found:
                assert found.group(1).startswith("core.engine"), f"{path.name}: {line.strip()}"
