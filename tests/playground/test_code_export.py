"""The exported Python file really is the Playground's network: run in a subprocess, it gives the
same outputs to 1e-6; the CSV reads back into the Playground; the model file loads and predicts the same."""

import ast
import datetime
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from core.data import expand_features, make_dataset
from core.data.csv_upload import parse_csv
from core.engine.model_io import load_model, model_file_name, score_tag
from core.playground import DEFAULT, PlaygroundSession, code_export

CASES = {
    "moons-relu": replace(DEFAULT, hidden=(8, 8), activations=("relu", "relu")),
    "moons-tanh-features": replace(
        DEFAULT,
        features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
        hidden=(6,),
        activations=("tanh",),
    ),
    "circles-sigmoid": replace(
        DEFAULT, dataset="circles", hidden=(5, 4), activations=("sigmoid", "leaky_relu")
    ),
    "blobs-softmax": replace(DEFAULT, dataset="blobs", hidden=(6,), activations=("relu",), optimizer="adam"),
    "plane-regression": replace(
        DEFAULT, dataset="plane", hidden=(4,), activations=("tanh",), learning_rate=0.01
    ),
    "xor-no-hidden": replace(
        DEFAULT, dataset="xor", features=("x1", "x2", "x1*x2"), hidden=(), activations=()
    ),
}


def trained(config) -> PlaygroundSession:
    dataset = make_dataset(config.dataset, config.n_samples, config.noise, config.seed)
    session = PlaygroundSession(config, dataset)
    session.train_epochs(15)
    return session


