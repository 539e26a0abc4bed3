"""What the learner chooses before training an image model, and the limits those choices obey.

`TrainingConfig` is frozen and checked when it is made, so a config that exists is one the
trainer can run; `TrainingConfig.from_text` reads the hidden layers as typed in a text field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from core.data.layer_sizes import parse_layer_sizes
from core.engine.activations import ACTIVATIONS
from core.engine.optimizers import OPTIMIZERS

MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_WIDTH = 1024  # wider layers would make one user's training slow down everyone's
MAX_EPOCHS = 100
MIN_TRAIN_IMAGES = 20
MAX_TRAIN_IMAGES = 60_000  # all of MNIST's training images
DEFAULT_TRAIN_IMAGES = 10_000  # a subset that trains in seconds on a shared server
SLIDER_MIN_IMAGES = 100  # below this the slider has nothing to choose: every image is used
# The page's sliders offer these values (a link or a stored submission must hold one of them).
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
BATCH_SIZES = (16, 32, 64, 128, 256)


class ImageTrainingError(ValueError):
    """A setting or a data set the image trainer cannot use; the message says why."""


@dataclass(frozen=True)
class TrainingConfig:
    """Everything the learner chooses before training. Frozen, so two configs compare equal
    exactly when a rebuild would give the same run (the page uses that to spot changed settings)."""

    hidden_layers: tuple[int, ...] = (128,)
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 64
    epochs: int = 5
    augment: bool = False
    n_train: int = 10_000  # training images used (a subset keeps a classroom's server fair)
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "hidden_layers", tuple(int(s) for s in self.hidden_layers))
        if self.activation not in ACTIVATIONS:
            raise ImageTrainingError(
                f"activation must be one of {list(ACTIVATIONS)}; got {self.activation!r}"
            )
        if self.optimizer not in OPTIMIZERS:
            raise ImageTrainingError(f"optimizer must be one of {list(OPTIMIZERS)}; got {self.optimizer!r}")
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise ImageTrainingError(f"epochs must be 1 to {MAX_EPOCHS}; got {self.epochs}")
        if self.n_train < MIN_TRAIN_IMAGES:
            raise ImageTrainingError(f"use at least {MIN_TRAIN_IMAGES} training images; got {self.n_train}")

    @classmethod
    def from_text(cls, hidden_layers: str, **settings) -> TrainingConfig:
        """A config whose hidden layers are typed text: "256, 128" -> (256, 128), "" or "none"
        -> () (a linear softmax classifier), read by the project's one layer parser with this
        page's limits. The other settings are passed through as they are. Raises a ValueError
        (core.data.DataError for the text, ImageTrainingError for the rest)."""
        sizes = parse_layer_sizes(
            hidden_layers, max_layers=MAX_HIDDEN_LAYERS, max_width=MAX_HIDDEN_WIDTH, what="hidden layer"
        )
        return cls(hidden_layers=sizes, **settings)


class ImageCountChoice(NamedTuple):
    """The range of the "Training images" slider for a data set: lowest, highest, first value
    and step (a step of 100 on a range of thousands, of 10 on a range of hundreds)."""

    low: int
    high: int
    value: int
    step: int

    def clamp(self, n_images: int) -> int:
        """`n_images` moved into the slider's range (a restored run may be of a larger data set)."""
        return min(max(int(n_images), self.low), self.high)


def train_image_choice(n_available: int) -> ImageCountChoice | None:
    """How many training images a learner may pick from `n_available`; None when there are too
    few to choose from (all of them are used)."""
    high = min(int(n_available), MAX_TRAIN_IMAGES)
    if high <= SLIDER_MIN_IMAGES:
        return None
    return ImageCountChoice(
        SLIDER_MIN_IMAGES, high, min(DEFAULT_TRAIN_IMAGES, high), 100 if high >= 1000 else 10
    )
