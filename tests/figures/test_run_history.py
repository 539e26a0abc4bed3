"""The run-history figures: one line per run and curve, with the records' own values."""

import math

import pytest

from core.figures import run_history as figures
from core.runs import RunRecord


def record(label, offset, task="binary", robustness=False):
    curves = {
        "epoch": [0.0, 1.0, 2.0],
        "train_loss": [0.7 - offset, 0.5 - offset, 0.3 - offset],
        "test_loss": [math.nan, 0.55, 0.45],
        "train_metric": [0.5, 0.8, 0.9],
        "test_metric": [0.5, 0.7, 0.8],
    }
    extra = {}
    if robustness:
        extra = {
            "robustness_noise": [0.0, 0.5],
            "robustness_noise_accuracy": [0.9 - offset, 0.4],
            "robustness_angle": [0.0, 30.0],
            "robustness_angle_accuracy": [0.9, 0.6],
        }
    return RunRecord(label, "x", {"task": task}, curves, {}, extra)


def test_each_run_has_a_train_and_a_dashed_held_out_line_in_both_panels():
    figure = figures.runs_curves_figure([record("Run 1", 0.0), record("Run 2", 0.1)], held_out="validation")
    assert len(figure.data) == 8  # 2 runs x (train, held-out) x (loss, metric)
    names = [t.name for t in figure.data]
    assert names.count("Run 2 validation") == 2 and names.count("Run 1 train") == 2
    run2_train_loss = next(t for t in figure.data if t.name == "Run 2 train" and t.xaxis == "x")
    assert list(run2_train_loss.y) == pytest.approx([0.6, 0.4, 0.2])
    held_out = next(t for t in figure.data if t.name == "Run 1 validation" and t.xaxis == "x")
    assert held_out.y[0] is None and held_out.line.dash == "dash"  # NaN drawn as a gap
    colours = {t.name.split()[1]: t.line.color for t in figure.data}
    assert colours["1"] != colours["2"]
    assert figure.layout.annotations[1].text == "accuracy"


def test_the_metric_axis_says_what_it_shows():
    assert figures.metric_label([record("a", 0, "regression")]) == "R²"
    assert figures.metric_label([record("a", 0, "regression"), record("b", 0)]) == "accuracy or R²"


def test_robustness_overlay_draws_only_runs_that_measured_it():
    runs = [record("Run 1", 0.0, robustness=True), record("Run 2", 0.1)]
    runs.append(record("Run 3", 0.2, robustness=True))
    figure = figures.runs_robustness_figure(runs)
    assert sorted({t.name for t in figure.data}) == ["Run 1", "Run 3"]
    noise3 = next(t for t in figure.data if t.name == "Run 3" and t.xaxis == "x")
    assert list(noise3.y) == [0.7, 0.4]
