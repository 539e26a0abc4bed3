"""The live health picture: the numbers it draws are the statistics' own."""

import re
import xml.etree.ElementTree as ET

import numpy as np

from core.engine.layer_statistics import layer_statistics
from core.engine.network import Network
from core.figures import health_svg as svg

NS = "{http://www.w3.org/2000/svg}"


def picture(stats, epochs, norms):
    return ET.fromstring(svg.health_svg(stats, epochs, norms))


def network_stats():
    net = Network([2, 6, 4, 1], ["relu", "tanh"], "sigmoid_bce", "he", rng=0)
    X = np.random.default_rng(0).normal(size=(200, 2)).astype(np.float32)
    return layer_statistics(net, X)


def test_one_line_per_layer_placed_on_the_log_scale():
    stats = network_stats()
    epochs = np.array([1.0, 2.0, 3.0])
    norms = np.tile([1e-3, 1e-2, 1e-1], (3, 1))  # rows are epochs; layer k stays at 10^(k-3)
    root = picture(stats, epochs, norms)
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 3
    left, top, right, bottom = svg.CHART
    # decades -3 .. -1 span the plot's height: layer 0 (1e-3) at the bottom, layer 2 (1e-1) at the top
    ys = [float(line.get("points").split()[0].split(",")[1]) for line in lines]
    assert ys == [bottom, (top + bottom) / 2, top]
    xs = [float(p.split(",")[0]) for p in lines[0].get("points").split()]
    assert xs == [left, (left + right) / 2, right]


def test_the_shares_and_weight_norms_are_written_out():
    stats = network_stats()
    text = " ".join(t.text for t in picture(stats, np.zeros(0), np.zeros((0, 0))).iter(f"{NS}text"))
    assert f"{stats[0].dead_share:.0%}" in text  # the ReLU layer's dead share
    assert f"{stats[1].saturated_share:.0%}" in text  # the tanh layer's saturated share
    for s in stats:
        assert f"‖W‖ {s.weight_norm:.3g}" in text
    assert "after the first epoch" in text  # no gradient yet


def test_histogram_bars_follow_the_counts():
    stats = network_stats()
    root = picture(stats, np.zeros(0), np.zeros((0, 0)))
    colour = svg.layer_colour(1, len(stats))
    left, width = svg.HIST
    bars = [
        r
        for r in root.iter(f"{NS}rect")
        if r.get("fill") == colour and left <= float(r.get("x")) < left + width  # the sparkline column
    ]
    heights = np.array([float(b.get("height")) for b in bars])
    counts = stats[1].counts[stats[1].counts > 0].astype(float)
    np.testing.assert_allclose(heights, counts / counts.max() * (svg.ROW - 6), atol=0.06)


def test_nothing_a_layer_name_holds_can_break_the_markup():
    assert re.fullmatch(r"&lt;b&gt;", svg._text(0, 0, "<b>").split(">", 1)[1].rsplit("<", 1)[0])
