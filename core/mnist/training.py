"""Training and inspecting a network on image data (MNIST, Fashion-MNIST, scikit-learn's 8x8 digits).

Everything the MNIST page does that is not a widget lives here, so it can be tested without a
browser and read on its own:

* loading the data (download into the cache, a local IDX folder, or the offline 8x8 digits);
* `ImageTrainingRun`: a `Trainer` fed flattened images, driven in time-budgeted steps, with fresh
  random distortions (augmentation) of the training images for every epoch;
* evaluation after training: test accuracy, confusion matrix, per-class accuracy, the
  misclassified test images, a robustness probe (accuracy as noise and rotation grow), a 2-D PCA
  map of a hidden layer, and the first layer's weights seen as images.

Images stay uint8 (0..255) until the moment they are fed to the network, which sees
pixel / 255 in [0, 1] (the same scaling the saved model records as `input_scale`).
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.data.download import CACHE_ENV_VAR, IDX_FILES, download_dataset
from core.data.errors import DataError
from core.data.image_sets import ImageDataset, load_digits_8x8
from core.data.mnist import load_mnist
from core.data.split import split_indices
from core.engine.activations import ACTIVATIONS
from core.engine.model_io import SavedModel
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS
from core.engine.trainer import EpochRecord, Trainer
from core.vision.augment import add_noise, augment_batch, rotate_batch

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_MNIST_5K = REPO_ROOT.parent / "shared" / "data" / "mnist-5k"

DATASETS = {  # name -> what the learner reads in the selector
    "mnist": "MNIST (handwritten digits)",
    "fashion-mnist": "Fashion-MNIST (clothing)",
    "digits-8x8": "8×8 digits (scikit-learn, offline)",
}
DOWNLOADABLE = ("mnist", "fashion-mnist")

PIXEL_SCALE = 1.0 / 255.0  # network input = uint8 pixel / 255
MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_WIDTH = 1024  # wider layers would make one user's training slow down everyone's
MAX_EPOCHS = 100
VALIDATION_FRACTION = 0.1  # of the training images, held out to draw the validation curve
# Augmentation of the *next* epoch's images is prepared a little ahead of the current epoch's
# progress, so the swap at the epoch boundary never has to distort a whole data set at once.
AUGMENT_LOOKAHEAD = 0.1
AUGMENT_CHUNK = 1_000  # images distorted per call (about 40 ms for 28x28)
GALLERY_SIZE = 24
PROBE_IMAGES = 1_000
PROBE_NOISE_LEVELS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
PROBE_ANGLES = (0, 10, 20, 30, 45, 60, 90)
PCA_POINTS = 2_000


class ImageTrainingError(ValueError):
    """A setting or a data set the image trainer cannot use; the message says why."""


# ----------------------------------------------------------------------------- data
def default_local_folder() -> str:
    """A sensible folder to suggest: the shared 5,000-image MNIST subset if this checkout has it,
    else the MNIST folder inside $NEURAL_PLAYGROUND_DATA (where downloads are cached), else ""."""
    if SHARED_MNIST_5K.is_dir():
        return str(SHARED_MNIST_5K)
    cache = os.environ.get(CACHE_ENV_VAR)
    return str(Path(cache).expanduser() / "mnist") if cache else ""


def resolve_folder(text: str) -> Path:
    """A folder typed by the user; relative paths are taken from the repository root (where the
    app is started), so "../shared/data/mnist-5k" means the same thing from any working directory."""
    text = (text or "").strip()
    if not text:
        raise DataError(
            "type the path of a folder holding the IDX files "
            "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], ...)."
        )
    path = Path(text).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def load_image_data(name: str, folder=None, seed: int = 0) -> ImageDataset:
    """The data set `name` ("mnist", "fashion-mnist" or "digits-8x8") as uint8 images.

    MNIST-style sets are read from `folder` (IDX files, plain or .gz); download them first with
    `download_image_data`. The 8x8 digits ship with scikit-learn and need no folder.
    """
    if name not in DATASETS:
        raise ImageTrainingError(f"data set must be one of {list(DATASETS)}; got {name!r}")
    if name == "digits-8x8":
        return load_digits_8x8(seed=seed)
    if folder is None:
        raise ImageTrainingError(f"{DATASETS[name]} needs a folder with its IDX files")
    return load_mnist(name, data_dir=resolve_folder(str(folder)), seed=seed)


def download_image_data(name: str, progress=None) -> Path:
    """Download (or find already cached and verified) the IDX files of "mnist" or "fashion-mnist"
    into the default cache folder; returns that folder. progress(fraction, text) is called now
    and then with the overall fraction done (0..1) and a sentence for a progress bar."""
    if name not in DOWNLOADABLE:
        raise ImageTrainingError(f"only {list(DOWNLOADABLE)} can be downloaded; got {name!r}")
    return download_dataset(name, progress=DownloadProgress(progress) if progress else None)


class DownloadProgress:
    """Turns the downloader's per-file callback (filename, bytes done, bytes total) into one
    overall fraction for a progress bar. It reports only when the bar would visibly move (every
    whole percent): the downloader calls back for every 64 kB, far more often than a page can
    redraw."""

    def __init__(self, report):
        self.report = report
        self._last_percent = -1

    def __call__(self, filename: str, done: int, total: int | None) -> None:
        index = IDX_FILES.index(filename) if filename in IDX_FILES else 0
        part = min(done / total, 1.0) if total else 0.0
        fraction = (index + part) / len(IDX_FILES)
        percent = int(fraction * 100)
        if percent == self._last_percent:
            return
        self._last_percent = percent
        size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        self.report(fraction, f"Downloading {filename} (file {index + 1} of {len(IDX_FILES)}): {size}")


# ----------------------------------------------------------------------------- settings
def parse_hidden_layers(text: str) -> list[int]:
    """ "128" or "256, 128" -> [256, 128]; "" or "none" -> [] (a linear softmax classifier)."""
    text = (text or "").strip().lower()
    if text in ("", "none", "0"):
        return []
    try:
        sizes = [int(part) for part in text.replace(" ", "").split(",")]
    except ValueError:
        raise ImageTrainingError(
            f"hidden layers must be whole numbers separated by commas, e.g. 128 or 256,128; got {text!r}"
        ) from None
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ImageTrainingError(f"at most {MAX_HIDDEN_LAYERS} hidden layers; got {len(sizes)}")
    for size in sizes:
        if not 1 <= size <= MAX_HIDDEN_WIDTH:
            raise ImageTrainingError(f"each hidden layer needs 1 to {MAX_HIDDEN_WIDTH} neurons; got {size}")
    return sizes


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
        if self.n_train < 20:
            raise ImageTrainingError(f"use at least 20 training images; got {self.n_train}")


# ----------------------------------------------------------------------------- training
def _flatten(images: np.ndarray) -> np.ndarray:
    """(n, H, W) uint8 or float in [0, 1] -> (n, H*W) float32 network inputs in [0, 1]."""
    flat = images.reshape(images.shape[0], -1)
    if flat.dtype == np.uint8:
        return flat.astype(np.float32) * np.float32(PIXEL_SCALE)
    return flat.astype(np.float32, copy=False)


class ImageTrainingRun:
    """One training run on an image data set, driven by the page in short time-budgeted steps.

    The training images are a seeded subset of `config.n_train` images; 10 % of them (stratified
    by class) are held out for the validation curve, and the data set's test images are only
    looked at by `evaluate`. With `config.augment`, the first epoch sees the original images and
    every later epoch a fresh randomly distorted copy of them (small shifts, rotations, zooms,
    thicker or thinner strokes: core/vision/augment.py).
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
        try:
            train_index, val_index = split_indices(labels, VALIDATION_FRACTION, rng, stratify=True)
        except DataError:  # a class with a single image: train on everything, no validation
            train_index, val_index = np.arange(n), np.arange(0)
        self.train_images = images[train_index]  # uint8, kept for augmentation
        self.train_labels = labels[train_index]
        val_images, val_labels = images[val_index], labels[val_index]

        sizes = [int(np.prod(dataset.image_shape)), *config.hidden_layers, dataset.n_classes]
        self.network = Network(sizes, config.activation, "softmax_ce", "he", rng=config.seed)
        has_val = val_labels.size > 0
        self.trainer = Trainer(
            self.network,
            _flatten(self.train_images),
            self.train_labels,
            _flatten(val_images) if has_val else None,
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
    def overall_progress(self) -> float:
        """Fraction of all requested epochs done (0..1)."""
        if self.finished:
            return 1.0
        return min((self.trainer.epoch + self.trainer.epoch_progress) / self.config.epochs, 1.0)

    def position(self) -> tuple[int, float]:
        """Where training stands; any step changes it (used to know when results are stale)."""
        return self.trainer.epoch, self.trainer.epoch_progress

    # ------------------------------------------------------------------------- stepping
    def step(self, milliseconds: float = 300.0) -> list[EpochRecord]:
        """Train for about `milliseconds` of wall time (at least one mini-batch) and return the
        epochs completed. Stops by itself after `config.epochs` epochs."""
        deadline = time.perf_counter() + milliseconds / 1000.0
        records: list[EpochRecord] = []
        stepped = False
        while not self.finished:
            if self.config.augment:
                self._prepare_augmentation()
            left_ms = (deadline - time.perf_counter()) * 1000.0
            if stepped and left_ms <= 0:
                break
            # max_epochs=1: come back here after every epoch, so each new epoch can get its own
            # freshly distorted images before it starts.
            records.extend(self.trainer.step_for(max(left_ms, 1.0), max_epochs=1))
            stepped = True
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
    def test_inputs(self) -> np.ndarray:
        return _flatten(self.dataset.X_test)

    def _memo(self, name: str, compute):
        position = self.position()
        cached = self._results.get(name)
        if cached is None or cached[0] != position:
            cached = self._results[name] = (position, compute())
        return cached[1]

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


def decimate(points, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep every k-th of a list of (x, y) pairs (always the last one) so a chart gets at most
    max_points; a browser draws 500 points as fast as 5,000 look, and far faster."""
    if not points:
        return np.zeros(0), np.zeros(0)
    array = np.asarray(points, dtype=np.float64)
    step = max(1, math.ceil(len(array) / max_points))
    index = np.arange(len(array) - 1, -1, -step)[::-1]
    return array[index, 0], array[index, 1]


# ----------------------------------------------------------------------------- evaluation
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
    """Accuracy, loss, confusion matrix, per-class accuracy and the most confident mistakes."""
    labels = np.asarray(labels, np.int64)
    k = len(class_names)
    probabilities = (
        np.concatenate(
            [network.predict_proba(_flatten(images[i : i + batch])) for i in range(0, len(labels), batch)]
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
        return float(np.mean(network.predict(_flatten(batch)) == labels))

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
    activations = network.trace(_flatten(images))[layer - 1].a.astype(np.float64)
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
