"""Turning a column of label values into a task: classification or regression.

Rule (shared by CSV upload and click-to-add points): if every label is a whole number
(1, -1, 7.0 ...) the task is classification, the distinct values become classes 0..k-1 in
increasing order and keep their original value as the class name ("-1", "1"). Otherwise the
column is a regression target. `task` can force either reading.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.data.errors import DataError
from core.data.validation import check_choice

MIN_CLASSES = 2
MAX_CLASSES = 10
MIN_PER_CLASS = 2
LABEL_TASKS = ("auto", "classification", "regression")


def encode_labels(
    values: np.ndarray,
    task: str | None = "auto",
    position: Callable[[int], str] = lambda i: f"sample {i + 1}",
):
    """Return (task, y, class_names) for finite float `values`.

    task is "binary", "multiclass" or "regression"; y is int64 classes 0..k-1 (classification)
    or float32 targets (regression); class_names is a tuple of str (empty for regression).
    Every class needs at least 2 samples, so that it can appear in both training and test sets.
    `position(i)` names sample i in error messages (e.g. "line 12").
    """
    task = check_choice("task", "auto" if task is None else task, LABEL_TASKS)
    values = np.asarray(values, dtype=np.float64)
    is_whole = values == np.round(values)
    if task == "auto":
        task = "classification" if is_whole.all() else "regression"
    if task == "regression":
        return "regression", values.astype(np.float32), ()

    if not is_whole.all():
        i = int(np.argmin(is_whole))
        raise DataError(
            f"{position(i)}: label {values[i]:g} is not a whole number; class labels must be "
            "whole numbers such as 0, 1, 2 (use task='regression' for a numeric target)."
        )
    classes, y = np.unique(values, return_inverse=True)
    if len(classes) < MIN_CLASSES:
        raise DataError(
            f"found only 1 class (label {classes[0]:g}); classification needs at least "
            f"{MIN_CLASSES} different labels."
        )
    if len(classes) > MAX_CLASSES:
        raise DataError(
            f"found {len(classes)} different labels; at most {MAX_CLASSES} classes are "
            "supported (if the column is a numeric target, use task='regression')."
        )
    class_names = tuple(str(int(c)) for c in classes)
    counts = np.bincount(y, minlength=len(classes))
    if counts.min() < MIN_PER_CLASS:
        raise DataError(
            f"class {class_names[np.argmin(counts)]!r} has only {counts.min()} sample; every class "
            f"needs at least {MIN_PER_CLASS} (one for training, one for testing)."
        )
    return ("binary" if len(classes) == 2 else "multiclass"), y.astype(np.int64), class_names
