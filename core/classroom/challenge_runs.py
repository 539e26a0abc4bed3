"""A challenge's runs: starting one from a student's configuration, and measuring one on the
challenge's own held-out test set.

The test set is rebuilt here from the challenge (its locked data set, noise and seed for the
Playground; the 8×8 digits split with the MNIST page's seed), never taken from what a browser
sends. A run is measured only if it trained on that challenge's data with its locks in place:
otherwise `ChallengeRunError` says why. Everything else comes from the run's own network and
trainer (parameters, epochs, hidden layers, hyperparameters in use).
"""

from __future__ import annotations

import math

import numpy as np

from core.classroom.challenges import Challenge
from core.data import Dataset2D, expand_features
from core.data.image_sets import ImageDataset
from core.mnist.datasets import load_image_data
from core.mnist.pixels import flatten_images
from core.mnist.run import ImageTrainingRun
from core.playground.build import make_data
from core.playground.session import PlaygroundSession
from core.playground.symmetry import identical_layers

IMAGE_DATA_SEED = 0  # the seed the MNIST page loads its data sets with (load_image_data's default)


class ChallengeRunError(ValueError):
    """The run cannot be scored for this challenge; the message says why, in a sentence."""


# ----------------------------------------------------------------------------- the data
def playground_data(challenge: Challenge, config=None) -> Dataset2D:
    """The challenge's data set (training and held-out test points), built from its locked config."""
    config = challenge.locked(challenge.base if config is None else config)
    if config.dataset in ("csv", "points"):
        raise ChallengeRunError(
            "a challenge needs a generated data set: uploads and clicked points have no test set"
        )
    return make_data(config)


def image_data(challenge: Challenge) -> ImageDataset:
    """The challenge's image data set, split as the MNIST page splits it."""
    return load_image_data(challenge.image_dataset, seed=IMAGE_DATA_SEED)


# ----------------------------------------------------------------------------- starting a run
def start_playground_run(challenge: Challenge, config=None) -> PlaygroundSession:
    """A Playground session for this challenge: `config` (default: the base) locked first."""
    _need_page(challenge, "playground")
    config = challenge.locked(challenge.base if config is None else config)
    return PlaygroundSession(config, playground_data(challenge, config))


def start_image_run(
    challenge: Challenge, config=None, dataset: ImageDataset | None = None
) -> ImageTrainingRun:
    """An MNIST-page run for this challenge; `dataset` (the page's loaded copy) must be the challenge's."""
    _need_page(challenge, "mnist")
    config = challenge.locked(challenge.base if config is None else config)
    if dataset is None:
        dataset = image_data(challenge)
    else:
        _same_images(dataset, image_data(challenge), challenge)
    return ImageTrainingRun(dataset, config)


def _need_page(challenge: Challenge, page: str) -> None:
    if challenge.page != page:
        raise ChallengeRunError(
            f"challenge {challenge.key!r} is a {challenge.page} challenge, not a {page} one"
        )


# ----------------------------------------------------------------------------- measuring
def run_size(run) -> tuple[int, int]:
    """(parameters, epochs) of any run, read from its network and trainer."""
    network, trainer = getattr(run, "network", None), getattr(run, "trainer", None)
    parameters = int(getattr(network, "n_params", 0))
    return parameters, int(getattr(trainer, "epoch", 0))


def measure(challenge: Challenge, run) -> dict[str, float]:
    """Every metric of `run` the challenge can ask for (NaN where one does not apply). Raises
    ChallengeRunError when the run is not this challenge's (another page, tampered locks,
    other data)."""
    if challenge.page == "playground":
        if not isinstance(run, PlaygroundSession):
            raise ChallengeRunError("a Playground challenge is checked on a Playground session")
        return _measure_session(challenge, run)
    if not isinstance(run, ImageTrainingRun):
        raise ChallengeRunError("an MNIST challenge is checked on a run of the MNIST page")
    return _measure_image_run(challenge, run)


