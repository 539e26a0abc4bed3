"""The Playground's figures (core/figures/playground.py): valid, lean, colour-blind safe."""

import base64
import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image

from core.figures import playground as figures
from core.playground import session as pg
from core.playground.session import DEFAULT, PlaygroundSession


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
    assert points and all(len(t["x"]) <= figures.MAX_DRAWN_POINTS for t in points)


def test_multiclass_heat_map_encodes_the_class(sessions):
    session = sessions["multiclass"]
    boundary = session.boundary(40)
    z, zmin, zmax, scale, hover = figures.boundary_z(boundary, False)
    np.testing.assert_array_equal(np.floor(z).astype(np.uint8), boundary.classes)
    assert zmin == 0 and zmax == boundary.n_classes and "class" in hover
    assert [stop[0] for stop in scale] == sorted(stop[0] for stop in scale)  # a valid scale


def test_many_points_are_subsampled():
    config = replace(DEFAULT, n_samples=5000)
    session = PlaygroundSession(config, pg.make_data(config))
    figure = figures.boundary_figure(session.boundary(30), session.dataset, show_test=True)
    assert sum(len(t.x) for t in figure.data[1:]) <= 2 * figures.MAX_DRAWN_POINTS


def test_curves_are_decimated(sessions):
    curves = {name: np.arange(10_000, dtype=np.float32) for name in pg.CurveHistory.COLUMNS}
    figure = figures.curves_figure(curves, "binary", max_points=300)
    _validated(figure)
    assert len(figure.data) == 4
    for trace in figure.data:
        assert len(trace.x) <= 301 and trace.x[-1] == 9_999
    assert figure.layout.hovermode == "x unified"  # hover values
    assert (
        figures.curves_figure(sessions["regression"].curves.arrays(), "regression").layout.yaxis2.title.text
        == "R²"
    )
    figures.curves_figure({name: np.zeros(0) for name in pg.CurveHistory.COLUMNS}, "binary")


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
    assert colours <= {figures.BLUE, figures.ORANGE}
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
    assert (figures.BLUE, 5.0) in widths  # the biggest |w| gets the thickest line
    assert any(colour == figures.ORANGE and width < 1 for colour, width in widths)


def test_neuron_and_race_and_editor_figures(sessions):
    detail = sessions["binary"].neuron_detail(0, 0, 30)
    _validated(figures.neuron_figure(detail["map"], detail["extent"], "H1.1", sessions["binary"].dataset))
    _validated(figures.points_editor_figure([(0, 0, 0), (1, 1, 1), (2, 2, 2)]))
    _validated(figures.points_editor_figure([(0, 0, 0.5), (1, 1, -1.5)]))
    _validated(figures.points_editor_figure([]))


def test_signed_colours():
    rgb = figures.signed_rgb(np.array([-2.0, 0.0, 2.0]))
    assert tuple(rgb[0]) == tuple(int(figures.ORANGE[i : i + 2], 16) for i in (1, 3, 5))
    assert tuple(rgb[2]) == tuple(int(figures.BLUE[i : i + 2], 16) for i in (1, 3, 5))
    assert rgb[1].min() > 230  # zero is near white
    assert figures.signed_rgb(np.zeros((3, 3))).shape == (3, 3, 3)  # no division by zero


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
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in figures.CLASS_COLOURS[:2]])
    for simulate in (_simulate_deuteranopia, _simulate_protanopia):
        a, b = simulate(rgb)
        assert np.linalg.norm(a - b) > 120, simulate.__name__  # orange vs blue: far apart
    assert len(set(figures.CLASS_SYMBOLS)) >= 5  # and shapes differ, not only colours


def test_boundary_rgb_puts_high_y_at_the_top(sessions):
    boundary = sessions["binary"].boundary(20)
    boundary.values[:] = 0.0
    boundary.values[-1, :] = 1.0  # the last grid row is the top of the plane (largest x2)
    rgb = figures.boundary_rgb(boundary)
    assert rgb.shape == (20, 20, 3) and rgb.dtype == np.uint8
    assert rgb[0, 0, 2] > rgb[0, 0, 0]  # top row blue (class 1)
    assert rgb[-1, 0, 0] > rgb[-1, 0, 2]  # bottom row orange (class 0)


def _svg_root(html: str):
    src = html.split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    return ET.fromstring(svg)


NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_live_svg_views_are_well_formed(sessions, task):
    session = sessions[task]
    root = _svg_root(
        figures.svg_image_html(
            figures.svg_boundary(session.boundary(50), session.dataset, True, task == "binary"),
            400,
            "boundary",
        )
    )
    image = root.find(f"{NS}image")
    png = base64.b64decode(image.get("href").split(",", 1)[1])
    assert Image.open(io.BytesIO(png)).size == (50, 50)
    assert len(root.findall(f"{NS}path")) >= 2  # points, one path per class / colour
    curves = _svg_root(
        figures.svg_image_html(figures.svg_curves(session.curves.arrays(), session.task), 400, "curves")
    )
    assert len(curves.findall(f"{NS}polyline")) == 4
    network = _svg_root(
        figures.svg_image_html(figures.svg_network(*_network_args(session, (1, 0))), 500, "net")
    )
    nodes = network.findall(f"{NS}svg")
    assert len(nodes) == sum(m.shape[0] for m in session.neuron_maps(12))
    assert len(network.findall(f"{NS}line")) == sum(w.size for w in session.network.weights)


def test_live_views_are_small(sessions):
    session = sessions["binary"]
    total = sum(
        len(html)
        for html in (
            figures.svg_image_html(figures.svg_boundary(session.boundary(100), session.dataset), 1, ""),
            figures.svg_image_html(figures.svg_curves(session.curves.arrays(), "binary"), 1, ""),
            figures.svg_image_html(figures.svg_network(*_network_args(session)), 1, ""),
        )
    )
    assert total < 150_000, total


def test_ticks():
    assert list(figures._ticks(-6, 6)) == [-6, -4, -2, 0, 2, 4, 6] or list(figures._ticks(-6, 6)) == [
        -5,
        0,
        5,
    ]
    assert len(figures._ticks(0, 1, 5)) >= 3
    assert list(figures._ticks(1, 1)) == [1]
