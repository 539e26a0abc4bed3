"""Building a Playground run from its configuration: the data set, the network and the trainer's
options, seeded so that the same configuration gives the same data and the same starting weights."""

from __future__ import annotations

import hashlib

from core.data import (
    DataError,
    Dataset2D,
    from_points,
    make_dataset,
)
from core.engine.losses import HEAD_FOR_TASK
from core.engine.network import Network
from core.playground.config import (
    PlaygroundConfig,
)
from core.playground.validation import dataset_option


def data_key(config: PlaygroundConfig, data_token=None) -> tuple:
    """Everything the data set depends on (data_token identifies an uploaded file)."""
    c = config
    if c.dataset == "csv":
        return ("csv", data_token, c.seed, c.test_ratio)
    if c.dataset == "points":
        return ("points", c.points, c.seed)
    return (c.dataset, c.n_samples, c.noise, c.seed, c.test_ratio, c.classes)


def structure_key(config: PlaygroundConfig, data_token=None) -> tuple:
    """Changing any of these rebuilds the network and trainer (new seeded weights)."""
    c = config
    # early_stopping too: it sets a validation split aside, so other points train.
    return (data_key(c, data_token), c.features, c.hidden, c.activations, c.init, c.head, c.early_stopping)


def dataset_kwargs(config: PlaygroundConfig) -> dict:
    """Arguments of core.data.make_dataset for a generated data set."""
    c = config
    kwargs = {
        "name": c.dataset,
        "n_samples": c.n_samples,
        "noise": c.noise,
        "seed": c.seed,
        "test_ratio": c.test_ratio,
    }
    option = dataset_option(c.dataset)
    if option is not None and c.classes is not None:
        kwargs[option[0]] = c.classes
    return kwargs


def make_data(config: PlaygroundConfig, uploaded: Dataset2D | None = None) -> Dataset2D:
    """The data set of a config. Raises DataError (with a readable message) if it cannot."""
    if config.dataset == "csv":
        if uploaded is None:
            raise DataError("upload a CSV file (columns x1, x2, label) to train on your own data.")
        return uploaded
    if config.dataset == "points":
        # Every clicked point trains (none is hidden in a test split): what a student adds is what
        # the network learns from.
        return from_points(config.points, seed=config.seed, test_ratio=0.0)
    return make_dataset(**dataset_kwargs(config))


def file_token(data: bytes) -> str:
    """A short digest identifying an uploaded file (part of the structure key)."""
    return hashlib.sha256(bytes(data)).hexdigest()[:16]


def resolve_head(config: PlaygroundConfig, task: str) -> tuple[str, str | None]:
    """The output head for this problem, and a note if the chosen one did not fit."""
    natural = HEAD_FOR_TASK[task]
    if config.head == "auto" or config.head == natural:
        return natural, None
    if task == "binary" and config.head == "softmax_ce":
        return "softmax_ce", None  # two softmax outputs work for two classes too
    return natural, (f"The output head {config.head!r} does not fit a {task} problem; using {natural!r}.")


def output_units(head: str, dataset: Dataset2D) -> int:
    if head == "softmax_ce":
        return max(2, dataset.n_classes)
    return 1


def build_network(config: PlaygroundConfig, n_features: int, head: str, n_outputs: int) -> Network:
    """The seeded network of a config: same seed, same starting weights."""
    return Network(
        [n_features, *config.hidden, n_outputs], list(config.activations), head, config.init, rng=config.seed
    )


def trainer_options(config: PlaygroundConfig, n_train: int | None = None) -> dict:
    """The Trainer's keyword arguments (and set_hyperparameters's, minus the early stopping)."""
    return {
        "learning_rate": config.learning_rate,
        "optimizer": config.optimizer,
        "batch_size": config.batch_size if n_train is None else min(config.batch_size, n_train),
        "l1": config.l1,
        "l2": config.l2,
        "dropout": config.dropout,
        "schedule": config.schedule,
        "schedule_options": schedule_options(config),
    }


def schedule_options(config: PlaygroundConfig) -> dict:
    """The engine's options of the config's schedule, from the page's two schedule controls:
    N = schedule_every epochs and the factor f = schedule_rate.

    step         lr * f^floor(epoch / N)
    exponential  lr * f^(epoch / N)  (the engine's gamma per epoch is f^(1/N))
    cosine       from lr down to 0 over N epochs, then back to lr: it restarts, never freezes
    """
    every, rate = config.schedule_every, config.schedule_rate
    return {
        "constant": {},
        "step": {"step_size": every, "gamma": rate},
        "exponential": {"gamma": rate ** (1.0 / every)},
        "cosine": {"period": every, "restart": True},
    }[config.schedule]


def hyperparameter_changes(config: PlaygroundConfig, changed: dict) -> dict:
    """The trainer's `set_hyperparameters` arguments for the changed config fields: a change of
    the schedule or of its two controls sends the whole schedule again."""
    engine = {name: value for name, value in changed.items() if name not in SCHEDULE_FIELDS}
    if SCHEDULE_FIELDS & set(changed):
        engine["schedule"], engine["schedule_options"] = config.schedule, schedule_options(config)
    return engine


SCHEDULE_FIELDS = frozenset({"schedule", "schedule_every", "schedule_rate"})
# The config fields that change the trainer's hyperparameters in place (schedule_every and
# schedule_rate reach it as schedule_options).
HYPERPARAMETER_FIELDS = (
    "learning_rate",
    "optimizer",
    "batch_size",
    "l1",
    "l2",
    "dropout",
    "schedule",
    "schedule_every",
    "schedule_rate",
)
