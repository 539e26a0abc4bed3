"""The built-in challenges: every one has a known solution that passes and a known non-solution
that fails, trained through the real Playground session or MNIST-page run; locked fields stay
locked (also from a forged link); runs with tampered locks or other data are rejected."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.classroom.challenge_runs import (
    ChallengeRunError,
    image_data,
    playground_data,
    start_image_run,
    start_playground_run,
)
from core.classroom.challenges import BUILT_IN, BY_KEY, Challenge, Requirement, challenge
from core.classroom.checks import check, format_value, may_change, requirement_text, target_text
from core.data.image_sets import load_digits_8x8
from core.mnist.config import TrainingConfig
from core.mnist.run import ImageTrainingRun
from core.playground.build import make_data
from core.playground.config import URL_KEYS, PlaygroundConfig
from core.playground.session import PlaygroundSession
from core.playground.url import decode_query, encode_query, share_link

RELU3 = ("relu", "relu", "relu")
# key -> (changes to the base, epochs, the score measured on 2 December). One solution each.
SOLUTIONS = {
    "spiral-three-layers": (
        {"hidden": (16, 16, 16), "activations": RELU3, "optimizer": "adam", "learning_rate": 0.01},
        400,
        0.984,
    ),
    "xor-smallest": ({"hidden": (3,), "activations": ("relu",), "optimizer": "adam"}, 300, 0.98),
    "overfit-then-fix": ({"l2": 0.1}, 300, 0.96),
    "diverge": ({"learning_rate": 3.0}, 200, 1.0),
    "too-slow": ({"learning_rate": 0.0001}, 200, 0.576),
    "zero-init-symmetry": ({"init": "same"}, 100, 2.0),
    "circles-raw-features": (
        {"hidden": (8,), "activations": ("relu",), "optimizer": "adam", "learning_rate": 0.03},
        300,
        0.97,
    ),
    "circles-one-neuron": ({"features": ("x1^2", "x2^2")}, 300, 0.97),
    "plane-linear": ({"hidden": (), "activations": ()}, 200, 0.989),
    "optimizer-in-20-epochs": ({"optimizer": "adam", "batch_size": 1}, 20, 0.975),
    "digits-under-50k": ({"epochs": 10, "learning_rate": 0.003}, 10, 0.967),
    "digits-linear": ({"hidden_layers": (), "learning_rate": 0.03, "epochs": 10}, 10, 0.969),
}
# key -> [(changes, epochs, the requirement(s) that fail)]: the plain attempt, and where a
# constraint is the point, an accurate run that breaks it.
NON_SOLUTIONS = {
    "spiral-three-layers": [
        ({}, 300, "test_accuracy"),
        (
            {"hidden": (16,) * 4, "activations": ("relu",) * 4, "optimizer": "adam", "learning_rate": 0.01},
            400,
            "hidden_layers",
        ),
    ],
    "xor-smallest": [
        ({"hidden": (2,), "activations": ("tanh",), "optimizer": "adam"}, 300, "test_accuracy"),
        ({"hidden": (4, 4), "activations": ("relu", "relu"), "optimizer": "adam"}, 300, "hidden_neurons"),
    ],
    "overfit-then-fix": [({}, 300, ("test_accuracy", "regularization")), ({"l2": 0.1}, 50, "epochs")],
    "diverge": [({}, 200, "diverged")],
    "too-slow": [({"learning_rate": 0.001}, 200, "train_loss"), ({"learning_rate": 0.0001}, 50, "epochs")],
    "zero-init-symmetry": [({}, 100, "identical_layers"), ({"init": "same"}, 20, "epochs")],
    "circles-raw-features": [({}, 300, "test_accuracy")],
    "circles-one-neuron": [({}, 300, "test_accuracy"), ({"features": ("x1*x2",)}, 300, "test_accuracy")],
    "plane-linear": [({}, 200, "hidden_layers")],
    "optimizer-in-20-epochs": [
        ({}, 20, "test_accuracy"),
        ({"optimizer": "adam", "batch_size": 1}, 25, "epochs"),
    ],
    "digits-under-50k": [
        ({}, 5, "test_accuracy"),
        ({"hidden_layers": (1024,)}, 5, "parameters"),
    ],
    "digits-linear": [
        ({"hidden_layers": ()}, 5, "test_accuracy"),
        ({"epochs": 10, "learning_rate": 0.003}, 10, "parameters"),
    ],
}
NON_SOLUTION_CASES = [(key, *case) for key, cases in NON_SOLUTIONS.items() for case in cases]
PLAYGROUND_KEYS = [c.key for c in BUILT_IN if c.page == "playground"]


@pytest.fixture(scope="module")
def digits():
    return image_data(challenge("digits-under-50k"))


def trained(ch: Challenge, changes: dict, epochs: int, digits):
    """A run of the challenge with these changes, trained as the page trains it: slices of the
    live session (which pause on a health problem) or of the MNIST page's run."""
    if ch.page == "mnist":
        run = start_image_run(ch, replace(ch.base, **changes), digits)
        while not run.finished:
            run.train_slice(1_000)
        return run
    session = start_playground_run(ch, replace(ch.base, **changes))
    while session.epoch < epochs and not session.stopped:
        session.train(60_000, epochs - session.epoch)
    return session


