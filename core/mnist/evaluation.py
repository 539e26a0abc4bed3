"""How a trained network does on labelled test images: accuracy, loss, confusion matrix,
per-class accuracy and the most confident mistakes (for the gallery of misread images)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.engine.network import Network
from core.mnist.pixels import PIXEL_SCALE, flatten_images

GALLERY_SIZE = 24  # mistakes kept for the gallery


@dataclass(frozen=True)
class Mistake:
    """A misclassified test image: which one, its true class, the guess and how sure it was."""

    index: int
    true_class: int
    predicted_class: int
    confidence: float


@dataclass(frozen=True, eq=False)
class Evaluation:
    """How a network does on a labelled test set."""

    accuracy: float
    loss: float
    n: int
    confusion: np.ndarray  # (k, k) counts: row = true class, column = predicted class
    per_class_accuracy: np.ndarray  # (k,) recall of each class; NaN for a class with no images
    predictions: np.ndarray
    confidences: np.ndarray  # probability the network gave its own prediction
    mistakes: list[Mistake] = field(default_factory=list)  # most confident mistakes first

    @property
    def n_wrong(self) -> int:
        """How many test images are misclassified: everything off the confusion diagonal."""
        return int(self.n - np.trace(self.confusion))


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts[i, j] = how many images of class i were predicted as class j (one bincount)."""
    y_true, y_pred = np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes).reshape(
        n_classes, n_classes
    )


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Diagonal over row sums: of the images of class i, the fraction predicted as i."""
    totals = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(confusion) / np.maximum(totals, 1), np.nan)


def evaluate_network(
    network: Network, images, labels, class_names, max_mistakes: int = GALLERY_SIZE, batch: int = 5_000
) -> Evaluation:
    """Accuracy, loss, confusion matrix, per-class accuracy and the most confident mistakes.

    The images go through the network `batch` at a time, so 10,000 test images never need one
    huge matrix of activations at once."""
    labels = np.asarray(labels, np.int64)
    k = len(class_names)
    probabilities = (
        np.concatenate(
            [
                network.predict_proba(flatten_images(images[i : i + batch]))
                for i in range(0, len(labels), batch)
            ]
        )
        if len(labels)
        else np.zeros((0, k), np.float32)
    )
    predictions = probabilities.argmax(axis=1)
    confidences = probabilities[np.arange(len(labels)), predictions]
    # Cross-entropy of the true class (clipped so a probability of 0 gives a finite number).
    true_p = probabilities[np.arange(len(labels)), labels]
    loss = float(-np.mean(np.log(np.clip(true_p, 1e-12, 1.0)))) if len(labels) else math.nan
    confusion = confusion_matrix(labels, predictions, k)
    wrong = np.flatnonzero(predictions != labels)
    wrong = wrong[np.argsort(-confidences[wrong], kind="stable")][:max_mistakes]
    mistakes = [Mistake(int(i), int(labels[i]), int(predictions[i]), float(confidences[i])) for i in wrong]
    accuracy = float(np.mean(predictions == labels)) if len(labels) else math.nan
    return Evaluation(
        accuracy,
        loss,
        int(len(labels)),
        confusion,
        per_class_accuracy(confusion),
        predictions,
        confidences,
        mistakes,
    )


def model_mismatch(model, dataset) -> str | None:
    """Why a loaded model (core.engine.model_io.SavedModel) cannot be scored on this image data set,
    or None if it can: it must read this data set's images, pixel / 255 as the MNIST page trains,
    and name one output per class."""
    network = model.network
    side = "×".join(map(str, dataset.image_shape))
    if network.n_inputs != int(np.prod(dataset.image_shape)):
        return f"this model reads {network.n_inputs} inputs; the {dataset.name} images have {side} pixels"
    if network.head.task != "multiclass":
        return "this model is not a classifier with a softmax output"
    if network.layer_sizes[-1] != len(dataset.class_names):
        return (
            f"this model has {network.layer_sizes[-1]} classes; the data set has {len(dataset.class_names)}"
        )
    if not math.isclose(model.input_scale, PIXEL_SCALE, rel_tol=1e-6) or model.input_offset:
        return "this model expects its pixels scaled differently from pixel / 255"
    return None
