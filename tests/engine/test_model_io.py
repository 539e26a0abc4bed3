"""Model files: round trip, and every malformed file refused with a message naming the problem."""

import io
import json
import zipfile

import numpy as np
import pytest

from core.engine.model_io import ModelFileError, SavedModel, load_model, model_to_bytes, save_model
from core.engine.network import Network


def _model():
    net = Network([4, 5, 3], "tanh", "softmax_ce", "xavier", rng=7)
    return SavedModel(
        net,
        class_names=["a", "b", "c"],
        input_shape=[2, 2],
        input_scale=0.5,
        provenance={"dataset": "toy", "epochs": 3, "seed": 7, "test_accuracy": 0.9},
    )


def _archive(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _arrays_of(model):
    with np.load(io.BytesIO(model_to_bytes(model))) as archive:
        return {k: archive[k] for k in archive.files}


def test_round_trip_keeps_weights_and_metadata(tmp_path):
    model = _model()
    path = tmp_path / "m.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert np.array_equal(loaded.network.params, model.network.params)
    assert loaded.network.architecture() == model.network.architecture()
    assert loaded.class_names == ["a", "b", "c"]
    assert loaded.input_shape == [2, 2] and loaded.input_scale == 0.5
    assert loaded.provenance["test_accuracy"] == 0.9
    x = np.arange(8, dtype=np.uint8).reshape(2, 2, 2)
    np.testing.assert_allclose(
        loaded.network.predict_proba(loaded.prepare_input(x)),
        model.network.predict_proba(x.reshape(2, 4) * 0.5),
        rtol=1e-6,
    )


def test_metadata_names_engine_version_and_format():
    meta = _model().metadata()
    assert meta["format"] == "neural-playground-model" and meta["format_version"] == 1
    assert meta["engine_version"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not a zip archive"),
        (b"hello, not a zip", "not a zip archive"),
    ],
)
def test_garbage_is_refused(data, message):
    with pytest.raises(ModelFileError, match=message):
        load_model(data)


def test_truncated_file_is_refused():
    data = model_to_bytes(_model())
    with pytest.raises(ModelFileError, match="truncated"):
        load_model(data[: len(data) // 2])


def test_pickled_objects_are_refused_without_running_them():
    arrays = _arrays_of(_model())
    buffer = io.BytesIO()
    np.savez(buffer, **arrays, evil=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="pickled Python objects"):
        load_model(buffer.getvalue())


def test_missing_metadata_and_missing_arrays():
    arrays = _arrays_of(_model())
    no_meta = {k: v for k, v in arrays.items() if k != "metadata"}
    with pytest.raises(ModelFileError, match="no 'metadata'"):
        load_model(_archive(**no_meta))
    no_b2 = {k: v for k, v in arrays.items() if k != "b2"}
    with pytest.raises(ModelFileError, match=r"missing arrays \['b2'\]"):
        load_model(_archive(**no_b2))


def test_wrong_shape_is_named():
    arrays = _arrays_of(_model())
    arrays["W1"] = np.zeros((4, 6), np.float32)
    with pytest.raises(ModelFileError, match=r"W1 has shape \(4, 6\).*needs \(4, 5\)"):
        load_model(_archive(**arrays))


def test_nan_weights_and_bad_json_and_unknown_format():
    arrays = _arrays_of(_model())
    bad = dict(arrays, b1=np.full(5, np.nan, np.float32))
    with pytest.raises(ModelFileError, match="b1 contains NaN"):
        load_model(_archive(**bad))
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(_archive(**dict(arrays, metadata=np.frombuffer(b"{nope", np.uint8))))
    meta = json.loads(arrays["metadata"].tobytes())
    meta["format"] = "something-else"
    encoded = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    with pytest.raises(ModelFileError, match="unknown model format"):
        load_model(_archive(**dict(arrays, metadata=encoded)))
    meta["format"], meta["architecture"]["activations"] = "neural-playground-model", ["swish"]
    encoded = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    with pytest.raises(ModelFileError, match="activation must be one of"):
        load_model(_archive(**dict(arrays, metadata=encoded)))


def test_single_array_npy_and_missing_path(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    with pytest.raises(ModelFileError):
        load_model(buffer.getvalue())
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "nope.npz")


def test_zip_with_bad_member_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("metadata.npy", b"not an npy file")
    with pytest.raises(ModelFileError):
        load_model(buffer.getvalue())
