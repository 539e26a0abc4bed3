"""The MNIST page's settings as a link: written, read back, and forged links read safely."""

import pytest

from core.mnist import TrainingConfig
from core.mnist.url import (
    is_settings_link,
    query_from_values,
    settings_from_query,
    settings_query,
)


def test_a_config_round_trips_through_its_link():
    config = TrainingConfig(
        hidden_layers=(256, 64),
        activation="tanh",
        optimizer="sgd",
        learning_rate=0.03,
        batch_size=128,
        epochs=12,
        augment=True,
    )
    query = settings_query(config, "digits-8x8")
    assert query == {
        "hidden": "256,64",
        "act": "tanh",
        "opt": "sgd",
        "lr": "0.03",
        "batch": "128",
        "epochs": "12",
        "aug": "1",
        "data": "digits-8x8",
    }
    read = settings_from_query(query)
    assert read.config == config and read.dataset == "digits-8x8" and read.warnings == []


def test_no_hidden_layer_is_written_as_none_and_read_back():
    query = settings_query(TrainingConfig(hidden_layers=()))
    assert query["hidden"] == "none" and "data" not in query
    assert settings_from_query(query).config.hidden_layers == ()


def test_a_plain_visit_is_not_a_settings_link():
    assert not is_settings_link({})
    assert not is_settings_link({"teacher": "x"})
    assert is_settings_link({"lr": "0.01"})
    assert is_settings_link({"data": "mnist"})


def test_a_hand_typed_learning_rate_matches_the_sliders_value():
    assert settings_from_query({"lr": "1e-3"}).config.learning_rate == 0.001


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("hidden", "5000", "1 to 1024 neurons"),
        ("hidden", "1,2,3,4,5", "at most 4"),
        ("hidden", "<script>", "whole numbers"),
        ("act", "softmax!", "not one of"),
        ("opt", "lbfgs", "not one of"),
        ("lr", "0.5", "not one of"),
        ("lr", "nan", "not one of"),
        ("lr", "fast", "not a number"),
        ("batch", "100", "not one of"),
        ("batch", "-64", "not a whole number"),
        ("epochs", "0", "must be 1 to 100"),
        ("epochs", "1000", "must be 1 to 100"),
        ("aug", "yes", "must be 0 or 1"),
        ("epochs", "9" * 500, "longer than 100 characters"),
    ],
)
def test_a_bad_value_falls_back_to_the_default_with_a_warning(key, value, problem):
    read = settings_from_query({key: value, "act": "tanh"} if key != "act" else {key: value})
    defaults = TrainingConfig()
    field = {
        "hidden": "hidden_layers",
        "act": "activation",
        "opt": "optimizer",
        "lr": "learning_rate",
        "batch": "batch_size",
        "epochs": "epochs",
        "aug": "augment",
    }[key]
    assert getattr(read.config, field) == getattr(defaults, field)
    assert len(read.warnings) == 1
    assert read.warnings[0].startswith(f"{key}: ") and problem in read.warnings[0]
    assert "the default (" in read.warnings[0]
    if key != "act":
        assert read.config.activation == "tanh"  # the good values of the same link are kept


def test_an_unknown_data_set_is_named_in_a_warning_and_ignored():
    read = settings_from_query({"data": "imagenet"})
    assert read.dataset is None and read.warnings == ["data: there is no image data set named 'imagenet'"]


def test_a_submissions_stored_values_become_the_same_link():
    stored = {
        "page": "mnist",
        "hidden_layers": [32],
        "activation": "relu",
        "optimizer": "adam",
        "learning_rate": 0.003,
        "batch_size": 32,
        "epochs": 7,
        "augment": False,
    }
    query = query_from_values(stored)
    assert query == {
        "hidden": "32",
        "act": "relu",
        "opt": "adam",
        "lr": "0.003",
        "batch": "32",
        "epochs": "7",
        "aug": "0",
    }
    read = settings_from_query(query)
    assert read.warnings == [] and read.config == TrainingConfig(
        hidden_layers=(32,), learning_rate=0.003, batch_size=32, epochs=7
    )
