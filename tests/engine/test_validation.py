"""Bad input raises a ValueError whose message names the parameter, the allowed values and the
value received, in that order."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.engine.network import Network
from core.engine.trainer import Trainer

X = np.random.default_rng(0).normal(size=(12, 2))
Y = np.arange(12) % 2


def _message(*fragments: str) -> str:
    """A regex requiring the fragments in this order (each taken literally)."""
    return ".*".join(re.escape(f) for f in fragments)


def _net(**kwargs):
    return Network([2, 4, 1], "tanh", "sigmoid_bce", **kwargs)


# ------------------------------------------------------------------------------ network
def test_wrong_input_width():
    net = _net()
    with pytest.raises(ValueError, match=_message("X", "(n_samples, 2)", "got (5, 3)")):
        net.predict(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=_message("X", "(n_samples, 2)", "got (5, 3)")):
        net.predict_proba(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=_message("X_train", "(n_samples, 2)", "got (12, 3)")):
        Trainer(net, np.zeros((12, 3)), Y)
    with pytest.raises(ValueError, match=_message("X_validation", "(n_samples, 2)", "got (4, 5)")):
        Trainer(net, X, Y, np.zeros((4, 5)), Y[:4])


def test_unknown_activation_output_and_init():
    with pytest.raises(ValueError, match=_message("activation", "leaky_relu", "relu", "tanh", "got 'swish'")):
        Network([2, 4, 1], "swish", "sigmoid_bce")
    with pytest.raises(ValueError, match=_message("activation", "relu", "got 'Relu'")):
        Network([2, 4, 4, 1], ["tanh", "Relu"], "sigmoid_bce")
    with pytest.raises(ValueError, match=_message("output", "linear_mse", "softmax_ce", "got 'hinge'")):
        Network([2, 4, 1], "relu", "hinge")
    with pytest.raises(ValueError, match=_message("init", "he", "xavier", "got 'glorot'")):
        Network([2, 4, 1], "relu", "sigmoid_bce", init="glorot")


def test_too_few_layers_or_empty_layer():
    for sizes in ([3], []):
        with pytest.raises(ValueError, match=_message("layer_sizes", "2 or more", f"got {sizes!r}")):
            Network(sizes, "relu", "softmax_ce")
    with pytest.raises(ValueError, match=_message("layer_sizes[1]", "[1, 4096]", "got 0")):
        Network([2, 0, 1], "relu", "sigmoid_bce")
    with pytest.raises(ValueError, match=_message("activations", "(1)", "got 2")):
        Network([2, 4, 1], ["relu", "tanh"], "sigmoid_bce")
    # zero hidden layers is allowed: logistic regression
    net = Network([2, 1], [], "sigmoid_bce")
    assert net.predict_proba(X).shape == (12, 2)


def test_sigmoid_head_needs_one_output_and_dtype_is_checked():
    with pytest.raises(ValueError, match=_message("sigmoid_bce", "1 output unit", "got 2")):
        Network([2, 4, 2], "relu", "sigmoid_bce")
    with pytest.raises(ValueError, match=_message("dtype", "float32 or float64", "got int64")):
        Network([2, 4, 1], "relu", "sigmoid_bce", dtype=np.int64)


# ------------------------------------------------------------------------------ data
def test_nan_or_inf_in_data():
    bad = X.copy()
    bad[3, 1] = np.nan
    # the message must say what was wrong and where: "got nan at row 3, column 1" or similar
    with pytest.raises(ValueError, match=re.compile(r"X_train.*finite.*got\b.*\bnan\b", re.I | re.S)):
        Trainer(_net(), bad, Y)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match=re.compile(r"X_validation.*finite.*got\b.*\binf\b", re.I | re.S)):
        Trainer(_net(), X, Y, bad, Y)
    y = np.linspace(0, 1, 12)
    y[5] = np.nan
    with pytest.raises(ValueError, match=re.compile(r"y_train.*finite.*got\b.*\bnan\b", re.I | re.S)):
        Trainer(Network([2, 3, 1], "tanh", "linear_mse"), X, y)


def test_bad_labels():
    with pytest.raises(ValueError, match=_message("class labels", "[0, 2]", "got [0, 5]")):
        Trainer(Network([2, 4, 3], "relu", "softmax_ce"), X, np.r_[Y[:-1], 5])
    with pytest.raises(ValueError, match=_message("y", "0/1", "got", "2")):
        Trainer(_net(), X, np.r_[Y[:-1], 2])
    with pytest.raises(ValueError, match=_message("same number", "got 12 and 11")):
        Trainer(_net(), X, Y[:-1])


# ------------------------------------------------------------------------------ hyperparameters
BAD_HYPERPARAMETERS = [
    ("learning_rate", -0.1, ["learning_rate", "(0, 100]", "got -0.1"]),
    ("learning_rate", 0.0, ["learning_rate", "(0, 100]", "got 0.0"]),
    ("learning_rate", float("nan"), ["learning_rate", "(0, 100]", "got nan"]),
    ("l2", -0.5, ["l2", "[0, 10", "got -0.5"]),
    ("l1", -1e-3, ["l1", "[0, 10", "got -0.001"]),
    ("dropout", 1.0, ["dropout", "[0", "0.95)", "got 1.0"]),
    ("dropout", 1.5, ["dropout", "[0", "0.95)", "got 1.5"]),
    ("dropout", -0.1, ["dropout", "[0", "0.95)", "got -0.1"]),
    ("batch_size", 0, ["batch_size", ">= 1", "got 0"]),
    ("batch_size", 2.5, ["batch_size", ">= 1", "got 2.5"]),
    ("optimizer", "adamw", ["optimizer", "adam", "nesterov", "sgd", "got 'adamw'"]),
    ("schedule", "linear", ["schedule", "cosine", "step", "got 'linear'"]),
]


@pytest.mark.parametrize(
    "name,value,fragments", BAD_HYPERPARAMETERS, ids=[f"{n}={v}" for n, v, _ in BAD_HYPERPARAMETERS]
)
def test_bad_hyperparameter_in_constructor(name, value, fragments):
    with pytest.raises(ValueError, match=_message(*fragments)):
        Trainer(_net(), X, Y, **{name: value})


@pytest.mark.parametrize(
    "name,value,fragments", BAD_HYPERPARAMETERS, ids=[f"{n}={v}" for n, v, _ in BAD_HYPERPARAMETERS]
)
def test_bad_hyperparameter_between_calls(name, value, fragments):
    trainer = Trainer(_net(), X, Y)
    trainer.train_epochs(1)
    with pytest.raises(ValueError, match=_message(*fragments)):
        trainer.set_hyperparameters(**{name: value})
    assert len(trainer.train_epochs(1)) == 1  # still usable


def test_rejected_change_leaves_every_hyperparameter_unchanged():
    """set_hyperparameters(lr=..., batch_size=0) must not half-apply: a page sends its whole form."""
    trainer = Trainer(_net(), X, Y, learning_rate=0.01, batch_size=4, l2=0.0)
    with pytest.raises(ValueError, match="batch_size"):
        trainer.set_hyperparameters(learning_rate=0.5, l2=0.1, batch_size=0)
    assert (trainer.hp.learning_rate, trainer.hp.l2, trainer.hp.batch_size) == (0.01, 0.0, 4)
    assert trainer.optimizer.learning_rate == 0.01


def test_unknown_hyperparameter_and_option_values():
    trainer = Trainer(_net(), X, Y)
    with pytest.raises(
        ValueError, match=_message("unknown hyperparameter", "learningrate", "allowed", "learning_rate")
    ):
        trainer.set_hyperparameters(learningrate=0.1)
    with pytest.raises(ValueError, match=_message("momentum", "[0.0, 1.0)", "got 1.2")):
        trainer.set_hyperparameters(optimizer="momentum", optimizer_options={"momentum": 1.2})
    with pytest.raises(ValueError, match=_message("gamma", "(0, 1]", "got 1.5")):
        trainer.set_hyperparameters(schedule="step", schedule_options={"gamma": 1.5})
    with pytest.raises(ValueError, match=_message("step_size", "positive integer", "got 0")):
        trainer.set_hyperparameters(schedule="step", schedule_options={"step_size": 0})


def test_train_arguments():
    trainer = Trainer(_net(), X, Y)
    with pytest.raises(ValueError, match=_message("epochs", ">= 1", "got 0")):
        trainer.train_epochs(0)
    with pytest.raises(ValueError, match=_message("milliseconds", "positive", "got -5")):
        trainer.train_for(-5)
    with pytest.raises(ValueError, match=_message("early_stopping", "validation set")):
        Trainer(_net(), X, Y, early_stopping=True)


# ------------------------------------------------------------------------------ number types
def test_numpy_scalars_are_numbers_and_bools_or_strings_are_not():
    """Any real number type is a number (np.int64(0) as a penalty, np.float32 as a rate, np.int64
    as a batch size); bool, np.bool_ and strings are refused, naming the setting."""
    net = _net()
    trainer = Trainer(
        net, X, Y, l2=np.int64(0), l1=np.float32(0.001), learning_rate=np.float16(0.5), batch_size=np.int64(4)
    )
    assert trainer.hp.l2 == 0.0 and trainer.hp.batch_size == 4 and trainer.hp.learning_rate == 0.5
    assert type(trainer.hp.l2) is float and type(trainer.hp.batch_size) is int
    trainer.set_hyperparameters(dropout=np.float64(0.25), l2=np.uint8(1))
    assert trainer.hp.dropout == 0.25 and trainer.hp.l2 == 1.0
    assert len(trainer.train_epochs(np.int64(2))) == 2
    trainer.set_hyperparameters(
        schedule="step", schedule_options={"step_size": np.int64(3), "gamma": np.float32(0.5)}
    )
    for name, value, fragments in [
        ("l2", True, ("l2", "[0, 10.0]", "got True")),
        ("l2", np.bool_(False), ("l2", "[0, 10.0]", "got np.False_")),
        ("l2", "0.1", ("l2", "[0, 10.0]", "got '0.1'")),
        ("learning_rate", "0.1", ("learning_rate", "(0, 100]", "got '0.1'")),
        ("batch_size", np.float64(4.0), ("batch_size", "integer >= 1", "got np.float64(4.0)")),
        ("batch_size", True, ("batch_size", "integer >= 1", "got True")),
    ]:
        with pytest.raises(ValueError, match=_message(*fragments)):
            trainer.set_hyperparameters(**{name: value})
    with pytest.raises(ValueError, match=_message("layer_sizes[1]", "[1, 4096]", "got True")):
        Network([2, True, 1], "relu", "sigmoid_bce")
    assert Network([np.int64(2), np.int32(3), 1], "relu", "sigmoid_bce").layer_sizes == [2, 3, 1]
