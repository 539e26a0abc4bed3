"""One training run on an image data set, trained by the page in short slices of wall time.

`ImageTrainingRun` is a `Trainer` fed flattened images. The page calls `train_slice(ms)` on every
tick, and the trainer keeps its place inside an epoch between slices, so a page stays responsive
on 60,000 images. With augmentation, every epoch after the first trains on a fresh randomly
distorted copy of the images, prepared a little ahead while the epoch before it trains.
Results (evaluation, robustness, PCA) are computed on demand and kept until training moves on.
"""

from __future__ import annotations

import math
import time

import numpy as np

from core.data.image_sets import ImageDataset
from core.data.split import split_indices
from core.engine.model_io import SavedModel
from core.engine.network import Network
from core.engine.trainer import EpochRecord, Trainer
from core.mnist.config import TrainingConfig
from core.mnist.evaluation import Evaluation, evaluate_network
from core.mnist.inspection import (
    PCAMap,
    RobustnessProbe,
    first_layer_weight_images,
    hidden_layer_pca,
    robustness_probe,
)
from core.mnist.pixels import PIXEL_SCALE, flatten_images
from core.vision.augment import augment_batch

VALIDATION_FRACTION = 0.1  # of the training images, held out to draw the validation curve
# Augmentation of the *next* epoch's images is prepared a little ahead of the current epoch's
# progress, so the swap at the epoch boundary never has to distort a whole data set at once.
AUGMENT_LOOKAHEAD = 0.1
AUGMENT_CHUNK = 1_000  # images distorted per call (about 40 ms for 28x28)


