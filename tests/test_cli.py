"""`python -m core train / evaluate / predict`, run as real subprocesses; its argument parser in process."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.cli_arguments import build_parser
from core.data import write_idx
from core.data.idx import read_idx
from core.engine.model_io import load_model
from tests.paths import MNIST_5K_DIR as MNIST_5K
from tests.paths import REPO_ROOT as ROOT
from tests.paths import mnist_5k_available, requires_mnist_5k

SHIPPED = ROOT / "models" / "mnist-mlp.npz"


def run_cli(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "core", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_train_2d_saves_model_with_provenance(tmp_path):
    out = tmp_path / "moons.npz"
    result = run_cli(
        "train",
        "--dataset",
        "moons",
        "--samples",
        "400",
        "--layers",
        "16",
        "--activation",
        "tanh",
        "--lr",
        "0.02",
        "--epochs",
        "40",
        "--batch-size",
        "16",
        "--seed",
        "3",
        "--output",
        out,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["test_accuracy"] >= 0.9
    assert "epoch  40/40" in result.stderr  # the progress bar reached the end
    model = load_model(out)
    assert model.network.layer_sizes == [2, 16, 1]
    prov = model.provenance
    assert prov["dataset"] == "moons" and prov["seed"] == 3 and prov["epochs"] == 40
    assert prov["test_accuracy"] == pytest.approx(summary["test_accuracy"], abs=1e-4)
    assert "--dataset moons" in prov["command"]


def _tiny_idx_dir(tmp_path, with_test: bool):
    """Images made from the real files if present, else random ones with learnable labels."""
    rng = np.random.default_rng(0)
    if mnist_5k_available():
        images = read_idx(MNIST_5K / "train-images-idx3-ubyte.gz")
        labels = read_idx(MNIST_5K / "train-labels-idx1-ubyte.gz")
        pick = rng.choice(len(labels), 300, replace=False)
        images, labels = images[pick], labels[pick]
    else:
        labels = rng.integers(0, 10, 300).astype(np.uint8)
        images = np.zeros((300, 28, 28), np.uint8)
        images[np.arange(300), labels * 2, :] = 255
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images[:200])
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels[:200])
    if with_test:
        write_idx(tmp_path / "t10k-images-idx3-ubyte", images[200:])
        write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[200:])
    return images, labels


def test_evaluate_prints_json_over_t10k_else_train(tmp_path):
    images, labels = _tiny_idx_dir(tmp_path, with_test=True)
    result = run_cli("evaluate", "--model", SHIPPED, "--data-dir", tmp_path)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["n"] == 100 and report["split"] == "test" and "warning" not in result.stderr
    model = load_model(SHIPPED)
    expected = np.mean(model.network.predict(model.prepare_input(images[200:])) == labels[200:])
    assert report["accuracy"] == pytest.approx(expected)
    assert set(report["per_class"]) <= set(model.class_names)
    only_train = tmp_path / "train_only"
    only_train.mkdir()
    _tiny_idx_dir(only_train, with_test=False)
    result = run_cli("evaluate", "--model", SHIPPED, "--data-dir", only_train)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["n"] == 200 and report["split"] == "train"
    assert "warning: train_only has no t10k-* test files: scoring its TRAINING images" in result.stderr


@requires_mnist_5k
def test_train_on_real_mnist_subset_then_evaluate(tmp_path):
    out = tmp_path / "m.npz"
    result = run_cli(
        "train",
        "--dataset",
        "mnist",
        "--data-dir",
        MNIST_5K,
        "--layers",
        "64",
        "--epochs",
        "3",
        "--output",
        out,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1])["test_accuracy"] >= 0.85
    assert "held out as the test set" in load_model(out).provenance["source"]


def _digit_png(path, strokes, width=18):
    image = Image.new("L", (280, 280), 255)  # dark ink on white paper, like a photo
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line(stroke, fill=0, width=width, joint="curve")
    image.save(path)


def test_predict_reads_drawn_digits(tmp_path):
    one, seven, blank = tmp_path / "one.png", tmp_path / "seven.png", tmp_path / "blank.png"
    _digit_png(one, [[(140, 40), (140, 240)]])
    _digit_png(seven, [[(70, 50), (210, 50), (120, 240)]])
    Image.new("L", (100, 100), 255).save(blank)
    result = run_cli("predict", "--model", SHIPPED, one, seven, blank)
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert [a["class"] for a in answers] == ["1", "7", None]
    assert abs(sum(answers[0]["probabilities"].values()) - 1) < 1e-3


def test_errors_are_one_line_not_tracebacks(tmp_path):
    (tmp_path / "bad.npz").write_bytes(b"garbage")
    result = run_cli("evaluate", "--model", tmp_path / "bad.npz", "--data-dir", tmp_path, check=False)
    assert result.returncode == 2
    assert "error: not a model file" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("evaluate", "--model", SHIPPED, "--data-dir", tmp_path, check=False)
    assert result.returncode == 2 and "no IDX image/label files" in result.stderr
    result = run_cli("train", "--dataset", "moons", "--lr", "-1", "--epochs", "1", check=False)
    assert result.returncode == 2 and "argument --lr: -1 is outside [1e-06, 10]" in result.stderr


# ------------------------------------------------------------------------------ honest flags (issue 16, 6)
@pytest.mark.parametrize(
    "flag, value, message",
    [
        ("--epochs", "0", "argument --epochs: 0 is outside [1, 10000]"),
        ("--val-fraction", "1.5", "argument --val-fraction: 1.5 is outside [0, 0.5]"),
        ("--lr", "50", "argument --lr: 50 is outside [1e-06, 10]"),
        ("--lr", "nan", "argument --lr: nan is outside [1e-06, 10]"),
        ("--batch-size", "ten", "argument --batch-size: 'ten' is not a whole number"),
        ("--activation", "swish", "argument --activation: invalid choice: 'swish'"),
    ],
)
def test_every_flag_is_checked_before_anything_runs(flag, value, message, capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["train", flag, value])
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_an_unknown_data_set_lists_all_of_them(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--dataset", "cifar"])
    err = capsys.readouterr().err
    assert all(name in err for name in ("mnist", "fashion-mnist", "digits-8x8", "moons", "spiral", "xor"))


def test_every_flag_has_help():
    parser = build_parser()
    for sub in parser._subparsers._group_actions[0].choices.values():  # argparse has no public walk
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{sub.prog} {action.option_strings or action.dest} has no help"


def test_a_run_worse_than_chance_warns():
    from core.cli import chance_warning

    assert "no better than chance (0.100 for 10 classes)" in chance_warning("multiclass", 0.12, 10)
    assert "(0.500 for 2 classes)" in chance_warning("binary", 0.52, 2)
    assert chance_warning("multiclass", 0.9, 10) is None and chance_warning("regression", -5.0, 0) is None


# ------------------------------------------------------------------------------ --layers
@pytest.mark.parametrize(
    "text, sizes",
    [("256,128", [256, 128]), ("256 128", [256, 128]), ("32-16", [32, 16]), ("none", []), ("7", [7])],
)
def test_layers_accept_the_spellings_of_the_app(text, sizes):
    assert build_parser().parse_args(["train", "--layers", text]).layers == sizes


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "12,abc",
            "hidden layer sizes must be whole numbers joined by commas, spaces or dashes, e.g. 128,64",
        ),
        ("16,-3", "each hidden layer needs 1 to 4096 neurons; got -3"),
        ("5000", "each hidden layer needs 1 to 4096 neurons; got 5000"),
    ],
)
def test_bad_layers_are_refused_by_argparse_with_the_parsers_message(text, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["train", "--layers", text])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --layers: {message}" in err
    assert "Traceback" not in err
