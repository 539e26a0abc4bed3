"""The Playground page's logic, without Streamlit: configuration, URL sharing, and the live session.

The page (app_pages/playground.py) only lays out widgets and charts. Everything it decides lives here,
so it can be tested without a browser:

- `PlaygroundConfig`: the value of every control, and `RANGES`/`CHOICES`: what each may be.
  `validate` clamps or replaces anything out of range and says what it changed.
- `encode_query` / `decode_query`: the whole configuration as short URL query parameters
  (ds=moons&n=500&noise=0.2&seed=1&layers=8,8&act=tanh,tanh&lr=0.03...). A forged or broken
  link never crashes the page: unknown parameters are ignored, bad values replaced or clamped,
  and every change is reported in a list of warnings.
- `PlaygroundSession`: one student's data set, network and trainer built from a config (seeded:
  the same config gives the same data and the same starting weights), the loss curves kept
  small for long runs, the 100x100 grid of the decision boundary, and each neuron's output over
  the plane for the network diagram.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType

import numpy as np

from core.data import (
    DATASETS,
    FEATURE_LABELS,
    FEATURES,
    DataError,
    Dataset2D,
    expand_features,
    from_points,
    make_dataset,
)
from core.data.split import TEST_RATIO_MAX, TEST_RATIO_MIN
from core.data.two_d import N_SAMPLES_MAX, N_SAMPLES_MIN, NOISE_MAX, NOISE_MIN
from core.engine.activations import ACTIVATIONS
from core.engine.initializers import INITIALIZERS
from core.engine.losses import HEAD_FOR_TASK
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import SCHEDULES
from core.engine.trainer import EpochRecord, Trainer

# ----------------------------------------------------------------------------- bounds
# Per-session bounds (a classroom server is shared: nobody may ask for an hour of CPU per click).
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 256
MAX_EPOCHS_PER_UPDATE = 500
MAX_SEED = 2**31 - 1
MAX_BATCH_SIZE = 512
MAX_DROPOUT = 0.9
MAX_PATIENCE = 1000
MAX_URL_POINTS = 200  # clicked points travel in the link up to this many
MAX_PARAM_LENGTH = 5000  # longer query values are ignored (a link is not a file upload)
MAX_WEIGHT = 1000.0  # an edited weight or bias must stay within +-MAX_WEIGHT

# Log-scale choices, as TF Playground offers them (a slider over these values is a log slider).
LEARNING_RATES = (0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
STEP = 0.05  # slider step of noise, test ratio and dropout

GENERATED = tuple(DATASETS)
DATA_SOURCES = (*GENERATED, "points", "csv")
DATA_SOURCE_LABELS = MappingProxyType(
    {
        **{name: name.replace("_", " ").capitalize() for name in GENERATED},
        "points": "Your points (click to add)",
        "csv": "Upload a CSV file",
    }
)
HEADS = ("auto", "sigmoid_bce", "softmax_ce", "linear_mse")
HEAD_LABELS = MappingProxyType(
    {
        "auto": "Automatic (from the data)",
        "sigmoid_bce": "Sigmoid + cross-entropy (binary)",
        "softmax_ce": "Softmax + cross-entropy (classes)",
        "linear_mse": "Linear + squared error (regression)",
    }
)
PLANE = (-6.0, 6.0)  # the generators draw inside this square (TF Playground's plane)
GRID_SIZE = 100  # the decision boundary is evaluated on GRID_SIZE x GRID_SIZE points
DIAGRAM_MAX_NEURONS = 12  # wider layers show their first 12 neurons and "..."
HISTORY_KEEP = 1000  # EpochRecords left in trainer.history (the curves keep their own copy)

# Cost model of one point's forward pass (`forward_cost`), in multiply-add equivalents: the
# multiply-adds, plus ELEMENTWISE_COST per neuron (bias add and activation), plus LAYER_COST per
# layer (the fixed cost of its NumPy calls, spread over a 100 x 100 grid). Fitted to grid
# timings of very different shapes (one layer of 256 .. eight layers of 19): ~0.29 us per unit
# for 10,000 points on one core, at worst.
ELEMENTWISE_COST = 20
LAYER_COST = 300

# The largest network the Playground allows, in that model. Chosen so that the full 100 x 100
# boundary grid of any allowed network evaluates in < 2 ms on one core (measured by
# `python -m benchmarks.playground_grid`), and so that one student's training cannot starve a
# class. Examples that fit (2 features): 1 layer of 256 neurons, 2 x 48, 3 x 32, 8 x 14 (TF
# Playground's largest: 6 x 8). Bigger networks belong on the MNIST page.
MAX_NETWORK_COST = 6_600.0

# Work budget of one grid evaluation while training is live. Every allowed network fits it at
# 100 x 100; the coarser live grid (never below MIN_LIVE_GRID) only guards against a network
# built outside the page's validation.
LIVE_GRID_BUDGET = GRID_SIZE * GRID_SIZE * MAX_NETWORK_COST
MIN_LIVE_GRID = 20


@dataclass(frozen=True)
class PlaygroundConfig:
    """The value of every control of the page. Immutable: changes make a new config."""

    dataset: str = "moons"
    n_samples: int = 500
    noise: float = 0.2
    test_ratio: float = 0.5
    seed: int = 1
    classes: int | None = None  # spiral arms / blob clusters; None = the data set's default
    features: tuple = ("x1", "x2")
    hidden: tuple = (8, 8)
    activations: tuple = ("tanh", "tanh")
    init: str = "xavier"
    head: str = "auto"
    learning_rate: float = 0.03
    optimizer: str = "sgd"
    batch_size: int = 10
    epochs_per_update: int = 30  # x 10 updates/s: 300 epochs/s on a quiet server
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    schedule: str = "constant"
    early_stopping: bool = False
    patience: int = 50
    show_test: bool = False
    discretize: bool = False
    points: tuple = ()  # (x1, x2, label) triples of the "points" data set
    hide: tuple = ()  # controls not shown (classroom links)


DEFAULT = PlaygroundConfig()

# Numeric ranges (inclusive) and finite choices of each control. (Module constants are read-only
# mappings: nothing at module level can change while the server runs.)
RANGES = MappingProxyType(
    {
        "n_samples": (N_SAMPLES_MIN, N_SAMPLES_MAX),
        "noise": (NOISE_MIN, NOISE_MAX),
        "test_ratio": (TEST_RATIO_MIN, TEST_RATIO_MAX),
        "seed": (0, MAX_SEED),
        "hidden_layers": (0, MAX_HIDDEN_LAYERS),
        "neurons": (1, MAX_NEURONS),
        "learning_rate": (LEARNING_RATES[0], LEARNING_RATES[-1]),
        "batch_size": (1, MAX_BATCH_SIZE),
        "epochs_per_update": (1, MAX_EPOCHS_PER_UPDATE),
        "l1": (0.0, REGULARIZATION_RATES[-1]),
        "l2": (0.0, REGULARIZATION_RATES[-1]),
        "dropout": (0.0, MAX_DROPOUT),
        "patience": (1, MAX_PATIENCE),
    }
)
CHOICES = MappingProxyType(
    {
        "dataset": DATA_SOURCES,
        "features": FEATURES,
        "activations": tuple(ACTIVATIONS),
        "init": tuple(INITIALIZERS),
        "head": HEADS,
        "optimizer": tuple(OPTIMIZERS),
        "schedule": tuple(SCHEDULES),
        "learning_rate": LEARNING_RATES,
        "l1": REGULARIZATION_RATES,
        "l2": REGULARIZATION_RATES,
    }
)

# One short tooltip per control (the page passes these as help=...).
HELP = MappingProxyType(
    {
        "dataset": "The points to learn from. Classification sets colour points by class; regression "
        "sets (plane, multi gaussian) colour them by their target value.",
        "classes": "Number of spiral arms / blob clusters (one class each).",
        "n_samples": "How many points to generate (train + test).",
        "noise": "How far points stray from the clean pattern; more noise = overlapping classes.",
        "test_ratio": "Share of the points held out as the test set: the network never trains on "
        "them, so the test loss shows how well it generalizes.",
        "seed": "Random seed: the same seed gives the same data and the same starting weights.",
        "regenerate": "New random data (and starting weights): the seed goes up by one.",
        "features": "What the network sees of each point. With x1² and x2² a single neuron can "
        "draw a circle; with only x1 and x2 the hidden layers must learn curves.",
        "hidden": "Hidden layers between the inputs and the output (0 = logistic/linear regression).",
        "neurons": "Neurons in this hidden layer.",
        "activations": "The non-linearity of this layer's neurons.",
        "init": "How the starting weights are drawn. 'zeros' shows the symmetry problem: every "
        "neuron of a layer stays the same.",
        "head": "Output layer + loss. Automatic picks sigmoid (2 classes), softmax (more classes) or "
        "linear (regression) from the data.",
        "learning_rate": "Step size of each weight update (log scale). Too high and training "
        "diverges; too low and it crawls. Editable while training.",
        "optimizer": "How gradients turn into weight updates (momentum and Adam smooth and scale the steps).",
        "batch_size": "Points per gradient step: small batches = noisy but many steps per epoch.",
        "epochs_per_update": "Epochs trained between two redraws (at 10 redraws per second; when "
        "the server is busy, redraws are rarer and each does more epochs).",
        "l1": "L1 penalty rate: pushes weights to exactly zero (sparse networks). Editable while training.",
        "l2": "L2 penalty rate (weight decay): keeps weights small and boundaries smooth. Editable "
        "while training.",
        "dropout": "Share of hidden neurons switched off at random in each training step.",
        "schedule": "How the learning rate changes over the epochs.",
        "early_stopping": "Stop when the test loss has not improved for 'patience' epochs and go "
        "back to the best weights.",
        "patience": "Epochs without improvement before early stopping.",
        "show_test": "Also draw the test points (outlined in black).",
        "discretize": "Colour the plane by the predicted class only, without the confidence shading.",
    }
)

# URL query keys, short on purpose: a link fits in a chat message.
URL_KEYS = MappingProxyType(
    {
        "dataset": "ds",
        "n_samples": "n",
        "noise": "noise",
        "test_ratio": "test",
        "seed": "seed",
        "classes": "k",
        "features": "feat",
        "hidden": "layers",
        "activations": "act",
        "init": "init",
        "head": "head",
        "learning_rate": "lr",
        "optimizer": "opt",
        "batch_size": "bs",
        "epochs_per_update": "epu",
        "l1": "l1",
        "l2": "l2",
        "dropout": "drop",
        "schedule": "sched",
        "early_stopping": "es",
        "patience": "pat",
        "show_test": "showtest",
        "discretize": "disc",
        "points": "pts",
        "hide": "hide",
    }
)
FIELD_FOR_KEY = MappingProxyType({key: name for name, key in URL_KEYS.items()})
FEATURE_CODES = MappingProxyType(
    {
        "x1": "x1",
        "x2": "x2",
        "x1^2": "x1sq",
        "x2^2": "x2sq",
        "x1*x2": "x1x2",
        "sin(x1)": "sinx1",
        "sin(x2)": "sinx2",
    }
)
FEATURE_FOR_CODE = MappingProxyType({code: name for name, code in FEATURE_CODES.items()})

# What a classroom link can hide (hide=dataset,noise,...): every control, plus page panels.
PANELS = ("diagram", "inspector", "compare", "race", "search", "gif", "share")
HIDEABLE = tuple(name for name in URL_KEYS if name not in ("points", "hide")) + ("regenerate",) + PANELS


# ----------------------------------------------------------------------------- validation
def _nearest(value: float, options) -> float:
    """The option closest to value on a log scale (0 only matches 0)."""
    if value <= 0:
        return options[0]
    positive = [o for o in options if o > 0]
    return min(positive, key=lambda o: abs(math.log(o) - math.log(value)))


def _clamp(name, value, low, high, warnings, kind=float):
    try:
        number = kind(value)
        if kind is float and not math.isfinite(number):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        default = getattr(DEFAULT, name, low)
        warnings.append(f"{name}: {value!r} is not a valid number; using {default}.")
        return default
    if number < low or number > high:
        clamped = min(high, max(low, number))
        warnings.append(f"{name}: {number} is outside [{low}, {high}]; using {clamped}.")
        return kind(clamped)
    return number


def _choice(name, value, allowed, warnings, default=None):
    if value in allowed:
        return value
    default = getattr(DEFAULT, name) if default is None else default
    warnings.append(f"{name}: {value!r} is not one of {', '.join(map(str, allowed))}; using {default!r}.")
    return default


def _snap(name, value, options, warnings):
    """Snap to the nearest allowed option (a log-scale slider can only show those)."""
    value = _clamp(name, value, options[0], options[-1], warnings)
    snapped = _nearest(value, options)
    if not math.isclose(snapped, value, rel_tol=1e-6, abs_tol=1e-12):
        warnings.append(f"{name}: {value:g} is not on the scale; using the nearest value {snapped:g}.")
    return snapped


def _snap_step(name, value, low, high, warnings):
    value = _clamp(name, value, low, high, warnings)
    snapped = round(round(value / STEP) * STEP, 2)
    snapped = min(high, max(low, snapped))
    if not math.isclose(snapped, value, abs_tol=1e-9):
        warnings.append(f"{name}: {value:g} is not a multiple of {STEP}; using {snapped:g}.")
    return snapped


def dataset_option(dataset: str):
    """(option name, IntOption) of a generated data set's class-count option, or None."""
    spec = DATASETS.get(dataset)
    if spec is None or not spec.options:
        return None
    name = next(iter(spec.options))
    return name, spec.options[name]


