"""An MNIST-page run as a `RunRecord` (core/runs) for the run history, and back to its settings.

Kept: the settings, the per-epoch loss and accuracy on the training images and the validation
split, the test accuracy, and the robustness curves when they were measured for the final weights
(the probe takes seconds: the history never runs it by itself).
"""

from __future__ import annotations

import math
from dataclasses import asdict

from core.mnist.config import TrainingConfig
from core.mnist.run import ImageTrainingRun
from core.runs import RunRecord

PAGE = "mnist"


def _number(value) -> float:
    return float(value) if value is not None and math.isfinite(value) else math.nan


def config_values(config: TrainingConfig, dataset_name: str) -> dict:
    """The settings, by name, as plain values (layers as one text: "128, 64")."""
    values = {"data set": dataset_name, **asdict(config)}
    values["hidden_layers"] = ", ".join(map(str, config.hidden_layers)) or "none"
    return {name.replace("_", " "): value for name, value in values.items()}


def record_of(run: ImageTrainingRun | None, label: str = "") -> RunRecord | None:
    """What `run` trained; None for no run or one that has not finished an epoch yet."""
    if run is None or not run.history:
        return None
    history = run.history
    curves = {
        "epoch": [float(r.epoch) for r in history],
        "train_loss": [_number(r.train_loss) for r in history],
        "test_loss": [_number(r.val_loss) for r in history],  # the validation split
        "train_metric": [_number(r.train_metric) for r in history],
        "test_metric": [_number(r.val_metric) for r in history],
    }
    last = history[-1]
    final = {
        "epochs trained": float(last.epoch),
        "train loss": _number(last.train_loss),
        "validation loss": _number(last.val_loss),
        "train accuracy": _number(last.train_metric),
        "validation accuracy": _number(last.val_metric),
    }
    evaluation = run.measured("evaluation")
    if evaluation is not None:
        final["test accuracy"] = _number(evaluation.accuracy)
    extra = {}
    probe = run.measured("robustness")
    if probe is not None:
        extra = {
            "robustness_noise": [float(v) for v in probe.noise_levels],
            "robustness_noise_accuracy": [float(v) for v in probe.noise_accuracy],
            "robustness_angle": [float(v) for v in probe.angles],
            "robustness_angle_accuracy": [float(v) for v in probe.rotation_accuracy],
        }
    restore = {name: str(value) for name, value in asdict(run.config).items() if name != "hidden_layers"}
    restore["hidden_layers"] = ",".join(map(str, run.config.hidden_layers))
    config = config_values(run.config, run.dataset.name)
    return RunRecord(label, PAGE, config, curves, final, extra, restore)


def restored_config(record: RunRecord) -> TrainingConfig:
    """The settings of a kept run (ValueError / ImageTrainingError if its texts were forged)."""
    r = record.restore
    layers = tuple(int(v) for v in r.get("hidden_layers", "").split(",") if v.strip())
    return TrainingConfig(
        hidden_layers=layers,
        activation=r["activation"],
        optimizer=r["optimizer"],
        learning_rate=float(r["learning_rate"]),
        batch_size=int(r["batch_size"]),
        epochs=int(r["epochs"]),
        augment=r["augment"] == "True",
        n_train=int(r["n_train"]),
        seed=int(r["seed"]),
    )
