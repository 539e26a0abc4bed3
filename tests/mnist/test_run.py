"""core/mnist/run.py: an image training run, trained in slices of wall time."""

import time

import numpy as np
import pytest

from core.data import load_digits_8x8
from core.engine.model_io import load_model, model_to_bytes
from core.mnist import ImageTrainingRun, TrainingConfig, decimate, flatten_images, run_to_train
from core.mnist.run import AUGMENT_LOOKAHEAD, VALIDATION_FRACTION
from tests.mnist.helpers import synthetic_dataset, trained_digits_run


@pytest.fixture(scope="module")
def digits():
    return load_digits_8x8()


@pytest.fixture(scope="module")
def trained():
    return trained_digits_run()[0]


def test_training_on_the_8x8_digits_learns(trained, digits):
    run = trained
    assert run.finished and run.epoch == 8 and run.stop_reason is None
    assert run.n_train + run.n_val == digits.n_train
    assert run.n_val == pytest.approx(VALIDATION_FRACTION * digits.n_train, abs=10)
    assert run.evaluate().accuracy > 0.85
    assert len(run.history) == 8 and run.history[-1].val_metric > 0.8
    xs, ys = run.batch_loss_curve(50)
    assert 0 < len(xs) <= 50 and xs[-1] == pytest.approx(8.0)
    assert run.overall_progress == 1.0 and run.epoch_fraction == 1.0 and run.epoch_shown == 8


def test_validation_images_are_stratified_and_apart_from_training(digits):
    run = ImageTrainingRun(digits, TrainingConfig(hidden_layers=(8,), n_train=1000))
    val_labels = run.trainer.y_val
    counts = np.bincount(val_labels, minlength=10)
    assert np.all(counts >= 1) and run.n_val == pytest.approx(100, abs=10)
    assert run.n_train + run.n_val == 1000  # the subset, split once: nothing lost or shared


def test_training_is_time_budgeted_and_resumes_where_it_stopped():
    dataset = synthetic_dataset(n_per_class=400)  # 4,000 images of 28x28
    run = ImageTrainingRun(
        dataset, TrainingConfig(hidden_layers=(256,), epochs=50, batch_size=16, n_train=4000)
    )
    assert not run.started and run.epoch_shown == 1 and run.epoch_fraction == 0.0
    started = time.perf_counter()
    run.train_slice(40)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0 and not run.finished and run.started
    before = run.position()
    run.train_slice(40)
    assert run.position() != before
    assert 0 < run.overall_progress < 1


def test_same_seed_same_training(digits):
    config = TrainingConfig(hidden_layers=(16,), epochs=2, n_train=500)
    params = []
    for _ in range(2):
        run = ImageTrainingRun(digits, config)
        while not run.finished:
            run.train_slice(30)  # different slice boundaries must not change the result
        params.append(run.network.params.copy())
    np.testing.assert_array_equal(params[0], params[1])


def test_augmentation_gives_every_later_epoch_fresh_images():
    dataset = synthetic_dataset(n_per_class=30)
    run = ImageTrainingRun(
        dataset, TrainingConfig(hidden_layers=(16,), epochs=3, augment=True, batch_size=16)
    )
    original = run.trainer.X_train.copy()
    swaps = []  # (completed epochs, mid-epoch?, new inputs) at every replacement
    replace = run.trainer.replace_training_inputs

    def recording_replace(X):
        progress = run.trainer.epoch_progress
        swaps.append((run.trainer.epoch, 0.0 < progress < 1.0, np.array(X)))
        replace(X)

    run.trainer.replace_training_inputs = recording_replace
    while not run.finished:
        run.train_slice(1)
    assert run.epoch == 3
    # Epoch 1 trains on the originals; epochs 2 and 3 each on their own distorted copy, swapped
    # in between epochs (never in the middle of one).
    assert [(epoch, mid) for epoch, mid, _ in swaps] == [(1, False), (2, False)]
    first, second = swaps[0][2], swaps[1][2]
    assert first.shape == original.shape and first.min() >= 0 and first.max() <= 1
    assert not np.array_equal(first, original)
    assert not np.array_equal(second, first)
    np.testing.assert_array_equal(run.trainer.X_train, second)
    assert run.augment_seconds > 0


