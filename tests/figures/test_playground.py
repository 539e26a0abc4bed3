"""The Playground's figures (core/figures: boundary colours, Plotly figures, SVG views, palette):
valid, lean, colour-blind safe, and the Plotly and SVG pictures drawn with the same markers."""

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core import playground as pg
from core.figures import boundary_colours, palette
from core.figures import playground as figures
from core.playground import DEFAULT, PlaygroundSession
from core.playground.experiments import RaceResult


@pytest.fixture(scope="module")
def sessions():
    made = {}
    for name, changes in {
        "binary": {},
        "multiclass": {"dataset": "blobs", "classes": 4},
        "regression": {"dataset": "multi_gaussian"},
    }.items():
        config = replace(DEFAULT, **changes)
        session = PlaygroundSession(config, pg.make_data(config))
        session.train(100, 30)
        made[name] = session
    return made


def _validated(figure: go.Figure) -> dict:
    """Round-trip through Plotly's validation (raises on any invalid property)."""
    return go.Figure(figure.to_dict()).to_dict()


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("discretize", [False, True])
def test_boundary_figure_is_valid_and_lean(sessions, task, discretize):
    session = sessions[task]
    boundary = session.boundary(100)
    figure = figures.boundary_figure(boundary, session.dataset, show_test=True, discretize=discretize)
    spec = _validated(figure)
    heat = spec["data"][0]
    assert heat["type"] == "heatmap" and heat["zsmooth"] is False
    z = figure.data[0].z
    assert z.dtype == np.float32 and z.shape == (100, 100)
    assert figure.layout.template.layout.to_plotly_json() == {}  # template "none": no theme bulk
    size = len(pio.to_json(figure, validate=False))
    assert size < 120_000, size  # 100x100 float32 + 500 points
    if discretize and task == "binary":
        assert set(np.unique(z)) <= {0.0, 1.0}
    points = [t for t in spec["data"][1:] if t["type"] == "scatter"]
    assert points and all(len(t["x"]) <= palette.MAX_DRAWN_POINTS for t in points)


def test_multiclass_heat_map_encodes_the_class(sessions):
    session = sessions["multiclass"]
    boundary = session.boundary(40)
    z, zmin, zmax, scale, hover = boundary_colours.boundary_z(boundary, False)
    np.testing.assert_array_equal(np.floor(z).astype(np.uint8), boundary.classes)
    assert zmin == 0 and zmax == boundary.n_classes and "class" in hover
    assert [stop[0] for stop in scale] == sorted(stop[0] for stop in scale)  # a valid scale


def test_many_points_are_subsampled():
    config = replace(DEFAULT, n_samples=5000)
    session = PlaygroundSession(config, pg.make_data(config))
    figure = figures.boundary_figure(session.boundary(30), session.dataset, show_test=True)
    assert sum(len(t.x) for t in figure.data[1:]) <= 2 * palette.MAX_DRAWN_POINTS


def test_curves_are_decimated(sessions):
    curves = {name: np.arange(10_000, dtype=np.float32) for name in pg.CurveHistory.COLUMNS}
    figure = figures.curves_figure(curves, "binary", max_points=300)
    _validated(figure)
    assert len(figure.data) == 4
    for trace in figure.data:
        assert len(trace.x) <= 301 and trace.x[-1] == 9_999
    assert figure.layout.hovermode == "x unified"  # hover values
    regression = figures.curves_figure(sessions["regression"].curves.arrays(), "regression")
    assert regression.layout.yaxis2.title.text == "R²"
    assert regression.layout.yaxis2.range[0] >= -1.0  # a very negative R² does not squash the axis
    empty = figures.curves_figure({name: np.zeros(0) for name in pg.CurveHistory.COLUMNS}, "binary")
    assert len(empty.data) == 0 and empty.layout.yaxis2.title.text == "accuracy"  # axes, no lines yet


def _network_args(session, selected=None):
    maps = session.neuron_maps(12)
    titles = ["in"] + [f"h{i}" for i in range(len(session.config.hidden))] + ["out"]
    return (maps, session.column_names(), session.network.weights, session.network.biases, titles, selected)


