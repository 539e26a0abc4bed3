"""Command line for the engine, using the same code paths as the app.

    python -m core train --dataset mnist --data-dir DIR --layers 256,128 --epochs 30 --augment \\
        --output models/mnist.npz
    python -m core evaluate --model models/mnist.npz --data-dir DIR   (last line: one JSON object)
    python -m core predict --model models/mnist.npz digit.png [more.png ...]

Errors are printed as one clear line (exit code 2), never a traceback.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from core.cli_arguments import build_parser
from core.data.split import split_indices
from core.engine.losses import HEAD_FOR_TASK
from core.engine.model_io import SavedModel, load_model, save_model
from core.engine.network import Network
from core.engine.trainer import Trainer
from core.engine.version import __version__
from core.mnist.datasets import IMAGE_DATASETS


def _progress_bar(done: float, total: float, width: int = 30) -> str:
    filled = int(width * min(done / total, 1.0)) if total else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _download_progress(filename, done, total):
    if total:
        print(
            f"\r  {filename:30s} {_progress_bar(done, total)} {done / 1e6:6.1f}/{total / 1e6:.1f} MB",
            end="",
            file=sys.stderr,
            flush=True,
        )
        if done >= total:
            print(file=sys.stderr)


def load_training_data(args):
    """-> dict with train/test arrays, class names, input shape/scale, description."""
    from core import data

    if args.dataset in IMAGE_DATASETS:
        if args.dataset == "digits-8x8":
            ds = data.load_digits_8x8(seed=args.seed)
        else:
            ds = data.load_mnist(
                args.dataset,
                data_dir=args.data_dir,
                download=args.data_dir is None,
                progress=_download_progress,
                seed=args.seed,
            )
        return {
            "images_train": ds.X_train,
            "y_train": ds.y_train,
            "X_test": ds.X_test,
            "y_test": ds.y_test,
            "class_names": list(ds.class_names),
            "input_shape": list(ds.X_train.shape[1:]),
            "scale": 1 / 255,
            "task": "multiclass",
            "source": ds.source,
        }
    ds = data.make_dataset(args.dataset, n_samples=args.samples, noise=args.noise, seed=args.seed)
    return {
        "images_train": None,
        "X_train": ds.X_train,
        "y_train": ds.y_train,
        "X_test": ds.X_test,
        "y_test": ds.y_test,
        "class_names": list(ds.class_names),
        "input_shape": [2],
        "scale": 1.0,
        "task": ds.task,
        "source": f"{args.dataset} ({args.samples} samples)",
    }


def cmd_train(args) -> int:
    started = time.perf_counter()
    loaded = load_training_data(args)
    scale = np.float32(loaded["scale"])
    images = loaded["images_train"]
    X_all = (
        images.reshape(images.shape[0], -1).astype(np.float32) * scale
        if images is not None
        else loaded["X_train"]
    )
    y_all = loaded["y_train"]
    rng = np.random.default_rng(args.seed)
    X_val = y_val = None
    if args.val_fraction > 0 and loaded["task"] != "regression":
        train_idx, val_idx = split_indices(y_all, args.val_fraction, rng, stratify=True)
        X_val, y_val = X_all[val_idx], y_all[val_idx]
        X_all, y_all = X_all[train_idx], y_all[train_idx]
        if images is not None:
            images = images[train_idx]
    task = loaded["task"]
    n_out = len(loaded["class_names"]) if task == "multiclass" else 1
    sizes = [X_all.shape[1], *args.layers, n_out]
    network = Network(sizes, args.activation, HEAD_FOR_TASK[task], args.init, rng=args.seed)
    trainer = Trainer(
        network,
        X_all,
        y_all,
        X_val,
        y_val,
        learning_rate=args.lr,
        optimizer=args.optimizer,
        batch_size=args.batch_size,
        l2=args.l2,
        dropout=args.dropout,
        schedule=args.schedule,
        schedule_options={"period": args.epochs} if args.schedule == "cosine" else {},
        early_stopping=args.patience > 0 and X_val is not None,
        patience=max(args.patience, 1),
        seed=args.seed,
    )
    print(
        f"{network!r}\ntraining on {X_all.shape[0]:,} samples"
        f"{f', validating on {X_val.shape[0]:,}' if X_val is not None else ''}: {loaded['source']}",
        file=sys.stderr,
    )
    augment_rng = np.random.default_rng(args.seed + 1)
    for epoch in range(1, args.epochs + 1):
        if args.augment and images is not None:
            from core.vision.augment import augment_batch

            trainer.replace_training_inputs(augment_batch(images, augment_rng).reshape(images.shape[0], -1))
        records = trainer.train_epochs(1)
        if trainer.stopped:
            print(f"\n{trainer.stop_reason}", file=sys.stderr)
            if not records:
                break
        r = records[-1]
        val = f" val loss {r.val_loss:.4f} val acc {r.val_metric:.4f}" if r.val_loss is not None else ""
        print(
            f"\repoch {epoch:3d}/{args.epochs} {_progress_bar(epoch, args.epochs)} loss "
            f"{r.train_loss:.4f} acc {r.train_metric:.4f}{val}",
            end="",
            file=sys.stderr,
            flush=True,
        )
        if trainer.stopped:
            break
    print(file=sys.stderr)
    test_loss, test_metric = trainer.evaluate(
        loaded["X_test"].reshape(len(loaded["X_test"]), -1).astype(np.float32) * scale, loaded["y_test"]
    )
    metric_name = "R2" if task == "regression" else "accuracy"
    print(
        f"test {metric_name}: {test_metric:.4f} (loss {test_loss:.4f}) on "
        f"{len(loaded['y_test']):,} held-out samples; {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    warning = chance_warning(task, float(test_metric), len(loaded["class_names"]))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    if args.output:
        model = SavedModel(
            network,
            class_names=loaded["class_names"],
            input_shape=loaded["input_shape"],
            input_scale=float(scale),
            provenance={
                "dataset": args.dataset,
                "source": loaded["source"],
                "n_train": int(X_all.shape[0]),
                "n_val": 0 if X_val is None else int(X_val.shape[0]),
                "epochs": trainer.epoch,
                "seed": args.seed,
                f"test_{metric_name.lower()}": round(float(test_metric), 5),
                "n_test": int(len(loaded["y_test"])),
                "augment": args.augment,
                "command": "python -m core " + shlex.join(args.argv),
                "engine_version": __version__,
            },
        )
        save_model(model, args.output)
        print(f"saved {args.output} ({Path(args.output).stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    print(
        json.dumps(
            {
                "test_" + metric_name.lower(): float(test_metric),
                "test_loss": float(test_loss),
                "epochs": trainer.epoch,
            }
        )
    )
    return 0


def chance_warning(task: str, metric: float, n_classes: int) -> str | None:
    """A warning when a classifier ends no better than guessing (1/n_classes)."""
    if task == "regression" or n_classes < 2:
        return None
    chance = 1 / n_classes
    if metric <= chance + 0.05:
        return (
            f"test accuracy {metric:.3f} is no better than chance ({chance:.3f} for {n_classes} classes): "
            "the learning rate may be too high (diverging) or the run too short"
        )
    return None


TRAIN_SPLIT_WARNING = (
    "{folder} has no t10k-* test files: scoring its TRAINING images, which the model may have been "
    "trained on, so the accuracy overstates how well it reads new digits"
)


def evaluation_data(data_dir):
    """(images, labels, split) of the IDX files in data_dir: the t10k (test) pair if present,
    else the train pair."""
    from core.data.idx import read_idx
    from core.data.mnist import find_idx_files

    if not Path(data_dir).is_dir():
        raise ValueError(f"--data-dir {data_dir} is not a folder")
    files = find_idx_files(data_dir)
    for part in ("t10k", "train"):
        images, labels = files[f"{part}-images"], files[f"{part}-labels"]
        if images is not None and labels is not None:
            return read_idx(images), read_idx(labels).astype(np.int64), "test" if part == "t10k" else "train"
    raise ValueError(f"no IDX image/label files in {data_dir} (expected t10k-* or train-* files)")


def evaluate_model(model: SavedModel, images, labels) -> dict:
    predictions = model.network.predict(model.prepare_input(images))
    per_class = {}
    for index, name in enumerate(model.class_names or range(int(labels.max()) + 1)):
        members = labels == index
        if members.any():
            per_class[str(name)] = float(np.mean(predictions[members] == index))
    return {"accuracy": float(np.mean(predictions == labels)), "per_class": per_class, "n": int(labels.size)}


def cmd_evaluate(args) -> int:
    model = load_model(args.model)
    images, labels, split = evaluation_data(args.data_dir)
    if split == "train":
        print(f"warning: {TRAIN_SPLIT_WARNING.format(folder=Path(args.data_dir).name)}", file=sys.stderr)
    expected = int(np.prod(model.input_shape)) if model.input_shape else model.network.n_inputs
    if int(np.prod(images.shape[1:])) != expected:
        raise ValueError(
            f"the model expects inputs of shape {model.input_shape}; the data has {list(images.shape[1:])}"
        )
    print(json.dumps({**evaluate_model(model, images, labels), "split": split}))
    return 0


def cmd_predict(args) -> int:
    from core.vision.digits import preprocess_digit, to_model_input
    from core.vision.uploads import load_image_upload

    model = load_model(args.model)
    if model.input_shape != [28, 28]:
        raise ValueError("predict works with 28x28 image models (e.g. the MNIST model)")
    results = []
    for path in args.images:
        try:
            digit = preprocess_digit(load_image_upload(Path(path).read_bytes()))
        except OSError as error:
            raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
        if digit.is_empty:
            results.append({"image": path, "class": None, "message": "no digit found (empty image)"})
            continue
        probs = model.probabilities(to_model_input(digit.pixels))[0]
        best = int(np.argmax(probs))
        name = model.class_names[best] if model.class_names else str(best)
        results.append(
            {
                "image": path,
                "class": name,
                "confidence": round(float(probs[best]), 4),
                "probabilities": {
                    (model.class_names[i] if model.class_names else str(i)): round(float(p), 4)
                    for i, p in enumerate(probs)
                },
            }
        )
        print(f"{path}: {name} ({probs[best]:.1%})")
    print(json.dumps(results, allow_nan=False))
    return 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    commands = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict}
    try:
        return commands[args.command](args)
    except ValueError as error:  # every user-facing error in core is a ValueError subclass
        print(f"\nerror: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
