"""A Playground session as a run record: its settings, curves and scores are the session's, and
Restore gives back exactly its configuration."""

from dataclasses import replace

import pytest

from core import playground as pg
from core.playground import run_record
from core.playground.config import DEFAULT
from core.runs import from_json, to_json


def trained(epochs=12, **changes):
    config = replace(DEFAULT, **changes)
    session = pg.PlaygroundSession(config, pg.make_data(config))
    if epochs:
        session.train_epochs(epochs)
    return session


def test_a_session_at_epoch_0_is_not_a_run():
    assert run_record.record_of(None) is None
    assert run_record.record_of(trained(epochs=0)) is None


def test_the_record_holds_the_sessions_settings_curves_and_scores():
    session = trained(learning_rate=0.1, hidden=(5, 3), activations=("relu", "tanh"), dataset="circles")
    record = run_record.record_of(session, "Run 1")
    assert record.config["learning rate"] == 0.1 and record.config["layers"] == "5, 3"
    assert record.config["activations"] == "relu, tanh" and record.config["data set"] == "circles"
    assert record.curves["epoch"] == list(range(13))  # epoch 0 and 12 trained
    assert record.curves["train_loss"][-1] == pytest.approx(session.latest.train_loss)
    assert record.final["epochs trained"] == 12
    assert record.final["test accuracy"] == pytest.approx(session.latest.test_metric)
    record.curves["epoch"].append(99)  # a copy: the session's curves are its own
    assert session.curves.columns["epoch"][-1] == 12


@pytest.mark.parametrize(
    "changes",
    [
        dict(learning_rate=0.3, optimizer="adam", hidden=(6,), activations=("relu",)),
        dict(dataset="spiral", classes=3, features=("x1", "x2", "x1^2"), l2=0.001, dropout=0.1),
        dict(dataset="points", points=((-1.0, 1.0, 0), (-1.5, 0.5, 0), (1.0, -1.0, 1), (0.5, 0.5, 1))),
    ],
)
def test_restore_gives_back_the_runs_configuration_even_through_json(changes):
    session = trained(epochs=2, **changes)
    (record,) = from_json(to_json([run_record.record_of(session, "Run 1")]))
    assert run_record.restored_config(record) == session.config
