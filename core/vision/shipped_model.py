"""The model that ships with the app: models/mnist-mlp.npz, trained on MNIST by `python -m core train`.

The path is resolved from this file's location, not from the working directory, so the app, the
tests and the CLI find the same file wherever they are started from.
"""

from __future__ import annotations

from pathlib import Path

from core.engine.model_io import SavedModel, load_model

SHIPPED_MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "mnist-mlp.npz"


def load_shipped_model(path=SHIPPED_MODEL_PATH) -> SavedModel:
    """Load the shipped MNIST model; raises core.engine.model_io.ModelFileError (a ValueError) naming the
    problem when the file is missing or damaged."""
    return load_model(Path(path))
