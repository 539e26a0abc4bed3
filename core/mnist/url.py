"""The MNIST page's settings as a link, so a teacher can open a student's MNIST submission in their
own MNIST page (the Playground has the same for its configurations: core/playground/url.py).

`settings_query(config, dataset)` writes the query; `settings_from_query(query)` reads one back.
Reading never fails: a value the page could not have written (an unknown activation, a learning
rate that is not on the slider, 5,000 layers) is replaced by the default and named in a warning,
so a forged or damaged link opens the page with sane settings and says what was dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from core.data.errors import DataError
from core.data.layer_sizes import parse_layer_sizes
from core.engine.activations import ACTIVATIONS
from core.engine.optimizers import OPTIMIZERS
from core.mnist.config import (
    BATCH_SIZES,
    LEARNING_RATES,
    MAX_EPOCHS,
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_WIDTH,
    TrainingConfig,
)
from core.mnist.datasets import IMAGE_DATASETS

# query key -> the TrainingConfig field it carries
KEYS = {
    "hidden": "hidden_layers",
    "act": "activation",
    "opt": "optimizer",
    "lr": "learning_rate",
    "batch": "batch_size",
    "epochs": "epochs",
    "aug": "augment",
}
DATASET_KEY = "data"
MAX_VALUE_LENGTH = 100  # longer values are not read (a link is not a place for essays)


@dataclass(frozen=True)
class LinkSettings:
    """What a link asks for: the settings (defaults where it said nothing or something wrong),
    the data set it names (None if none or unknown) and one warning per value dropped."""

    config: TrainingConfig
    dataset: str | None = None
    warnings: list[str] = field(default_factory=list)


def is_settings_link(query: Mapping[str, str]) -> bool:
    """Does this query carry MNIST settings at all (a plain visit has none)?"""
    return any(key in query for key in (*KEYS, DATASET_KEY))


def settings_query(config: TrainingConfig, dataset: str | None = None) -> dict[str, str]:
    """The query that opens the MNIST page on `config` (and on `dataset`, when given)."""
    query = {
        "hidden": ",".join(str(size) for size in config.hidden_layers) or "none",
        "act": config.activation,
        "opt": config.optimizer,
        "lr": repr(float(config.learning_rate)),
        "batch": str(config.batch_size),
        "epochs": str(config.epochs),
        "aug": "1" if config.augment else "0",
    }
    if dataset is not None:
        query[DATASET_KEY] = dataset
    return query


def query_from_values(values: Mapping) -> dict[str, str]:
    """Settings kept as plain JSON values under TrainingConfig's field names (a classroom
    submission's configuration) as a link's query text, for `settings_from_query` to check."""
    query = {}
    for key, name in KEYS.items():
        if name not in values:
            continue
        value = values[name]
        if name == "hidden_layers" and isinstance(value, (list, tuple)):
            query[key] = ",".join(str(size) for size in value) or "none"
        elif isinstance(value, bool):
            query[key] = "1" if value else "0"
        else:
            query[key] = str(value)
    return query


def settings_from_query(query: Mapping[str, str]) -> LinkSettings:
    """Read a link's settings; never raises (see the module's docstring)."""
    defaults = TrainingConfig()
    values: dict = {}
    warnings: list[str] = []
    for key, name in KEYS.items():
        if key not in query:
            continue
        text = str(query[key])
        problem = None if len(text) <= MAX_VALUE_LENGTH else f"longer than {MAX_VALUE_LENGTH} characters"
        if problem is None:
            value, problem = _read(name, text.strip())
        if problem is None:
            values[name] = value
        else:
            warnings.append(f"{key}: {problem}; the default ({_shown(defaults, name)}) is used")
    dataset = None
    if DATASET_KEY in query:
        named = str(query[DATASET_KEY])[:MAX_VALUE_LENGTH]
        if named in IMAGE_DATASETS:
            dataset = named
        else:
            warnings.append(f"{DATASET_KEY}: there is no image data set named {named!r}")
    return LinkSettings(replace(defaults, **values), dataset, warnings)


def _read(name: str, text: str):
    """(value, None) or (None, what is wrong) for one field's text."""
    if name == "hidden_layers":
        try:
            return parse_layer_sizes(
                text, max_layers=MAX_HIDDEN_LAYERS, max_width=MAX_HIDDEN_WIDTH, what="hidden layer"
            ), None
        except DataError as error:
            return None, str(error)
    if name in ("activation", "optimizer"):
        choices = ACTIVATIONS if name == "activation" else OPTIMIZERS
        return (text, None) if text in choices else (None, f"not one of {sorted(choices)}")
    if name == "augment":
        return (text == "1", None) if text in ("0", "1") else (None, "must be 0 or 1")
    if name == "learning_rate":
        try:
            rate = float(text)
        except ValueError:
            return None, "not a number"
        # the slider's values, compared with a tolerance: a float's repr round-trips, a hand-typed
        # "1e-3" must match 0.001 too
        matches = [choice for choice in LEARNING_RATES if abs(choice - rate) <= 1e-9 * choice]
        return (matches[0], None) if matches else (None, f"not one of {list(LEARNING_RATES)}")
    # batch_size, epochs: whole numbers in a range or a list
    if not text.isdigit():
        return None, "not a whole number"
    number = int(text)
    if name == "batch_size":
        return (number, None) if number in BATCH_SIZES else (None, f"not one of {list(BATCH_SIZES)}")
    return (number, None) if 1 <= number <= MAX_EPOCHS else (None, f"must be 1 to {MAX_EPOCHS}")


def _shown(config: TrainingConfig, name: str) -> str:
    value = getattr(config, name)
    if name == "hidden_layers":
        return ",".join(str(size) for size in value) or "none"
    return str(value)
