"""The 2-D toy data sets, as pure functions of a random generator.

Each generator is `gen(rng, n_samples, noise, **options) -> (X, y)` with X of shape (n, 2) in
float64 and y either class ids 0..k-1 (int64) or a regression target in [-1, 1] (float64).
Parameters are checked by `make_dataset`; these functions trust them.

Five of them follow TensorFlow Playground's dataset.ts (circles, xor, gaussians, spiral,
plane, multi_gaussian), with `noise` meaning exactly what TF Playground's noise slider means
(its slider goes from 0 to 0.5; here noise may go up to 1 for "very noisy"). Their points lie in
the box [-6, 6] x [-6, 6] (only the Gaussian tails can fall outside, as in TF Playground).
Moons and blobs come from scikit-learn, scaled to the same box.

In TF Playground the noise is often added to the point used to *compute the label*, not to the
point that is drawn. That flips labels near the class boundary, which is what real-world label
noise looks like.
"""

from __future__ import annotations

import numpy as np

TF_CIRCLE_RADIUS = 5.0  # circles: inner disc r < 2.5 (class 1), outer ring 3.5 <= r < 5 (class 0)
TF_XOR_HALF_WIDTH = 5.0  # xor: points uniform in [-5, 5]^2 ...
TF_XOR_PADDING = 0.3  # ... pushed 0.3 away from the axes, so |x|, |y| >= 0.3
TF_BOX = 6.0  # regression sets: points uniform in [-6, 6]^2
GAUSSIAN_CENTRES = np.array([[-2.0, -2.0], [2.0, 2.0]])  # class 0, class 1
SPIRAL_RADIUS = 5.0
SPIRAL_TURNS = 1.75  # each arm winds 1.75 times around the centre
MOONS_SCALE = 3.5  # sklearn's moons (radius 1) drawn 3.5 times larger, centred on the origin
MOONS_CENTRE = np.array([0.5, 0.25])
BLOBS_RADIUS = 3.5  # blob centres sit on a circle of this radius
# Multi-gaussian regression: (centre x, centre y, sign) of six bumps of radius 2
REG_GAUSSIANS = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)


def per_class_counts(n_samples: int, n_classes: int) -> np.ndarray:
    """Split n_samples as evenly as possible: 10 into 3 classes -> [4, 3, 3]."""
    counts = np.full(n_classes, n_samples // n_classes, dtype=np.int64)
    counts[: n_samples % n_classes] += 1
    return counts


def _sklearn_seed(rng: np.random.Generator) -> int:
    # scikit-learn wants an int seed; draw it from our generator so everything follows one seed.
    return int(rng.integers(0, 2**31 - 1))


def circle_label(points: np.ndarray) -> np.ndarray:
    """Class 1 inside the circle of radius 2.5 around the origin, class 0 outside."""
    return (np.hypot(points[:, 0], points[:, 1]) < 0.5 * TF_CIRCLE_RADIUS).astype(np.int64)


def xor_label(points: np.ndarray) -> np.ndarray:
    """Class 1 where x*y >= 0 (first and third quadrant), class 0 elsewhere."""
    return (points[:, 0] * points[:, 1] >= 0).astype(np.int64)


def plane_target(points: np.ndarray) -> np.ndarray:
    """(x + y) / 10, clipped to [-1, 1]."""
    # TF Playground does not clip (corners reach 1.2); we clip so a tanh output can fit it.
    return np.clip(points.sum(axis=1) / 10.0, -1.0, 1.0)


def multi_gaussian_target(points: np.ndarray) -> np.ndarray:
    """Of the six bumps sign * max(0, 1 - distance/2), the one largest in absolute value."""
    distance = np.hypot(points[:, None, 0] - REG_GAUSSIANS[:, 0], points[:, None, 1] - REG_GAUSSIANS[:, 1])
    bumps = REG_GAUSSIANS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)  # (n, 6)
    strongest = np.argmax(np.abs(bumps), axis=1)
    return bumps[np.arange(points.shape[0]), strongest] + 0.0  # + 0.0 turns -0.0 into 0.0


