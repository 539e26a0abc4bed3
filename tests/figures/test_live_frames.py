"""The live canvas's payloads (core/figures/live_frames.py): what the browser receives is the
network the server holds, in the same colours as the Plotly figures and the GIF."""

import json

import numpy as np
import pytest

from core import playground as pg
from core.figures import live_frames, palette
from core.figures.boundary_colours import boundary_rgb


def make_session(**changes) -> pg.PlaygroundSession:
    config = pg.PlaygroundConfig(**changes)
    return pg.PlaygroundSession(config, pg.make_data(config, None))


@pytest.fixture(scope="module")
def trained():
    session = make_session()
    session.train_epochs(40)
    return session


def test_payload_round_trip_keeps_every_array_and_aligns_them(trained):
    recorder = live_frames.FrameRecorder(trained, 48)
    recorder.capture()
    trained.train_epochs(3)
    recorder.capture()
    payload = recorder.payload(True, 0.05)
    assert payload[:4] == b"NPL1"
    header, arrays = live_frames.unpack(payload)
    assert [f["epoch"] for f in header["frames"]] == [40, 43]
    assert header["spacing_ms"] == 50.0 and header["playing"] is True
    for (start, size, _, _), array in zip(header["arrays"], arrays):
        assert start % 4 == 0 and array.nbytes == size
    assert np.array_equal(arrays[header["frames"][0]["boundary"]].shape, (48, 48))


def test_boundary_cells_are_the_heat_maps_colours(trained):
    recorder = live_frames.FrameRecorder(trained, 40)
    recorder.capture()
    header, arrays = live_frames.unpack(recorder.payload(False, 0.0))
    lut = arrays[header["scene"]["boundary_lut"]]
    cells = arrays[header["frames"][0]["boundary"]]
    drawn = lut[cells].astype(int)  # what the canvas paints, row 0 at the top
    expected = boundary_rgb(trained.boundary(40)).astype(int)
    # A 256-entry table against the figures' 512-entry one: within a rounding step.
    assert np.abs(drawn - expected).max() <= 3
    assert drawn.std() > 10  # a real boundary, not a flat picture


def test_multiclass_boundary_has_one_band_per_class():
    session = make_session(dataset="blobs", classes=3)
    session.train_epochs(20)
    recorder = live_frames.FrameRecorder(session, 32)
    recorder.capture()
    header, arrays = live_frames.unpack(recorder.payload(False, 0.0))
    drawn = arrays[header["scene"]["boundary_lut"]][arrays[header["frames"][0]["boundary"]]].astype(int)
    assert np.abs(drawn - boundary_rgb(session.boundary(32)).astype(int)).max() <= 6
    assert header["scene"]["task"] == "multiclass"


def test_neuron_maps_weights_and_biases_are_the_networks(trained):
    recorder = live_frames.FrameRecorder(trained, 32)
    recorder.capture()
    header, arrays = live_frames.unpack(recorder.payload(False, 0.0))
    frame = header["frames"][0]
    m = frame["map_size"]
    maps = arrays[frame["maps"]].reshape(-1, m, m)
    luts = arrays[header["scene"]["map_luts"]]
    stacks = trained.neuron_maps(m)
    kinds = live_frames.column_kinds(trained)
    expected = np.concatenate([palette.column_rgb(s[:, ::-1], k)[0] for s, k in zip(stacks, kinds)])
    drawn = np.stack([luts[lut][index] for lut, index in zip(frame["map_luts"], maps)])
    assert np.array_equal(drawn, expected)  # exactly the diagram's colours
    assert frame["ranges"] == ["own scales", "±1", "±1", "0 … 1"]
    weights = np.concatenate([w.reshape(-1) for w in trained.network.weights])
    assert np.array_equal(arrays[frame["weights"]], weights.astype(np.float32))
    assert np.array_equal(arrays[frame["biases"]], np.concatenate(trained.network.biases))
    assert frame["train_loss"] == pytest.approx(trained.latest.train_loss)
    assert frame["test_metric"] == pytest.approx(trained.latest.test_metric)


def test_wide_layers_send_only_the_drawn_neurons():
    session = make_session(hidden=(12,), activations=("relu",))
    recorder = live_frames.FrameRecorder(session, 16)
    recorder.capture()
    header, arrays = live_frames.unpack(recorder.payload(False, 0.0))
    names, more = header["scene"]["diagram"]["names"], header["scene"]["diagram"]["more"]
    shown = [len(column) for column in names]
    assert shown[1] == pg.DIAGRAM_MAX_NEURONS and more[1] == 12 - pg.DIAGRAM_MAX_NEURONS
    frame = header["frames"][0]
    assert arrays[frame["weights"]].size == shown[0] * shown[1] + shown[1] * shown[2]
    assert arrays[frame["maps"]].size == sum(shown) * frame["map_size"] ** 2


def test_scene_carries_points_curves_and_hides_the_diagram_on_request(trained):
    arrays = live_frames._Arrays()
    scene = live_frames.scene(trained, arrays, diagram=False)
    assert scene["diagram"] is None
    xy = arrays.items[scene["points"]["xy"]]
    assert xy.shape == (len(trained.dataset.y_train), 2)  # 250 points: all drawn
    assert not arrays.items[scene["points"]["test"]].any()
    shown = live_frames.scene(make_session(show_test=True), live_frames._Arrays())
    assert shown["id"] != scene["id"]
    curves = arrays.items[scene["curves"]]
    assert curves.shape[0] == 5 and curves[0, -1] == trained.epoch  # epoch row ends now
    assert [label for label, *_ in scene["series"]] == [
        "train loss",
        "test loss",
        "train accuracy",
        "test accuracy",
    ]


def test_no_test_set_is_null_not_nan():
    session = make_session(
        dataset="points", points=((0.0, 1.0, 0), (1.0, 0.0, 1), (2.0, 2.0, 1), (-1.0, 0.5, 0))
    )
    recorder = live_frames.FrameRecorder(session, 16)
    recorder.capture()
    payload = recorder.payload(False, 0.0)
    header, _ = live_frames.unpack(payload)
    assert header["frames"][0]["test_loss"] is None
    json.loads(payload[8 : 8 + int.from_bytes(payload[4:8], "little")])  # strict JSON


def test_a_payload_is_compact(trained):
    recorder = live_frames.FrameRecorder(trained, 64)
    for _ in range(8):
        recorder.capture()
    size = len(recorder.payload(True, 0.03))
    # 8 frames of the defaults: 64 x 64 boundary bytes + 19 maps of 16 x 16 + weights, each.
    per_frame = 64 * 64 + 19 * 16 * 16 + 4 * (16 + 64 + 8 + 17)
    assert size < 8 * per_frame + 20_000


def test_unpack_refuses_other_bytes():
    with pytest.raises(ValueError, match="not a live-frames payload"):
        live_frames.unpack(b"<svg></svg>")


def test_only_uint8_and_float32_travel():
    with pytest.raises(TypeError, match="uint8 and float32"):
        live_frames._Arrays().add(np.zeros(3, np.float64))


def test_the_canvas_draws_weights_with_the_palettes_widths(trained):
    scene = live_frames.scene(trained, live_frames._Arrays())
    thinnest, thickest, clamp = scene["weight_width"]
    for w in (0.0, 0.5, 2.5, 5.0, 12.0, -3.0):  # the canvas's formula, with the scene's numbers
        drawn = thinnest + (thickest - thinnest) * min(abs(w), clamp) / clamp
        assert drawn == pytest.approx(float(palette.weight_width(w)))
