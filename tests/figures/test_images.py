"""core/figures/images.py: the MNIST and Draw pages' figures show the numbers they are given."""

import numpy as np
import pytest

from core.figures import images as figures
from tests.mnist.helpers import trained_digits_run


@pytest.fixture(scope="module")
def trained():
    return trained_digits_run(epochs=3)


def test_training_curves(trained):
    run, _ = trained
    epochs, losses = run.batch_loss_curve()
    batch = figures.batch_loss_figure(epochs, losses)
    np.testing.assert_array_equal(batch.data[0].y, losses)
    assert batch.layout.title.text == "Mini-batch loss"
    curves = figures.epoch_curves_figure(run.history)
    # train and validation, each a loss trace and an accuracy trace
    assert [t.name for t in curves.data] == ["train", "train", "validation", "validation"]
    assert list(curves.data[0].y) == [r.train_loss for r in run.history]
    assert list(curves.data[3].y) == [r.val_metric for r in run.history]
    assert figures.epoch_curves_figure([]).data == ()


def test_confusion_matrix_and_per_class_accuracy(trained):
    run, digits = trained
    evaluation, names = run.evaluate(), list(digits.class_names)
    heatmap = figures.confusion_matrix_figure(evaluation.confusion, names).data[0]
    np.testing.assert_array_equal(np.asarray(heatmap.text), evaluation.confusion)
    rows = evaluation.confusion.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(heatmap.z), evaluation.confusion / rows)
    accuracy = np.array([0.5, np.nan, 1.0])
    bars = figures.per_class_accuracy_figure(accuracy, ["a", "b", "c"]).data[0]
    assert list(bars.y) == [0.5, 0.0, 1.0] and list(bars.text) == ["50%", "n/a", "100%"]


def test_galleries(trained):
    run, digits = trained
    evaluation, names = run.evaluate(), list(digits.class_names)
    gallery = figures.misclassified_gallery_figure(digits.X_test, evaluation, names)
    assert len(gallery.data) == len(evaluation.mistakes) > 0
    first = evaluation.mistakes[0]
    np.testing.assert_array_equal(gallery.data[0].z, digits.X_test[first.index])
    assert gallery.layout.annotations[0].text == (
        f"true {first.true_class} → {first.predicted_class} ({first.confidence:.0%})"
    )
    weights = run.first_layer_weights(16)
    grid = figures.weight_images_figure(weights)
    assert len(grid.data) == 16
    limit = float(np.abs(weights[0]).max())  # each weight image on its own symmetric scale
    assert grid.data[0].zmin == -limit and grid.data[0].zmax == limit


def test_robustness_and_pca(trained):
    run, digits = trained
    probe = run.robustness()
    robustness = figures.robustness_figure(probe)
    assert list(robustness.data[0].y) == list(probe.noise_accuracy)
    assert list(robustness.data[1].x) == list(probe.angles)
    pca = run.pca(1)
    scatter = figures.pca_figure(pca, list(digits.class_names))
    assert len(scatter.data) == 10  # one trace per class
    assert sum(len(t.x) for t in scatter.data) == len(pca.labels)
    np.testing.assert_array_equal(scatter.data[3].x, pca.coordinates[pca.labels == 3, 0])


def test_draw_page_figures():
    probabilities = np.full(10, 0.05)
    probabilities[3] = 0.55
    bars = figures.probability_figure(probabilities, list("0123456789"), 3).data[0]
    assert list(bars.y) == list(probabilities)
    assert [c for c in bars.marker.color].count("#d62728") == 1 and bars.marker.color[3] == "#d62728"
    seen = figures.digit_image_figure(np.eye(28))
    np.testing.assert_array_equal(seen.data[0].z, np.eye(28))
    activations = figures.activations_figure([np.array([1.0, 0.0, 2.0]), np.ones(4)])
    assert len(activations.data) == 2  # one bar chart per hidden layer
    assert activations.layout.annotations[0].text == "Hidden layer 1: 3 neurons, 2 active"
