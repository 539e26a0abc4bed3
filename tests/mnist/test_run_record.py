"""An MNIST-page run as a run record: the per-epoch curves and final scores are the trainer's,
robustness only when it was measured for the final weights, and Restore gives back the settings."""

import pytest

from core import mnist
from core.data.image_sets import load_digits_8x8
from core.mnist import run_record
from core.runs import from_json, to_json

CONFIG = mnist.TrainingConfig(hidden_layers=(16, 8), learning_rate=0.01, batch_size=32, epochs=3, n_train=400)


@pytest.fixture(scope="module")
def run():
    trained = mnist.ImageTrainingRun(load_digits_8x8(), CONFIG)
    while not trained.finished:
        trained.train_slice(1000)
    return trained


def test_a_run_without_an_epoch_is_not_kept():
    assert run_record.record_of(None) is None
    assert run_record.record_of(mnist.ImageTrainingRun(load_digits_8x8(), CONFIG)) is None


def test_curves_and_scores_are_the_trainers(run):
    record = run_record.record_of(run, "Run 1")
    history = run.history
    assert record.curves["epoch"] == [1.0, 2.0, 3.0]
    assert record.curves["test_loss"] == pytest.approx([r.val_loss for r in history])  # validation split
    assert record.final["validation accuracy"] == pytest.approx(history[-1].val_metric)
    assert record.config["hidden layers"] == "16, 8" and record.config["data set"] == run.dataset.name


def test_robustness_and_test_accuracy_only_once_measured(run):
    assert run.measured("robustness") is None
    before = run_record.record_of(run)
    assert before.extra == {} and "test accuracy" not in before.final
    probe, evaluation = run.robustness(), run.evaluate()
    after = run_record.record_of(run)
    assert after.extra["robustness_noise_accuracy"] == pytest.approx(list(probe.noise_accuracy))
    assert after.extra["robustness_angle"] == pytest.approx(list(probe.angles))
    assert after.final["test accuracy"] == pytest.approx(evaluation.accuracy)


def test_restore_gives_back_the_settings_through_json(run):
    (record,) = from_json(to_json([run_record.record_of(run)]))
    assert run_record.restored_config(record) == CONFIG
    forged = record.restore | {"activation": "magic"}
    with pytest.raises(ValueError, match="activation must be one of"):
        run_record.restored_config(record.__class__(**{**record.__dict__, "restore": forged}))
