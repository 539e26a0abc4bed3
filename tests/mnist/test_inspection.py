"""core/mnist/inspection.py: the robustness probe, the PCA map, first-layer weight images."""

import numpy as np
import pytest

from core.engine.network import Network
from core.mnist import PROBE_IMAGES, first_layer_weight_images, flatten_images
from tests.mnist.helpers import trained_digits_run


@pytest.fixture(scope="module")
def trained():
    return trained_digits_run()


def test_robustness_probe(trained):
    run, digits = trained
    probe = run.robustness()
    assert len(probe.noise_accuracy) == len(probe.noise_levels)
    assert len(probe.rotation_accuracy) == len(probe.angles)
    assert probe.n == min(PROBE_IMAGES, digits.n_test)
    # No noise and no rotation: the plain test accuracy (all test images are used here).
    assert probe.noise_accuracy[0] == pytest.approx(run.evaluate().accuracy)
    assert probe.rotation_accuracy[0] == probe.noise_accuracy[0]
    assert probe.noise_accuracy[-1] < probe.noise_accuracy[0]
    assert probe.rotation_accuracy[-1] < probe.rotation_accuracy[0]  # 90 degrees hurts


def test_pca_matches_scikit_learn(trained):
    from sklearn.decomposition import PCA

    run, digits = trained
    pca = run.pca(1)
    activations = run.network.trace(flatten_images(digits.X_test))[0].a
    reference = PCA(n_components=2).fit(activations.astype(np.float64))
    np.testing.assert_allclose(pca.explained, reference.explained_variance_ratio_, rtol=1e-4)
    projected = reference.transform(activations.astype(np.float64))
    for k in range(2):  # a principal direction's sign is arbitrary
        np.testing.assert_allclose(
            np.abs(pca.coordinates[:, k]), np.abs(projected[:, k]), rtol=1e-3, atol=1e-3
        )
    np.testing.assert_array_equal(pca.labels, digits.y_test)
    assert pca.layer == 1 and pca.n_units == 32
    with pytest.raises(ValueError, match="hidden layer"):
        run.pca(2)


def test_first_layer_weight_images_are_the_weight_columns():
    network = Network([784, 40, 10], rng=2)
    images = first_layer_weight_images(network, (28, 28), max_units=32)
    assert images.shape == (32, 28, 28)
    np.testing.assert_array_equal(images[5], network.layers[0].weights[:, 5].reshape(28, 28))
    assert first_layer_weight_images(network, (28, 28), max_units=100).shape == (40, 28, 28)