def test_the_built_in_list():
    keys = [c.key for c in BUILT_IN]
    assert len(keys) >= 10 and len(set(keys)) == len(keys)
    assert {c.page for c in BUILT_IN} == {"playground", "mnist"}
    assert set(SOLUTIONS) == set(BY_KEY) == set(NON_SOLUTIONS)
    for ch in BUILT_IN:
        assert ch.editable and may_change(ch).startswith("You may change ")
        assert 2 <= len(ch.hints) <= 3 and ch.goal.endswith(".")
    assert target_text(challenge("xor-smallest")) == "test accuracy ≥ 0.95, with hidden neurons ≤ 4"
    assert target_text(challenge("diverge")) == "training broke down"
    assert (
        may_change(challenge("overfit-then-fix"))
        == "You may change L2 and dropout; every other control is locked."
    )
    with pytest.raises(ValueError, match="there is no challenge 'nope'"):
        challenge("nope")


@pytest.mark.parametrize("key", list(SOLUTIONS))
def test_a_known_solution_solves_it(key, digits):
    ch = challenge(key)
    changes, epochs, expected = SOLUTIONS[key]
    run = trained(ch, changes, epochs, digits)
    result = check(ch, run)
    assert result.solved, result.message
    assert result.message.startswith("Solved: ") and result.unmet == ()
    assert result.score == result.metrics[ch.target.metric] == pytest.approx(expected, abs=0.03)
    assert result.parameters == run.network.n_params and result.epochs == run.epoch
    if ch.page == "playground":
        assert result.epochs <= epochs
        started = time.perf_counter()
        for _ in range(5):
            check(ch, run)
        assert (time.perf_counter() - started) / 5 < 0.05  # cheap enough after every slice


@pytest.mark.parametrize(("key", "changes", "epochs", "failing"), NON_SOLUTION_CASES)
def test_a_known_non_solution_fails(key, changes, epochs, failing, digits):
    ch = challenge(key)
    result = check(ch, trained(ch, changes, epochs, digits))
    assert not result.solved and not result.rejected
    assert result.message.startswith("Not yet (")
    failed = [r.metric for r in ch.requirements if not r.met(result.metrics[r.metric])]
    failing = failing if isinstance(failing, tuple) else (failing,)
    assert tuple(failed) == failing
    assert len(result.unmet) == len(failing) and all(text.startswith("needs ") for text in result.unmet)


def test_the_symmetry_score_is_read_from_the_network():
    """The symmetry challenge's score is the network's own state: a random start never has it."""
    ch = challenge("zero-init-symmetry")
    session = trained(ch, {"init": "same"}, 100, None)
    assert check(ch, session).score == 2.0
    session.network.layers[0].weights[0, 0] += 0.5  # one neuron made different by hand
    assert check(ch, session).score == 1.0


def test_checked_after_every_slice_as_the_page_does():
    """The page checks after each slice: the divergence counts at the slice the health check
    paused training; once the student presses Play again the pause is over, and so is the result."""
    ch = challenge("diverge")
    session = start_playground_run(ch, replace(ch.base, learning_rate=1.0))
    solved = []
    while not session.stopped and session.epoch < 300:
        session.train(60_000, ch.base.epochs_per_update)
        solved.append((session.epoch, check(ch, session).solved))
    assert session.stop_title == "Training paused: a layer of ReLUs is dead."
    assert solved == [(30, False), (60, False), (90, True)]
    result = check(ch, session)
    assert result.message == "Solved: training broke down (105 parameters, 90 epochs)."
    session.resume()
    assert not check(ch, session).solved


