"""core/mnist/training.py (training runs on images, evaluation) and core/figures/images.py."""

import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from core.data import DataError, ImageDataset, load_digits_8x8, write_idx
from core.data.download import IDX_FILES
from core.engine.model_io import load_model, model_to_bytes
from core.engine.network import Network
from core.figures import images as figures
from core.mnist import training as it


def synthetic_images(n_per_class: int, seed: int = 0, side: int = 28):
    """Ten easy classes of side x side uint8 images: class k is a bright bar at its own height,
    with random brightness noise, so a small network learns them in an epoch or two."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), n_per_class)
    images = (rng.random((labels.size, side, side)) * 60).astype(np.uint8)
    rows = 2 + labels * (side - 4) // 10
    for i, row in enumerate(rows):
        images[i, row : row + 2, 4 : side - 4] = 255
    order = rng.permutation(labels.size)
    return images[order], labels[order]


def synthetic_dataset(n_per_class=40, n_test_per_class=10, side=28) -> ImageDataset:
    X, y = synthetic_images(n_per_class, 0, side)
    X_test, y_test = synthetic_images(n_test_per_class, 1, side)
    return ImageDataset(X, y, X_test, y_test, tuple(str(i) for i in range(10)), "synthetic", "synthetic bars")


@pytest.fixture(scope="module")
def digits():
    return load_digits_8x8()


@pytest.fixture(scope="module")
def trained_digits_run(digits):
    run = it.ImageTrainingRun(
        digits, it.TrainingConfig(hidden_layers=(32,), epochs=8, learning_rate=0.003, batch_size=32)
    )
    while not run.finished:
        run.step(200)
    return run


# ----------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    "text, expected", [("128", [128]), (" 256, 128 ", [256, 128]), ("", []), ("none", [])]
)
def test_parse_hidden_layers(text, expected):
    assert it.parse_hidden_layers(text) == expected


@pytest.mark.parametrize(
    "text, message", [("12a", "whole numbers"), ("0,5", "1 to"), ("5000", "1 to"), ("1,1,1,1,1", "at most")]
)
def test_parse_hidden_layers_refuses_bad_text(text, message):
    with pytest.raises(ValueError, match=message):
        it.parse_hidden_layers(text)


def test_config_is_validated_and_comparable():
    assert it.TrainingConfig(hidden_layers=[64]) == it.TrainingConfig(hidden_layers=(64,))
    for bad in (dict(activation="swish"), dict(optimizer="lbfgs"), dict(epochs=0), dict(n_train=5)):
        with pytest.raises(it.ImageTrainingError):
            it.TrainingConfig(**bad)


# ----------------------------------------------------------------------------- data
def test_load_image_data_reads_an_idx_folder(tmp_path):
    X, y = synthetic_images(3)
    write_idx(tmp_path / "train-images-idx3-ubyte", X)
    write_idx(tmp_path / "train-labels-idx1-ubyte", y.astype(np.uint8))
    dataset = it.load_image_data("mnist", tmp_path)
    assert dataset.n_train + dataset.n_test == 30
    assert dataset.image_shape == (28, 28)


def test_load_image_data_errors_are_value_errors(tmp_path):
    with pytest.raises(ValueError, match="one of"):
        it.load_image_data("cifar")
    with pytest.raises(DataError, match="not a folder"):
        it.load_image_data("mnist", tmp_path / "missing")
    with pytest.raises(DataError, match="no training files"):
        it.load_image_data("fashion-mnist", tmp_path)
    with pytest.raises(DataError, match="type the path"):
        it.resolve_folder("  ")


def test_relative_folders_start_at_the_repository_root():
    assert it.resolve_folder("models") == Path(__file__).resolve().parents[2] / "models"
    assert it.resolve_folder("/tmp") == Path("/tmp")


def test_download_progress_is_overall_and_throttled():
    reports = []
    progress = it.DownloadProgress(lambda fraction, text: reports.append((fraction, text)))
    for name in IDX_FILES:
        for done in range(0, 1_000_001, 10_000):  # 101 callbacks per file, like 10 kB chunks
            progress(name, done, 1_000_000)
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(reports) <= 101  # once per whole percent, not once per chunk
    assert "file 4 of 4" in reports[-1][1]


def test_download_refuses_the_offline_set():
    with pytest.raises(ValueError, match="can be downloaded"):
        it.download_image_data("digits-8x8")


# ----------------------------------------------------------------------------- training
def test_training_on_the_8x8_digits_learns(trained_digits_run, digits):
    run = trained_digits_run
    assert run.finished and run.epoch == 8 and run.stop_reason is None
    assert run.n_train + run.n_val == digits.n_train
    evaluation = run.evaluate()
    assert evaluation.accuracy > 0.85
    assert len(run.history) == 8 and run.history[-1].val_metric > 0.8
    xs, ys = run.batch_loss_curve(50)
    assert 0 < len(xs) <= 50 and xs[-1] == pytest.approx(8.0)
    assert run.overall_progress == 1.0


def test_training_is_time_budgeted_and_resumes_where_it_stopped():
    dataset = synthetic_dataset(n_per_class=400)  # 4,000 images of 28x28
    run = it.ImageTrainingRun(
        dataset, it.TrainingConfig(hidden_layers=(256,), epochs=50, batch_size=16, n_train=4000)
    )
    started = time.perf_counter()
    run.step(40)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0 and not run.finished and run.started
    before = run.position()
    run.step(40)
    assert run.position() != before


def test_same_seed_same_training(digits):
    config = it.TrainingConfig(hidden_layers=(16,), epochs=2, n_train=500)
    params = []
    for _ in range(2):
        run = it.ImageTrainingRun(digits, config)
        while not run.finished:
            run.step(30)  # different tick boundaries must not change the result
        params.append(run.network.params.copy())
    np.testing.assert_array_equal(params[0], params[1])


def test_augmentation_gives_every_later_epoch_fresh_images():
    dataset = synthetic_dataset(n_per_class=30)
    run = it.ImageTrainingRun(
        dataset, it.TrainingConfig(hidden_layers=(16,), epochs=3, augment=True, batch_size=16)
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
        run.step(1)
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
    dataset = synthetic_dataset(n_per_class=300)
    run = it.ImageTrainingRun(
        dataset, it.TrainingConfig(hidden_layers=(64,), epochs=3, augment=True, batch_size=16)
    )
    run.step(15)
    if run.epoch == 0:  # mid-epoch: the next epoch's images keep pace with this one
        assert run._next_filled >= min(run.trainer.epoch_progress, 1.0) * run.n_train - 1


def test_saved_model_round_trips_with_provenance(trained_digits_run, digits):
    model = trained_digits_run.saved_model()
    loaded = load_model(model_to_bytes(model))
    assert loaded.input_shape == [8, 8] and loaded.class_names == list(digits.class_names)
    assert loaded.provenance["test_accuracy"] == pytest.approx(
        trained_digits_run.evaluate().accuracy, abs=1e-5
    )
    X = loaded.prepare_input(digits.X_test)
    np.testing.assert_array_equal(loaded.network.predict(X), trained_digits_run.evaluate().predictions)
    # An independent copy: more training does not change the saved network.
    assert model.network is not trained_digits_run.network


# ----------------------------------------------------------------------------- evaluation
def test_confusion_matrix_and_per_class_accuracy_match_a_loop():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    y_true[y_true == 3] = 2  # class 3 has no images
    cm = it.confusion_matrix(y_true, y_pred, 4)
    expected = np.zeros((4, 4), int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(cm, expected)
    acc = it.per_class_accuracy(cm)
    for k in range(3):
        assert acc[k] == pytest.approx(np.mean(y_pred[y_true == k] == k))
    assert np.isnan(acc[3])


def test_evaluation_lists_the_most_confident_mistakes_first(trained_digits_run, digits):
    evaluation = trained_digits_run.evaluate()
    assert evaluation.n == digits.n_test
    assert evaluation.confusion.sum() == digits.n_test
    assert np.trace(evaluation.confusion) / digits.n_test == pytest.approx(evaluation.accuracy)
    confidences = [m.confidence for m in evaluation.mistakes]
    assert confidences == sorted(confidences, reverse=True)
    for m in evaluation.mistakes:
        assert digits.y_test[m.index] == m.true_class != m.predicted_class
        assert evaluation.predictions[m.index] == m.predicted_class
    assert len(evaluation.mistakes) == min(
        it.GALLERY_SIZE, int(np.sum(evaluation.predictions != digits.y_test))
    )


def test_robustness_probe(trained_digits_run, digits):
    probe = trained_digits_run.robustness()
    assert len(probe.noise_accuracy) == len(probe.noise_levels)
    assert len(probe.rotation_accuracy) == len(probe.angles)
    assert probe.n == min(it.PROBE_IMAGES, digits.n_test)
    # No noise and no rotation: the plain test accuracy (all test images are used here).
    assert probe.noise_accuracy[0] == pytest.approx(trained_digits_run.evaluate().accuracy)
    assert probe.rotation_accuracy[0] == probe.noise_accuracy[0]
    assert probe.noise_accuracy[-1] < probe.noise_accuracy[0]
    assert probe.rotation_accuracy[-1] < probe.rotation_accuracy[0]  # 90 degrees hurts


def test_pca_matches_scikit_learn(trained_digits_run, digits):
    from sklearn.decomposition import PCA

    pca = trained_digits_run.pca(1)
    activations = trained_digits_run.network.trace(
        digits.X_test.reshape(len(digits.X_test), -1).astype(np.float32) / 255
    )[0].a
    reference = PCA(n_components=2).fit(activations.astype(np.float64))
    np.testing.assert_allclose(pca.explained, reference.explained_variance_ratio_, rtol=1e-4)
    projected = reference.transform(activations.astype(np.float64))
    for k in range(2):  # a principal direction's sign is arbitrary
        np.testing.assert_allclose(
            np.abs(pca.coordinates[:, k]), np.abs(projected[:, k]), rtol=1e-3, atol=1e-3
        )
    np.testing.assert_array_equal(pca.labels, digits.y_test)
    with pytest.raises(ValueError, match="hidden layer"):
        trained_digits_run.pca(2)


def test_first_layer_weight_images_are_the_weight_columns():
    network = Network([784, 40, 10], rng=2)
    images = it.first_layer_weight_images(network, (28, 28), max_units=32)
    assert images.shape == (32, 28, 28)
    np.testing.assert_array_equal(images[5], network.layers[0].weights[:, 5].reshape(28, 28))


def test_decimate_keeps_the_last_point():
    points = [(i / 10, float(i)) for i in range(1234)]
    xs, ys = it.decimate(points, 500)
    assert len(xs) <= 500 and ys[-1] == 1233.0
    assert it.decimate([], 10)[0].size == 0


# ----------------------------------------------------------------------------- figures
def test_figures_build(trained_digits_run, digits):
    run, names = trained_digits_run, list(digits.class_names)
    evaluation = run.evaluate()
    built = [
        figures.batch_loss_figure(*run.batch_loss_curve()),
        figures.epoch_curves_figure(run.history),
        figures.confusion_matrix_figure(evaluation.confusion, names),
        figures.per_class_accuracy_figure(evaluation.per_class_accuracy, names),
        figures.misclassified_gallery_figure(digits.X_test, evaluation, names),
        figures.weight_images_figure(run.first_layer_weights(16)),
        figures.robustness_figure(run.robustness()),
        figures.pca_figure(run.pca(1), names),
        figures.probability_figure(np.full(10, 0.1), names, 3),
        figures.digit_image_figure(np.zeros((28, 28))),
        figures.activations_figure([np.ones(8), np.ones(4)]),
    ]
    assert all(isinstance(f, go.Figure) for f in built)
    heatmap = built[2].data[0]
    np.testing.assert_array_equal(np.asarray(heatmap.text), evaluation.confusion)
    assert len(built[4].data) == len(evaluation.mistakes)
    assert len(built[5].data) == 16
    assert len(built[7].data) == 10  # one trace per class
    assert len(built[10].data) == 2  # one bar chart per hidden layer
    assert figures.epoch_curves_figure([]).data == ()
