"""From a drawing (or an uploaded picture) to the network's guess: the one call the Draw page makes.

    image (canvas RGBA, or a decoded upload)
      -> core.vision.digits.preprocess_digit: the 28x28 image MNIST's own recipe would give
      -> model.prepare_input: the same scaling the model was trained with (pixel / 255)
      -> one forward pass that keeps every layer's output (hidden activations + probabilities)

An empty drawing stops after preprocessing: no guess is ever made for a blank canvas.
The whole call is timed (`milliseconds`), so the page can show that it is fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.engine.model_io import SavedModel
from core.vision.digits import MNIST_SIDE, DigitImage, preprocess_digit
from core.vision.uploads import load_image_upload

DIGIT_INPUT_SHAPE = [MNIST_SIDE, MNIST_SIDE]


class DigitModelError(ValueError):
    """The model cannot read drawn digits (it was not trained on 28x28 images)."""


def digit_shape_problem(image_shape) -> str | None:
    """Why a model trained on images of `image_shape` cannot read drawn digits, or None if it can
    (the MNIST page shows this beside its disabled "Use this model on the Draw page" button)."""
    shape = [int(s) for s in image_shape]
    if shape == DIGIT_INPUT_SHAPE:
        return None
    trained_on = "×".join(map(str, shape))
    return (
        f"The Draw page feeds the network {MNIST_SIDE}×{MNIST_SIDE} images; "
        f"this one was trained on {trained_on} images."
    )


def describe_model(model: SavedModel) -> str:
    """One Markdown line about a model from what its provenance records: its test accuracy,
    what it was trained on, and its layer sizes (always known)."""
    p = model.provenance
    parts = []
    if "test_accuracy" in p:
        parts.append(
            f"test accuracy **{float(p['test_accuracy']):.1%}**"
            + (f" on {int(p['n_test']):,} images" if "n_test" in p else "")
        )
    if "n_train" in p:
        parts.append(
            f"trained on {int(p['n_train']):,} images"
            + (f" for {p['epochs']} epochs" if "epochs" in p else "")
            + (" with augmentation" if p.get("augment") else "")
        )
    parts.append("layers " + "-".join(map(str, model.network.layer_sizes)))
    return ", ".join(parts)


def check_digit_model(model: SavedModel) -> None:
    """Raise DigitModelError unless the model classifies 28x28 images."""
    network = model.network
    shape = list(model.input_shape) if model.input_shape else None
    if shape not in (None, DIGIT_INPUT_SHAPE) or network.n_inputs != MNIST_SIDE * MNIST_SIDE:
        raise DigitModelError(
            f"this model reads inputs of shape {shape or network.n_inputs}; drawn digits are "
            f"{MNIST_SIDE}x{MNIST_SIDE} images, so use a model trained on MNIST (or Fashion-MNIST)"
        )
    if network.head.task != "multiclass":
        raise DigitModelError("this model is not a classifier with a softmax output")


@dataclass(frozen=True, eq=False)
class DigitPrediction:
    """What the network made of one image."""

    digit: DigitImage  # the 28x28 image the network sees (pixels in [0, 1])
    probabilities: np.ndarray | None  # (classes,), None when the image was empty
    hidden_activations: tuple[np.ndarray, ...]  # one (units,) array per hidden layer
    class_names: tuple[str, ...]
    milliseconds: float  # preprocessing + forward pass

    @property
    def is_empty(self) -> bool:
        return self.probabilities is None

    @property
    def predicted_index(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    @property
    def predicted_class(self) -> str | None:
        index = self.predicted_index
        return None if index is None else self.class_names[index]

    @property
    def confidence(self) -> float | None:
        index = self.predicted_index
        return None if index is None else float(self.probabilities[index])


def predict_digit(model: SavedModel, image) -> DigitPrediction:
    """Preprocess `image` (anything core.vision.digits.preprocess_digit accepts: an (H, W, 4) RGBA canvas,
    gray, RGB, a PIL image) and run it through the model."""
    started = time.perf_counter()
    check_digit_model(model)
    n_classes = model.network.n_outputs
    names = (
        tuple(model.class_names)
        if len(model.class_names) == n_classes
        else tuple(str(i) for i in range(n_classes))
    )
    digit = preprocess_digit(image)
    if digit.is_empty:
        return DigitPrediction(digit, None, (), names, (time.perf_counter() - started) * 1e3)
    # The model records how its training images were scaled (raw uint8 -> input); a drawn digit
    # in [0, 1] is the same picture as uint8 * 255, so it gets exactly that scaling.
    x = model.prepare_input(digit.pixels * np.float32(255.0))
    # trace() is one forward pass that keeps each layer's output: the last one is the softmax.
    traces = model.network.trace(x)
    probabilities = traces[-1].a[0].astype(np.float64)
    hidden = tuple(trace.a[0].copy() for trace in traces[:-1])
    return DigitPrediction(digit, probabilities, hidden, names, (time.perf_counter() - started) * 1e3)


def predict_upload(model: SavedModel, data: bytes) -> DigitPrediction:
    """An uploaded PNG/JPEG (validated and decoded by core.vision.uploads.load_image_upload, which raises
    ImageUploadError for anything unsafe or unreadable) through `predict_digit`."""
    return predict_digit(model, load_image_upload(data))
