"""Save and load trained models as .npz (no pickle) plus JSON metadata.

File layout (a plain zip of .npy arrays, readable by any NumPy):
    W1, b1, W2, b2, ...   float32 weights and biases per layer
    metadata              the UTF-8 bytes of a JSON object (architecture, class names,
                          input normalization, training provenance, engine version)
Loading uses np.load(allow_pickle=False), so a file can never run code, and every inconsistency
(truncated zip, missing arrays, wrong shapes, NaN, unknown format) is refused with a clear message.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.engine.architecture import check_architecture
from core.engine.network import Network
from core.engine.version import __version__ as engine_version

FORMAT_NAME = "neural-playground-model"
FORMAT_VERSION = 1
MAX_MODEL_BYTES = 50_000_000  # the file as stored
MAX_METADATA_BYTES = 1_000_000
# The largest network training can make (a few hidden layers of at most MAX_LAYER_WIDTH), with room
# to spare; a bigger one is refused before any array is allocated or inflated.
MAX_MODEL_LAYERS = 16
MAX_MODEL_PARAMETERS = MAX_MODEL_BYTES // 4  # float32 weights that fit in a model file of the size cap
MAX_WEIGHT_MAGNITUDE = 1e4
MAX_CLASS_NAME_LENGTH = 64


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

    def probabilities(self, x) -> np.ndarray:
        """predict_proba, refusing a model whose outputs overflow (NaN would read as "0 (nan%)")."""
        with np.errstate(over="ignore", invalid="ignore"):  # the overflow is reported below, as a message
            probs = self.network.predict_proba(x)
        if not np.all(np.isfinite(probs)):
            raise ModelFileError("this model's outputs are not finite numbers (its weights overflow)")
        return probs

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


def model_file_name(
    dataset: str, layer_sizes, score: str | None = None, date: datetime.date | None = None
) -> str:
    """A download's name that says which run it is: data set, layer sizes, score, date.

    model_file_name("mnist", [784, 256, 10], "acc97.3", date(2026, 12, 3))
    -> "mnist-784-256-10-acc97.3-2026-12-03.npz". Anything but letters, digits, '.', '_' and '-'
    becomes '_' (a data set's name may come from a file a student uploaded).
    """
    date = date or datetime.date.today()
    parts = [str(dataset) or "model", "-".join(str(int(n)) for n in layer_sizes)]
    if score:
        parts.append(str(score))
    parts.append(date.isoformat())
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(parts)).strip("._-")[:120]
    return f"{name or 'model'}.npz"


def score_tag(metric: str, value: float) -> str | None:
    """ "acc97.3" for an accuracy of 0.973, "r2_0.95" for an R² of 0.95 (None when not a number)."""
    if value is None or not np.isfinite(value):
        return None
    return f"acc{100 * value:.1f}" if metric == "accuracy" else f"r2_{value:.2f}"


def _open_source(source):
    """A seekable binary file for `source` (path, bytes or file object), after the file-size cap."""
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_MODEL_BYTES:
            raise ModelFileError(
                f"model file is too large ({len(source):,} bytes; the limit is {MAX_MODEL_BYTES:,})"
            )
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ModelFileError(f"model file not found: {path.name}")
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise ModelFileError(f"model file is too large ({path.stat().st_size:,} bytes)")
        return io.BytesIO(path.read_bytes())
    return source


def _member_header(archive: zipfile.ZipFile, name: str) -> tuple[tuple[int, ...], np.dtype]:
    """(shape, dtype) from a member's .npy header: only the first few hundred bytes are inflated."""
    with archive.open(name + ".npy") as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member, max_header_size=1000)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member, max_header_size=1000)
        else:
            raise ModelFileError(f"model file entry {name!r} has an unknown .npy version {version}")
    if dtype.hasobject:
        raise ModelFileError(
            "model file refused: it contains pickled Python objects, which "
            "could run code; a model file holds only numeric arrays"
        )
    return tuple(shape), dtype


def _read_archive(source) -> tuple[dict, Network, dict[str, np.ndarray]]:
    """(metadata, network, weights); each array's shape and dtype is checked before it is inflated."""
    source = _open_source(source)
    try:
        if not zipfile.is_zipfile(source):
            raise ModelFileError(
                "not a model file: a .npz model is a zip archive, and this is not "
                "a zip archive (or it was truncated)"
            )
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            names = [info.filename for info in archive.infolist()]
            bad = [n for n in names if not n.endswith(".npy")]
            if bad:
                raise ModelFileError(f"model file entry {bad[0][:60]!r} is not a NumPy array")
            arrays = {n[: -len(".npy")] for n in names}
            if len(arrays) > 2 * MAX_MODEL_LAYERS + 1:
                raise ModelFileError(
                    f"model file has {len(arrays):,} entries; a model has at most {2 * MAX_MODEL_LAYERS + 1}"
                )
            for name in arrays:  # refuses pickled objects in any entry, before anything is inflated
                _member_header(archive, name)
            if "metadata" not in arrays:
                raise ModelFileError(
                    "model file has no 'metadata' entry (was it saved by Neural Playground?)"
                )
            shape, dtype = _member_header(archive, "metadata")
            if dtype != np.uint8 or len(shape) != 1 or shape[0] > MAX_METADATA_BYTES:
                raise ModelFileError(f"model metadata must be at most {MAX_METADATA_BYTES:,} bytes of text")
            meta = _parse_metadata(_load_member(archive, "metadata"))
            network = _network_for(meta)
            expected = _expected_headers(network)
            missing, extra = set(expected) - arrays, arrays - set(expected) - {"metadata"}
            if missing:
                raise ModelFileError(f"model file is missing arrays {sorted(missing)}")
            if extra:
                raise ModelFileError(f"model file has unexpected arrays {sorted(extra)[:10]}")
            for name, target_shape in expected.items():
                shape, dtype = _member_header(archive, name)
                if shape != target_shape:
                    raise ModelFileError(
                        f"array {name} has shape {shape}, but the architecture "
                        f"{'-'.join(map(str, network.layer_sizes))} needs {target_shape}"
                    )
                if dtype.kind != "f" or dtype.itemsize > 8:
                    raise ModelFileError(f"array {name} must hold floats; got {dtype}")
            weights = {name: _load_member(archive, name) for name in expected}
        return meta, network, weights
    except ModelFileError:
        raise
    except ValueError as error:
        raise ModelFileError(f"not a valid .npz model file ({error})") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, NotImplementedError) as error:
        raise ModelFileError(f"not a valid .npz model file: it is truncated or corrupt ({error})") from None


