"""Crafted model files (built here, never committed): refused from the archive's headers, before inflating."""

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest

from core.engine import model_io
from core.engine.model_io import ModelFileError, SavedModel, load_model, model_to_bytes
from core.engine.network import Network


def _model(sizes=(4, 5, 3), class_names=("a", "b", "c")):
    return SavedModel(Network(list(sizes), "relu", "softmax_ce", "he", rng=1), class_names=list(class_names))


def _metadata_bytes(model, **changes) -> bytes:
    meta = model.metadata() | changes
    return json.dumps(meta).encode("utf-8")


def _npy_header(shape, dtype="<f4") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    )
    return buffer.getvalue()  # magic, header length and header


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name + ".npy", data)
    return buffer.getvalue()


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _members(model) -> dict[str, bytes]:
    with np.load(io.BytesIO(model_to_bytes(model))) as archive:
        return {name: _npy(archive[name]) for name in archive.files}


def test_an_array_declaring_twenty_million_floats_is_refused_without_inflating_it():
    members = _members(_model())
    # 80 MB of zeros deflate to ~80 kB: the file passes the size cap, the header tells the truth.
    members["W1"] = _npy_header((20_000_000,)) + bytes(80_000_000)
    bomb = _zip(members)
    assert len(bomb) < model_io.MAX_MODEL_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=r"W1 has shape \(20000000,\).*needs \(4, 5\)"):
            load_model(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, f"{peak:,} bytes allocated while refusing the bomb"


def test_a_wrong_header_is_refused_before_any_weight_is_read(monkeypatch):
    members = _members(_model())
    members["b2"] = _npy(np.zeros(7, np.float32))
    read = []
    real_read_array = np.lib.format.read_array
    monkeypatch.setattr(
        np.lib.format, "read_array", lambda *a, **k: read.append(1) or real_read_array(*a, **k)
    )
    with pytest.raises(ModelFileError, match=r"array b2 has shape \(7,\).*needs \(3,\)"):
        load_model(_zip(members))
    assert len(read) == 1  # only the metadata was read


def test_integer_weights_are_refused_from_the_header():
    members = _members(_model())
    members["W1"] = _npy(np.zeros((4, 5), np.int64))
    with pytest.raises(ModelFileError, match="W1 must hold floats; got int64"):
        load_model(_zip(members))


def test_a_thousand_layer_architecture_is_refused_with_a_message_not_a_memory_error():
    model = _model()
    meta = model.metadata()
    meta["architecture"] = dict(meta["architecture"], layer_sizes=[4096] * 1001, activations="relu")
    meta["class_names"] = []
    members = {"metadata": _npy(np.frombuffer(json.dumps(meta).encode(), np.uint8))}
    with pytest.raises(ModelFileError, match="1,000 layers|1000 layers; this app loads at most 16"):
        load_model(_zip(members))


def test_an_architecture_over_the_parameter_cap_is_refused_before_allocation():
    meta = _model().metadata()
    meta["architecture"] = dict(meta["architecture"], layer_sizes=[4096, 4096, 4096, 10], activations="relu")
    meta["class_names"] = []
    members = {"metadata": _npy(np.frombuffer(json.dumps(meta).encode(), np.uint8))}
    with pytest.raises(ModelFileError, match=r"33,603,594 parameters; this app loads at most 12,500,000"):
        load_model(_zip(members))


def test_weights_of_1e38_are_refused_instead_of_predicting_nan():
    model = _model()
    model.network.layers[0].weights[...] = 1e38
    with pytest.raises(ModelFileError, match="W1 holds values beyond"):
        load_model(model_to_bytes(model))


def test_overflowing_outputs_are_refused_by_probabilities():
    model = _model()
    model.network.layers[0].weights[...] = 3e38
    model.network.layers[1].weights[...] = 3e38
    with pytest.raises(ModelFileError, match="outputs are not finite"):
        model.probabilities(np.ones((1, 4), np.float32))
    assert np.allclose(_model().probabilities(np.ones((1, 4), np.float32)).sum(), 1.0)


@pytest.mark.parametrize(
    "names, message",
    [
        (["a", "b"], "names 2 classes; the network has 3"),
        (["a", "b", "line\nbreak"], "printable"),
        (["a", "b", "x" * 65], "1-64 printable"),
        (["a", "b", {"x": 1}], "list of short texts"),
    ],
)
def test_class_names_must_be_one_short_text_per_class(names, message):
    members = _members(_model())
    meta = _model().metadata() | {"class_names": names}
    members["metadata"] = _npy(np.frombuffer(json.dumps(meta).encode(), np.uint8))
    with pytest.raises(ModelFileError, match=message):
        load_model(_zip(members))


def test_markup_class_names_load_as_plain_text():
    model = load_model(model_to_bytes(_model(class_names=("<script>alert(1)</script>", "**b**", "c"))))
    assert model.class_names == ["<script>alert(1)</script>", "**b**", "c"]
