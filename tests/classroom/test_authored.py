"""Authored challenges (core/classroom/authored.py) and the rejoin lookup of the store.

A spec the app writes loads back into a Challenge that the server-side check scores like a
built-in one; a spec edited by hand (a locked control unlocked past the allowed list, a value
the link decoder would correct, a metric the data cannot measure) is refused with a message.
"""

from __future__ import annotations

import copy

import pytest

from core.classroom.authored import (
    DEFAULT_HINTS,
    AuthoredSpecError,
    authored_spec,
    challenge_from_spec,
)
from core.classroom.challenge_runs import start_playground_run
from core.classroom.checks import check
from core.classroom.records import NotAMemberError
from core.playground.config import PlaygroundConfig

XOR = PlaygroundConfig(dataset="xor", n_samples=300, noise=0.1, seed=3, hidden=(), activations=())


def xor_spec(**target) -> dict:
    """Students may add hidden layers to a linear network on XOR: test accuracy >= 0.9."""
    target = {"metric": "test_accuracy", "comparison": ">=", "threshold": 0.9, **target}
    return authored_spec(
        XOR,
        ["hidden", "activations", "learning_rate", "optimizer"],
        target["metric"],
        target["comparison"],
        target["threshold"],
        hints=["One straight line cannot split XOR."],
    )


def test_a_spec_round_trips_into_a_challenge_with_the_data_locked():
    spec = xor_spec()
    loaded = challenge_from_spec("class1-1", "XOR needs a layer", "Solve XOR.", spec)
    assert loaded.base == XOR
    assert loaded.editable == ("activations", "hidden", "learning_rate", "optimizer")
    assert {"dataset", "n_samples", "noise", "seed", "test_ratio", "l2"} <= set(loaded.locked_fields)
    assert loaded.hints == ("One straight line cannot split XOR.", DEFAULT_HINTS[0])
    forged = loaded.locked(PlaygroundConfig(dataset="moons", hidden=(4,), activations=("relu",)))
    assert forged.dataset == "xor" and forged.hidden == (4,)  # the data back, the layer kept


def test_the_server_check_scores_an_authored_challenge():
    loaded = challenge_from_spec("class1-1", "XOR", "Solve XOR.", xor_spec())
    linear = start_playground_run(loaded)
    linear.train_epochs(150)
    result = check(loaded, linear)
    assert not result.solved and result.score < 0.75  # no straight line solves XOR

    config = loaded.locked(
        PlaygroundConfig(hidden=(8,), activations=("relu",), optimizer="adam", learning_rate=0.03)
    )
    solved = start_playground_run(loaded, config)
    solved.train_epochs(300)
    result = check(loaded, solved)
    assert result.solved and result.score >= 0.9, result.message
    assert result.parameters == 2 * 8 + 8 + 8 + 1


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda s: s["config"].update(noise="7"), "not valid"),
        (lambda s: s["config"].update(ds="csv"), "generated data set"),
        (lambda s: s["editable"].append("seed"), "cannot be allowed to change seed"),
        (lambda s: s["editable"].remove("activations"), "only be unlocked together"),
        (lambda s: s["target"].update(metric="identical_layers"), "The target must be one of"),
        (lambda s: s["target"].update(threshold=float("inf")), "finite number"),
        (lambda s: s["target"].update(threshold=True), "finite number"),
        (lambda s: s.update(version=99), "another version"),
        (lambda s: s.update(extra=1), "damaged"),
        (lambda s: s.update(hints=["a", "b", "c", "d"]), "at most 3 hints"),
        (lambda s: s.update(hints=["\u202eevil"]), "control character"),
    ],
)
def test_a_tampered_spec_is_refused_with_a_message(tamper, message):
    spec = copy.deepcopy(xor_spec())
    tamper(spec)
    with pytest.raises(AuthoredSpecError) as refused:
        challenge_from_spec("class1-1", "XOR", "Solve XOR.", spec)
    assert message in refused.value.message


def test_a_target_the_data_cannot_measure_is_refused_when_written():
    with pytest.raises(AuthoredSpecError, match="regression: it has no test accuracy"):
        authored_spec(PlaygroundConfig(dataset="plane"), [], "test_accuracy", ">=", 0.9)
    with pytest.raises(AuthoredSpecError, match="classification: it has no test R²"):
        authored_spec(XOR, [], "test_r2", ">=", 0.9)


def test_the_store_keeps_an_authored_spec_and_it_loads_back(store):
    info, secret = store.create_class("Authors", ["diverge"])
    added = store.author_challenge(secret, "XOR needs a layer", "Solve XOR.", xor_spec())
    assert store.class_by_code(info.join_code).challenge_keys == ("diverge", added.key)
    (stored,) = store.authored_challenges(info.join_code)
    loaded = challenge_from_spec(stored.key, stored.title, stored.goal, stored.spec)
    assert loaded.base == XOR and loaded.title == "XOR needs a layer"


def test_a_member_token_finds_its_seat_and_a_removed_one_does_not(store):
    info, secret = store.create_class("Rejoin", ["diverge"])
    ada = store.join(info.join_code, "Ada")
    membership, found = store.seat_for_token(ada.member_token)
    assert membership == ada and found.join_code == info.join_code
    with pytest.raises(NotAMemberError, match="rejoin link is not valid"):
        store.seat_for_token("not-a-token")
    store.remove_member(secret, ada.member_id)
    with pytest.raises(NotAMemberError, match="removed this name"):
        store.seat_for_token(ada.member_token)
