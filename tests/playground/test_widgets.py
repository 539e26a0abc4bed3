"""core/playground/widgets.py: the one mapping between the Playground page's widgets and its config."""

from dataclasses import fields, replace

import pytest

from core.playground import DEFAULT, PlaygroundConfig, config_fields, validate
from core.playground import widgets as w

# A configuration that differs from DEFAULT in every field a widget shows.
CHANGED = PlaygroundConfig(
    dataset="blobs",
    n_samples=300,
    noise=0.35,
    test_ratio=0.3,
    seed=7,
    classes=5,
    features=("x1", "x2", "x1^2", "sin(x2)"),
    hidden=(6, 3, 2),
    activations=("relu", "sigmoid", "tanh"),
    init="he",
    head="softmax_ce",
    learning_rate=0.1,
    optimizer="adam",
    batch_size=32,
    epochs_per_update=77,
    l1=0.001,
    l2=0.01,
    dropout=0.25,
    schedule="cosine",
    schedule_every=40,
    schedule_rate=0.8,
    early_stopping=True,
    patience=30,
    show_test=True,
    discretize=True,
)


# ----------------------------------------------------------------------------- coverage
def test_every_config_field_has_widgets_or_says_why_not():
    """Adding a field to PlaygroundConfig without a widget (or a NOT_WIDGETS entry) fails here."""
    covered = w.covered_fields()
    assert len(covered) == len(set(covered)), "a field is mapped twice"
    assert sorted(covered) == sorted(config_fields())
    assert all(reason for reason in w.NOT_WIDGETS.values())


def test_widget_names_are_distinct_and_every_field_widget_is_shown():
    names = [fw.widget for fw in w.FIELD_WIDGETS]
    assert len(names) == len(set(names))
    values = w.widget_values(DEFAULT)
    assert set(names) <= set(values)
    assert not set(w.NOT_WIDGETS) & set(values)  # the points and the hidden controls are no widget


def test_changed_differs_from_default_in_every_widget_field():
    """Guards the round-trip test below: it must exercise every mapped field."""
    different = {
        f.name for f in fields(PlaygroundConfig) if getattr(CHANGED, f.name) != getattr(DEFAULT, f.name)
    }
    assert different == set(config_fields()) - set(w.NOT_WIDGETS)
    assert validate(CHANGED)[0] == CHANGED  # and it is a valid configuration


# ----------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("config", [DEFAULT, CHANGED], ids=["default", "changed"])
def test_round_trip(config):
    assert w.config_from_widgets(w.widget_values(config), config) == config


def test_round_trip_from_another_config_keeps_only_hide_from_it():
    old = replace(DEFAULT, hide=("noise", "race"))
    assert w.config_from_widgets(w.widget_values(CHANGED), old) == replace(CHANGED, hide=old.hide)


def test_widget_values_of_a_config():
    values = w.widget_values(CHANGED)
    assert values["features"] == ["x1", "x2", "x1^2", "sin(x2)"]  # st.pills holds a list
    assert values["layers"] == 3
    assert [values[f"units_{i}"] for i in range(3)] == [6, 3, 2]
    assert [values[f"act_{i}"] for i in range(3)] == ["relu", "sigmoid", "tanh"]
    assert values["classes"] == 5 and values["learning_rate"] == 0.1 and values["early_stopping"] is True


# One other value per widget: each must change its own field and no other.
OTHER = {
    "dataset": "xor",
    "n_samples": 200,
    "noise": 0.5,
    "test_ratio": 0.4,
    "seed": 9,
    "features": ["x1"],
    "init": "he",
    "head": "linear_mse",
    "learning_rate": 0.3,
    "optimizer": "momentum",
    "batch_size": 20,
    "epochs_per_update": 5,
    "l1": 0.01,
    "l2": 0.1,
    "dropout": 0.5,
    "schedule": "step",
    "schedule_every": 25,
    "schedule_rate": 0.9,
    "early_stopping": True,
    "patience": 7,
    "show_test": True,
    "discretize": True,
}


def test_other_values_cover_every_field_widget():
    assert set(OTHER) == {fw.widget for fw in w.FIELD_WIDGETS}


@pytest.mark.parametrize("widget", list(OTHER))
def test_each_widget_sets_its_own_field(widget):
    values = {**w.widget_values(DEFAULT), widget: OTHER[widget]}
    config = w.config_from_widgets(values, DEFAULT)
    field = next(fw.field for fw in w.FIELD_WIDGETS if fw.widget == widget)
    changed = [f for f in config_fields() if getattr(config, f) != getattr(DEFAULT, f)]
    assert changed == [field]
    expected = tuple(OTHER[widget]) if widget == "features" else OTHER[widget]
    assert getattr(config, field) == expected


def test_widget_values_are_converted_to_the_fields_types():
    """A number_input may hand back a float, a toggle a numpy bool: the config keeps real types."""
    values = {**w.widget_values(DEFAULT), "seed": 7.0, "batch_size": 20.0, "early_stopping": 1, "noise": 1}
    config = w.config_from_widgets(values, DEFAULT)
    assert type(config.seed) is int and type(config.batch_size) is int
    assert config.early_stopping is True and type(config.noise) is float
    assert type(config.features) is tuple


