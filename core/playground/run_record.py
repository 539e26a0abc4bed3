"""A Playground run as a `RunRecord` (core/runs) for the run history, and back to its configuration.

What is kept is small and plain: the settings that change what the network learns (not how often
the page redraws), the loss and metric curves as the page drew them (at most CurveHistory's 600
points), the final scores, and the run's link parameters, from which "Restore" rebuilds the
configuration exactly as a shared link would.
"""

from __future__ import annotations

import math
from dataclasses import fields

from core.playground.config import PlaygroundConfig
from core.playground.session import PlaygroundSession, metric_name
from core.playground.url import decode_query, encode_query
from core.runs import RunRecord

PAGE = "playground"

# The configuration fields a run's table shows, with the names it shows them under; the others
# (epochs per update, what is drawn, the clicked points, hidden controls) do not change what the
# network learns.
SHOWN_FIELDS = (
    ("dataset", "data set"),
    ("n_samples", "samples"),
    ("noise", "noise"),
    ("test_ratio", "test share"),
    ("seed", "seed"),
    ("classes", "classes"),
    ("features", "features"),
    ("hidden", "layers"),
    ("activations", "activations"),
    ("init", "initialization"),
    ("head", "output head"),
    ("learning_rate", "learning rate"),
    ("optimizer", "optimizer"),
    ("batch_size", "batch size"),
    ("l1", "L1"),
    ("l2", "L2"),
    ("dropout", "dropout"),
    ("schedule", "schedule"),
    ("schedule_every", "schedule every"),
    ("schedule_rate", "schedule rate"),
    ("early_stopping", "early stopping"),
    ("patience", "patience"),
)
assert {name for name, _ in SHOWN_FIELDS} <= {f.name for f in fields(PlaygroundConfig)}


def _plain(value):
    """Tuples (layers, activations, features) as one text: "8, 8"; None stays None."""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) if value else "none"
    return value


def config_values(config: PlaygroundConfig) -> dict:
    """The shown settings of `config`, by their shown names, as plain values."""
    return {label: _plain(getattr(config, name)) for name, label in SHOWN_FIELDS}


def _number(value: float) -> float:
    return float(value) if value is not None and math.isfinite(value) else math.nan


def record_of(session: PlaygroundSession | None, label: str = "") -> RunRecord | None:
    """The run `session` has trained so far; None for no session or one still at epoch 0
    (nothing was learnt: not a run worth keeping)."""
    if session is None or session.epoch == 0:
        return None
    metric = metric_name(session.task)
    held_out = session.held_out
    scores = session.latest
    config = {**config_values(session.config), "task": session.display_task}
    curves = {name: list(values) for name, values in session.curves.columns.items()}
    final = {
        "epochs trained": float(session.epoch),
        "train loss": _number(scores.train_loss),
        f"{held_out} loss": _number(scores.test_loss),
        f"train {metric}": _number(scores.train_metric),
        f"{held_out} {metric}": _number(scores.test_metric),
        "seconds": round(float(session.training_seconds), 2),
    }
    return RunRecord(label, PAGE, config, curves, final, restore=encode_query(session.config))


def restored_config(record: RunRecord) -> PlaygroundConfig:
    """The configuration of a kept run, from its link parameters (validated as a link is)."""
    config, _ = decode_query(record.restore)
    return config
