"""Issue 20, items 4 and 8: `python -m core predict` with a crafted model prints a message, never NaN JSON."""

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from core.engine.model_io import SavedModel, save_model
from core.engine.network import Network

ROOT = Path(__file__).resolve().parents[2]


def _digit(path: Path) -> None:
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).line([(140, 40), (140, 240)], fill=0, width=24)
    image.save(path)


def _predict(model_path: Path, image: Path):
    return subprocess.run(
        [sys.executable, "-m", "core", "predict", "--model", str(model_path), str(image)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_huge_weights_are_a_one_line_message_not_nan(tmp_path):
    network = Network([784, 16, 16, 10], "relu", "softmax_ce", "he", rng=0)
    for layer in network.layers:
        layer.weights[...] = 1e38
    save_model(SavedModel(network, [str(i) for i in range(10)], [28, 28], 1 / 255), tmp_path / "huge.npz")
    _digit(tmp_path / "one.png")
    result = _predict(tmp_path / "huge.npz", tmp_path / "one.png")
    assert result.returncode == 2
    assert "NaN" not in result.stdout and "nan%" not in result.stdout
    assert "holds values beyond" in result.stderr and "Traceback" not in result.stderr
