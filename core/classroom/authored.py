"""Challenges a teacher writes: built from a Playground configuration, stored as a JSON spec in the
class's database, and turned back into a `Challenge` (checked exactly like a built-in one) on load.

`authored_spec(config, editable, target)` makes the spec the store keeps; `challenge_from_spec`
reads one back and refuses, with a message a teacher can read, any spec that a page of the app
could not have written: a configuration that the link decoder has to correct, a data set with no
test set, a control or a metric that does not exist or that the data's task cannot measure. A
spec in the database is therefore never trusted just because it is there (a row edited by hand,
an older app's spec).

The data (data set, size, noise, test share, seed) is always locked: every student is then
measured on the same held-out test points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

from core.classroom import names
from core.classroom.challenges import COMPARISONS, METRICS, Challenge, Requirement
from core.data.two_d import DATASETS
from core.playground.config import PlaygroundConfig
from core.playground.url import decode_query, encode_query

SPEC_VERSION = 1
# What a student may be allowed to change, as the authoring form names it: one entry per control,
# with the configuration fields it moves together (the hidden layers and their activations are one).
EDITABLE_CONTROLS = MappingProxyType(
    {
        "hidden layers and activations": ("hidden", "activations"),
        "input features": ("features",),
        "initialization": ("init",),
        "learning rate": ("learning_rate",),
        "optimizer": ("optimizer",),
        "batch size": ("batch_size",),
        "L1": ("l1",),
        "L2": ("l2",),
        "dropout": ("dropout",),
        "learning-rate schedule": ("schedule", "schedule_every", "schedule_rate"),
        "early stopping": ("early_stopping", "patience"),
    }
)
EDITABLE_FIELDS = frozenset(name for group in EDITABLE_CONTROLS.values() for name in group)
# The metrics a teacher may target: those a Playground run of any generated data set measures.
CLASSIFICATION_METRICS = ("test_accuracy", "train_accuracy")
REGRESSION_METRICS = ("test_r2",)
TARGET_METRICS = (
    "test_accuracy",
    "test_loss",
    "test_r2",
    "train_accuracy",
    "train_loss",
    "parameters",
    "hidden_layers",
    "hidden_neurons",
    "epochs",
)
HINTS_MAX = 3
# A challenge needs at least two hints; a teacher who writes fewer gets these after their own.
DEFAULT_HINTS = (
    "Only the controls this challenge lets you change are shown; the data stays the same for everyone.",
    "Train, watch the test loss, then press “Check my network”: the server measures your network on "
    "the challenge's own test points.",
)
SPEC_KEYS = frozenset({"version", "page", "config", "editable", "target", "hints"})


class AuthoredSpecError(ValueError):
    """A challenge spec that cannot be used; `message` says why, for the teacher."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def authored_spec(
    config: PlaygroundConfig,
    editable: Sequence[str],
    metric: str,
    comparison: str,
    threshold: float,
    hints: Sequence[str] = (),
) -> dict:
    """The JSON-ready spec of a challenge on `config` (what the store's `author_challenge` keeps).
    Raises AuthoredSpecError when it would not load (see `challenge_from_spec`)."""
    spec = {
        "version": SPEC_VERSION,
        "page": "playground",
        # the link form: the same short, validated text a shared Playground link holds
        "config": encode_query(replace(config, hide=())),
        "editable": sorted(set(editable)),
        "target": {"metric": metric, "comparison": comparison, "threshold": threshold},
        "hints": list(hints),
    }
    challenge_from_spec("preview", "Preview", "Preview.", spec)  # refuse now, not when a student starts
    return spec


