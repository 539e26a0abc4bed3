"""The Learn page's descent and optimizer figures: what they draw, from the computed paths."""

import numpy as np

from core.figures.lesson import (
    OPTIMIZER_COLOURS,
    descent_1d_figure,
    descent_2d_figure,
    losses_figure,
    spread_labels,
)
from core.lesson.descent import SURFACES, descend
from core.lesson.optimizer_race import HYPERPARAMETERS, race


def test_step_labels_skip_points_that_pile_up():
    assert spread_labels([2.0, 1.0, 0.5, 0.25, 0.1], gap=0.3) == ["0", "1", "2", "", "4"]


def test_1d_figure_draws_the_path_on_the_bowl():
    surface = SURFACES["1-D bowl"]
    path = descend(surface, 0.5, steps=5)
    figure = descent_1d_figure(surface, path)
    steps = figure.data[1]
    np.testing.assert_allclose(steps.x, path.points[:, 0])
    np.testing.assert_allclose(steps.y, path.losses)
    assert figure.layout.title.text == "lr = 0.5"


def test_diverging_path_is_clipped_to_the_plot():
    surface = SURFACES["1-D bowl"]
    path = descend(surface, 2.5, steps=30)  # reaches 2 * 1.5^30, about 3.8e5
    figure = descent_1d_figure(surface, path)
    assert max(abs(v) for v in figure.data[1].x) <= 10.0
    assert max(abs(v) for v in figure.data[0].x) == 10.0


def test_optimizers_keep_one_colour_in_both_charts():
    surface = SURFACES["ravine"]
    runs = race(surface, HYPERPARAMETERS, steps=5)
    names = [r.name for r in runs]
    paths = descent_2d_figure(surface, [r.points for r in runs], names).data[1:]
    losses = losses_figure([r.losses for r in runs], names).data
    assert [t.line.color for t in paths] == [OPTIMIZER_COLOURS[n] for n in names]
    assert [t.line.color for t in losses] == [OPTIMIZER_COLOURS[n] for n in names]
    assert len(set(OPTIMIZER_COLOURS.values())) == 6