def circles(rng, n_samples, noise):
    """A disc (class 1, r < 2.5) inside a ring (class 0, 3.5 <= r < 5); label from the noisy point."""
    n_inner, n_outer = per_class_counts(n_samples, 2)
    r = np.concatenate(
        [
            rng.uniform(0.0, 0.5 * TF_CIRCLE_RADIUS, n_inner),
            rng.uniform(0.7 * TF_CIRCLE_RADIUS, TF_CIRCLE_RADIUS, n_outer),
        ]
    )
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    noisy = X + rng.uniform(-TF_CIRCLE_RADIUS, TF_CIRCLE_RADIUS, X.shape) * noise
    return X, circle_label(noisy)


def xor(rng, n_samples, noise):
    """Four squares: class 1 where x*y >= 0 (checked on the noisy point), class 0 elsewhere."""
    X = rng.uniform(-TF_XOR_HALF_WIDTH, TF_XOR_HALF_WIDTH, (n_samples, 2))
    X += np.where(X > 0, TF_XOR_PADDING, -TF_XOR_PADDING)
    noisy = X + rng.uniform(-TF_XOR_HALF_WIDTH, TF_XOR_HALF_WIDTH, X.shape) * noise
    return X, xor_label(noisy)


def gaussians(rng, n_samples, noise):
    """Two round clouds at (-2,-2) (class 0) and (2,2) (class 1); variance = 0.5 + 7*noise."""
    variance = 0.5 + 7.0 * noise  # TF Playground: 0.5 at noise 0, 4 at noise 0.5
    y = np.repeat(np.arange(2), per_class_counts(n_samples, 2))
    X = GAUSSIAN_CENTRES[y] + rng.normal(0.0, np.sqrt(variance), (n_samples, 2))
    return X, y


def spiral(rng, n_samples, noise, arms=2):
    """`arms` interleaved spirals (one class each); every point jittered by up to +-noise."""
    counts = per_class_counts(n_samples, arms)
    y = np.repeat(np.arange(arms), counts)
    first_of_arm = np.concatenate(([0], np.cumsum(counts)[:-1]))
    progress = (np.arange(n_samples) - first_of_arm[y]) / counts[y]  # 0 at the centre -> 1
    r = progress * SPIRAL_RADIUS
    t = SPIRAL_TURNS * 2 * np.pi * progress + 2 * np.pi * y / arms  # arms rotated evenly
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    X += rng.uniform(-1.0, 1.0, X.shape) * noise
    return X, y


def moons(rng, n_samples, noise):
    """Two interleaving half circles (scikit-learn); noise = std of Gaussian jitter in moon radii."""
    from sklearn.datasets import make_moons  # imported here: scikit-learn takes ~1 s to import

    X, y = make_moons(
        n_samples=tuple(per_class_counts(n_samples, 2)), noise=noise, random_state=_sklearn_seed(rng)
    )
    return (X - MOONS_CENTRE) * MOONS_SCALE, y.astype(np.int64)


def blob_centres(n_classes: int) -> np.ndarray:
    """Centres evenly spaced on a circle of radius 3.5, the first one straight up at (0, 3.5)."""
    angle = np.pi / 2 + 2 * np.pi * np.arange(n_classes) / n_classes
    return BLOBS_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])


def blobs(rng, n_samples, noise, n_classes=3):
    """n_classes round clusters on a circle (scikit-learn); cluster std = 0.3 + 1.7*noise."""
    from sklearn.datasets import make_blobs  # imported here: scikit-learn takes ~1 s to import

    X, y = make_blobs(
        n_samples=per_class_counts(n_samples, n_classes),
        centers=blob_centres(n_classes),
        cluster_std=0.3 + 1.7 * noise,
        random_state=_sklearn_seed(rng),
    )
    return X, y.astype(np.int64)


def plane(rng, n_samples, noise):
    """Regression on a tilted plane: target = (x + y) / 10 of the noisy point, clipped to [-1, 1]."""
    X = rng.uniform(-TF_BOX, TF_BOX, (n_samples, 2))
    noisy = X + rng.uniform(-TF_BOX, TF_BOX, X.shape) * noise
    return X, plane_target(noisy)


def multi_gaussian(rng, n_samples, noise):
    """Regression on six +-1 bumps: target = the strongest of sign * max(0, 1 - distance/2)."""
    X = rng.uniform(-TF_BOX, TF_BOX, (n_samples, 2))
    noisy = X + rng.uniform(-TF_BOX, TF_BOX, X.shape) * noise
    return X, multi_gaussian_target(noisy)