def test_network_figure_shows_every_neuron_as_a_picture():
    config = replace(DEFAULT, hidden=(20, 3), activations=("relu", "tanh"))
    session = PlaygroundSession(config, pg.make_data(config))
    figure = figures.network_figure(*_network_args(session, selected=(1, 2)))
    spec = _validated(figure)
    images = spec["layout"]["images"]
    assert len(images) == 2 + 12 + 3 + 1  # 20-neuron layer: first 12 shown
    assert all(image["source"].startswith("data:image/png;base64,") for image in images)
    assert any("+8" in a["text"] for a in spec["layout"]["annotations"])
    lines = [t for t in spec["data"] if t["mode"] == "lines"]
    assert len(lines) <= 10  # edges grouped by sign and thickness
    colours = {t["line"]["color"] for t in lines}
    assert colours <= {palette.BLUE, palette.ORANGE}
    assert len(spec["layout"]["shapes"]) == 1  # the selected neuron's outline
    hover = [t for t in spec["data"] if t["mode"] == "markers"]
    assert any("w = " in text for t in hover for text in t["text"])
    assert any("bias" in text for t in hover for text in t["text"])


def test_edge_width_follows_the_weight():
    config = replace(DEFAULT, hidden=(2,), activations=("tanh",))
    session = PlaygroundSession(config, pg.make_data(config))
    session.set_weight(0, 0, 0, 3.0)
    session.set_weight(0, 1, 1, -0.01)
    figure = figures.network_figure(*_network_args(session))
    widths = {(t.line.color, t.line.width) for t in figure.data if t.mode == "lines"}
    assert (palette.BLUE, 3.6) in widths  # |w| = 3 of the clamp's 5: absolute, not relative to the max
    assert any(colour == palette.ORANGE and width < 1 for colour, width in widths)


def test_neuron_figure(sessions):
    detail = sessions["binary"].neuron_detail(0, 0, 30)
    figure = figures.neuron_figure(detail["map"], detail["extent"], "H1.1", sessions["binary"].dataset)
    _validated(figure)
    heat, points = figure.data
    assert heat.type == "heatmap" and heat.zmin == -heat.zmax  # 0 in the middle of the scale
    np.testing.assert_array_equal(heat.z, detail["map"])
    assert len(points.x) == min(400, len(sessions["binary"].dataset.X_train))
    assert figure.layout.title.text == "H1.1"


def test_neuron_image_is_the_map_with_the_points(sessions):
    session = sessions["binary"]
    detail = session.neuron_detail(0, 0, resolution=30)
    picture, scale = figures.neuron_image(detail["map"], detail["extent"], session.dataset, size=150)
    assert picture.shape == (150, 150, 3) and picture.dtype == np.uint8
    assert scale == pytest.approx(float(np.abs(detail["map"]).max()))
    bare, _ = figures.neuron_image(detail["map"], detail["extent"], None, size=150)
    dots = np.abs(picture.astype(int) - bare.astype(int)).sum(axis=2) > 60
    assert 50 < dots.sum() < 150 * 150 // 4  # the training points, drawn small
    # Row 0 is the top of the plane: the map's top row (high x2), as boundary_rgb has it.
    top = palette.signed_rgb(detail["map"][-1:], scale=scale)[0, 15].astype(int)
    assert np.abs(bare[2, 75].astype(int) - top).max() < 40


def test_race_figure_draws_each_optimizer_test_and_train_loss():
    results = [
        RaceResult("sgd", 0.03, [0, 1, 2], [0.7, 0.6, 0.5], [0.8, 0.7, 0.65], 0.8, 0.1),
        RaceResult("adam", 0.03, [0, 1, 2], [0.7, 0.4, 0.2], [0.8, 0.5, 0.3], 0.9, 0.1),
    ]
    figure = figures.race_figure(results)
    _validated(figure)
    assert [t.name for t in figure.data] == ["sgd (test)", "sgd (train)", "adam (test)", "adam (train)"]
    adam_test = figure.data[2]
    np.testing.assert_allclose(adam_test.y, [0.8, 0.5, 0.3], rtol=1e-6)
    np.testing.assert_array_equal(adam_test.x, [0, 1, 2])
    colours = [t.line.color for t in figure.data]
    assert colours[0] == colours[1] != colours[2] == colours[3]  # one colour per optimizer
    assert figure.data[1].line.dash == "dot" and figure.data[1].showlegend is False


