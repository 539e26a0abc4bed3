"""core/mnist/evaluation.py: accuracy, loss, confusion matrix and the most confident mistakes."""

import numpy as np
import pytest

from core.engine.network import Network
from core.mnist import GALLERY_SIZE, confusion_matrix, evaluate_network, per_class_accuracy
from tests.mnist.helpers import trained_digits_run


@pytest.fixture(scope="module")
def trained():
    return trained_digits_run()


def test_confusion_matrix_and_per_class_accuracy_match_a_loop():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    y_true[y_true == 3] = 2  # class 3 has no images
    cm = confusion_matrix(y_true, y_pred, 4)
    expected = np.zeros((4, 4), int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(cm, expected)
    acc = per_class_accuracy(cm)
    for k in range(3):
        assert acc[k] == pytest.approx(np.mean(y_pred[y_true == k] == k))
    assert np.isnan(acc[3])


def test_evaluation_lists_the_most_confident_mistakes_first(trained):
    run, digits = trained
    evaluation = run.evaluate()
    assert evaluation.n == digits.n_test
    assert evaluation.confusion.sum() == digits.n_test
    assert np.trace(evaluation.confusion) / digits.n_test == pytest.approx(evaluation.accuracy)
    assert evaluation.n_wrong == int(np.sum(evaluation.predictions != digits.y_test)) > 0
    confidences = [m.confidence for m in evaluation.mistakes]
    assert confidences == sorted(confidences, reverse=True)
    for m in evaluation.mistakes:
        assert digits.y_test[m.index] == m.true_class != m.predicted_class
        assert evaluation.predictions[m.index] == m.predicted_class
    assert len(evaluation.mistakes) == min(GALLERY_SIZE, evaluation.n_wrong)


def test_loss_is_the_mean_cross_entropy_and_batches_do_not_change_it():
    network = Network([4, 3], [], output="softmax_ce", rng=1)
    images = np.random.default_rng(0).integers(0, 256, (7, 2, 2), dtype=np.uint8)
    labels = np.array([0, 1, 2, 0, 1, 2, 0])
    whole = evaluate_network(network, images, labels, ("a", "b", "c"))
    batched = evaluate_network(network, images, labels, ("a", "b", "c"), batch=3)
    p = network.predict_proba(images.reshape(7, -1).astype(np.float32) / 255)
    assert whole.loss == pytest.approx(-np.mean(np.log(p[np.arange(7), labels])), rel=1e-5)
    assert batched.loss == pytest.approx(whole.loss, rel=1e-6)
    np.testing.assert_array_equal(batched.predictions, p.argmax(axis=1))


def test_an_empty_test_set_gives_nan_not_an_error():
    network = Network([4, 3], [], output="softmax_ce", rng=1)
    evaluation = evaluate_network(network, np.zeros((0, 2, 2), np.uint8), np.zeros(0, int), "abc")
    assert evaluation.n == 0 and evaluation.n_wrong == 0 and np.isnan(evaluation.accuracy)
    assert evaluation.mistakes == []