def run_exported(source: str, points: np.ndarray, tmp_path) -> np.ndarray:
    script = tmp_path / "network.py"
    script.write_text(source)
    data = tmp_path / "points.csv"
    data.write_text("x1,x2\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in points))
    result = subprocess.run(
        [sys.executable, str(script), str(data)], capture_output=True, text=True, timeout=60, check=True
    )
    rows = [line.split(",") for line in result.stdout.strip().splitlines()]
    return np.array(rows, dtype=np.float64)


@pytest.mark.parametrize("name", list(CASES))
def test_the_exported_file_reproduces_the_network_to_1e_6(name, tmp_path):
    config = CASES[name]
    session = trained(config)
    source = code_export.export_python(session.network, config.features, session.dataset.class_names, name)
    rng = np.random.default_rng(3)
    points = np.vstack([session.dataset.X_test[:50], rng.uniform(-6, 6, size=(50, 2))]).astype(np.float32)
    rows = run_exported(source, points, tmp_path)
    expected = session.network.predict_output(expand_features(points, config.features))
    assert rows.shape == (len(points), 2 + expected.shape[1] + 1)
    np.testing.assert_array_equal(rows[:, :2], points.astype(np.float64))
    np.testing.assert_allclose(rows[:, 2:-1], expected, atol=1e-6, rtol=0)
    if session.task != "regression":
        labels = session.network.predict(expand_features(points, config.features))
        # Points on the 0.5 boundary could round either way: none of these is within 1e-6 of it.
        np.testing.assert_array_equal(rows[:, -1].astype(int), labels)
    assert np.ptp(expected) > 1e-3  # a trained network, not a constant one


def test_the_exported_file_imports_only_numpy_and_passes_ruff(tmp_path):
    session = trained(CASES["blobs-softmax"])
    source = code_export.export_python(session.network, DEFAULT.features, session.dataset.class_names)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported == {"numpy", "sys"}
    script = tmp_path / "network.py"
    script.write_text(source)
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--line-length", "2000", str(script)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


def test_weights_are_written_so_they_read_back_exactly():
    session = trained(CASES["moons-relu"])
    namespace: dict = {}
    source = code_export.export_python(session.network, DEFAULT.features)
    exec(compile(source.split('if __name__ == "__main__":')[0], "exported", "exec"), namespace)  # noqa: S102
    for index, layer in enumerate(session.network.layers, 1):
        np.testing.assert_array_equal(namespace[f"W{index}"], layer.weights)
        np.testing.assert_array_equal(namespace[f"b{index}"], layer.bias)


def test_a_feature_the_network_does_not_have_is_refused():
    session = trained(CASES["moons-relu"])
    with pytest.raises(ValueError, match="2 inputs but 3 features"):
        code_export.export_python(session.network, ("x1", "x2", "x1^2"))
    with pytest.raises(ValueError, match="unknown input feature"):
        code_export.export_python(session.network, ("x1", "cos(x2)"))


@pytest.mark.parametrize("name", ["moons-relu", "blobs-softmax", "plane-regression"])
def test_the_csv_reads_back_into_the_playground(name):
    session = trained(CASES[name])
    dataset = session.dataset
    back = parse_csv(code_export.dataset_csv(dataset), test_ratio=0.5)
    assert back.task == dataset.task
    X = np.vstack([dataset.X_train, dataset.X_test])
    y = np.concatenate([dataset.y_train, dataset.y_test])
    X_back = np.vstack([back.X_train, back.X_test])
    y_back = np.concatenate([back.y_train, back.y_test])
    # The same points and labels (the re-upload splits them anew, so compare as sorted rows).
    order, order_back = np.lexsort(X.T), np.lexsort(X_back.T)
    np.testing.assert_array_equal(X_back[order_back], X[order])
    np.testing.assert_array_equal(y_back[order_back], y[order])


def test_the_model_file_loads_and_predicts_the_same():
    session = trained(CASES["moons-tanh-features"])
    features = CASES["moons-tanh-features"].features
    name, data = code_export.model_download(
        session.network, features, session.dataset, session.epoch, {"test_accuracy": 0.875}, "acc87.5"
    )
    assert name.startswith("moons-7-6-1-acc87.5-") and name.endswith(".npz")
    model = load_model(data)
    assert model.provenance["features"] == list(features) and model.provenance["epochs"] == 15
    X = expand_features(session.dataset.X_test, features)
    np.testing.assert_array_equal(model.network.predict_output(X), session.network.predict_output(X))


def test_download_names_say_which_run():
    day = datetime.date(2026, 12, 3)
    assert (
        model_file_name("mnist", [784, 256, 128, 10], "acc97.3", day)
        == "mnist-784-256-128-10-acc97.3-2026-12-03.npz"
    )
    assert model_file_name("a/../b <x>", [2, 1], None, day) == "a_.._b_x_-2-1-2026-12-03.npz"
    assert score_tag("accuracy", 0.9731) == "acc97.3"
    assert score_tag("R²", 0.954) == "r2_0.95"
    assert score_tag("accuracy", float("nan")) is None


def test_the_exported_file_reads_the_downloaded_data_csv(tmp_path):
    """The data CSV's comment lines and header are skipped: one output row per point, in order."""
    config = CASES["blobs-softmax"]
    session = trained(config)
    dataset = session.dataset
    script = tmp_path / "network.py"
    script.write_text(code_export.export_python(session.network, config.features, dataset.class_names))
    data = tmp_path / "data.csv"
    data.write_bytes(code_export.dataset_csv(dataset))
    result = subprocess.run(
        [sys.executable, str(script), str(data)], capture_output=True, text=True, timeout=60, check=True
    )
    rows = np.array([line.split(",") for line in result.stdout.splitlines()], dtype=np.float64)
    X = np.vstack([dataset.X_train, dataset.X_test])
    np.testing.assert_array_equal(rows[:, :2], X.astype(np.float64))
    expected = session.network.predict_output(expand_features(X, config.features))
    np.testing.assert_allclose(rows[:, 2:-1], expected, atol=1e-6, rtol=0)


def test_an_uploaded_data_set_name_cannot_break_the_file(tmp_path):
    session = trained(CASES["moons-relu"])
    name = 'evil"""\\\nimport os  # ' + "\x00"
    source = code_export.export_python(session.network, DEFAULT.features, ["a\"'", "b\\"], name)
    tree = ast.parse(source)
    assert "evil'''/ import os" in ast.get_docstring(tree)
    namespace: dict = {}
    exec(compile(source.split('if __name__ == "__main__":')[0], "exported", "exec"), namespace)  # noqa: S102
    assert namespace["CLASS_NAMES"] == ["a\"'", "b\\"]
    dataset = replace(session.dataset, name=name)
    assert code_export.data_file_name(dataset) == "evil_import_os-data.csv"


def test_the_page_preview_leaves_out_big_arrays_but_stays_python():
    session = trained(CASES["moons-relu"])  # 2-8-8-1: W2 has 64 numbers, W1 16, W3 8
    preview = code_export.export_python(session.network, DEFAULT.features, shown_numbers=16)
    assert "W2 = ...  # 8 x 8 = 64 trained numbers: in the downloaded file" in preview
    assert "W1 = np.array(" in preview and "W3 = np.array(" in preview
    ast.parse(preview)