class ImageTrainingRun:
    """One training run on an image data set, driven by the page in short time-budgeted slices.

    The training images are a seeded subset of `config.n_train` images; 10 % of them (stratified
    by class, core.data.split_indices) are held out for the validation curve, and the data set's
    test images are only looked at by `evaluate`. With `config.augment`, the first epoch sees the
    original images and every later epoch a fresh randomly distorted copy of them (small shifts,
    rotations, zooms, thicker or thinner strokes: core/vision/augment.py).
    """

    def __init__(self, dataset: ImageDataset, config: TrainingConfig):
        self.dataset = dataset
        self.config = config
        rng = np.random.default_rng(config.seed)
        n_available = dataset.n_train
        n = min(config.n_train, n_available)
        # A random subset, so that a sorted file (the shared 5k set is sorted by label) still
        # gives every class its share.
        subset = np.sort(rng.permutation(n_available)[:n])
        images, labels = dataset.X_train[subset], dataset.y_train[subset]
        # A class with a single image stays in training, so the validation set may be empty.
        train_index, val_index = split_indices(labels, VALIDATION_FRACTION, rng, stratify=True)
        self.train_images = images[train_index]  # uint8, kept for augmentation
        self.train_labels = labels[train_index]
        val_images, val_labels = images[val_index], labels[val_index]

        sizes = [int(np.prod(dataset.image_shape)), *config.hidden_layers, dataset.n_classes]
        self.network = Network(sizes, config.activation, "softmax_ce", "he", rng=config.seed)
        has_val = val_labels.size > 0
        self.trainer = Trainer(
            self.network,
            flatten_images(self.train_images),
            self.train_labels,
            flatten_images(val_images) if has_val else None,
            val_labels if has_val else None,
            learning_rate=config.learning_rate,
            optimizer=config.optimizer,
            batch_size=config.batch_size,
            seed=config.seed,
            track_batch_loss=True,
        )
        self._augment_rng = np.random.default_rng(config.seed + 1)
        self._next_inputs: np.ndarray | None = None  # next epoch's distorted images, being filled
        self._next_filled = 0
        self._inputs_for_epoch = 1  # the epoch whose inputs the trainer holds (1: the originals)
        self.augment_seconds = 0.0
        # Results keyed by the training position they were computed at: recomputed only after
        # more training, not on every rerun of the page.
        self._results: dict[str, tuple] = {}

    # ------------------------------------------------------------------------- state
    @property
    def n_train(self) -> int:
        return self.trainer.n_train

    @property
    def n_val(self) -> int:
        return self.trainer.X_val.shape[0] if self.trainer.has_val else 0

    @property
    def epoch(self) -> int:
        """Epochs completed."""
        return self.trainer.epoch

    @property
    def finished(self) -> bool:
        """All epochs done, or the trainer stopped itself (divergence: see `stop_reason`)."""
        return self.trainer.stopped or self.trainer.epoch >= self.config.epochs

    @property
    def stop_reason(self) -> str | None:
        return self.trainer.stop_reason

    @property
    def started(self) -> bool:
        return self.trainer.epoch > 0 or self.trainer.epoch_progress > 0

    @property
    def epoch_shown(self) -> int:
        """The epoch a progress bar names (1-based): the one under way, or the last when done."""
        return min(self.trainer.epoch + 1, self.config.epochs)

    @property
    def epoch_fraction(self) -> float:
        """How far the epoch under way is (0..1); 1 once training is finished."""
        return 1.0 if self.finished else self.trainer.epoch_progress

    @property
    def overall_progress(self) -> float:
        """Fraction of all requested epochs done (0..1)."""
        if self.finished:
            return 1.0
        return min((self.trainer.epoch + self.trainer.epoch_progress) / self.config.epochs, 1.0)

    def position(self) -> tuple[int, float]:
        """Where training stands; any slice changes it (used to know when results are stale)."""
        return self.trainer.epoch, self.trainer.epoch_progress

    def settings_changed(self, config: TrainingConfig | None) -> bool:
        """True when training has begun with other settings than `config` (a new run would be
        needed to use them); False for a run that has not started, which simply adopts them."""
        return self.started and config is not None and config != self.config

    # ------------------------------------------------------------------------- training
    def train_slice(self, milliseconds: float = 300.0) -> list[EpochRecord]:
        """Train for about `milliseconds` of wall time (at least one mini-batch) and return the
        epochs completed. Stops by itself after `config.epochs` epochs."""
        deadline = time.perf_counter() + milliseconds / 1000.0
        records: list[EpochRecord] = []
        trained = False
        while not self.finished:
            if self.config.augment:
                self._prepare_augmentation()
            left_ms = (deadline - time.perf_counter()) * 1000.0
            if trained and left_ms <= 0:
                break
            # max_epochs=1: come back here after every epoch, so each new epoch can get its own
            # freshly distorted images before it starts.
            records.extend(self.trainer.train_for(max(left_ms, 1.0), max_epochs=1))
            trained = True
        return records

    def _prepare_augmentation(self) -> None:
        n = self.n_train
        upcoming = self.trainer.epoch + 1  # the epoch under way, or the next one to start
        between_epochs = self.trainer.epoch_progress in (0.0, 1.0)
        if between_epochs and self._inputs_for_epoch < upcoming:
            # Swap in this epoch's distorted images (mostly prepared during the last epoch).
            self._fill_augmented(n)
            self.trainer.replace_training_inputs(self._next_inputs)
            self._inputs_for_epoch = upcoming
            self._next_inputs, self._next_filled = None, 0
        elif upcoming < self.config.epochs:
            # Keep the next epoch's images a little ahead of this epoch's progress: the work is
            # spread over the ticks instead of landing all at once on the epoch boundary.
            ahead = min(self.trainer.epoch_progress + AUGMENT_LOOKAHEAD, 1.0)
            self._fill_augmented(math.ceil(ahead * n))

    def _fill_augmented(self, until: int) -> None:
        started = time.perf_counter()
        n = self.n_train
        if self._next_inputs is None:
            self._next_inputs = np.empty((n, self.train_images[0].size), np.float32)
        while self._next_filled < until:
            stop = min(self._next_filled + AUGMENT_CHUNK, n)
            chunk = self.train_images[self._next_filled : stop]
            self._next_inputs[self._next_filled : stop] = augment_batch(chunk, self._augment_rng).reshape(
                stop - self._next_filled, -1
            )
            self._next_filled = stop
        self.augment_seconds += time.perf_counter() - started

    # ------------------------------------------------------------------------- curves
    def batch_loss_curve(self, max_points: int = 500) -> tuple[np.ndarray, np.ndarray]:
        """(fractional epoch, loss) of the mini-batches, thinned to at most max_points."""
        return decimate(self.trainer.batch_losses, max_points)

    @property
    def history(self) -> list[EpochRecord]:
        return self.trainer.history

    # ------------------------------------------------------------------------- results
    def _memo(self, name: str, compute):
        position = self.position()
        cached = self._results.get(name)
        if cached is None or cached[0] != position:
            cached = self._results[name] = (position, compute())
        return cached[1]

    def measured(self, name: str):
        """A result ("evaluation", "robustness", ...) already computed for the current weights,
        else None: for a caller that must not spend seconds computing it (the run history)."""
        cached = self._results.get(name)
        return cached[1] if cached is not None and cached[0] == self.position() else None

    def evaluate(self) -> Evaluation:
        """Test-set results for the current weights."""
        ds = self.dataset
        return self._memo(
            "evaluation", lambda: evaluate_network(self.network, ds.X_test, ds.y_test, ds.class_names)
        )

    def robustness(self) -> RobustnessProbe:
        ds = self.dataset
        return self._memo(
            "robustness", lambda: robustness_probe(self.network, ds.X_test, ds.y_test, seed=self.config.seed)
        )

    def pca(self, layer: int = 1) -> PCAMap:
        ds = self.dataset
        return self._memo(
            f"pca{layer}",
            lambda: hidden_layer_pca(self.network, ds.X_test, ds.y_test, layer, seed=self.config.seed),
        )

    @property
    def n_hidden_layers(self) -> int:
        return len(self.network.layers) - 1

    def first_layer_weights(self, max_units: int = 32) -> np.ndarray:
        return first_layer_weight_images(self.network, self.dataset.image_shape, max_units)

    def saved_model(self) -> SavedModel:
        """The trained network as a SavedModel (an independent copy: training on does not change
        it), with where it came from, for the download button and the Draw page."""
        evaluation = self.evaluate()
        config = self.config
        return SavedModel(
            network=self.network.copy(),
            class_names=list(self.dataset.class_names),
            input_shape=list(self.dataset.image_shape),
            input_scale=PIXEL_SCALE,
            provenance={
                "dataset": self.dataset.name,
                "source": self.dataset.source,
                "n_train": int(self.n_train),
                "n_val": int(self.n_val),
                "epochs": int(self.epoch),
                "seed": config.seed,
                "augment": config.augment,
                "optimizer": config.optimizer,
                "learning_rate": config.learning_rate,
                "batch_size": config.batch_size,
                "test_accuracy": round(evaluation.accuracy, 5),
                "n_test": int(evaluation.n),
                "trained_with": "Neural Playground MNIST page",
            },
        )


def run_to_train(
    current: ImageTrainingRun | None, dataset: ImageDataset, config: TrainingConfig
) -> ImageTrainingRun:
    """The run that pressing Train (or Resume) should train: the current one if it has begun
    (Resume), else a new run with `config` (a run that has not trained yet simply takes the
    latest settings)."""
    if current is None or (not current.started and current.config != config):
        return ImageTrainingRun(dataset, config)
    return current


def decimate(points, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep every k-th of a list of (x, y) pairs (always the last one) so a chart gets at most
    max_points; a browser draws 500 points as fast as 5,000 look, and far faster."""
    if not points:
        return np.zeros(0), np.zeros(0)
    array = np.asarray(points, dtype=np.float64)
    step = max(1, math.ceil(len(array) / max_points))
    index = np.arange(len(array) - 1, -1, -step)[::-1]
    return array[index, 0], array[index, 1]
