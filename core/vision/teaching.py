"""Teach the network your digits: fine-tune a copy of a model on a few of a student's own drawings.

    examples (k drawn 28x28 digits + the right labels)
      -> each one augmented a few times (core/vision/augment.py: shift, tilt, zoom, thickness),
         so 5 drawings give the network ~100 slightly different pictures of that style
      -> mixed with real MNIST images ("replay"), so the network keeps what it knew: the
         gradient of the mixed loss still mostly says "stay right on MNIST"
      -> a few epochs of the engine's Trainer on a COPY of the network (the given model, e.g. the
         shipped one shared by every session, is never changed)

With no MNIST images at hand, forgetting is limited by training less instead: fewer epochs at a
smaller learning rate (`NO_REPLAY_EPOCHS`, `NO_REPLAY_LEARNING_RATE`); the result says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from core.engine.model_io import SavedModel
from core.engine.trainer import Trainer
from core.vision.augment import augment_batch
from core.vision.digits import MNIST_SIDE

MAX_EXAMPLES = 50  # a session's gallery; more is a data set, not a handful of corrections
COPIES_PER_EXAMPLE = 20  # augmented copies of each drawing (plus the drawing itself)
REPLAY_IMAGES = 1_000  # real MNIST images mixed in, sampled from what is available
EPOCHS = 4
LEARNING_RATE = 5e-4
NO_REPLAY_EPOCHS = 3
NO_REPLAY_LEARNING_RATE = 1e-4
BATCH_SIZE = 32


class TeachingError(ValueError):
    """The examples cannot be used to teach (none, wrong shape, unknown label)."""


@dataclass(frozen=True, eq=False)
class TeachingResult:
    """The taught copy and what it changed."""

    model: SavedModel  # a new model: the original is untouched
    labels: np.ndarray  # (k,) the labels the student gave
    before: np.ndarray  # (k, classes) the original model's probabilities for each example
    after: np.ndarray  # (k, classes) the taught model's probabilities
    n_replay: int  # real MNIST images mixed in (0: none were available)
    seconds: float

    @property
    def before_predicted(self) -> np.ndarray:
        return np.argmax(self.before, axis=1)

    @property
    def after_predicted(self) -> np.ndarray:
        return np.argmax(self.after, axis=1)


def _check_examples(pixels, labels, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    pixels = np.asarray(pixels, dtype=np.float32)
    labels = np.asarray(labels)
    if pixels.ndim == 2:
        pixels = pixels[None]
    if pixels.ndim != 3 or pixels.shape[1:] != (MNIST_SIDE, MNIST_SIDE) or pixels.shape[0] == 0:
        raise TeachingError(f"examples must be 28x28 digits; got an array of shape {pixels.shape}")
    if pixels.shape[0] > MAX_EXAMPLES:
        raise TeachingError(f"at most {MAX_EXAMPLES} examples at a time; got {pixels.shape[0]}")
    if labels.shape != (pixels.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise TeachingError("give one whole-number label per example")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise TeachingError(f"labels must be 0 to {n_classes - 1}")
    if not np.all(np.isfinite(pixels)) or pixels.min() < 0 or pixels.max() > 1:
        raise TeachingError("example pixels must be numbers in [0, 1]")
    return pixels, labels.astype(np.int64)


def teach(
    model: SavedModel,
    pixels,
    labels,
    replay_images=None,
    replay_labels=None,
    *,
    seed: int = 0,
) -> TeachingResult:
    """Fine-tune a copy of `model` on the examples (pixels (k, 28, 28) in [0, 1], labels (k,)),
    mixed with up to REPLAY_IMAGES of replay_images (n, 28, 28) uint8 / replay_labels (n,)."""
    started = time.perf_counter()
    n_classes = model.network.n_outputs
    pixels, labels = _check_examples(pixels, labels, n_classes)
    rng = np.random.default_rng(seed)

    # The drawings, each with COPIES_PER_EXAMPLE distorted twins (mild: the style must survive).
    repeated = np.repeat(pixels, COPIES_PER_EXAMPLE, axis=0)
    twins = augment_batch(repeated, rng, max_shift=1.5, max_rotation=10.0, scale_range=(0.9, 1.1))
    x_taught = np.concatenate([pixels, twins]) * np.float32(255.0)  # the model's raw scale: uint8 levels
    y_taught = np.concatenate([labels, np.repeat(labels, COPIES_PER_EXAMPLE)])

    n_replay = 0
    if replay_images is not None and len(replay_images):
        replay_images = np.asarray(replay_images)
        chosen = rng.choice(len(replay_images), size=min(REPLAY_IMAGES, len(replay_images)), replace=False)
        x_replay = replay_images[chosen].astype(np.float32)
        y_replay = np.asarray(replay_labels)[chosen].astype(np.int64)
        n_replay = len(chosen)
        x_all = np.concatenate([x_taught, x_replay])
        y_all = np.concatenate([y_taught, y_replay])
        epochs, learning_rate = EPOCHS, LEARNING_RATE
    else:
        x_all, y_all = x_taught, y_taught
        epochs, learning_rate = NO_REPLAY_EPOCHS, NO_REPLAY_LEARNING_RATE

    network = model.network.copy()  # the original (maybe shared by every session) stays as it was
    trainer = Trainer(
        network,
        model.prepare_input(x_all),
        y_all,
        learning_rate=learning_rate,
        optimizer="adam",
        batch_size=BATCH_SIZE,
        seed=seed,
    )
    trainer.train_epochs(epochs)

    examples_in = model.prepare_input(pixels * np.float32(255.0))
    provenance = dict(model.provenance)
    provenance["taught"] = {
        "examples": int(len(labels)),
        "replay_images": n_replay,
        "epochs": epochs,
        "learning_rate": learning_rate,
    }
    provenance.pop("test_accuracy", None)  # measured on the original; the copy's is unknown
    taught = replace(model, network=network, provenance=provenance)
    return TeachingResult(
        model=taught,
        labels=labels,
        before=model.probabilities(examples_in),
        after=taught.probabilities(examples_in),
        n_replay=n_replay,
        seconds=time.perf_counter() - started,
    )
