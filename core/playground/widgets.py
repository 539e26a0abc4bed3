"""The one mapping between the Playground page's widgets and its configuration.

Every control of the sidebar has a widget name (the page keys its widget with a prefix + that
name). Most fields have one widget each (`FIELD_WIDGETS`: the field, its widget, and how a value
goes to the widget and back). Three fields need more than one widget or depend on another:

- `hidden` and `activations`: a "layers" count, then one "units_<i>" and one "act_<i>" per layer;
- `classes`: its widget only exists for the data sets that have a class count (spirals, blobs).

Two fields have no widget at all (`NOT_WIDGETS`): the clicked points and the hidden controls.

`widget_values(config)` gives the widget values that show a configuration; `config_from_widgets`
reads one back (not validated: the page passes it to `validate`). A test checks that every field
of `PlaygroundConfig` is covered here, so a new field cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from core.playground.config import MAX_WEIGHT, PlaygroundConfig
from core.playground.health import readable
from core.playground.validation import dataset_option

# A new hidden layer starts like the one before it; the first one like this.
FIRST_LAYER_UNITS = 4
FIRST_LAYER_ACTIVATION = "tanh"
# The class-count widget's value when the data set has no class count (the widget is not shown).
NO_CLASS_OPTION = 3


def _same(value):
    return value


@dataclass(frozen=True)
class FieldWidget:
    """One config field shown by one widget: `to_widget(field value)` is the widget's value,
    `from_widget(widget value)` the field's."""

    field: str
    widget: str
    to_widget: Callable[[Any], Any] = _same
    from_widget: Callable[[Any], Any] = _same


FIELD_WIDGETS = (
    FieldWidget("dataset", "dataset"),
    FieldWidget("n_samples", "n_samples", from_widget=int),
    FieldWidget("noise", "noise", from_widget=float),
    FieldWidget("test_ratio", "test_ratio", from_widget=float),
    FieldWidget("seed", "seed", from_widget=int),
    # st.pills in multi mode holds a list; the config keeps an immutable tuple
    FieldWidget("features", "features", to_widget=list, from_widget=lambda v: tuple(v or ())),
    FieldWidget("init", "init"),
    FieldWidget("head", "head"),
    FieldWidget("learning_rate", "learning_rate", from_widget=float),
    FieldWidget("optimizer", "optimizer"),
    FieldWidget("batch_size", "batch_size", from_widget=int),
    FieldWidget("epochs_per_update", "epochs_per_update", from_widget=int),
    FieldWidget("l1", "l1", from_widget=float),
    FieldWidget("l2", "l2", from_widget=float),
    FieldWidget("dropout", "dropout", from_widget=float),
    FieldWidget("schedule", "schedule"),
    FieldWidget("schedule_every", "schedule_every", from_widget=int),
    FieldWidget("schedule_rate", "schedule_rate", from_widget=float),
    FieldWidget("early_stopping", "early_stopping", from_widget=bool),
    FieldWidget("patience", "patience", from_widget=int),
    FieldWidget("show_test", "show_test", from_widget=bool),
    FieldWidget("discretize", "discretize", from_widget=bool),
)
LAYER_FIELDS = ("hidden", "activations")  # widgets "layers", "units_<i>", "act_<i>"
CLASS_FIELD = "classes"  # widget "classes", only for data sets with a class count
NOT_WIDGETS = MappingProxyType(
    {
        "points": "clicked on the plane in the page's point editor",
        "hide": "set by a classroom link, never by a control",
    }
)


def covered_fields() -> tuple[str, ...]:
    """Every config field this module accounts for (a widget, several, or explicitly none)."""
    return (*(w.field for w in FIELD_WIDGETS), *LAYER_FIELDS, CLASS_FIELD, *NOT_WIDGETS)


def units_key(layer: int) -> str:
    return f"units_{layer}"


def activation_key(layer: int) -> str:
    return f"act_{layer}"


def layer_values(hidden, activations) -> dict[str, Any]:
    """The layer widgets' values for these hidden layers."""
    values: dict[str, Any] = {"layers": len(hidden)}
    for i, (units, activation) in enumerate(zip(hidden, activations)):
        values[units_key(i)] = int(units)
        values[activation_key(i)] = activation
    return values


def width_values(hidden) -> dict[str, int]:
    """The width widgets' values alone (after validation narrowed a layer to fit the size budget)."""
    return {units_key(i): int(units) for i, units in enumerate(hidden)}


