"""The command line's arguments: every flag with its help text and its valid range (a value
outside it is argparse's one-line error, exit code 2, before anything runs)."""

from __future__ import annotations

import argparse

from core.data import parse_layer_sizes
from core.data.two_d import DATASETS, N_SAMPLES_MAX, N_SAMPLES_MIN, NOISE_MAX
from core.engine.activations import ACTIVATIONS
from core.engine.architecture import MAX_LAYER_WIDTH
from core.engine.initializers import INITIALIZERS
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import SCHEDULES
from core.mnist.datasets import IMAGE_DATASETS


def _layers(text: str) -> list[int]:
    """--layers: hidden sizes in any spelling the app accepts ("256,128", "256 128", "none")."""
    try:
        sizes = parse_layer_sizes(text, max_width=MAX_LAYER_WIDTH, what="hidden layer", example="128,64")
    except ValueError as error:  # argparse prints an ArgumentTypeError's own message, and exits 2
        raise argparse.ArgumentTypeError(str(error)) from None
    return list(sizes)


def _ranged(kind, low, high):
    """An argparse type: a number of `kind` in [low, high], else argparse's one-line error (exit 2)."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not low <= value <= high:  # NaN fails both comparisons
            raise argparse.ArgumentTypeError(f"{text} is outside [{low:g}, {high:g}]")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="Neural Playground engine")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train a network and save it")
    train.add_argument(
        "--dataset", default="mnist", choices=[*IMAGE_DATASETS, *DATASETS], help="the data set to learn"
    )
    train.add_argument("--data-dir", help="folder with IDX files (else downloaded to the cache)")
    train.add_argument(
        "--samples",
        type=_ranged(int, N_SAMPLES_MIN, N_SAMPLES_MAX),
        default=1000,
        help="2-D data sets: sample count",
    )
    train.add_argument("--noise", type=_ranged(float, 0, NOISE_MAX), default=0.2, help="2-D data sets: noise")
    train.add_argument(
        "--layers", type=_layers, default=[128], help="hidden sizes, e.g. 256,128 (none: no hidden layer)"
    )
    train.add_argument(
        "--activation", default="relu", choices=sorted(ACTIVATIONS), help="hidden layers' activation"
    )
    train.add_argument(
        "--init", default="he", choices=sorted(INITIALIZERS), help="how the first weights are drawn"
    )
    train.add_argument("--optimizer", default="adam", choices=sorted(OPTIMIZERS), help="the update rule")
    train.add_argument("--lr", type=_ranged(float, 1e-6, 10), default=0.001, help="learning rate, 1e-6 to 10")
    train.add_argument(
        "--schedule", default="constant", choices=sorted(SCHEDULES), help="how the learning rate changes"
    )
    train.add_argument(
        "--epochs", type=_ranged(int, 1, 10_000), default=10, help="passes over the data, 1 to 10000"
    )
    train.add_argument(
        "--batch-size", type=_ranged(int, 1, 65_536), default=128, help="samples per update, 1 to 65536"
    )
    train.add_argument(
        "--l2", type=_ranged(float, 0, 10), default=0.0, help="L2 penalty (weight decay), 0 to 10"
    )
    train.add_argument("--dropout", type=_ranged(float, 0, 0.9), default=0.0, help="dropout rate, 0 to 0.9")
    train.add_argument(
        "--val-fraction",
        type=_ranged(float, 0, 0.5),
        default=0.1,
        help="share of the training set held out for validation, 0 to 0.5",
    )
    train.add_argument(
        "--patience", type=_ranged(int, 0, 10_000), default=0, help="early stopping patience (0 = off)"
    )
    train.add_argument(
        "--augment",
        action="store_true",
        help="random shifts, rotations, zoom and stroke thickness every epoch",
    )
    train.add_argument(
        "--seed", type=_ranged(int, 0, 2**31 - 1), default=0, help="random seed (data and weights)"
    )
    train.add_argument("--output", help="where to save the model (.npz)")
    evaluate = sub.add_parser("evaluate", help="accuracy of a saved model on IDX files")
    evaluate.add_argument("--model", required=True, help="a model file (.npz) saved by train")
    evaluate.add_argument(
        "--data-dir", required=True, help="folder with t10k-* test IDX files (train-* files: warned)"
    )
    predict = sub.add_parser("predict", help="classify PNG/JPEG digit images")
    predict.add_argument("--model", required=True, help="a 28x28 image model file (.npz)")
    predict.add_argument("images", nargs="+", help="PNG or JPEG files")
    return parser
