"""Looking inside a trained image model: how robust it is, what a hidden layer separates, and
what its first layer looks for.

* `robustness_probe`: test accuracy as Gaussian noise grows and as the images are rotated;
* `hidden_layer_pca`: the test images placed by the two main directions of a hidden layer's
  activations (PCA with NumPy's SVD);
* `first_layer_weight_images`: the weights into each first-layer neuron, laid out as an image.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.network import Network
from core.mnist.config import ImageTrainingError
from core.mnist.pixels import flatten_images
from core.vision.augment import add_noise, rotate_batch

PROBE_IMAGES = 1_000
PROBE_NOISE_LEVELS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
PROBE_ANGLES = (0, 10, 20, 30, 45, 60, 90)
PCA_POINTS = 2_000


@dataclass(frozen=True)
class RobustnessProbe:
    """Test accuracy as the test images get noisier, and as they are rotated further."""

    noise_levels: tuple[float, ...]
    noise_accuracy: tuple[float, ...]
    angles: tuple[float, ...]
    rotation_accuracy: tuple[float, ...]
    n: int


def robustness_probe(
    network: Network,
    images,
    labels,
    noise_levels=PROBE_NOISE_LEVELS,
    angles=PROBE_ANGLES,
    max_images: int = PROBE_IMAGES,
    seed: int = 0,
) -> RobustnessProbe:
    """Accuracy on (a seeded sample of) the test images with Gaussian pixel noise of each std in
    `noise_levels` (pixels in [0, 1]), then rotated by each angle in `angles` (degrees).
    A network that only learned pixel positions falls off quickly with rotation."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels, np.int64)
    if len(labels) > max_images:
        keep = np.sort(rng.choice(len(labels), max_images, replace=False))
        images, labels = images[keep], labels[keep]

    def accuracy(batch) -> float:
        return float(np.mean(network.predict(flatten_images(batch)) == labels))

    noise = tuple(accuracy(add_noise(images, float(std), rng) if std else images) for std in noise_levels)
    rotation = tuple(accuracy(rotate_batch(images, float(angle)) if angle else images) for angle in angles)
    return RobustnessProbe(
        tuple(float(s) for s in noise_levels),
        noise,
        tuple(float(a) for a in angles),
        rotation,
        int(len(labels)),
    )


@dataclass(frozen=True, eq=False)
class PCAMap:
    """Test images placed by the first two principal components of a hidden layer's activations."""

    coordinates: np.ndarray  # (n, 2)
    labels: np.ndarray  # (n,)
    explained: tuple[float, float]  # share of the variance along PC1 and PC2
    layer: int  # 1-based hidden layer
    n_units: int


def hidden_layer_pca(
    network: Network, images, labels, layer: int = 1, max_points: int = PCA_POINTS, seed: int = 0
) -> PCAMap:
    """PCA with NumPy's SVD: centre the (n, units) activations A, then A = U S Vᵀ; the rows of
    Vᵀ are the principal directions and A @ V[:, :2] = U[:, :2] S[:2] the 2-D coordinates.
    The share of variance a direction explains is its S² over the sum of all S²."""
    n_hidden = len(network.layers) - 1
    if not 1 <= layer <= n_hidden:
        raise ImageTrainingError(f"the network has {n_hidden} hidden layer(s); cannot map layer {layer}")
    labels = np.asarray(labels, np.int64)
    if len(labels) > max_points:
        keep = np.sort(np.random.default_rng(seed).choice(len(labels), max_points, replace=False))
        images, labels = images[keep], labels[keep]
    activations = network.trace(flatten_images(images))[layer - 1].a.astype(np.float64)
    centred = activations - activations.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coordinates = np.zeros((len(labels), 2))
    k = min(2, s.size)
    coordinates[:, :k] = u[:, :k] * s[:k]
    total = float(np.sum(s**2))
    explained = [float(s[i] ** 2 / total) if total > 0 and i < s.size else 0.0 for i in range(2)]
    return PCAMap(coordinates, labels, (explained[0], explained[1]), layer, activations.shape[1])


def first_layer_weight_images(network: Network, image_shape, max_units: int = 32) -> np.ndarray:
    """The weights into each of the first `max_units` neurons of the first layer, as images
    (units, H, W): neuron j computes sum(W[:, j] * pixels), so its weights, laid out like the
    pixels, show which strokes excite it (positive) or inhibit it (negative)."""
    weights = network.layers[0].weights  # (H*W, units)
    units = min(max_units, weights.shape[1])
    return np.ascontiguousarray(weights[:, :units].T).reshape(units, *image_shape)