def _load_member(archive: zipfile.ZipFile, name: str) -> np.ndarray:
    with archive.open(name + ".npy") as member:
        return np.lib.format.read_array(member, allow_pickle=False)


def _parse_metadata(raw: np.ndarray) -> dict:
    try:
        meta = json.loads(raw.astype(np.uint8).tobytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelFileError(f"model metadata is not valid JSON ({error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelFileError(f"unknown model format: expected {FORMAT_NAME!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"unsupported model format version {str(meta.get('format_version'))[:20]!r}; "
            f"this app reads version {FORMAT_VERSION}"
        )
    return meta


def _network_for(meta: dict) -> Network:
    """The (unfilled) network the metadata describes, refused before allocation if it is too big."""
    arch = meta.get("architecture")
    try:
        sizes = [int(s) for s in arch["layer_sizes"]]
        if len(sizes) - 1 > MAX_MODEL_LAYERS:
            raise ModelFileError(
                f"model architecture has {len(sizes) - 1} layers; this app loads at most {MAX_MODEL_LAYERS}"
            )
        check_architecture(sizes, arch["activations"], arch["output"], arch.get("init", "he"), np.float32)
        n_params = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        if n_params > MAX_MODEL_PARAMETERS:
            raise ModelFileError(
                f"model architecture has {n_params:,} parameters; this app loads at most "
                f"{MAX_MODEL_PARAMETERS:,}"
            )
        return Network(sizes, arch["activations"], arch["output"], arch.get("init", "he"), initialize=False)
    except (KeyError, TypeError) as error:
        raise ModelFileError(f"model metadata lacks a valid architecture ({error!r})"[:300]) from None
    except ModelFileError:
        raise
    except ValueError as error:
        raise ModelFileError(f"model architecture is invalid: {error}"[:300]) from None


def _expected_headers(network: Network) -> dict[str, tuple[int, ...]]:
    shapes = {}
    for i, layer in enumerate(network.layers, 1):
        shapes[f"W{i}"], shapes[f"b{i}"] = layer.weights.shape, layer.bias.shape
    return shapes


def _class_names(meta: dict, network: Network) -> list[str]:
    """Class names as short printable text, one per output class (or none at all)."""
    names = meta.get("class_names", [])
    if not isinstance(names, list) or not all(isinstance(n, (str, int)) for n in names):
        raise ModelFileError("model metadata: class_names must be a list of short texts")
    names = [str(n) for n in names]
    n_classes = 2 if network.head.task == "binary" else network.layer_sizes[-1]
    if names and network.head.task != "regression" and len(names) != n_classes:
        raise ModelFileError(f"model metadata names {len(names)} classes; the network has {n_classes}")
    for name in names:
        if not name or len(name) > MAX_CLASS_NAME_LENGTH or not name.isprintable():
            raise ModelFileError(
                f"model metadata: each class name must be 1-{MAX_CLASS_NAME_LENGTH} printable characters"
            )
    return names


def load_model(source) -> SavedModel:
    """Load from a path, bytes or a binary file object; raises ModelFileError naming the problem."""
    meta, network, weights = _read_archive(source)
    for i, layer in enumerate(network.layers, 1):
        for name, target in ((f"W{i}", layer.weights), (f"b{i}", layer.bias)):
            array = weights[name]
            if not np.all(np.isfinite(array)):
                raise ModelFileError(f"array {name} contains NaN or infinite values")
            if np.any(np.abs(array) > MAX_WEIGHT_MAGNITUDE):
                raise ModelFileError(
                    f"array {name} holds values beyond ±{MAX_WEIGHT_MAGNITUDE:g}; no trained network has "
                    "such weights, and they would overflow to NaN"
                )
            target[...] = array
    norm = meta.get("input_normalization") or {}
    try:
        model = SavedModel(
            network=network,
            class_names=_class_names(meta, network),
            input_shape=[int(s) for s in meta.get("input_shape", [])],
            input_scale=float(norm.get("scale", 1.0)),
            input_offset=float(norm.get("offset", 0.0)),
            provenance=dict(meta.get("provenance", {})),
            engine_version=str(meta.get("engine_version", "unknown"))[:40],
        )
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"model metadata has invalid fields ({error})"[:300]) from None
    if not (np.isfinite(model.input_scale) and np.isfinite(model.input_offset)):
        raise ModelFileError("model metadata: the input normalization must be finite numbers")
    return model
