"""Issue 19, item 4: the symmetry lesson. Neurons that start alike stay identical however long they
train, and the page says so; random starts are never reported as symmetric."""

from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.playground import DEFAULT, PlaygroundSession
from core.playground.symmetry import identical_layers, symmetry_note


def trained(**changes):
    config = replace(DEFAULT, **changes)
    session = PlaygroundSession(config, pg.make_data(config))
    session.train_epochs(30)
    return session


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_same_start_stays_identical_while_the_network_learns(activation):
    session = trained(init="same", activations=(activation, activation), optimizer="adam")
    assert identical_layers(session.network) == [0, 1]
    first = session.network.layers[0]
    np.testing.assert_array_equal(first.weights[:, 3], first.weights[:, 0])
    assert not np.allclose(first.weights, 1 / np.sqrt(2))  # they did move, all together
    note = symmetry_note(session.network, session.epoch)
    assert note.startswith("Symmetry: after 30 epochs every neuron of hidden layers 1 (8 neurons), 2 (8")


def test_random_starts_are_not_symmetric():
    session = trained(init="xavier")
    assert identical_layers(session.network) == []
    assert symmetry_note(session.network, session.epoch) is None


def test_a_single_neuron_layer_is_not_called_symmetric():
    session = trained(init="same", hidden=(1, 4), activations=("tanh", "tanh"))
    assert identical_layers(session.network) == [1]
