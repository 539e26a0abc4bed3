"""Schedules' end: cosine with warm restarts never leaves the rate at its minimum."""

import math

import pytest

from core.engine.schedules import learning_rate_at, validate_schedule


def test_cosine_without_restart_stays_at_its_minimum_after_the_period():
    assert learning_rate_at("cosine", 0.1, 250, period=200) == 0.0


@pytest.mark.parametrize("epoch", [0, 200, 400, 1000])
def test_cosine_with_restart_is_back_at_the_base_rate_every_period(epoch):
    assert learning_rate_at("cosine", 0.1, epoch, period=200, restart=True) == pytest.approx(0.1)


def test_cosine_with_restart_repeats_its_curve():
    first = [learning_rate_at("cosine", 0.1, e, period=50, restart=True) for e in range(50)]
    third = [learning_rate_at("cosine", 0.1, e, period=50, restart=True) for e in range(100, 150)]
    assert first == pytest.approx(third)
    # half way through a period: the mean of base and minimum, (1 + cos(pi/2)) / 2 = 1/2
    assert learning_rate_at("cosine", 0.1, 125, period=50, restart=True) == pytest.approx(0.05)
    assert learning_rate_at("cosine", 0.1, 149, period=50, restart=True) == pytest.approx(
        0.05 * (1 + math.cos(math.pi * 49 / 50))
    )


def test_restart_must_be_a_bool():
    validate_schedule("cosine", {"restart": True})
    with pytest.raises(ValueError, match="restart must be True or False"):
        validate_schedule("cosine", {"restart": "yes"})