# ----------------------------------------------------------------------------- missing widgets
def test_widgets_not_drawn_keep_the_old_values():
    assert w.config_from_widgets({}, CHANGED) == CHANGED
    assert w.config_from_widgets({"noise": 0.5}, CHANGED) == replace(CHANGED, noise=0.5)


def test_classes_only_for_data_sets_that_have_a_class_count():
    values = w.widget_values(CHANGED)
    assert w.config_from_widgets({**values, "dataset": "moons"}, CHANGED).classes is None
    assert w.config_from_widgets({**values, "classes": 4}, CHANGED).classes == 4
    assert w.classes_value(DEFAULT) == w.NO_CLASS_OPTION  # moons: the widget is not shown
    assert w.classes_value(replace(DEFAULT, dataset="spiral")) == 2  # the data set's default
    assert w.classes_value(CHANGED) == 5


def test_points_are_kept_for_the_points_data_set_only():
    clicked = ((1.0, 2.0, 0), (3.0, 4.0, 1))
    values = w.widget_values(DEFAULT)
    assert w.config_from_widgets(values, DEFAULT, points=clicked).points == ()
    config = w.config_from_widgets({**values, "dataset": "points"}, DEFAULT, points=list(clicked))
    assert config.points == clicked and config.classes is None


# ----------------------------------------------------------------------------- layers
def test_a_new_layer_starts_like_the_one_before():
    values = {"layers": 3, "units_0": 8, "act_0": "relu"}
    assert w.new_layer_values(values, 3) == {
        "units_1": 8,
        "act_1": "relu",
        "units_2": 8,
        "act_2": "relu",
    }
    assert w.new_layer_values({}, 2) == {"units_0": 4, "act_0": "tanh", "units_1": 4, "act_1": "tanh"}
    assert w.new_layer_values(w.widget_values(CHANGED), 3) == {}  # all there: nothing to add
    # a gap is filled from the layer before it, and later layers keep their own values
    assert w.new_layer_values({"units_0": 5, "act_0": "relu", "units_2": 9, "act_2": "tanh"}, 3) == {
        "units_1": 5,
        "act_1": "relu",
    }


def test_adding_and_removing_layers():
    values = w.widget_values(DEFAULT)  # 8, 8 tanh
    more = w.config_from_widgets({**values, "layers": 3, "units_1": 5, "act_1": "relu"}, DEFAULT)
    assert more.hidden == (8, 5, 5) and more.activations == ("tanh", "relu", "relu")
    fewer = w.config_from_widgets({**values, "layers": 1}, DEFAULT)
    assert fewer.hidden == (8,) and fewer.activations == ("tanh",)
    none = w.config_from_widgets({**values, "layers": 0}, DEFAULT)
    assert none.hidden == () and none.activations == ()


def test_architecture_values_load_a_searched_architecture():
    values = w.architecture_values(CHANGED, (16, 4))
    assert values == {"layers": 2, "units_0": 16, "act_0": "relu", "units_1": 4, "act_1": "relu"}
    config = w.config_from_widgets({**w.widget_values(CHANGED), **values}, CHANGED)
    assert config.hidden == (16, 4) and config.activations == ("relu", "relu")
    assert w.architecture_values(replace(DEFAULT, hidden=(), activations=()), (3,))["act_0"] == "tanh"


def test_narrowed_widths_only_when_validation_narrowed_the_same_layers():
    wide = replace(DEFAULT, features=tuple(CHANGED.features), hidden=(48, 256), activations=("tanh", "tanh"))
    clean, problems = validate(wide, previous=replace(wide, hidden=(48, 48)))
    assert any(p.startswith("network size") for p in problems)
    fixed = w.narrowed_widths(wide, clean)
    assert fixed == {"units_0": clean.hidden[0], "units_1": clean.hidden[1]} and clean.hidden[1] < 256
    assert w.narrowed_widths(DEFAULT, DEFAULT) == {}
    assert w.narrowed_widths(wide, replace(clean, hidden=(8,))) == {}  # another layer count


def test_a_new_data_set_starts_with_its_default_class_count():
    blobs = replace(DEFAULT, dataset="blobs", classes=5)
    assert w.values_for_new_dataset("spiral", blobs) == {"classes": 2}
    assert w.values_for_new_dataset("blobs", blobs) == {}  # the same data set: keep the count
    assert w.values_for_new_dataset("moons", blobs) == {}  # no class count
    assert w.values_for_new_dataset("blobs", DEFAULT) == {"classes": 3}


def test_box_value_clamps_an_engine_value_into_the_typing_range_and_says_so():
    assert w.box_value(-0.25) == (-0.25, None)
    assert w.box_value(1000.0) == (1000.0, None)
    start, note = w.box_value(1746.8)
    assert start == 1000.0 and "1,746.8" in note and "+1,000" in note
    start, note = w.box_value(-6.3e7)
    assert start == -1000.0 and "-1,000" in note
