"""core/runs: the bounded history, the differences between runs, CSV and JSON (round trip and
refusals), on records built here by hand."""

import csv
import io
import json
import math

import pytest

from core.runs import RunFileError, RunHistory, RunRecord, differences, from_json, to_csv, to_json


def record(lr=0.03, layers="8, 8", test_loss=(0.7, 0.5, 0.4), page="playground", **extra_config):
    curves = {
        "epoch": [0.0, 1.0, 2.0],
        "train_loss": [0.69, 0.5, 0.3],
        "test_loss": list(test_loss),
        "train_metric": [0.5, 0.8, 0.9],
        "test_metric": [0.5, 0.75, 0.85],
    }
    config = {"learning rate": lr, "layers": layers, "classes": None, **extra_config}
    return RunRecord("", page, config, curves, {"test loss": test_loss[-1]}, restore={"lr": str(lr)})


def test_the_history_keeps_the_last_ten_and_numbering_continues():
    history = RunHistory()
    for i in range(11):
        history.add(record(lr=0.001 * (i + 1)))
    assert len(history) == 10
    assert [r.label for r in history.records] == [f"Run {i}" for i in range(2, 12)]
    assert history.records[0].config["learning rate"] == pytest.approx(0.002)  # Run 1 (0.001) dropped
    assert history.next_label() == "Run 12"
    assert history.find("Run 5").config["learning rate"] == pytest.approx(0.005)
    assert history.find("Run 1") is None
    with pytest.raises(ValueError):
        RunHistory(capacity=9)


def test_differences_are_the_settings_not_equal_in_every_run():
    a, b = record(lr=0.03), record(lr=0.1)
    assert differences([a, b]) == ["learning rate"]
    assert differences([a, record(lr=0.03)]) == []
    c = record(lr=0.03, layers="8", dropout=0.2)  # a key one run has and the others lack differs
    assert differences([a, b, c]) == ["learning rate", "layers", "dropout"]
    assert differences([a]) == []


def test_csv_has_one_row_per_run_with_its_settings_and_scores():
    history = RunHistory()
    for lr in (0.03, 0.1):
        history.add(record(lr=lr, test_loss=(0.7, 0.5, lr * 3)))
    rows = list(csv.DictReader(io.StringIO(to_csv(history.records))))
    assert [r["label"] for r in rows] == ["Run 1", "Run 2"]
    assert [float(r["config.learning rate"]) for r in rows] == [0.03, 0.1]
    assert [float(r["final.test loss"]) for r in rows] == pytest.approx([0.09, 0.3])
    assert rows[0]["config.classes"] == ""  # None is an empty cell


def test_json_round_trip_keeps_everything_and_nan_becomes_null():
    history = RunHistory()
    history.add(record(test_loss=(math.nan, 0.5, 0.4)))
    first = history.records[0]
    text = to_json(history.records)
    assert json.loads(text)["runs"][0]["curves"]["test_loss"][0] is None  # valid JSON: no NaN
    (back,) = from_json(text)
    assert back.label == "Run 1" and back.config == first.config and back.restore == {"lr": "0.03"}
    assert math.isnan(back.curves["test_loss"][0]) and back.curves["test_loss"][1:] == [0.5, 0.4]
    assert back.final == first.final


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(format="other"), "not a Neural Playground runs file"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d["runs"][0]["curves"].pop("epoch"), "curves must have exactly"),
        (lambda d: d["runs"][0]["curves"]["epoch"].append(3), "different lengths"),
        (lambda d: d["runs"][0]["curves"]["train_loss"].__setitem__(0, "x"), "only numbers"),
        (lambda d: d["runs"][0]["config"].update(layers=[8, 8]), "plain values"),
        (lambda d: d["runs"][0].update(label="x" * 101), "short texts"),
        (lambda d: d["runs"][0].update(restore={"lr": 3}), "restore must map names to texts"),
    ],
)
def test_a_forged_runs_file_is_refused_with_one_message(mutate, message):
    data = json.loads(to_json([record()]))
    mutate(data)
    with pytest.raises(RunFileError, match=message):
        from_json(json.dumps(data))
    with pytest.raises(RunFileError, match="not a JSON file"):
        from_json("{not json")