def test_augmentation_is_prepared_ahead_of_the_epoch():
    dataset = synthetic_dataset(n_per_class=300)  # 2,700 training images: 169 batches of 16
    run = ImageTrainingRun(
        dataset, TrainingConfig(hidden_layers=(64,), epochs=3, augment=True, batch_size=16)
    )
    run.train_slice(1)  # a 1 ms slice trains a few mini-batches, far from a whole epoch
    progress = run.trainer.epoch_progress
    assert run.epoch == 0 and 0 < progress < 1
    # the next epoch's distorted images keep AUGMENT_LOOKAHEAD ahead of this epoch's progress
    assert run._next_filled >= min(progress + AUGMENT_LOOKAHEAD, 1.0) * run.n_train - 1
    assert run._next_filled < run.n_train


def test_saved_model_round_trips_with_provenance(trained, digits):
    model = trained.saved_model()
    loaded = load_model(model_to_bytes(model))
    assert loaded.input_shape == [8, 8] and loaded.class_names == list(digits.class_names)
    assert loaded.provenance["test_accuracy"] == pytest.approx(trained.evaluate().accuracy, abs=1e-5)
    assert loaded.provenance["epochs"] == 8 and loaded.provenance["dataset"] == "digits-8x8"
    X = loaded.prepare_input(digits.X_test)
    np.testing.assert_array_equal(X, flatten_images(digits.X_test))
    np.testing.assert_array_equal(loaded.network.predict(X), trained.evaluate().predictions)
    # An independent copy: more training does not change the saved network.
    assert model.network is not trained.network
    np.testing.assert_array_equal(model.network.params, trained.network.params)


def test_results_are_kept_until_training_moves_on(digits):
    # 100 epochs: far more than two 1 ms slices can finish, so the second slice moves training on
    # however fast the machine is (each slice trains at least one mini-batch).
    run = ImageTrainingRun(digits, TrainingConfig(hidden_layers=(8,), epochs=100, n_train=300))
    run.train_slice(1)
    first = run.evaluate()
    assert run.evaluate() is first  # the same weights: not computed again
    position = run.position()
    run.train_slice(1)
    assert not run.finished and run.position() != position
    assert run.evaluate() is not first


def test_run_to_train_keeps_a_started_run_and_renews_an_unstarted_one(digits):
    config = TrainingConfig(hidden_layers=(8,), epochs=2, n_train=300)
    other = TrainingConfig(hidden_layers=(4,), epochs=2, n_train=300)
    fresh = run_to_train(None, digits, config)
    assert isinstance(fresh, ImageTrainingRun) and fresh.config == config
    assert run_to_train(fresh, digits, config) is fresh  # same settings: the same run
    renewed = run_to_train(fresh, digits, other)  # not started: it takes the new settings
    assert renewed is not fresh and renewed.config == other
    assert not renewed.settings_changed(config)
    renewed.train_slice(1)
    assert run_to_train(renewed, digits, config) is renewed  # started: Resume keeps it
    assert renewed.settings_changed(config) and not renewed.settings_changed(other)
    assert not renewed.settings_changed(None)


def test_decimate_keeps_the_last_point():
    points = [(i / 10, float(i)) for i in range(1234)]
    xs, ys = decimate(points, 500)
    assert len(xs) <= 500 and ys[-1] == 1233.0 and xs[-1] == pytest.approx(123.3)
    assert np.all(np.diff(xs) > 0)
    assert decimate([], 10)[0].size == 0
    xs, ys = decimate(points[:10], 500)  # few points: all of them
    np.testing.assert_array_equal(ys, np.arange(10.0))
