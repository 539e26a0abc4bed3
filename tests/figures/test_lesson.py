"""core/figures/lesson.py: the Learn page's charts show the lesson's numbers."""

import numpy as np
import pytest

from core import lesson
from core.figures import lesson as figures


@pytest.mark.parametrize("points, dtick", [(1, 1), (10, 1), (11, 2), (21, 3), (101, 11)])
def test_step_ticks_are_whole_steps_about_ten_of_them(points, dtick):
    assert figures.step_ticks(points) == dtick


def test_activation_figure_marks_the_neuron_on_its_curve():
    z, a = lesson.activation_curve("tanh")
    figure = figures.activation_figure(z, a, 0.5, float(np.tanh(0.5)), "tanh")
    curve, point = figure.data
    np.testing.assert_array_equal(curve.x, z)
    np.testing.assert_array_equal(curve.y, a)
    assert point.x == (0.5,) and point.y == (pytest.approx(np.tanh(0.5)),)
    assert figure.layout.title.text == "tanh" and curve.name == "f = tanh"


def test_update_loss_figure():
    figure = figures.update_loss_figure([1.0, 0.8, 0.7])
    assert figure.data[0].x == (0, 1, 2) and figure.data[0].y == (1.0, 0.8, 0.7)
    assert figure.layout.xaxis.dtick == 1


def test_symmetry_loss_figure_has_one_curve_per_initialization():
    runs = [lesson.symmetry_run([3, 4, 3], "sigmoid", init, steps=25) for init in ("zeros", "he")]
    figure = figures.symmetry_loss_figure(runs)
    assert [t.name for t in figure.data] == ["zeros init", "he init"]
    assert list(figure.data[1].y) == runs[1].losses
    assert figure.layout.xaxis.dtick == figures.step_ticks(26) == 3
