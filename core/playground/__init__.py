"""The Playground's logic, without Streamlit: everything the page decides, testable without a browser.

Read in this order:
- `config`: `PlaygroundConfig`, the value of every control; `RANGES`/`CHOICES`, what each may be;
  the URL keys and what a classroom link may hide.
- `validation`: `validate` clamps or replaces anything out of range and says what it changed.
- `url`: the whole configuration as short URL query parameters (`encode_query`/`decode_query`).
- `budget`: how big a network may be (a cost model that keeps the live boundary grid fast).
- `build`: the data set, network and trainer options built from a configuration.
- `curves`: the live loss curves, bounded in size, and `EpochScores`, an epoch's train/test scores.
- `health`: `HealthWatch`, which pauses a run that broke without a NaN (exploding weights or
  gradients, a dead ReLU layer, a stalled network, a loss far above its start) and says why.
- `session`: `PlaygroundSession`, one student's live run (trainer, curves, boundary grid, each
  neuron's map for the diagram, the neuron inspector's edits).
- `widgets`: the one mapping between the page's widgets and the configuration.
- `experiments` (a package): the optimizer race, the architecture search, the boundary's frames
  over training, the comparison with scikit-learn.
- `pacing`: how often a live update is drawn and how much training it holds, under load.

This package re-exports the public names of config, validation, url, budget, build, curves and
session; `health`, `widgets`, `experiments` and `pacing` are imported by name. Nothing here
imports core/figures: the figures draw what this package computes, never the other way round.
"""

from core.playground.budget import (
    ELEMENTWISE_COST,
    LAYER_COST,
    LIVE_GRID_BUDGET,
    MAX_NETWORK_COST,
    MIN_LIVE_GRID,
    fit_network_budget,
    forward_cost,
    grid_resolution,
    network_cost,
)
from core.playground.build import (
    HYPERPARAMETER_FIELDS,
    build_network,
    data_key,
    dataset_kwargs,
    file_token,
    make_data,
    output_units,
    resolve_head,
    structure_key,
    trainer_options,
)
from core.playground.config import (
    CHOICES,
    DATA_SOURCE_LABELS,
    DATA_SOURCES,
    DEFAULT,
    DIAGRAM_MAX_NEURONS,
    FEATURE_CODES,
    FEATURE_FOR_CODE,
    FIELD_FOR_KEY,
    GENERATED,
    GRID_SIZE,
    HEAD_LABELS,
    HEADS,
    HELP,
    HIDEABLE,
    HISTORY_KEEP,
    LEARNING_RATES,
    MAX_BATCH_SIZE,
    MAX_DROPOUT,
    MAX_EPOCHS_PER_UPDATE,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    MAX_PARAM_LENGTH,
    MAX_PATIENCE,
    MAX_SCHEDULE_EVERY,
    MAX_SEED,
    MAX_URL_POINTS,
    MAX_WEIGHT,
    PANELS,
    PLANE,
    RANGES,
    REGULARIZATION_RATES,
    STEP,
    URL_KEYS,
    PlaygroundConfig,
    config_fields,
)
from core.playground.curves import CurveHistory, EpochScores, decimate_indices
from core.playground.holdout import VALIDATION_SHARE, validation_view
from core.playground.learning_rate import FROZEN_SHARE, learning_rate_note
from core.playground.plane import click_points, grid_points, plane_extent
from core.playground.session import (
    Boundary,
    PlaygroundSession,
    feature_label,
    metric_name,
)
from core.playground.symmetry import SYMMETRIC_INITS, identical_layers, symmetry_note
from core.playground.url import decode_query, encode_query, query_string, share_link
from core.playground.validation import dataset_option, describe_network, validate

__all__ = [
    "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS",
    "MAX_EPOCHS_PER_UPDATE",
    "MAX_SEED",
    "MAX_BATCH_SIZE",
    "MAX_DROPOUT",
    "MAX_PATIENCE",
    "MAX_SCHEDULE_EVERY",
    "FROZEN_SHARE",
    "SYMMETRIC_INITS",
    "identical_layers",
    "symmetry_note",
    "VALIDATION_SHARE",
    "validation_view",
    "learning_rate_note",
    "MAX_URL_POINTS",
    "MAX_PARAM_LENGTH",
    "MAX_WEIGHT",
    "LEARNING_RATES",
    "REGULARIZATION_RATES",
    "STEP",
    "GENERATED",
    "DATA_SOURCES",
    "DATA_SOURCE_LABELS",
    "HEADS",
    "HEAD_LABELS",
    "PLANE",
    "GRID_SIZE",
    "DIAGRAM_MAX_NEURONS",
    "HISTORY_KEEP",
    "PlaygroundConfig",
    "DEFAULT",
    "RANGES",
    "CHOICES",
    "HELP",
    "config_fields",
    "URL_KEYS",
    "FIELD_FOR_KEY",
    "FEATURE_CODES",
    "FEATURE_FOR_CODE",
    "PANELS",
    "HIDEABLE",
    "dataset_option",
    "describe_network",
    "validate",
    "ELEMENTWISE_COST",
    "LAYER_COST",
    "MAX_NETWORK_COST",
    "LIVE_GRID_BUDGET",
    "MIN_LIVE_GRID",
    "network_cost",
    "fit_network_budget",
    "forward_cost",
    "grid_resolution",
    "encode_query",
    "decode_query",
    "query_string",
    "share_link",
    "data_key",
    "structure_key",
    "dataset_kwargs",
    "make_data",
    "file_token",
    "resolve_head",
    "output_units",
    "build_network",
    "trainer_options",
    "HYPERPARAMETER_FIELDS",
    "decimate_indices",
    "CurveHistory",
    "EpochScores",
    "grid_points",
    "plane_extent",
    "click_points",
    "Boundary",
    "metric_name",
    "feature_label",
    "PlaygroundSession",
]