def network_cost(n_inputs: int, hidden, n_outputs: int = 1) -> float:
    """Work of one point's forward pass through [n_inputs, *hidden, n_outputs] (`forward_cost`)."""
    return forward_cost([n_inputs, *hidden, n_outputs])


def fit_network_budget(
    n_inputs: int, hidden, n_outputs: int = 1, changed=(), budget: float = MAX_NETWORK_COST
) -> tuple:
    """Hidden-layer widths that fit the Playground's network budget (`MAX_NETWORK_COST`).

    Unchanged if they fit. Otherwise the layers in `changed` (the ones the student just edited
    or added) are narrowed first, each to the widest width that fits with the others as they
    are; if that is not enough (or nothing was named), every layer is scaled down by the same
    factor, so the network keeps its shape.
    """
    hidden = [int(h) for h in hidden]
    if network_cost(n_inputs, hidden, n_outputs) <= budget:
        return tuple(hidden)
    for i in sorted(set(changed), reverse=True):
        if 0 <= i < len(hidden):
            # cost is linear in one layer's width w: cost(w) = rest + w * per_unit
            rest = network_cost(n_inputs, hidden[:i] + [0] + hidden[i + 1 :], n_outputs)
            before = n_inputs if i == 0 else hidden[i - 1]
            after = n_outputs if i == len(hidden) - 1 else hidden[i + 1]
            per_unit = before + after + ELEMENTWISE_COST
            hidden[i] = max(1, min(hidden[i], int((budget - rest) // per_unit)))
            if network_cost(n_inputs, hidden, n_outputs) <= budget:
                return tuple(hidden)
    low, high = 0.0, 1.0  # largest common factor that fits (bisection)
    for _ in range(30):
        middle = (low + high) / 2
        trial = [max(1, int(h * middle)) for h in hidden]
        low, high = (middle, high) if network_cost(n_inputs, trial, n_outputs) <= budget else (low, middle)
    return tuple(max(1, int(h * low)) for h in hidden)


def describe_network(hidden) -> str:
    return " × ".join(str(h) for h in hidden) if hidden else "no hidden layer"


def validate(
    config: PlaygroundConfig, previous: PlaygroundConfig | None = None
) -> tuple[PlaygroundConfig, list[str]]:
    """Return a config whose every value is allowed, and what had to change (warnings).

    `previous` (the config before the student's last change) tells which hidden layers were
    just edited: those are the ones narrowed when the network is over its size budget."""
    w: list[str] = []
    c = config
    dataset = _choice("dataset", c.dataset, DATA_SOURCES, w)
    option = dataset_option(dataset)
    classes = None
    if option is not None and c.classes is not None:
        classes = _clamp("classes", c.classes, option[1].low, option[1].high, w, int)
    features = []
    for name in c.features if isinstance(c.features, (tuple, list)) else ():
        if name in FEATURES and name not in features:
            features.append(name)
        elif name not in FEATURES:
            w.append(f"features: unknown feature {name!r} ignored.")
    if not features:
        w.append("features: at least one feature is needed; using x1 and x2.")
        features = ["x1", "x2"]
    features = tuple(f for f in FEATURES if f in features)  # canonical order

    hidden = list(c.hidden) if isinstance(c.hidden, (tuple, list)) else list(DEFAULT.hidden)
    if len(hidden) > MAX_HIDDEN_LAYERS:
        w.append(
            f"hidden layers: {len(hidden)} is more than {MAX_HIDDEN_LAYERS}; keeping the first "
            f"{MAX_HIDDEN_LAYERS}."
        )
        hidden = hidden[:MAX_HIDDEN_LAYERS]
    hidden = tuple(_clamp("neurons", n, 1, MAX_NEURONS, w, int) for n in hidden)
    n_out = classes if classes is not None else 1
    if network_cost(len(features), hidden, n_out) > MAX_NETWORK_COST:
        before = previous.hidden if isinstance(previous, PlaygroundConfig) else None
        changed = (
            () if before is None else [i for i, h in enumerate(hidden) if i >= len(before) or before[i] != h]
        )
        fitted = fit_network_budget(len(features), hidden, n_out, changed)
        w.append(
            f"network size: {describe_network(hidden)} is over the Playground's limit; "
            f"using {describe_network(fitted)}. With {len(features)} input feature(s) it "
            f"would take {network_cost(len(features), hidden, n_out):,.0f} operations per "
            f"point, and the limit ({MAX_NETWORK_COST:,.0f}) keeps the picture live and no "
            f"student slowing the class down. Bigger networks: the MNIST page."
        )
        hidden = fitted
    given = [a for a in (c.activations if isinstance(c.activations, (tuple, list)) else ())]
    activations = []
    for i in range(len(hidden)):
        name = given[i] if i < len(given) else (activations[-1] if activations else "tanh")
        activations.append(_choice("activation", name, tuple(ACTIVATIONS), w, default="tanh"))

    # Clicked points only belong to the "points" data set (the page keeps the drawing itself).
    points = _validate_points(c.points, w) if dataset == "points" else ()
    hide = []
    for name in c.hide if isinstance(c.hide, (tuple, list)) else ():
        name = FIELD_FOR_KEY.get(name, name)
        if name in HIDEABLE and name not in hide:
            hide.append(name)
        elif name not in HIDEABLE:
            w.append(f"hide: unknown control {name!r} ignored.")

    clean = PlaygroundConfig(
        dataset=dataset,
        n_samples=_clamp("n_samples", c.n_samples, N_SAMPLES_MIN, N_SAMPLES_MAX, w, int),
        noise=_snap_step("noise", c.noise, NOISE_MIN, NOISE_MAX, w),
        test_ratio=_snap_step("test_ratio", c.test_ratio, TEST_RATIO_MIN, TEST_RATIO_MAX, w),
        seed=_clamp("seed", c.seed, 0, MAX_SEED, w, int),
        classes=classes,
        features=features,
        hidden=hidden,
        activations=tuple(activations),
        init=_choice("init", c.init, tuple(INITIALIZERS), w),
        head=_choice("head", c.head, HEADS, w),
        learning_rate=_snap("learning_rate", c.learning_rate, LEARNING_RATES, w),
        optimizer=_choice("optimizer", c.optimizer, tuple(OPTIMIZERS), w),
        batch_size=_clamp("batch_size", c.batch_size, 1, MAX_BATCH_SIZE, w, int),
        epochs_per_update=_clamp("epochs_per_update", c.epochs_per_update, 1, MAX_EPOCHS_PER_UPDATE, w, int),
        l1=_snap("l1", c.l1, REGULARIZATION_RATES, w),
        l2=_snap("l2", c.l2, REGULARIZATION_RATES, w),
        dropout=_snap_step("dropout", c.dropout, 0.0, MAX_DROPOUT, w),
        schedule=_choice("schedule", c.schedule, tuple(SCHEDULES), w),
        early_stopping=bool(c.early_stopping),
        patience=_clamp("patience", c.patience, 1, MAX_PATIENCE, w, int),
        show_test=bool(c.show_test),
        discretize=bool(c.discretize),
        points=points,
        hide=tuple(hide),
    )
    return clean, w


def _validate_points(points, warnings) -> tuple:
    if not isinstance(points, (tuple, list)):
        return ()
    clean = []
    for point in points[:N_SAMPLES_MAX]:
        try:
            x, y, label = (float(v) for v in point)
        except (TypeError, ValueError):
            warnings.append(f"points: {point!r} is not an (x, y, label) triple; ignored.")
            continue
        if not all(math.isfinite(v) for v in (x, y, label)):
            warnings.append("points: a point with a non-finite value was ignored.")
            continue
        lo, hi = PLANE
        clean.append((min(hi, max(lo, x)), min(hi, max(lo, y)), label))
    if len(points) > N_SAMPLES_MAX:
        warnings.append(f"points: only the first {N_SAMPLES_MAX} points are kept.")
    return tuple(clean)


# ----------------------------------------------------------------------------- URL
def _fmt(value: float) -> str:
    return f"{value:g}"


def encode_query(config: PlaygroundConfig) -> dict[str, str]:
    """The config as URL query parameters (str -> str), short and human-readable."""
    c = config
    query = {
        "ds": c.dataset,
        "n": str(c.n_samples),
        "noise": _fmt(c.noise),
        "test": _fmt(c.test_ratio),
        "seed": str(c.seed),
        "feat": ",".join(FEATURE_CODES[f] for f in c.features),
        "layers": ",".join(map(str, c.hidden)) if c.hidden else "0",
        "act": ",".join(c.activations) if c.activations else "",
        "init": c.init,
        "head": c.head,
        "lr": _fmt(c.learning_rate),
        "opt": c.optimizer,
        "bs": str(c.batch_size),
        "epu": str(c.epochs_per_update),
        "l1": _fmt(c.l1),
        "l2": _fmt(c.l2),
        "drop": _fmt(c.dropout),
        "sched": c.schedule,
        "es": "1" if c.early_stopping else "0",
        "pat": str(c.patience),
        "showtest": "1" if c.show_test else "0",
        "disc": "1" if c.discretize else "0",
    }
    if not c.activations:
        del query["act"]
    if c.classes is not None:
        query["k"] = str(c.classes)
    if c.dataset == "points" and 0 < len(c.points) <= MAX_URL_POINTS:
        query["pts"] = ";".join(f"{x:.2f}:{y:.2f}:{_fmt(round(label, 3))}" for x, y, label in c.points)
    if c.hide:
        query["hide"] = ",".join(c.hide)
    return query


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{text!r} is not a yes/no value")


def _parse_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_points(text: str) -> tuple:
    points = []
    for item in text.split(";"):
        if item.strip():
            parts = item.split(":")
            if len(parts) != 3:
                raise ValueError(f"point {item!r} is not x:y:label")
            points.append(tuple(float(p) for p in parts))
    return tuple(points)


_PARSERS = MappingProxyType(
    {
        "dataset": str,
        "n_samples": int,
        "noise": float,
        "test_ratio": float,
        "seed": int,
        "classes": int,
        "learning_rate": float,
        "optimizer": str,
        "batch_size": int,
        "epochs_per_update": int,
        "l1": float,
        "l2": float,
        "dropout": float,
        "schedule": str,
        "early_stopping": _parse_bool,
        "patience": int,
        "show_test": _parse_bool,
        "discretize": _parse_bool,
        "init": str,
        "head": str,
        "features": lambda t: tuple(FEATURE_FOR_CODE.get(code, code) for code in _parse_list(t)),
        "hidden": lambda t: () if t.strip() in ("0", "", "none") else tuple(int(p) for p in _parse_list(t)),
        "activations": lambda t: tuple(_parse_list(t)),
        "points": _parse_points,
        "hide": lambda t: tuple(_parse_list(t)),
    }
)


def _int_or_float(parser):
    """int() of '8.0' fails; accept whole-number floats in links (some tools rewrite them)."""

    def parse(text):
        try:
            return parser(text)
        except ValueError:
            value = float(text)
            if not value.is_integer():
                raise
            return int(value)

    return parse


def decode_query(params: Mapping) -> tuple[PlaygroundConfig, list[str]]:
    """Read a config from URL query parameters (what st.query_params gives: str, or a list of str
    for repeated keys, the last one wins). Never raises: anything unusable is ignored or clamped,
    and described in the returned warnings."""
    warnings: list[str] = []
    values: dict = {}
    for key, raw in dict(params).items():
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        text = str(raw)
        name = FIELD_FOR_KEY.get(str(key))
        if name is None:
            warnings.append(f"Ignored unknown link parameter {str(key)[:40]!r}.")
            continue
        if len(text) > MAX_PARAM_LENGTH:
            warnings.append(f"Ignored link parameter {key!r}: longer than {MAX_PARAM_LENGTH} characters.")
            continue
        parser = _PARSERS[name]
        if parser is int:
            parser = _int_or_float(int)
        try:
            values[name] = parser(text)
        except (ValueError, TypeError, OverflowError):
            warnings.append(f"Ignored link parameter {key}={text[:40]!r}: not a valid value.")
    # A link that names its layers but not their activations gets tanh for each.
    if "hidden" in values and "activations" not in values:
        values["activations"] = ("tanh",) * len(values["hidden"])
    if "activations" in values and len(values["activations"]) == 1 and "hidden" in values:
        values["activations"] = values["activations"] * len(values["hidden"])  # act=relu: all layers
    config, more = validate(replace(DEFAULT, **values))
    return config, warnings + more


def query_string(query: Mapping[str, str]) -> str:
    """'?ds=moons&n=500...' with commas, colons and semicolons left readable."""
    from urllib.parse import urlencode

    return "?" + urlencode(dict(query), safe=",:;")


def share_link(config: PlaygroundConfig, base_url: str | None, hide=()) -> str:
    """A link that opens the page with this config; `hide` adds a classroom hide list."""
    query = encode_query(replace(config, hide=tuple(hide)))
    return (base_url or "") + query_string(query)


# ----------------------------------------------------------------------------- building
def data_key(config: PlaygroundConfig, data_token=None) -> tuple:
    """Everything the data set depends on (data_token identifies an uploaded file)."""
    c = config
    if c.dataset == "csv":
        return ("csv", data_token, c.seed, c.test_ratio)
    if c.dataset == "points":
        return ("points", c.points, c.seed, c.test_ratio)
    return (c.dataset, c.n_samples, c.noise, c.seed, c.test_ratio, c.classes)


def structure_key(config: PlaygroundConfig, data_token=None) -> tuple:
    """Changing any of these rebuilds the network and trainer (new seeded weights)."""
    c = config
    return (data_key(c, data_token), c.features, c.hidden, c.activations, c.init, c.head)


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
        return from_points(config.points, seed=config.seed, test_ratio=config.test_ratio)
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
    }


HYPERPARAMETER_FIELDS = ("learning_rate", "optimizer", "batch_size", "l1", "l2", "dropout", "schedule")


def grid_points(extent, resolution: int) -> np.ndarray:
    """(resolution², 2) float32 points covering the extent; row-major with y growing by row, so
    `values.reshape(resolution, resolution)[i, j]` is at (xs[j], ys[i]) and row 0 is at the bottom."""
    x_lo, x_hi, y_lo, y_hi = extent
    xs = np.linspace(x_lo, x_hi, resolution, dtype=np.float32)
    ys = np.linspace(y_lo, y_hi, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def plane_extent(dataset: Dataset2D, source: str) -> tuple[float, float, float, float]:
    """The square shown: TF Playground's [-6, 6]² for generated and clicked data; for uploads,
    the data's own range plus a margin."""
    if source != "csv":
        return (PLANE[0], PLANE[1], PLANE[0], PLANE[1])
    X = np.vstack([dataset.X_train, dataset.X_test]).astype(np.float64)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 1e-3)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def forward_cost(layer_sizes) -> float:
    """Approximate work of one forward pass per point (see ELEMENTWISE_COST, LAYER_COST)."""
    sizes = list(layer_sizes)
    return float(
        sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        + ELEMENTWISE_COST * sum(sizes[1:])
        + LAYER_COST * (len(sizes) - 1)
    )


def grid_resolution(
    layer_sizes, budget: float = LIVE_GRID_BUDGET, low: int = MIN_LIVE_GRID, high: int = GRID_SIZE
) -> int:
    """The finest square grid whose evaluation fits in `budget` multiply-adds, within [low, high]."""
    side = int(math.sqrt(budget / max(1.0, forward_cost(layer_sizes))))
    return max(low, min(high, side))


def decimate_indices(n: int, max_points: int = 300) -> np.ndarray:
    """At most max_points evenly spaced indices of range(n), always including the last."""
    if n <= max_points:
        return np.arange(n)
    index = np.linspace(0, n - 1, max_points).round().astype(np.int64)
    return np.unique(index)


class CurveHistory:
    """Loss and metric curves for the live charts, of bounded size however long training runs.

    Keeps every `stride`-th epoch; when more than `max_points` are kept, every other one is
    dropped and the stride doubles. The latest record is always available as `last`.
    """

    COLUMNS = ("epoch", "train_loss", "test_loss", "train_metric", "test_metric")

    def __init__(self, max_points: int = 600):
        self.max_points = int(max_points)
        self.stride = 1
        self.columns: dict[str, list[float]] = {name: [] for name in self.COLUMNS}
        self.last: EpochRecord | None = None

    def __len__(self) -> int:
        return len(self.columns["epoch"])

    def add(self, records) -> None:
        for record in records:
            self.last = record
            if record.epoch % self.stride:
                continue
            values = (
                record.epoch,
                record.train_loss,
                math.nan if record.val_loss is None else record.val_loss,
                record.train_metric,
                math.nan if record.val_metric is None else record.val_metric,
            )
            for name, value in zip(self.COLUMNS, values):
                self.columns[name].append(float(value))
            if len(self) > self.max_points:
                self._thin()

    def _thin(self) -> None:
        stride = self.stride * 2
        keep = [i for i, epoch in enumerate(self.columns["epoch"]) if int(epoch) % stride == 0]
        for name in self.COLUMNS:
            column = self.columns[name]
            self.columns[name] = [column[i] for i in keep]
        self.stride = stride

    def arrays(self, max_points: int = 300) -> dict[str, np.ndarray]:
        """float32 columns, at most max_points + 1 rows, ending with the latest record."""
        n = len(self)
        index = decimate_indices(n, max_points)
        out = {
            name: np.asarray(self.columns[name], dtype=np.float32)[index] if n else np.zeros(0, np.float32)
            for name in self.COLUMNS
        }
        last = self.last
        if last is not None and (n == 0 or out["epoch"][-1] != last.epoch):
            tail = (
                last.epoch,
                last.train_loss,
                np.nan if last.val_loss is None else last.val_loss,
                last.train_metric,
                np.nan if last.val_metric is None else last.val_metric,
            )
            out = {name: np.append(out[name], np.float32(v)) for name, v in zip(self.COLUMNS, tail)}
        return out


@dataclass
class Boundary:
    """The network's output over the plane, on a resolution x resolution grid (row 0 at the bottom).

    binary: values = P(class 1); multiclass: classes = predicted class, values = its
    probability; regression: values = the prediction.
    """

    values: np.ndarray  # float32 (r, r)
    classes: np.ndarray | None  # uint8 (r, r) for multiclass
    extent: tuple
    task: str
    n_classes: int


def metric_name(task: str) -> str:
    return "R²" if task == "regression" else "accuracy"


def feature_label(name: str) -> str:
    return FEATURE_LABELS.get(name, name)


class PlaygroundSession:
    """One student's live training: data, network, trainer and what the page draws from them.

    Stored in st.session_state by the page (never shared between users). Build a new one when
    `structure_key` changes; call `update(config)` for hyperparameter changes (weights and
    history are kept).
    """

    def __init__(self, config: PlaygroundConfig, dataset: Dataset2D, data_token=None):
        self.config = config
        self.dataset = dataset
        self.data_token = data_token
        self.key = structure_key(config, data_token)
        self.task = dataset.task
        self.head, self.head_note = resolve_head(config, dataset.task)
        self.n_outputs = output_units(self.head, dataset)
        # Multiclass display when there are more than two outputs; a two-output softmax is still
        # drawn as P(class 1).
        self.display_task = (
            "regression" if self.task == "regression" else "multiclass" if self.n_outputs > 2 else "binary"
        )
        self.X_train = expand_features(dataset.X_train, config.features)
        self.X_test = expand_features(dataset.X_test, config.features)
        self.network = build_network(config, len(config.features), self.head, self.n_outputs)
        self.trainer = Trainer(
            self.network,
            self.X_train,
            dataset.y_train,
            self.X_test,
            dataset.y_test,
            early_stopping=config.early_stopping,
            patience=config.patience,
            seed=config.seed,
            **trainer_options(config, dataset.n_train),
        )
        self.extent = plane_extent(dataset, config.dataset)
        self.curves = CurveHistory()
        self._grids: dict[int, np.ndarray] = {}
        # Epoch 0: the loss before any training, so the curves start where the learner does.
        train_loss, train_metric = self.trainer.evaluate(self.X_train, dataset.y_train)
        test_loss, test_metric = self.trainer.evaluate(self.X_test, dataset.y_test)
        self.initial = EpochRecord(
            0, train_loss, train_metric, test_loss, test_metric, config.learning_rate, (), 0.0
        )
        self.curves.add([self.initial])

    # ------------------------------------------------------------------ config changes
    def update(self, config: PlaygroundConfig) -> list[str]:
        """Apply a config with the same structure: hyperparameters change in place (weights and
        history kept), also while training. Returns the names of what changed."""
        if structure_key(config, self.data_token) != self.key:
            raise ValueError("the structure changed: build a new PlaygroundSession")
        old, self.config = self.config, config
        changes = {
            name: getattr(config, name)
            for name in HYPERPARAMETER_FIELDS
            if getattr(config, name) != getattr(old, name)
        }
        if "batch_size" in changes:
            changes["batch_size"] = min(config.batch_size, self.dataset.n_train)
        if changes:
            self.trainer.set_hyperparameters(**changes)
        # Early stopping has no setter in the engine; the trainer reads these two attributes at
        # the end of every epoch, so setting them between steps is safe.
        if (config.early_stopping, config.patience) != (old.early_stopping, old.patience):
            self.trainer.early_stopping = config.early_stopping
            self.trainer.patience = config.patience
            changes["early_stopping"] = config.early_stopping
        view = [
            name
            for name in ("show_test", "discretize", "epochs_per_update", "hide")
            if getattr(config, name) != getattr(old, name)
        ]
        return list(changes) + view

    # ------------------------------------------------------------------ training
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def stopped(self) -> bool:
        return self.trainer.stopped

    @property
    def stop_reason(self) -> str | None:
        return self.trainer.stop_reason

    @property
    def diverged(self) -> bool:
        return self.trainer.stopped and self.trainer.stop_kind == "diverged"

    def train(self, milliseconds: float, max_epochs: int) -> list[EpochRecord]:
        """One live update's slice: about `milliseconds` of training, at most max_epochs epochs."""
        # Overflow on the way to a divergence is expected: the trainer detects it, restores the
        # last good weights and explains; NumPy's warnings would only clutter the server log.
        with np.errstate(over="ignore", invalid="ignore"):
            return self._absorb(self.trainer.step_for(milliseconds, max_epochs=max_epochs))

    def step(self, epochs: int = 1) -> list[EpochRecord]:
        """Whole epochs (the Step button); continues after a stop, as pressing Play does."""
        if self.trainer.stopped:
            self.trainer.resume()
        with np.errstate(over="ignore", invalid="ignore"):
            return self._absorb(self.trainer.step(epochs))

    def resume(self) -> None:
        if self.trainer.stopped:
            self.trainer.resume()

    def _absorb(self, records) -> list[EpochRecord]:
        self.curves.add(records)
        history = self.trainer.history
        if len(history) > 2 * HISTORY_KEEP:
            # The engine keeps every EpochRecord and never reads them back; a 5-minute run at
            # 200 epochs/s would hold 60,000. The curves have their own bounded copy.
            del history[:-HISTORY_KEEP]
        return records

    @property
    def latest(self) -> EpochRecord:
        return self.curves.last or self.initial

    @property
    def training_seconds(self) -> float:
        last = self.trainer.history[-1] if self.trainer.history else None
        return last.seconds if last else 0.0

    # ------------------------------------------------------------------ evaluation on the plane
    def grid_features(self, resolution: int) -> np.ndarray:
        """Expanded features of the grid points (cached per resolution: built once, reused
        on every update)."""
        features = self._grids.get(resolution)
        if features is None:
            if len(self._grids) >= 4:
                self._grids.clear()
            features = expand_features(grid_points(self.extent, resolution), self.config.features)
            self._grids[resolution] = features
        return features

    def live_resolution(self, budget: float = LIVE_GRID_BUDGET) -> int:
        return grid_resolution(self.network.layer_sizes, budget)

    def boundary(self, resolution: int = GRID_SIZE) -> Boundary:
        """The output over a resolution² grid: one forward pass of the network."""
        out = self.network.predict_output(self.grid_features(resolution))
        r = resolution
        classes = None
        if self.display_task == "multiclass":
            classes = out.argmax(axis=1).astype(np.uint8).reshape(r, r)
            values = out.max(axis=1).reshape(r, r)
        elif self.display_task == "binary":
            values = out[:, -1].reshape(r, r)
        else:
            values = out[:, 0].reshape(r, r)
        return Boundary(
            np.ascontiguousarray(values, dtype=np.float32),
            classes,
            self.extent,
            self.display_task,
            max(2, self.n_outputs) if self.task != "regression" else 0,
        )

    def neuron_maps(self, resolution: int = 24, max_per_layer: int = DIAGRAM_MAX_NEURONS) -> list[np.ndarray]:
        """Each neuron's output over the plane, for the network diagram: one array per column of
        the diagram, [inputs, hidden 1, ..., output], each (k, r, r) float32 with k <= max_per_layer.
        One `trace` of the grid gives every neuron at once."""
        features = self.grid_features(resolution)
        r = resolution
        maps = [np.ascontiguousarray(features[:, :max_per_layer].T.reshape(-1, r, r))]
        for trace in self.network.trace(features):
            a = trace.a[:, :max_per_layer]
            maps.append(np.ascontiguousarray(a.T.reshape(-1, r, r), dtype=np.float32))
        return maps

    def column_names(self) -> list[list[str]]:
        """Names of the neurons of each diagram column (inputs, hidden layers, output)."""
        names = [[feature_label(f) for f in self.config.features]]
        for i, width in enumerate(self.config.hidden, 1):
            names.append([f"H{i}.{j + 1}" for j in range(width)])
        if self.n_outputs == 1:
            names.append(["output"])
        else:
            names.append([f"class {k}" for k in range(self.n_outputs)])
        return names

    def layer_choices(self) -> list[tuple[int, str]]:
        """(layer index in network.layers, label) for the neuron inspector."""
        labels = []
        for i, width in enumerate(self.config.hidden):
            labels.append((i, f"Hidden layer {i + 1} ({width} neurons, {self.config.activations[i]})"))
        labels.append(
            (
                len(self.config.hidden),
                f"Output layer ({self.n_outputs} neuron{'s' if self.n_outputs > 1 else ''})",
            )
        )
        return labels

    def neuron_detail(self, layer: int, neuron: int, resolution: int = GRID_SIZE) -> dict:
        """What the inspector shows: the neuron's output map, its bias, its incoming weights."""
        network = self.network
        if not 0 <= layer < len(network.layers):
            raise ValueError(f"layer must be in [0, {len(network.layers) - 1}]; got {layer}")
        dense = network.layers[layer]
        if not 0 <= neuron < dense.n_out:
            raise ValueError(f"neuron must be in [0, {dense.n_out - 1}]; got {neuron}")
        traces = network.trace(self.grid_features(resolution))
        r = resolution
        return {
            "map": np.ascontiguousarray(traces[layer].a[:, neuron].reshape(r, r), dtype=np.float32),
            "bias": float(dense.bias[neuron]),
            "weights": dense.weights[:, neuron].astype(np.float64),
            "inputs": self.column_names()[layer],
            "name": self.column_names()[layer + 1][neuron],
            "activation": dense.activation.name,
            "extent": self.extent,
        }

    def set_weight(self, layer: int, source: int, neuron: int, value: float) -> float:
        """Edit one weight (written into the network's parameter buffer, a view)."""
        value = self._check_parameter(value)
        self.network.layers[layer].weights[source, neuron] = value
        return value

    def set_bias(self, layer: int, neuron: int, value: float) -> float:
        value = self._check_parameter(value)
        self.network.layers[layer].bias[neuron] = value
        return value

    @staticmethod
    def _check_parameter(value) -> float:
        value = float(value)
        if not math.isfinite(value) or abs(value) > MAX_WEIGHT:
            raise ValueError(
                f"a weight or bias must be a finite number within ±{MAX_WEIGHT:g}; got {value!r}"
            )
        return value


def config_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(PlaygroundConfig))
