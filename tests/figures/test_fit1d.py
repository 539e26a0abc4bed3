"""core.figures.fit1d: the fit figure's traces carry the points, the curve, each unit's
contribution (at most MAX_DRAWN_UNITS), the bias, and for clicking an invisible grid."""

from dataclasses import replace

import numpy as np

from core.figures import fit1d as figures
from core.playground import DEFAULT, fit1d


def curve_of(hidden, activation="tanh"):
    c = replace(DEFAULT, hidden=tuple(hidden), activations=(activation,) * len(hidden))
    network = fit1d.fit_network(c)
    network.biases[-1][...] = 0.25
    return fit1d.fit_curve(network)


def by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_points_curve_units_and_bias():
    curve = curve_of((5,))
    x, y = fit1d.sample_target("abs", 20, 0.0, seed=0)
    figure = figures.fit_figure(curve, x, y)
    traces = by_name(figure)
    assert list(traces) == ["data", "fit", *[f"unit {j}" for j in range(1, 6)], "bias"]
    half = 0.5 * 10.0**-figures.DECIMALS  # values are sent rounded
    np.testing.assert_allclose(traces["data"].x, x[:, 0], atol=half)
    np.testing.assert_allclose(traces["data"].y, np.abs(x[:, 0]), atol=half)  # noise 0: y = |x|
    np.testing.assert_allclose(traces["fit"].y, curve.y_hat, atol=half)
    units = np.column_stack([traces[f"unit {j}"].y for j in range(1, 6)])
    np.testing.assert_allclose(units.sum(axis=1) + 0.25, traces["fit"].y, atol=6 * half)  # they add up
    assert list(traces["bias"].y) == [0.25, 0.25] and traces["bias"].line.dash == "dash"
    for name in ["data", "fit"]:
        assert traces[name].xaxis in (None, "x") and traces[name].yaxis in (None, "y")
    for j in range(1, 6):
        assert (traces[f"unit {j}"].xaxis, traces[f"unit {j}"].yaxis) == ("x2", "y2")  # below, shared x
    assert figure.layout.xaxis.matches == "x2"
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1]  # curve on top


def test_wide_layers_draw_the_first_sixteen_units():
    curve = curve_of((40,), "relu")
    figure = figures.fit_figure(curve, [], [])
    units = [t for t in figure.data if t.name.startswith("unit ")]
    assert len(units) == figures.MAX_DRAWN_UNITS == figures.drawn_units(curve)
    assert units[-1].name == "unit 16"


def test_no_hidden_layer_draws_the_line_term():
    curve = curve_of(())
    names = [t.name for t in figures.fit_figure(curve, [], []).data]
    assert names == ["data", "fit", "v·x", "bias"]


def test_click_grid_is_the_last_trace_and_covers_the_plot():
    figure = figures.fit_figure(curve_of((3,)), [], [], clickable=True)
    grid = figure.data[-1]
    assert grid.name == figures.CLICK_TRACE_NAME
    assert len(grid.x) == figures.CLICK_GRID[0] * figures.CLICK_GRID[1]
    assert (min(grid.x), max(grid.x)) == fit1d.X_RANGE and (min(grid.y), max(grid.y)) == fit1d.Y_RANGE
    assert grid.yaxis in (None, "y")  # on the top plot, where the points are
    assert figures.CLICK_TRACE_NAME not in [t.name for t in figures.fit_figure(curve_of((3,)), [], []).data]
