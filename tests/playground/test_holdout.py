"""Early stopping and the architecture search decide on a validation split, never on the test set
(issue 19, item 4): scrambling the test labels must change nothing they decide."""

from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.playground import DEFAULT, PlaygroundSession, experiments, validation_view

EARLY = replace(
    DEFAULT,
    n_samples=200,
    noise=0.3,
    hidden=(16, 16),
    optimizer="adam",
    learning_rate=0.03,
    early_stopping=True,
    patience=20,
)


def with_scrambled_test_labels(dataset):
    rng = np.random.default_rng(0)
    return replace(dataset, y_test=rng.permutation(dataset.y_test[::-1]))


def train_until_stopped(session, limit=2000):
    while not session.stopped and session.epoch < limit:
        session.train_epochs(10)
    return session


def test_the_validation_split_is_a_stratified_fifth_of_the_training_points():
    dataset = pg.make_data(DEFAULT)
    view = validation_view(dataset, seed=1)
    assert (view.n_train, view.n_test) == (200, 50)
    assert view.y_test.mean() == dataset.y_train.mean() == 0.5  # stratified
    train_rows = {tuple(p) for p in dataset.X_train.tolist()}
    fit_rows, held_rows = {tuple(p) for p in view.X_train.tolist()}, {tuple(p) for p in view.X_test.tolist()}
    assert fit_rows | held_rows == train_rows and not fit_rows & held_rows
    assert not held_rows & {tuple(p) for p in dataset.X_test.tolist()}  # no test point in it


def test_early_stopping_does_not_look_at_the_test_set():
    dataset = pg.make_data(EARLY)
    honest = train_until_stopped(PlaygroundSession(EARLY, dataset))
    scrambled = train_until_stopped(PlaygroundSession(EARLY, with_scrambled_test_labels(dataset)))
    assert honest.trainer.stop_kind == "early_stopping"
    assert honest.epoch == scrambled.epoch and honest.stop_reason == scrambled.stop_reason
    np.testing.assert_array_equal(honest.network.params, scrambled.network.params)
    assert honest.held_out == "validation" and honest.trainer.n_train == 80  # 100 training points, 80 %
    # The test set is the final report, measured on the restored weights:
    loss, accuracy = honest.trainer.evaluate(honest.X_test, dataset.y_test)
    assert f"loss {loss:.3f}, accuracy {accuracy:.3f}" in honest.test_report()
    assert honest.test_report() != scrambled.test_report()


def test_without_early_stopping_every_training_point_trains():
    session = PlaygroundSession(DEFAULT, pg.make_data(DEFAULT))
    assert session.held_out == "test" and session.trainer.n_train == session.dataset.n_train == 250
    assert session.test_report() is None


def test_the_architecture_search_ranks_without_the_test_set():
    dataset = pg.make_data(DEFAULT)
    shapes = [(1,), (8, 8), ()]
    rows = experiments.architecture_search(DEFAULT, dataset, shapes, epochs=40, time_budget_s=30)
    scrambled = experiments.architecture_search(
        DEFAULT, with_scrambled_test_labels(dataset), shapes, epochs=40, time_budget_s=30
    )
    assert [r.hidden for r in rows] == [r.hidden for r in scrambled]
    assert [r.val_loss for r in rows] == pytest.approx([r.val_loss for r in scrambled], rel=1e-6)
    assert [r.test_metric for r in rows] != [r.test_metric for r in scrambled]  # the report does see it


def test_the_curves_name_the_validation_split_while_early_stopping_watches_it():
    from core.figures import live_frames
    from core.figures import playground as figures

    session = PlaygroundSession(EARLY, pg.make_data(EARLY))
    session.train_epochs(3)
    curves = session.curves.arrays()
    legend = [label for label, *_ in live_frames.curve_series(session)]  # the live canvas's
    assert "validation loss" in legend and "test loss" not in legend
    names = [t.name for t in figures.curves_figure(curves, session.task, held_out=session.held_out).data]
    assert "validation loss" in names and "test loss" not in names