def test_race_figure_decimates_long_races():
    epochs = list(range(5001))
    long_race = RaceResult("sgd", 0.03, epochs, [1.0] * 5001, [1.0] * 5001, 0.5, 1.0)
    figure = figures.race_figure([long_race])
    assert all(len(trace.x) <= 300 and trace.x[-1] == 5000 for trace in figure.data)


def test_signed_colours():
    rgb = palette.signed_rgb(np.array([-2.0, 0.0, 2.0]))
    assert tuple(rgb[0]) == tuple(int(palette.ORANGE[i : i + 2], 16) for i in (1, 3, 5))
    assert tuple(rgb[2]) == tuple(int(palette.BLUE[i : i + 2], 16) for i in (1, 3, 5))
    assert rgb[1].min() > 230  # zero is near white
    assert palette.signed_rgb(np.zeros((3, 3))).shape == (3, 3, 3)  # no division by zero


def _simulate_deuteranopia(rgb):
    """Machado et al. (2009) deuteranopia matrix, severity 1, on linear RGB."""
    m = np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    )
    linear = (np.asarray(rgb, float) / 255) ** 2.2
    return np.clip(linear @ m.T, 0, 1) ** (1 / 2.2) * 255


def _simulate_protanopia(rgb):
    m = np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    )
    linear = (np.asarray(rgb, float) / 255) ** 2.2
    return np.clip(linear @ m.T, 0, 1) ** (1 / 2.2) * 255


def test_class_colours_stay_distinct_for_colour_blind_viewers():
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette.CLASS_COLOURS[:2]])
    for simulate in (_simulate_deuteranopia, _simulate_protanopia):
        a, b = simulate(rgb)
        assert np.linalg.norm(a - b) > 120, simulate.__name__  # orange vs blue: far apart
    assert len(set(palette.CLASS_SYMBOLS)) >= 5  # and shapes differ, not only colours


def test_boundary_rgb_puts_high_y_at_the_top(sessions):
    boundary = sessions["binary"].boundary(20)
    boundary.values[:] = 0.0
    boundary.values[-1, :] = 1.0  # the last grid row is the top of the plane (largest x2)
    rgb = boundary_colours.boundary_rgb(boundary)
    assert rgb.shape == (20, 20, 3) and rgb.dtype == np.uint8
    assert rgb[0, 0, 2] > rgb[0, 0, 0]  # top row blue (class 1)
    assert rgb[-1, 0, 0] > rgb[-1, 0, 2]  # bottom row orange (class 0)


def test_one_set_of_markers_for_plotly_and_the_canvas():
    """Class k has one marker: Plotly's symbol of that name, and the path the live canvas draws
    for it (core/figures/live_frames.py sends palette.MARKERS in the same order)."""
    from core.figures import live_frames

    assert len(palette.MARKERS) == len(palette.CLASS_COLOURS) == len(set(palette.MARKERS.values()))
    for name in palette.MARKERS:
        go.scatter.Marker(symbol=name)  # a symbol Plotly knows (raises otherwise)
    config = replace(DEFAULT, dataset="blobs", classes=6)
    session = PlaygroundSession(config, pg.make_data(config))
    assert set(np.unique(session.dataset.y_train)) == set(range(6))
    boundary = session.boundary(20)
    plotly_symbols = {
        t.name: t.marker.symbol for t in figures.boundary_figure(boundary, session.dataset).data[1:]
    }
    arrays = live_frames._Arrays()
    scene = live_frames.scene(session, arrays)
    markers = arrays.items[scene["points"]["marker"]]
    rgb = arrays.items[scene["points"]["rgb"]]
    for c in range(6):
        name = palette.class_symbol(c)
        assert plotly_symbols[f"class {c} (train)"] == name
        mine = session.dataset.y_train == c
        assert set(markers[mine]) == {c} and scene["markers"][c] == palette.MARKERS[name]
        assert (rgb[mine] == palette.hex_rgb(palette.class_colour(c))).all()
    assert palette.class_symbol(5) == "star" and palette.class_symbol(6) == "circle"  # class 6 wraps round
