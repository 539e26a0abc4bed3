"""`validate`: clamp or replace anything out of range in a Playground configuration, and say what changed.

A forged link, an old bookmark or a widget edited mid-run never reaches the engine unchecked.
"""

from __future__ import annotations

import math

from core.data import (
    DATASETS,
    FEATURES,
)
from core.data.split import TEST_RATIO_MAX, TEST_RATIO_MIN
from core.data.two_d import N_SAMPLES_MAX, N_SAMPLES_MIN, NOISE_MAX, NOISE_MIN
from core.engine.activations import ACTIVATIONS
from core.engine.initializers import INITIALIZERS
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import SCHEDULES
from core.playground.budget import MAX_NETWORK_COST, fit_network_budget, network_cost
from core.playground.config import (
    DATA_SOURCES,
    DEFAULT,
    FIELD_FOR_KEY,
    HEADS,
    HIDEABLE,
    LEARNING_RATES,
    MAX_BATCH_SIZE,
    MAX_DROPOUT,
    MAX_EPOCHS_PER_UPDATE,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    MAX_PATIENCE,
    MAX_SCHEDULE_EVERY,
    MAX_SEED,
    PLANE,
    REGULARIZATION_RATES,
    STEP,
    PlaygroundConfig,
)


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
        schedule_every=_clamp("schedule_every", c.schedule_every, 1, MAX_SCHEDULE_EVERY, w, int),
        schedule_rate=_clamp("schedule_rate", c.schedule_rate, 0.01, 1.0, w),
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