def challenge_from_spec(key: str, title: str, goal: str, spec: object) -> Challenge:
    """The Challenge a stored spec describes, or AuthoredSpecError saying what is wrong with it."""
    if not isinstance(spec, Mapping) or set(spec) != SPEC_KEYS:
        raise AuthoredSpecError(
            "The challenge's description is damaged (its fields are not the expected ones)."
        )
    if spec["version"] != SPEC_VERSION or spec["page"] != "playground":
        raise AuthoredSpecError("This challenge was written by another version of the app.")
    config = _config(spec["config"])
    editable = _editable(spec["editable"])
    target = _target(spec["target"], DATASETS[config.dataset].task)
    hints = _hints(spec["hints"])
    try:
        return Challenge(
            key=str(key),
            title=names.clean_title(title),
            goal=names.clean_text(goal),
            page="playground",
            base=config,
            editable=editable,
            target=target,
            hints=hints,
        )
    except (ValueError, names.InvalidTextError) as error:
        raise AuthoredSpecError(
            f"This challenge cannot be used: {getattr(error, 'message', error)}"
        ) from error


def _config(query: object) -> PlaygroundConfig:
    if not isinstance(query, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in query.items()
    ):
        raise AuthoredSpecError("The challenge's configuration is damaged (it is not a Playground link).")
    config, warnings = decode_query(query)
    if warnings:
        # The app writes only values the decoder accepts as they are: a correction means an edit.
        raise AuthoredSpecError("The challenge's configuration is not valid: " + " ".join(warnings))
    if config.dataset not in DATASETS:
        raise AuthoredSpecError(
            "A challenge needs a generated data set (moons, spiral...): uploaded files and clicked "
            "points have no held-out test set."
        )
    return config


def _editable(editable: object) -> tuple[str, ...]:
    if not isinstance(editable, list) or not all(isinstance(name, str) for name in editable):
        raise AuthoredSpecError("The challenge's list of controls a student may change is damaged.")
    unknown = sorted(set(editable) - EDITABLE_FIELDS)
    if unknown:
        raise AuthoredSpecError(
            f"A student cannot be allowed to change {', '.join(unknown)[:200]}: the data is always "
            "locked, and only the Playground's network and training controls can be unlocked."
        )
    for group in EDITABLE_CONTROLS.values():  # the fields of one control move together
        if 0 < len(set(group) & set(editable)) < len(group):
            raise AuthoredSpecError(f"The controls {', '.join(group)} can only be unlocked together.")
    return tuple(sorted(set(editable)))


def _target(target: object, task: str) -> Requirement:
    if not isinstance(target, Mapping) or set(target) != {"metric", "comparison", "threshold"}:
        raise AuthoredSpecError("The challenge's target is damaged.")
    metric, comparison, threshold = target["metric"], target["comparison"], target["threshold"]
    if metric not in TARGET_METRICS:
        raise AuthoredSpecError(
            f"The target must be one of: {', '.join(METRICS[m] for m in TARGET_METRICS)}."
        )
    if comparison not in COMPARISONS:
        raise AuthoredSpecError(f"The comparison must be one of {' '.join(COMPARISONS)}.")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not math.isfinite(threshold):
        raise AuthoredSpecError("The target's threshold must be a finite number.")
    if task == "regression" and metric in CLASSIFICATION_METRICS:
        raise AuthoredSpecError(
            f"This data set is a regression: it has no {METRICS[metric]}. Target the test R² or a loss."
        )
    if task != "regression" and metric in REGRESSION_METRICS:
        raise AuthoredSpecError(
            f"This data set is a classification: it has no {METRICS[metric]}. Target an accuracy or a loss."
        )
    return Requirement(metric, comparison, float(threshold))


def _hints(hints: object) -> tuple[str, ...]:
    if not isinstance(hints, list) or len(hints) > HINTS_MAX:
        raise AuthoredSpecError(f"A challenge has at most {HINTS_MAX} hints.")
    try:
        own = tuple(names.clean_text(hint) for hint in hints)
    except names.InvalidTextError as error:
        raise AuthoredSpecError(f"A hint cannot be used: {error.message}") from error
    return (own + DEFAULT_HINTS)[: max(2, len(own))]