@pytest.mark.parametrize("key", PLAYGROUND_KEYS)
def test_a_forged_link_cannot_unlock_a_field(key):
    ch = challenge(key)
    forged_query = {
        "ds": "circles",
        "n": "1000",
        "noise": "0",
        "seed": "9",
        "test": "0.1",
        "feat": "x1,x2,x1sq,x2sq",
        "layers": "6,5",
        "act": "relu,tanh",
        "init": "he",
        "lr": "0.3",
        "opt": "momentum",
        "bs": "3",
        "l2": "0.01",
        "drop": "0.2",
        "es": "1",
        "epu": "100",
        "showtest": "1",
    }
    forged, _ = decode_query(forged_query)
    locked = ch.locked(forged)
    assert ch.tampered_fields(locked) == ()
    for name in ch.locked_fields:
        assert getattr(locked, name) == getattr(ch.base, name), name
    for name in ch.editable:
        assert getattr(locked, name) == getattr(forged, name), name
    assert locked.show_test is True  # only what the page shows stays free
    assert ch.locked(decode_query(encode_query(locked))[0]) == locked  # the locked link round-trips
    assert ch.locked(ch.base) == ch.base


# Link values as a forger writes them: numbers, lists, names, junk.
LINK_VALUES = st.one_of(
    st.integers(-5, 5000).map(str),
    st.floats(-20, 20, allow_nan=False).map(lambda v: f"{v:g}"),
    st.lists(st.integers(0, 300), max_size=10).map(lambda v: ",".join(map(str, v))),
    st.sampled_from(
        ["relu", "tanh,relu", "adam", "zeros", "same", "xor", "spiral", "x1,x1sq,sinx2", "1", "nan"]
    ),
    st.text(max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(PLAYGROUND_KEYS), st.dictionaries(st.sampled_from(sorted(URL_KEYS.values())), LINK_VALUES)
)
def test_no_forged_link_unlocks_a_field(key, query):
    ch = challenge(key)
    locked = ch.locked(decode_query(query)[0])
    assert ch.tampered_fields(locked) == ()
    assert ch.locked(locked) == locked  # locking twice changes nothing


def test_a_challenge_link_hides_the_locked_controls():
    ch = challenge("overfit-then-fix")
    assert {"dataset", "noise", "seed", "hidden", "learning_rate", "regenerate"} <= set(ch.hidden_controls)
    assert not {"l2", "dropout", "show_test"} & set(ch.hidden_controls)
    link = share_link(ch.base, "https://class.example/playground", ch.hidden_controls)
    opened, warnings = decode_query(dict(parse_qsl(urlsplit(link).query)))
    assert warnings == [] and ch.locked(opened) == opened and opened.hide == ch.hidden_controls
    assert challenge("digits-linear").hidden_controls == ()


def test_mnist_locks():
    ch = challenge("digits-under-50k")
    forged = replace(ch.base, n_train=50, seed=3, hidden_layers=(10,), epochs=7)
    locked = ch.locked(forged)
    assert (locked.n_train, locked.seed) == (ch.base.n_train, ch.base.seed)
    assert (locked.hidden_layers, locked.epochs) == ((10,), 7)
    assert ch.tampered_fields(forged) == ("n_train", "seed")
    with pytest.raises(TypeError, match="needs a TrainingConfig; got PlaygroundConfig"):
        ch.locked(PlaygroundConfig())


def test_a_run_with_tampered_locks_is_rejected_then_relocked():
    ch = challenge("spiral-three-layers")
    tampered = replace(ch.base, features=("x1", "x2", "sin(x1)", "sin(x2)"), noise=0.0, hidden=(16, 16))
    tampered = replace(tampered, activations=("tanh", "tanh"), optimizer="adam", learning_rate=0.01)
    session = PlaygroundSession(tampered, make_data(tampered))  # built without the challenge's locks
    session.train(60_000, 300)
    result = check(ch, session)
    assert not result.solved and result.rejected and math.isnan(result.score)
    assert "changed locked settings (noise, features)" in result.message
    assert result.parameters == session.network.n_params and result.epochs == 300
    # The same attempt re-locked: the sine features and the noise are gone, the network kept.
    relocked = ch.locked(tampered)
    assert (relocked.features, relocked.noise, relocked.hidden) == (("x1", "x2"), 0.1, (16, 16))
    again = start_playground_run(ch, tampered)
    again.train(60_000, 50)
    assert not check(ch, again).rejected


def test_a_run_on_other_points_is_rejected():
    ch = challenge("circles-raw-features")
    other = make_data(replace(ch.base, seed=2))  # the base's settings, another draw of points
    result = check(ch, PlaygroundSession(ch.base, other))
    assert result.rejected and "other points than the challenge's data set" in result.message
    assert check(ch, PlaygroundSession(ch.base, playground_data(ch))).metrics["test_accuracy"] < 0.7


def test_a_run_of_another_page_or_challenge_is_rejected(digits):
    spiral, digits_challenge = challenge("spiral-three-layers"), challenge("digits-linear")
    diverge_session = start_playground_run(challenge("diverge"))
    result = check(spiral, diverge_session)
    assert result.rejected and "changed locked settings (dataset, n_samples" in result.message
    assert (
        "MNIST challenge is checked on a run of the MNIST page"
        in check(digits_challenge, diverge_session).message
    )
    image_run = start_image_run(digits_challenge, dataset=digits)
    assert "Playground challenge is checked on a Playground session" in check(spiral, image_run).message
    with pytest.raises(ChallengeRunError, match="is a playground challenge, not a mnist one"):
        start_image_run(spiral)
    nothing = check(spiral, None)
    assert nothing.rejected and (nothing.parameters, nothing.epochs) == (0, 0)


def test_an_image_run_on_another_split_or_subset_is_rejected(digits):
    ch = challenge("digits-under-50k")
    reshuffled = load_digits_8x8(seed=1)  # its training images hold some of the challenge's test images
    result = check(ch, ImageTrainingRun(reshuffled, ch.base))
    assert result.rejected and "split another way" in result.message
    with pytest.raises(ChallengeRunError, match="split another way"):
        start_image_run(ch, dataset=reshuffled)
    fewer = ImageTrainingRun(digits, TrainingConfig(n_train=200))
    assert "changed locked settings (n_train)" in check(ch, fewer).message


def test_a_challenge_must_be_well_formed():
    ch = challenge("too-slow")
    with pytest.raises(ValueError, match="metric must be one of"):
        Requirement("speed", ">=", 1.0)
    with pytest.raises(ValueError, match="comparison must be one of"):
        Requirement("epochs", "=>", 1.0)
    with pytest.raises(ValueError, match="finite"):
        Requirement("epochs", ">=", math.inf)
    assert not Requirement("test_accuracy", "<", 2.0).met(math.nan)
    assert requirement_text(Requirement("diverged", "==", 0.0)) == "training did not break down"
    assert requirement_text(Requirement("parameters", "<", 50_000.0)) == "parameters < 50,000"
    assert [format_value(v) for v in (0.95, 0.96666, 9610.0, 0.0001, 12345.6, math.nan)] == [
        "0.95",
        "0.967",
        "9,610",
        "0.0001",
        "12,346",
        "–",
    ]
    assert format_value(1.0, "diverged") == "yes"
    with pytest.raises(ValueError, match="give 2 or 3 hints; got 1"):
        replace(ch, hints=("one",))
    with pytest.raises(ValueError, match="unknown editable fields \\['epochs'\\]"):
        replace(ch, editable=("epochs",))
    with pytest.raises(ValueError, match="hidden layers and their activations"):
        replace(ch, editable=("hidden",))
    with pytest.raises(ValueError, match="the base configuration is not valid"):
        replace(ch, base=replace(ch.base, learning_rate=0.05))
    with pytest.raises(ValueError, match="must be a slug"):
        replace(ch, key="Too Slow")
    with pytest.raises(ValueError, match="does not measure \\['identical_layers'\\]"):
        replace(challenge("digits-linear"), target=Requirement("identical_layers", ">=", 1.0))
    with pytest.raises(ValueError, match="must be a PlaygroundConfig"):
        replace(ch, base=TrainingConfig())
