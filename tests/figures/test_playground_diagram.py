"""The network diagram (issue 19, items 4 and 5): inputs labelled, every map of a layer on its
activation's one scale, weight widths absolute (clamped at |w| = 5), biases drawn, and the
output neuron of class k in class k's colour (the colour of its points). The live canvas draws
what core/figures/live_frames.py sends; the paused Plotly figure is `network_figure`."""

from dataclasses import replace

import numpy as np

from core import playground as pg
from core.figures import live_frames, palette
from core.figures import playground as figures
from core.playground import DEFAULT, PlaygroundSession


def _args(session):
    maps = session.neuron_maps(12)
    titles = ["in"] + [f"h{i}" for i in range(len(session.config.hidden))] + ["out"]
    kinds = ["input", *session.config.activations, session.head]
    return (maps, session.column_names(), session.network.weights, session.network.biases, titles), kinds


def _frame(session):
    recorder = live_frames.FrameRecorder(session, 12)
    recorder.capture()
    return live_frames.unpack(recorder.payload(False, 0.0))


def test_inputs_and_outputs_are_labelled():
    config = replace(
        DEFAULT, features=("x1", "x2", "x1^2", "x1*x2", "sin(x1)"), hidden=(3,), activations=("tanh",)
    )
    session = PlaygroundSession(config, pg.make_data(config))
    args, kinds = _args(session)
    header, _ = _frame(session)
    names = {name for column in header["scene"]["diagram"]["names"] for name in column}
    assert {"x₁", "x₂", "x₁²", "x₁x₂", "sin x₁", "output"} <= names
    figure = figures.network_figure(*args, kinds=kinds)
    annotations = {a.text for a in figure.layout.annotations}
    assert {"x₁", "x₂", "x₁²", "x₁x₂", "sin x₁", "output"} <= annotations


def test_sigmoid_at_one_half_is_drawn_mid_scale():
    stack = np.full((2, 4, 4), 0.5, dtype=np.float32)
    rgb, (lo, hi) = palette.column_rgb(stack, "sigmoid")
    assert (lo, hi) == (0.0, 1.0)
    middle = palette.hex_rgb(palette.MIDDLE)
    assert np.abs(rgb.astype(float) - middle).max() <= 2  # grey, not saturated blue
    rgb, _ = palette.column_rgb(np.full((1, 2, 2), 0.999, np.float32), "sigmoid")
    np.testing.assert_allclose(rgb[0, 0, 0], palette.hex_rgb(palette.BLUE), atol=2)
    rgb, _ = palette.column_rgb(np.zeros((1, 2, 2), np.float32), "tanh")
    np.testing.assert_allclose(rgb[0, 0, 0], middle, atol=2)
    assert palette.column_range("tanh", np.zeros((1, 1, 1))) == (-1.0, 1.0)


def test_a_layer_shares_one_scale():
    # A neuron whose outputs are all small must look pale next to one that reaches the layer's max.
    stack = np.stack([np.full((3, 3), 0.1), np.full((3, 3), 2.0)]).astype(np.float32)
    rgb, (lo, hi) = palette.column_rgb(stack, "relu")
    assert (lo, hi) == (-2.0, 2.0)
    assert not np.array_equal(rgb[0], rgb[1])
    np.testing.assert_allclose(rgb[1, 0, 0], palette.hex_rgb(palette.BLUE), atol=2)
    pale = np.abs(rgb[0, 0, 0].astype(float) - palette.hex_rgb(palette.MIDDLE)).max()
    assert pale < 20


def test_weight_width_is_absolute_and_clamped_at_five():
    assert palette.weight_width(10.0) == palette.weight_width(5.0) == 5.0
    assert palette.weight_width(-10.0) == palette.weight_width(5.0)
    assert palette.weight_width(0.0) == 0.4
    assert palette.weight_width(2.5) < palette.weight_width(5.0)
    config = replace(DEFAULT, hidden=(2,), activations=("tanh",))
    session = PlaygroundSession(config, pg.make_data(config))
    session.set_weight(0, 0, 0, 10.0)
    session.set_weight(0, 1, 1, 5.0)
    session.set_weight(0, 0, 1, 0.5)
    header, arrays = _frame(session)  # the canvas gets the weights themselves, row by row
    sent = arrays[header["frames"][0]["weights"]][:4]
    np.testing.assert_array_equal(sent, session.network.weights[0].reshape(-1))
    assert sent[0] == 10.0 and sent[3] == 5.0 and sent[1] == 0.5


def test_biases_are_drawn_and_in_the_hover():
    config = replace(DEFAULT, hidden=(2,), activations=("tanh",))
    session = PlaygroundSession(config, pg.make_data(config))
    session.network.biases[0][:] = [2.0, -1.0]
    args, kinds = _args(session)
    header, arrays = _frame(session)
    biases = arrays[header["frames"][0]["biases"]]
    assert len(biases) == 2 + 1 and list(biases[:2]) == [2.0, -1.0]  # one per hidden and output neuron
    figure = figures.network_figure(*args, kinds=kinds)
    hover = [t for t in figure.data if t.mode == "markers" and t.hoverinfo == "text"]
    assert any("bias +2.000" in text for t in hover for text in t.text)
    marks = [t for t in figure.data if t.marker.symbol == "square"]
    assert len(marks) == 1 and len(marks[0].x) == 3  # the bias squares of the paused view


def test_output_neuron_of_class_k_has_class_k_colour():
    config = replace(DEFAULT, dataset="blobs", classes=4, hidden=(3,), activations=("tanh",))
    session = PlaygroundSession(config, pg.make_data(config))
    assert session.head == "softmax_ce"
    index, luts, _ = palette.column_index(np.ones((4, 3, 3), np.float32), session.head)
    for k in range(4):  # every class fully sure: the pure class colour
        np.testing.assert_allclose(
            palette.MAP_LUTS[luts[k]][index[k, 1, 1]], palette.hex_rgb(palette.class_colour(k)), atol=2
        )
    header, _ = _frame(session)
    assert header["frames"][0]["map_luts"][-4:] == [1, 2, 3, 4]  # what the canvas colours them with
    # class 0 is orange in the diagram as in the points (not blue, issue 19 item 4)
    assert palette.class_colour(0) == palette.ORANGE


def test_inputs_keep_their_own_scales():
    # x1 reaches 6 and x1^2 reaches 36 on the plane: one shared scale would wash x1 out.
    stack = np.stack([np.full((2, 2), 6.0), np.full((2, 2), 36.0)]).astype(np.float32)
    rgb, scale = palette.column_rgb(stack, "input")
    assert scale is None and palette.range_text(scale) == "own scales"
    np.testing.assert_array_equal(rgb[0], rgb[1])  # both at their own maximum: full blue
    assert palette.range_text((0.0, 1.0)) == "0 … 1" and palette.range_text((-1.0, 1.0)) == "±1"