def classes_value(config: PlaygroundConfig) -> int:
    """The class-count widget's value: the config's count, else its data set's default."""
    if config.classes is not None:
        return config.classes
    option = dataset_option(config.dataset)
    return option[1].default if option else NO_CLASS_OPTION


def widget_values(config: PlaygroundConfig) -> dict[str, Any]:
    """The value of every widget that shows `config`, by widget name."""
    values = {w.widget: w.to_widget(getattr(config, w.field)) for w in FIELD_WIDGETS}
    values[CLASS_FIELD] = classes_value(config)
    values.update(layer_values(config.hidden, config.activations))
    return values


def new_layer_values(values: Mapping[str, Any], layers: int) -> dict[str, Any]:
    """Values for the widgets of layers 0..layers-1 that have none yet: a new layer starts like
    the one before it (same width and activation)."""
    missing: dict[str, Any] = {}
    units, activation = FIRST_LAYER_UNITS, FIRST_LAYER_ACTIVATION
    for i in range(layers):
        if units_key(i) not in values:
            missing[units_key(i)] = units
        if activation_key(i) not in values:
            missing[activation_key(i)] = activation
        units = values.get(units_key(i), missing.get(units_key(i)))
        activation = values.get(activation_key(i), missing.get(activation_key(i)))
    return missing


def values_for_new_dataset(dataset: str, old: PlaygroundConfig) -> dict[str, int]:
    """Widget values to set when the student picks another data set: it starts with its own
    default class count (5 blobs do not carry over to spirals)."""
    option = dataset_option(dataset)
    if dataset == old.dataset or option is None:
        return {}
    return {CLASS_FIELD: option[1].default}


def config_from_widgets(values: Mapping[str, Any], old: PlaygroundConfig, points=()) -> PlaygroundConfig:
    """The configuration the widgets describe. A widget with no value (not drawn yet, or hidden
    by a classroom link) keeps `old`'s value; `points` are the clicked points, kept only for the
    "points" data set; `hide` stays as it was. Not validated: pass the result to `validate`."""
    changes = {
        w.field: w.from_widget(values[w.widget]) if w.widget in values else getattr(old, w.field)
        for w in FIELD_WIDGETS
    }
    dataset = changes["dataset"]
    if dataset_option(dataset) is None:
        changes[CLASS_FIELD] = None  # this data set has no class count
    else:
        changes[CLASS_FIELD] = int(values[CLASS_FIELD]) if CLASS_FIELD in values else old.classes
    merged = {**layer_values(old.hidden, old.activations), **values}
    layers = int(merged["layers"])
    merged.update(new_layer_values(merged, layers))
    changes["hidden"] = tuple(int(merged[units_key(i)]) for i in range(layers))
    changes["activations"] = tuple(merged[activation_key(i)] for i in range(layers))
    changes["points"] = tuple(points) if dataset == "points" else ()
    return replace(old, **changes)


def architecture_values(config: PlaygroundConfig, hidden) -> dict[str, Any]:
    """The layer widgets' values that load the hidden layer sizes `hidden` (e.g. the best of an
    architecture search), every layer with the activation of the config's first layer."""
    activation = config.activations[0] if config.activations else FIRST_LAYER_ACTIVATION
    return layer_values(hidden, (activation,) * len(hidden))


def narrowed_widths(candidate: PlaygroundConfig, clean: PlaygroundConfig) -> dict[str, int]:
    """The width widgets to correct when validation narrowed layers to fit the size budget (the
    same number of layers, other widths): {} when it did not."""
    if clean.hidden == candidate.hidden or len(clean.hidden) != len(candidate.hidden):
        return {}
    return width_values(clean.hidden)


def box_value(value: float) -> tuple[float, str | None]:
    """The value an edit box may start at (inside ±MAX_WEIGHT, the range a student may type), and
    a note when the engine's value is outside it: a diverged run can hold weights of 10^10, and a
    number box given a value beyond its range stops the whole page."""
    limit = MAX_WEIGHT
    if -limit <= value <= limit:
        return value, None
    clamped = limit if value > limit else -limit
    return (
        clamped,
        f"It is {readable(value)} now, beyond the ±{limit:,.0f} you can type: "
        f"the box starts at {clamped:+,.0f}.",
    )
