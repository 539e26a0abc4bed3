"""Save and load trained models as .npz (no pickle) plus JSON metadata.

File layout (a plain zip of .npy arrays, readable by any NumPy):
    W1, b1, W2, b2, ...   float32 weights and biases per layer
    metadata              the UTF-8 bytes of a JSON object (architecture, class names,
                          input normalization, training provenance, engine version)
Loading uses np.load(allow_pickle=False), so a file can never run code, and every inconsistency
(truncated zip, missing arrays, wrong shapes, NaN, unknown format) is refused with a clear message.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.engine.network import Network
from core.engine.version import __version__ as engine_version

FORMAT_NAME = "neural-playground-model"
FORMAT_VERSION = 1
MAX_MODEL_BYTES = 50_000_000


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says what is wrong."""


@dataclass
class SavedModel:
    """A network plus what is needed to use it: class names and how inputs were normalized."""

    network: Network
    class_names: list[str] = field(default_factory=list)
    input_shape: list[int] = field(default_factory=list)  # e.g. [28, 28] for images
    input_scale: float = 1.0  # network input = raw * input_scale - input_offset
    input_offset: float = 0.0
    provenance: dict = field(default_factory=dict)
    engine_version: str = engine_version

    def prepare_input(self, raw) -> np.ndarray:
        """Raw samples (e.g. uint8 images) -> the (n, n_inputs) float matrix the network expects."""
        x = np.asarray(raw, dtype=np.float32).reshape(-1, self.network.n_inputs)
        if self.input_scale != 1.0:
            x = x * np.float32(self.input_scale)
        if self.input_offset:
            x = x - np.float32(self.input_offset)
        return x

    def metadata(self) -> dict:
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "engine_version": self.engine_version,
            "architecture": self.network.architecture(),
            "class_names": list(self.class_names),
            "input_shape": list(self.input_shape),
            "input_normalization": {"scale": self.input_scale, "offset": self.input_offset},
            "provenance": dict(self.provenance),
        }


def save_model(model: SavedModel, path_or_file) -> None:
    """Write the model to a path or a binary file object (e.g. io.BytesIO for a download button)."""
    arrays = {}
    for i, layer in enumerate(model.network.layers, 1):
        arrays[f"W{i}"] = layer.weights.astype(np.float32)
        arrays[f"b{i}"] = layer.bias.astype(np.float32)
    meta = json.dumps(model.metadata(), sort_keys=True).encode("utf-8")
    arrays["metadata"] = np.frombuffer(meta, dtype=np.uint8)
    if isinstance(path_or_file, (str, Path)):
        Path(path_or_file).parent.mkdir(parents=True, exist_ok=True)
        with open(path_or_file, "wb") as fh:
            np.savez(fh, **arrays)  # uncompressed: float weights barely compress, loading is faster
    else:
        np.savez(path_or_file, **arrays)


def model_to_bytes(model: SavedModel) -> bytes:
    buffer = io.BytesIO()
    save_model(model, buffer)
    return buffer.getvalue()


def _read_archive(source) -> dict[str, np.ndarray]:
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_MODEL_BYTES:
            raise ModelFileError(
                f"model file is too large ({len(source):,} bytes; the limit is {MAX_MODEL_BYTES:,})"
            )
        source = io.BytesIO(source)
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ModelFileError(f"model file not found: {path}")
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise ModelFileError(f"model file is too large ({path.stat().st_size:,} bytes)")
    try:
        if not zipfile.is_zipfile(source):
            raise ModelFileError(
                "not a model file: a .npz model is a zip archive, and this is not "
                "a zip archive (or it was truncated)"
            )
        if hasattr(source, "seek"):
            source.seek(0)
        with np.load(source, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        for name, array in arrays.items():
            if not isinstance(array, np.ndarray):  # NpzFile hands back raw bytes for non-.npy members
                raise ModelFileError(f"model file entry {name!r} is not a NumPy array")
        return arrays
    except ModelFileError:
        raise
    except ValueError as error:
        if "allow_pickle" in str(error) or "Object arrays" in str(error):
            raise ModelFileError(
                "model file refused: it contains pickled Python objects, which "
                "could run code; a model file holds only numeric arrays"
            ) from None
        raise ModelFileError(f"not a valid .npz model file ({error})") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
        raise ModelFileError(f"not a valid .npz model file: it is truncated or corrupt ({error})") from None


def load_model(source) -> SavedModel:
    """Load from a path, bytes or a binary file object; raises ModelFileError naming the problem."""
    arrays = _read_archive(source)
    if "metadata" not in arrays:
        raise ModelFileError("model file has no 'metadata' entry (was it saved by Neural Playground?)")
    try:
        meta = json.loads(arrays.pop("metadata").astype(np.uint8).tobytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelFileError(f"model metadata is not valid JSON ({error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelFileError(f"unknown model format: expected {FORMAT_NAME!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"unsupported model format version {meta.get('format_version')!r}; "
            f"this app reads version {FORMAT_VERSION}"
        )
    arch = meta.get("architecture")
    try:
        network = Network(
            arch["layer_sizes"], arch["activations"], arch["output"], arch.get("init", "he"), initialize=False
        )
    except (KeyError, TypeError) as error:
        raise ModelFileError(f"model metadata lacks a valid architecture ({error!r})") from None
    except ValueError as error:
        raise ModelFileError(f"model architecture is invalid: {error}") from None
    n_layers = len(network.layers)
    expected = {f"{kind}{i}" for i in range(1, n_layers + 1) for kind in "Wb"}
    missing, extra = expected - set(arrays), set(arrays) - expected
    if missing:
        raise ModelFileError(f"model file is missing arrays {sorted(missing)}")
    if extra:
        raise ModelFileError(f"model file has unexpected arrays {sorted(extra)}")
    for i, layer in enumerate(network.layers, 1):
        for name, target in ((f"W{i}", layer.weights), (f"b{i}", layer.bias)):
            array = arrays[name]
            if array.shape != target.shape:
                raise ModelFileError(
                    f"array {name} has shape {array.shape}, but the architecture "
                    f"{'-'.join(map(str, network.layer_sizes))} needs {target.shape}"
                )
            if not np.issubdtype(array.dtype, np.floating):
                raise ModelFileError(f"array {name} must hold floats; got {array.dtype}")
            if not np.all(np.isfinite(array)):
                raise ModelFileError(f"array {name} contains NaN or infinite values")
            target[...] = array
    norm = meta.get("input_normalization") or {}
    try:
        return SavedModel(
            network=network,
            class_names=[str(c) for c in meta.get("class_names", [])],
            input_shape=[int(s) for s in meta.get("input_shape", [])],
            input_scale=float(norm.get("scale", 1.0)),
            input_offset=float(norm.get("offset", 0.0)),
            provenance=dict(meta.get("provenance", {})),
            engine_version=str(meta.get("engine_version", "unknown")),
        )
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"model metadata has invalid fields ({error})") from None