def _check_locks(challenge: Challenge, config) -> None:
    tampered = challenge.tampered_fields(config)
    if tampered:
        raise ChallengeRunError(
            f"this run changed locked settings ({', '.join(tampered)}); the challenge's link puts them "
            "back: reset and train again with only what the challenge lets you change"
        )


def _measure_session(challenge: Challenge, run: PlaygroundSession) -> dict[str, float]:
    _check_locks(challenge, run.config)
    if run.data_token is not None:
        raise ChallengeRunError("this run trains on an uploaded file, not on the challenge's data")
    data = playground_data(challenge, run.config)
    # The session must have trained on exactly the challenge's training points: then its test
    # points, rebuilt here, were never trained on.
    if not (
        np.array_equal(run.dataset.X_train, data.X_train)
        and np.array_equal(run.dataset.y_train, data.y_train)
    ):
        raise ChallengeRunError("this run trained on other points than the challenge's data set")
    network, trainer = run.network, run.trainer
    features = run.config.features
    if network.layer_sizes[0] != len(features):
        raise ChallengeRunError("this run's network does not read the features of its configuration")
    with np.errstate(over="ignore", invalid="ignore"):
        test_loss, test_metric = trainer.evaluate(expand_features(data.X_test, features), data.y_test)
        train_loss, train_metric = trainer.evaluate(run.X_fit, run.y_fit)
    regression = data.task == "regression"
    hp = trainer.hp
    return {
        **_common(network, trainer, test_loss, train_loss),
        "test_accuracy": math.nan if regression else float(test_metric),
        "test_r2": float(test_metric) if regression else math.nan,
        "train_accuracy": math.nan if regression else float(train_metric),
        "regularization": float(hp.l1 + hp.l2 + hp.dropout),
        "diverged": float(run.diverged),
        "identical_layers": float(len(identical_layers(network))),
    }


def _measure_image_run(challenge: Challenge, run: ImageTrainingRun) -> dict[str, float]:
    _check_locks(challenge, run.config)
    data = image_data(challenge)
    _same_images(run.dataset, data, challenge)
    network, trainer = run.network, run.trainer
    with np.errstate(over="ignore", invalid="ignore"):
        test_loss, test_accuracy = trainer.evaluate(flatten_images(data.X_test), data.y_test)
        train_loss, train_accuracy = trainer.evaluate(trainer.X_train, trainer.y_train)
    return {
        **_common(network, trainer, test_loss, train_loss),
        "test_accuracy": float(test_accuracy),
        "test_r2": math.nan,
        "train_accuracy": float(train_accuracy),
        "regularization": math.nan,
        "diverged": float(trainer.stopped and trainer.stop_kind == "diverged"),
        "identical_layers": math.nan,
    }


def _common(network, trainer, test_loss: float, train_loss: float) -> dict[str, float]:
    hidden = network.layer_sizes[1:-1]
    return {
        "test_loss": float(test_loss),
        "train_loss": float(train_loss),
        "parameters": float(network.n_params),
        "epochs": float(trainer.epoch),
        "hidden_layers": float(len(hidden)),
        "hidden_neurons": float(sum(hidden)),
        "learning_rate": float(trainer.hp.learning_rate),
    }


def _same_images(dataset: ImageDataset, expected: ImageDataset, challenge: Challenge) -> None:
    """The run's images must be the challenge's split: otherwise its training images may hold
    the challenge's test images."""
    same = (
        dataset.name == expected.name
        and np.array_equal(dataset.y_test, expected.y_test)
        and np.array_equal(dataset.X_test, expected.X_test)
    )
    if not same:
        raise ChallengeRunError(
            f"challenge {challenge.key!r} is checked on the {expected.name} data set as the MNIST page "
            f"loads it (seed {IMAGE_DATA_SEED}); this run trained on {dataset.name!r} split another way"
        )
